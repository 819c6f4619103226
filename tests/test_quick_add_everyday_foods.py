"""``POST /v1/quick-add/parse``: everyday foods a fresh review found matched to the wrong row.

Against the starter catalog (SR28) through the API. Each phrase is one a
person types daily; before, it found a food the words only brush against
("a bowl of salad" → "Ham salad spread", 648 kcal; "a glass of red wine" →
red wine vinegar; "bacon" → meatless bacon; "200ml whole milk" → buttermilk;
"une cuillère à soupe d'huile d'olive" → olives, 10 kcal) or nothing at all
("a slice of pizza", "a can of coke", "un verre de vin rouge"). Figures are
USDA SR28's own household measures: a slice of 14" cheese pizza 107 g, a
slice of cooked bacon 8.1 g, a 12 fl oz can of cola 370 g, a cup of cooked
black beans 172 g, a 4" pancake 38 g, a tablespoon of mayonnaise 13.8 g.
"""

import pytest

from entries.quick_add.foods import PREFERRED_AS_WRITTEN, PREFERRED_CATALOG_NAMES
from products.models import CatalogProduct
from tests.quick_add_calls import parse, rows

pytestmark = pytest.mark.django_db

WHOLE_MILK = "Milk, whole, 3.25% milkfat, with added vitamin D"
PIZZA_SLICE = 'Fast Food, Pizza Chain, 14" pizza, cheese topping, regular crust'
RED_WINE = "Alcoholic beverage, wine, table, red"
BACON = "Pork, cured, bacon, cooked, baked"
COLA = "Beverages, carbonated, cola, regular"
LETTUCE = "Lettuce, green leaf, raw"
HAMBURGER = "Fast foods, hamburger; single, regular patty; with condiments"
HOT_DOG = "Fast foods, hotdog, plain"
FRIES = "Fast foods, potato, french fried in vegetable oil"
BLACK_BEANS = "Beans, black, mature seeds, cooked, boiled, without salt"
CHICKEN_THIGH = "Chicken, broilers or fryers, thigh, meat only, cooked, roasted"
MAYONNAISE = "Salad dressing, mayonnaise, regular"
PANCAKES = "Pancakes, plain, prepared from recipe"
POTATO_CHIPS = "Snacks, potato chips, plain, salted"
PASTA = "Pasta, cooked, enriched, without added salt"
ORANGE_JUICE = "Orange juice, raw"
OLIVE_OIL = "Oil, olive, salad or cooking"
HAM = "Ham, sliced, regular (approximately 11% fat)"
BEER = "Alcoholic beverage, beer, regular, all"
YOGURT = "Yogurt, plain, whole milk, 8 grams protein per 8 ounce"
GROUND_BEEF_PATTY = "Beef, ground, 85% lean meat / 15% fat, patty, cooked, broiled"


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        # 200 ml at the fl oz portion's 30.5 g per 29.574 ml; 61 kcal/100 g.
        ("200ml whole milk", "en", (WHOLE_MILK, "200.000", "ml", "206.262", "125.820")),
        ("1 cup whole milk", "en", (WHOLE_MILK, "1.000", "cup", "244.000", "148.840")),
        ("a slice of pizza", "en", (PIZZA_SLICE, "1.000", "pcs", "107.000", "284.620")),
        ("2 slices of pizza", "en", (PIZZA_SLICE, "2.000", "pcs", "214.000", "569.240")),
        # A glass of wine is its 5 fl oz serving (SR28: 147 g of red; test_quick_add_wine).
        ("a glass of red wine", "en", (RED_WINE, "1.000", "serving", "147.000", "124.950")),
        ("un verre de vin rouge", "fr", (RED_WINE, "1.000", "serving", "147.000", "124.950")),
        ("3 slices of bacon", "en", (BACON, "3.000", "pcs", "24.300", "133.164")),
        ("2 strips of bacon", "en", (BACON, "2.000", "pcs", "16.200", "88.776")),
        ("a can of coke", "en", (COLA, "1.000", "serving", "370.000", "155.400")),
        ("a can of soda", "en", (COLA, "1.000", "serving", "370.000", "155.400")),
        # 300 ml of shredded lettuce at 36 g a cup: a few kcal, not 648.
        ("a bowl of salad", "en", (LETTUCE, "300.000", "ml", "45.000", "6.750")),
        ("a hamburger", "en", (HAMBURGER, "1.000", "pcs", "97.000", "255.110")),
        ("a hot dog", "en", (HOT_DOG, "1.000", "pcs", "98.000", "242.060")),
        ("a serving of fries", "en", (FRIES, "1.000", "serving", "117.000", "365.040")),
        ("1 cup of black beans", "en", (BLACK_BEANS, "1.000", "cup", "172.000", "227.040")),
        ("chicken thigh", "en", (CHICKEN_THIGH, "100.000", "g", "100.000", "179.000")),
        ("1 tbsp mayonnaise", "en", (MAYONNAISE, "1.000", "tbsp", "13.800", "93.840")),
        ("2 pancakes", "en", (PANCAKES, "2.000", "pcs", "76.000", "172.520")),
        ("a handful of chips", "en", (POTATO_CHIPS, "30.000", "g", "30.000", "159.600")),
        ("250 g de pâtes", "fr", (PASTA, "250.000", "g", "250.000", "395.000")),
        ("un verre de jus d'orange", "fr", (ORANGE_JUICE, "250.000", "ml", "262.055", "117.925")),
        (
            "une cuillère à soupe d'huile d'olive",
            "fr",
            (OLIVE_OIL, "1.000", "tbsp", "13.500", "119.340"),
        ),
        ("2 tranches de jambon", "fr", (HAM, "2.000", "pcs", "56.000", "91.280")),
        ("une bière", "fr", (BEER, "1.000", "serving", "356.000", "153.080")),
        ("un yaourt", "fr", (YOGURT, "1.000", "serving", "170.000", "103.700")),
        ("un steak haché", "fr", (GROUND_BEEF_PATTY, "1.000", "pcs", "77.000", "192.500")),
    ],
)
def test_an_everyday_food_finds_its_row(starter_catalog, device_client, text, locale, expected):
    body = parse(device_client, text, locale)
    assert rows(body) == [expected]
    assert body["unparsed"] == []


