"""Finding a written food among the device's products, then the catalog.

Candidates come from ``products.search.find_foods`` (the API's product search
read the way a food is written: accent folding, plurals, British spellings,
typos): names holding the written food's head noun ("milk" in "skim milk"),
ranked by how many of its other words they hold, so modifiers ("1%", "skim")
choose among the milks instead of ruling out the ones that say "nonfat".
USDA names read "Egg, whole, raw, fresh", so the most common foods have
preferred catalog rows (``PREFERRED_CATALOG_NAMES``), fetched by name for the
whole text at once; a catalog without them falls back to the search. Nothing
is ever made up: a food is a row that exists, and a number alone ("2%")
names none.
"""

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from products.folding import fold_name
from products.models import (
    PORTION_DISPLAY_ORDER,
    CatalogPortion,
    CatalogProduct,
    Portion,
    PortionFields,
)
from products.search import find_foods
from products.search_words import SearchTerms, number_forms, stem

PRODUCT, CATALOG = "product", "catalog"
# The match and up to four alternatives.
CANDIDATES = 5
# Enough search rows to keep the candidates after dropping names that hold the
# head noun only inside a word ("tea" in "steak").
SEARCH_LIMIT = 20
_WORD = re.compile(r"[^\W_]+%?")
# ("the" stays: folded, it is the French "thé".)
# ("d" and "l": French elisions, "jus d'orange" is read "jus de orange".)
_NOT_FOOD_WORDS = frozenset({"some", "of", "a", "an", "my", "de", "du", "le", "la", "d", "l"})

# Common foods as people write them (singular) → the SR28 rows that stand for
# them, the usual one first (raw or plainly cooked, the way it is mostly
# eaten), then alternatives the app offers next to it.
_PREFERRED: dict[str, tuple[str, ...]] = {
    "egg": (
        "Egg, whole, raw, fresh",
        "Egg, whole, cooked, hard-boiled",
        "Egg, whole, cooked, fried",
        "Egg, whole, cooked, scrambled",
        "Egg, whole, cooked, poached",
    ),
    "boiled egg": ("Egg, whole, cooked, hard-boiled",),
    "scrambled egg": ("Egg, whole, cooked, scrambled",),
    "fried egg": ("Egg, whole, cooked, fried",),
    "toast": (
        "Bread, white, commercially prepared, toasted",
        "Bread, whole-wheat, commercially prepared, toasted",
    ),
    "bread": (
        "Bread, white, commercially prepared (includes soft bread crumbs)",
        "Bread, whole-wheat, commercially prepared",
        "Bread, white, commercially prepared, toasted",
    ),
    "butter": ("Butter, salted", "Butter, without salt"),
    "rice": (
        "Rice, white, long-grain, regular, enriched, cooked",
        "Rice, brown, long-grain, cooked",
    ),
    "chicken breast": (
        "Chicken, broilers or fryers, breast, meat only, cooked, roasted",
        "Chicken, broilers or fryers, breast, meat only, cooked, fried",
    ),
    "chicken": ("Chicken, broilers or fryers, breast, meat only, cooked, roasted",),
    "olive oil": ("Oil, olive, salad or cooking",),
    "banana": ("Bananas, raw",),
    "apple": ("Apples, raw, with skin", "Apples, raw, without skin"),
    "orange": ("Oranges, raw, all commercial varieties",),
    "orange juice": ("Orange juice, raw", "Orange juice, chilled, includes from concentrate"),
    "coffee": (
        "Beverages, coffee, brewed, prepared with tap water",
        "Beverages, coffee, brewed, espresso, restaurant-prepared",
    ),
    "espresso": ("Beverages, coffee, brewed, espresso, restaurant-prepared",),
    "tea": ("Beverages, tea, black, brewed, prepared with tap water",),
    "water": ("Beverages, water, tap, drinking",),
    "milk": (
        "Milk, whole, 3.25% milkfat, with added vitamin D",
        "Milk, reduced fat, fluid, 2% milkfat, with added vitamin A and vitamin D",
    ),
    "oatmeal": (
        "Cereals, oats, regular and quick, unenriched, cooked with water "
        "(includes boiling and microwaving), without salt",
    ),
    "porridge": (
        "Cereals, oats, regular and quick, unenriched, cooked with water "
        "(includes boiling and microwaving), without salt",
    ),
    "oat": ("Cereals, oats, regular and quick, not fortified, dry",),
    "oats": ("Cereals, oats, regular and quick, not fortified, dry",),
    "whole wheat bread": (
        "Bread, whole-wheat, commercially prepared",
        "Bread, whole-wheat, commercially prepared, toasted",
    ),
    "whole wheat toast": ("Bread, whole-wheat, commercially prepared, toasted",),
    "yogurt": (
        "Yogurt, plain, whole milk, 8 grams protein per 8 ounce",
        "Yogurt, Greek, plain, whole milk",
    ),
    "greek yogurt": ("Yogurt, Greek, plain, whole milk", "Yogurt, Greek, plain, nonfat"),
    "cheese": ("Cheese, cheddar", "Cheese, mozzarella, whole milk"),
    "cheddar": ("Cheese, cheddar",),
    "cheddar cheese": ("Cheese, cheddar",),
    "cream cheese": ("Cheese, cream",),
    "pasta": ("Pasta, cooked, enriched, without added salt",),
    "spaghetti": ("Pasta, cooked, enriched, without added salt",),
    "potato": ("Potatoes, baked, flesh and skin, without salt",),
    "salmon": (
        "Fish, salmon, Atlantic, farmed, cooked, dry heat",
        "Fish, salmon, Atlantic, wild, cooked, dry heat",
    ),
    "tomato": ("Tomatoes, red, ripe, raw, year round average",),
    "avocado": ("Avocados, raw, all commercial varieties",),
    "almond": ("Nuts, almonds",),
    "peanut butter": ("Peanut butter, smooth style, with salt",),
    "honey": ("Honey",),
    "sugar": ("Sugars, granulated",),
    "croissant": ("Croissants, butter",),
    "tortilla": (
        "Tortillas, ready-to-bake or -fry, flour, refrigerated",
        "Tortillas, ready-to-bake or -fry, corn",
    ),
    "broccoli": ("Broccoli, raw",),
    "carrot": ("Carrots, raw",),
    "spinach": ("Spinach, raw",),
    "strawberry": ("Strawberries, raw",),
    "blueberry": ("Blueberries, raw",),
    "jam": ("Jams and preserves",),
    "onion": ("Onions, raw",),
    "cucumber": ("Cucumber, with peel, raw",),
    "pear": ("Pears, raw",),
    "watermelon": ("Watermelon, raw",),
    "hummus": ("Hummus, commercial",),
    "lentil": ("Lentils, mature seeds, cooked, boiled, without salt",),
    "wine": ("Alcoholic beverage, wine, table, all",),
    "walnut": ("Nuts, walnuts, english",),
    "kiwi": ("Kiwifruit, green, raw",),
    "mango": ("Mangos, raw",),
    "peach": ("Peaches, yellow, raw",),
    "grape": ("Grapes, red or green (European type, such as Thompson seedless), raw",),
    "tuna": ("Fish, tuna, light, canned in water, drained solids",),
    "ham": ("Ham, sliced, regular (approximately 11% fat)",),
    "turkey": ("Turkey, whole, meat only, cooked, roasted",),
    "burger": ("Beef, ground, 85% lean meat / 15% fat, patty, cooked, broiled",),
    "dark chocolate": ("Chocolate, dark, 70-85% cacao solids",),
    # The frozen one has no slice: "a slice of pizza" is the 14" pizza's 107 g slice.
    "pizza": (
        "Pizza, cheese topping, regular crust, frozen, cooked",
        'Fast Food, Pizza Chain, 14" pizza, cheese topping, regular crust',
    ),
    "bagel": ("Bagels, plain, enriched, with calcium propionate (includes onion, poppy, sesame)",),
    "tofu": ("Tofu, firm, prepared with calcium sulfate and magnesium chloride (nigari)",),
    # Foods whose words alone found another row: "whole milk" a buttermilk,
    # "red wine" a vinegar, "bacon" a meatless one, "salad" a ham spread
    # (648 kcal a bowl), "hamburger" and "hot dog" a pickle relish, "fries" a
    # tortilla, "soda" saltines, "mayonnaise" the tofu one, black beans and
    # pancakes a dry mix. The plain form people mean, cooked where it is eaten so.
    "whole milk": ("Milk, whole, 3.25% milkfat, with added vitamin D",),
    "red wine": ("Alcoholic beverage, wine, table, red",),
    "white wine": ("Alcoholic beverage, wine, table, white",),
    "bacon": ("Pork, cured, bacon, cooked, baked", "Pork, cured, bacon, unprepared"),
    # A salad as a bowl of leaves (no dressing: the user adds it).
    "salad": ("Lettuce, green leaf, raw", "Lettuce, cos or romaine, raw"),
    "green salad": ("Lettuce, green leaf, raw", "Lettuce, cos or romaine, raw"),
    "hamburger": ("Fast foods, hamburger; single, regular patty; with condiments",),
    "cheeseburger": ("Fast foods, cheeseburger; single, regular patty, with condiments",),
    "hot dog": ("Fast foods, hotdog, plain",),
    "fries": ("Fast foods, potato, french fried in vegetable oil",),
    "french fries": ("Fast foods, potato, french fried in vegetable oil",),
    "chips": ("Snacks, potato chips, plain, salted",),
    "potato chips": ("Snacks, potato chips, plain, salted",),
    "coke": ("Beverages, carbonated, cola, regular",),
    "cola": ("Beverages, carbonated, cola, regular",),
    "soda": ("Beverages, carbonated, cola, regular",),
    "beer": ("Alcoholic beverage, beer, regular, all",),
    "black bean": ("Beans, black, mature seeds, cooked, boiled, without salt",),
    "kidney bean": ("Beans, kidney, all types, mature seeds, cooked, boiled, without salt",),
    "pinto bean": ("Beans, pinto, mature seeds, cooked, boiled, without salt",),
    "cooked chicken": ("Chicken, broilers or fryers, meat only, roasted",),
    "roast chicken": ("Chicken, broilers or fryers, meat only, roasted",),
    "grilled chicken": ("Chicken, broilers or fryers, meat only, roasted",),
    "salmon fillet": ("Fish, salmon, Atlantic, farmed, cooked, dry heat",),
    "chicken thigh": ("Chicken, broilers or fryers, thigh, meat only, cooked, roasted",),
    "mayonnaise": ("Salad dressing, mayonnaise, regular",),
    "mayo": ("Salad dressing, mayonnaise, regular",),
    "pancake": ("Pancakes, plain, prepared from recipe",),
    # A sandwich of unknown filling: SR28's 6-inch ham one (the name says so, the
    # user changes it), not the 7 g "Crackers, wheat, sandwich" it found.
    "sandwich": ("Fast foods, submarine sandwich, ham on white bread with lettuce and tomato",),
    # French (locale "fr"): the same rows.
    "oeuf": ("Egg, whole, raw, fresh",),
    "pain": ("Bread, white, commercially prepared (includes soft bread crumbs)",),
    "beurre": ("Butter, salted",),
    "riz": ("Rice, white, long-grain, regular, enriched, cooked",),
    "pomme": ("Apples, raw, with skin",),
    "banane": ("Bananas, raw",),
    "cafe": ("Beverages, coffee, brewed, prepared with tap water",),
    "the": ("Beverages, tea, black, brewed, prepared with tap water",),
    "lait": ("Milk, whole, 3.25% milkfat, with added vitamin D",),
    "fromage": ("Cheese, cheddar",),
    "eau": ("Beverages, water, tap, drinking",),
    "poulet": ("Chicken, broilers or fryers, breast, meat only, cooked, roasted",),
    "jus d'orange": ("Orange juice, raw",),
    "sucre": ("Sugars, granulated",),
    "miel": ("Honey",),
    "tartine": ("Bread, white, commercially prepared (includes soft bread crumbs)",),
    "the vert": ("Beverages, tea, green, brewed, regular",),
    # French puts the adjective after the food: the search reads the last word as the
    # food ("grille", "nature", "terre"), so the usual ones are named here.
    "poulet grille": ("Chicken, broilers or fryers, breast, meat only, cooked, roasted",),
    "poulet roti": ("Chicken, broilers or fryers, breast, meat only, cooked, roasted",),
    "yaourt nature": ("Yogurt, plain, whole milk, 8 grams protein per 8 ounce",),
    "pomme de terre": ("Potatoes, baked, flesh and skin, without salt",),
    "lait entier": ("Milk, whole, 3.25% milkfat, with added vitamin D",),
    "lait demi-ecreme": (
        "Milk, reduced fat, fluid, 2% milkfat, with added vitamin A and vitamin D",
    ),
    "lait ecreme": ("Milk, nonfat, fluid, with added vitamin A and vitamin D (fat free or skim)",),
    "riz blanc": ("Rice, white, long-grain, regular, enriched, cooked",),
    "riz complet": ("Rice, brown, long-grain, cooked",),
    "pain complet": ("Bread, whole-wheat, commercially prepared",),
    "jus de pomme": ("Apple juice, canned or bottled, unsweetened, without added ascorbic acid",),
    "huile d'olive": ("Oil, olive, salad or cooking",),
    "vin": ("Alcoholic beverage, wine, table, all",),
    "vin rouge": ("Alcoholic beverage, wine, table, red",),
    "vin blanc": ("Alcoholic beverage, wine, table, white",),
    "biere": ("Alcoholic beverage, beer, regular, all",),
    "yaourt": ("Yogurt, plain, whole milk, 8 grams protein per 8 ounce",),
    "jambon": ("Ham, sliced, regular (approximately 11% fat)",),
    "frites": ("Fast foods, potato, french fried in vegetable oil",),
    "steak hache": ("Beef, ground, 85% lean meat / 15% fat, patty, cooked, broiled",),
}
# Written forms whose stem is another food's: French "pâtes" (pasta) folds to
# "pates", whose stem is "pâté"'s. Looked up as written (folded), before stems.
PREFERRED_AS_WRITTEN: dict[str, tuple[str, ...]] = {
    "pates": ("Pasta, cooked, enriched, without added salt",),
}