def test_pate_is_still_pate(starter_catalog, device_client):
    """French "pâtes" (pasta) folds to "pates"; "pâté" (the spread) is not pasta."""
    body = parse(device_client, "100 g de pâté", "fr")
    assert [item["match"]["name"] for item in body["items"]] != [PASTA]
    assert "pate" in body["items"][0]["match"]["name"].lower()


def test_every_preferred_row_is_in_the_starter_catalog(starter_catalog):
    """A misspelt name would silently fall back to the search (a cheeseburger once did)."""
    wanted = {name for names in PREFERRED_CATALOG_NAMES.values() for name in names}
    wanted |= {name for names in PREFERRED_AS_WRITTEN.values() for name in names}
    found = set(CatalogProduct.objects.filter(name__in=wanted).values_list("name", flat=True))
    assert wanted - found == set()


SUGAR = "Sugars, granulated"
BUTTER = "Butter, salted"
JAM = "Jams and preserves"
COFFEE = "Beverages, coffee, brewed, prepared with tap water"
TOAST = "Bread, white, commercially prepared, toasted"
CHICKEN_BREAST = "Chicken, broilers or fryers, breast, meat only, cooked, roasted"
CHICKEN_MEAT = "Chicken, broilers or fryers, meat only, roasted"
SALMON = "Fish, salmon, Atlantic, farmed, cooked, dry heat"
WINE = "Alcoholic beverage, wine, table, all"
TUNA = "Fish, tuna, light, canned in water, drained solids"
GRAPES = "Grapes, red or green (European type, such as Thompson seedless), raw"
TEA = "Beverages, tea, black, brewed, prepared with tap water"
MILK_2 = "Milk, reduced fat, fluid, 2% milkfat, with added vitamin A and vitamin D"


@pytest.mark.parametrize(
    ("text", "added"),
    [
        # A teaspoon of sugar (4.2 g), not its 100 g default (387 kcal) in one coffee.
        ("coffee with sugar", (SUGAR, "1.000", "tsp", "4.200", "16.254")),
        ("toast with butter", (BUTTER, "1.000", "tsp", "4.729", "33.908")),
        ("toast with jam", (JAM, "1.000", "tbsp", "20.000", "55.600")),
    ],
)
def test_a_spread_or_sugar_added_without_an_amount_is_a_spoonful(
    starter_catalog, device_client, text, added
):
    body = parse(device_client, text)
    assert rows(body)[1] == added
    assert body["items"][1]["confidence"] == 0.56  # an estimate the app asks about


def test_milk_and_sugar_in_a_coffee_are_both_added(starter_catalog, device_client):
    body = parse(device_client, "a coffee with milk and sugar")
    assert [row[0] for row in rows(body)] == [COFFEE, WHOLE_MILK, SUGAR]
    assert [row[3] for row in rows(body)][1:] == ["30.939", "4.200"]