def food_words(food: str) -> list[str]:
    """The stems of a written food's words, articles and "some" left out."""
    return [stem(word) for word in _WORD.findall(fold_name(food)) if word not in _NOT_FOOD_WORDS]


PREFERRED_CATALOG_NAMES: dict[str, tuple[str, ...]] = {
    " ".join(food_words(food)): names for food, names in _PREFERRED.items()
}


@dataclass(frozen=True)
class Food:
    """A device product or a catalog food, with its live portions (default first)."""

    kind: str
    id: uuid.UUID
    name: str
    portions: tuple[PortionFields, ...]

    @property
    def default_portion(self) -> PortionFields | None:
        return next((portion for portion in self.portions if portion.is_default), None)


def _holds_noun(name: str, nouns: list[str]) -> bool:
    """Whether ``name`` holds a head noun as a word (or its plural), or not at all (a typo).

    "tea" is in "steak" and "lunch" in "Luncheon sausage" only inside another
    word: no match. A name found through a typo ("chiken" → "Chicken") holds
    none of it and stays.
    """
    folded = fold_name(name)
    if not any(noun in folded for noun in nouns):
        return True
    wanted = {form for noun in nouns for form in number_forms(noun)}
    return any(number_forms(word) & wanted for word in _WORD.findall(folded))