def test_a_written_amount_of_an_added_food_is_kept(starter_catalog, device_client):
    body = parse(device_client, "toast with 20 g butter")
    assert rows(body)[1] == (BUTTER, "20.000", "g", "20.000", "143.400")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # USDA's "breast" is both sides; the one people buy and log is its "0.5 breast".
        ("a chicken breast", (CHICKEN_BREAST, "0.500", "pcs", "86.000", "141.900")),
        ("2 chicken breasts", (CHICKEN_BREAST, "1.000", "pcs", "172.000", "283.800")),
        ("a salmon fillet", (SALMON, "0.500", "pcs", "178.000", "366.680")),
        ("100g cooked chicken", (CHICKEN_MEAT, "100.000", "g", "100.000", "190.000")),
        # A size before the measure is the measure's, not a word of the food's
        # (it found "Beverages, Wine, non-alcoholic" at 6 kcal).
        ("a small glass of wine", (WINE, "1.000", "serving", "148.000", "122.840")),
        ("a tin of tuna", (TUNA, "1.000", "serving", "165.000", "141.900")),
    ],
)
def test_counted_and_measured_everyday_foods(starter_catalog, device_client, text, expected):
    body = parse(device_client, text)
    assert rows(body) == [expected]
    assert body["unparsed"] == []


def test_a_container_no_portion_names_is_a_count_of_the_food(starter_catalog, device_client):
    """A bottle of beer is its 12 fl oz "1 can", as "a beer" is (an estimate)."""
    body = parse(device_client, "a bottle of beer")
    assert rows(body) == [(BEER, "1.000", "serving", "356.000", "153.080")]
    assert body["items"][0]["confidence"] == 0.56


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # SR28's "10 grapes" weighs 49 g: 20 grapes are 98 g, not 20 × 10 (980 g, 676 kcal).
        ("20 grapes", (GRAPES, "20.000", "serving", "98.000", "67.620")),
        ("10 almonds", ("Nuts, almonds", "10.000", "serving", "12.000", "69.480")),
    ],
)
def test_a_count_of_a_food_served_by_count_is_that_many(
    starter_catalog, device_client, text, expected
):
    assert rows(parse(device_client, text)) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("un thé", (TEA, "1.000", "cup", "237.000", "2.370")),
        ("une tasse de thé", (TEA, "1.000", "cup", "237.000", "2.370")),
        ("un café avec du sucre", (SUGAR, "1.000", "tsp", "4.200", "16.254")),
    ],
)
def test_french_tea_and_sugar(starter_catalog, device_client, text, expected):
    """ "thé" folds to "the", which is no English article in French: it was unparsed."""
    body = parse(device_client, text, "fr")
    assert rows(body)[-1] == expected
    assert body["unparsed"] == []


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        # 500 ml, not 100 g of milk (it read the food "demi-litre de lait").
        ("un demi-litre de lait", "fr", (WHOLE_MILK, "0.500", "l", "508.333", "310.083")),
        ("une part de pizza", "fr", (PIZZA_SLICE, "1.000", "pcs", "107.000", "284.620")),
        ("une assiette de pâtes", "fr", (PASTA, "300.000", "ml", "150.000", "237.000")),
        # A can, not the 22 fl oz fountain drink (676 g) that is cola's "medium".
        ("a coke", "en", (COLA, "1.000", "serving", "370.000", "155.400")),
    ],
)
def test_french_measures_and_a_drink_by_the_can(
    starter_catalog, device_client, text, locale, expected
):
    body = parse(device_client, text, locale)
    assert rows(body) == [expected]
    assert body["unparsed"] == []


def test_a_piece_of_a_bar_is_not_the_whole_bar(starter_catalog, device_client):
    """It was chocolate's "1 bar", 112 g and 648 kcal; a piece no portion holds is not guessed."""
    body = parse(device_client, "a piece of chocolate")
    assert all(float(item["grams"] or 0) < 50 for item in body["items"]), rows(body)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("200 g de poulet grillé", (CHICKEN_BREAST, "200.000", "g", "200.000", "330.000")),
        ("un yaourt nature", (YOGURT, "1.000", "serving", "170.000", "103.700")),
        (
            "200 g de pommes de terre",
            ("Potatoes, baked, flesh and skin, without salt", "200.000", "g", "200.000", "186.000"),
        ),
        ("un verre de lait demi-écrémé", (MILK_2, "250.000", "ml", "257.828", "128.914")),
        (
            "150 g de riz complet",
            ("Rice, brown, long-grain, cooked", "150.000", "g", "150.000", "184.500"),
        ),
    ],
)
def test_french_food_then_adjective(starter_catalog, device_client, text, expected):
    """French writes the adjective after the food; "200 g de poulet grillé" was unparsed,
    "un yaourt nature" a flax cereal."""
    body = parse(device_client, text, "fr")
    assert rows(body) == [expected]
    assert body["unparsed"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A cup of juice (248 g, 112 kcal), not the juice one orange yields (86 g).
        ("an orange juice", (ORANGE_JUICE, "1.000", "cup", "248.000", "111.600")),
        (
            "a sandwich",
            (
                "Fast foods, submarine sandwich, ham on white bread with lettuce and tomato",
                "6.000",
                "serving",
                "184.000",
                "277.840",
            ),
        ),
    ],
)
def test_a_drink_or_a_sandwich_by_the_count(starter_catalog, device_client, text, expected):
    assert rows(parse(device_client, text)) == [expected]