class FoodFinder:
    """Finds the foods of one parse; the preferred catalog rows of all its foods in one query.

    Per food: the preferred catalog rows when the food has them, after the
    device's own products that hold every word of it; else
    ``products.search.find_foods`` (names holding the head noun, ranked by the
    modifiers they hold, the device's own first).
    """

    def __init__(self, *, device: Any, foods: Iterable[str]) -> None:
        self.device = device
        wanted = {name for food in foods for name in self.preferred_names(food)}
        rows = CatalogProduct.objects.filter(name__in=wanted).values_list("id", "name")
        self.preferred_rows = {name: row_id for row_id, name in rows}
        self._found: dict[str, list[tuple[Any, str, str]]] = {}

    @staticmethod
    def preferred_names(food: str) -> tuple[str, ...]:
        """The preferred catalog rows of ``food`` under any of its spellings ("yoghurt")."""
        written = " ".join(
            word for word in _WORD.findall(fold_name(food)) if word not in _NOT_FOOD_WORDS
        )
        if written in PREFERRED_AS_WRITTEN:
            return PREFERRED_AS_WRITTEN[written]
        for spelling in SearchTerms.of(food).spellings:
            names = PREFERRED_CATALOG_NAMES.get(" ".join(food_words(spelling)))
            if names:
                return names
        return ()

    def find(self, food: str, limit: int = CANDIDATES) -> list["Food"]:
        """Foods ``food`` may name, best first, each with its live portions."""
        return self.find_all([food], limit)[0]

    def find_all(self, foods: list[str], limit: int = CANDIDATES) -> list[list["Food"]]:
        """For each written food, the foods it may name, best first, with their live portions.

        Empty for a food nothing names: quick add never guesses one. The
        portions of every candidate are loaded together (two queries).
        """
        # A few spare candidates: one without a live portion is dropped below.
        found = [self._candidates(food)[: limit + 2] for food in foods]
        portions = self._portions([row for rows in found for row in rows])
        return [
            [
                Food(kind=kind, id=pk, name=name, portions=portions[pk])
                for pk, name, kind in rows
                if portions.get(pk)  # a food without a live portion cannot be logged
            ][:limit]
            for rows in found
        ]

    def _candidates(self, food: str) -> list[tuple[Any, str, str]]:
        """``(id, name, kind)`` of the rows naming ``food``, best first (one lookup per food)."""
        if food not in self._found:
            self._found[food] = self._lookup(food)
        return self._found[food]

    def _lookup(self, food: str) -> list[tuple[Any, str, str]]:
        terms = SearchTerms.of(food)
        if not terms.nouns:
            return []  # no word with a letter: a number names no food
        preferred = [
            (self.preferred_rows[name], name, CATALOG)
            for name in self.preferred_names(food)
            if name in self.preferred_rows
        ]
        found = find_foods(device=self.device, food=food, limit=SEARCH_LIMIT, catalog=not preferred)
        items = [item for item in found if _holds_noun(item.name, terms.nouns)]
        if preferred:
            # The device's products holding every word come before the preferred rows.
            wanted = max((len(words) for words in terms.modifier_sets), default=0)
            items = [item for item in items if item.source == "user" and item.matched == wanted]
        rows = [
            (item.id, item.name, PRODUCT if item.source == "user" else CATALOG) for item in items
        ]
        return [*rows, *preferred]

    def _portions(self, found: list[tuple[Any, str, str]]) -> dict[Any, tuple[PortionFields, ...]]:
        """The live portions of the found rows by product id, default first: two queries."""
        mine = {pk for pk, _, kind in found if kind == PRODUCT}
        theirs = {pk for pk, _, kind in found if kind == CATALOG}
        rows: list[PortionFields] = []
        if mine:
            rows += Portion.objects.filter(device=self.device, product_id__in=mine).order_by(
                *PORTION_DISPLAY_ORDER
            )
        if theirs:
            rows += CatalogPortion.objects.filter(product_id__in=theirs).order_by(
                *PORTION_DISPLAY_ORDER
            )
        portions: dict[Any, list[PortionFields]] = {}
        for row in rows:
            portions.setdefault(row.product_id, []).append(row)
        return {pk: tuple(rows) for pk, rows in portions.items()}
