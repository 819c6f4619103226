"""Quick add's rules parser against the starter catalog: phrases people type, the right rows.

Each phrase lists every item expected, in order: the catalog food, the
entry's amount and unit, and the estimated grams (SR28's own measures: a
medium egg is 44 g, a slice of white bread 29 g, a cup of cooked rice 158 g).
The starter catalog is loaded once for the module (a few seconds) and
removed after it.
"""

from decimal import Decimal

import pytest
from django.db import connection

from entries.quick_add.rules import RulesParser
from tests.factories import PortionFactory, ProductFactory
from tests.labelled.quick_add_phrases import MUST_STAY_UNPARSED
from tests.labelled.quick_add_phrases import PHRASES as LABELLED
from tests.labelled.scoring import Score, grams_close, names_of

EGG = "Egg, whole, raw, fresh"
BREAD = "Bread, white, commercially prepared (includes soft bread crumbs)"
TOAST = "Bread, white, commercially prepared, toasted"
MILK = "Milk, whole, 3.25% milkfat, with added vitamin D"
COFFEE = "Beverages, coffee, brewed, prepared with tap water"
CHICKEN = "Chicken, broilers or fryers, breast, meat only, cooked, roasted"
OATMEAL = (
    "Cereals, oats, regular and quick, unenriched, cooked with water "
    "(includes boiling and microwaving), without salt"
)

# (text, locale, [(food, amount, unit, grams)], unparsed)
PHRASES = [
    ("2 eggs and a slice of toast", "en", [(EGG, "2", "pcs", "88"), (TOAST, "1", "pcs", "22")], []),
    (
        "½ cup of rice",
        "en",
        [("Rice, white, long-grain, regular, enriched, cooked", "0.5", "cup", "79")],
        [],
    ),
    ("un café au lait", "fr", [(COFFEE, "1", "cup", "237"), (MILK, "100", "g", "100")], []),
    (
        "200g chicken breast, 1 tbsp olive oil",
        "en",
        [(CHICKEN, "200", "g", "200"), ("Oil, olive, salad or cooking", "1", "tbsp", "13.5")],
        [],
    ),
    ("a banana", "en", [("Bananas, raw", "1", "pcs", "118")], []),
    (
        "two slices of bread with butter",
        "en",
        # Spread butter is a teaspoon (a pat), not its 100 g default.
        [(BREAD, "2", "pcs", "58"), ("Butter, salted", "1", "tsp", "4.729")],
        [],
    ),
    ("something tasty", "en", [], ["something tasty"]),
    ("a plate of happiness", "en", [], ["a plate of happiness"]),
    ("a glass of milk", "en", [(MILK, "250", "ml", "257.828")], []),
    ("an apple", "en", [("Apples, raw, with skin", "1", "pcs", "182")], []),
    (
        "3 oz salmon",
        "en",
        [("Fish, salmon, Atlantic, farmed, cooked, dry heat", "85.049", "g", "85.049")],
        [],
    ),
    ("a handful of almonds", "en", [("Nuts, almonds", "30", "g", "30")], []),
    (
        "half an avocado",
        "en",
        [("Avocados, raw, all commercial varieties", "0.5", "serving", "100.5")],
        [],
    ),
    ("1 cup oatmeal", "en", [(OATMEAL, "1", "cup", "234")], []),
    ("a couple of strawberries", "en", [("Strawberries, raw", "2", "pcs", "24")], []),
    ("30 g cheddar cheese", "en", [("Cheese, cheddar", "30", "g", "30")], []),
    ("a cup of coffee", "en", [(COFFEE, "1", "cup", "237")], []),
    ("2 boiled eggs", "en", [("Egg, whole, cooked, hard-boiled", "2", "pcs", "100")], []),
    ("1 1/2 cups of milk", "en", [(MILK, "1.5", "cup", "366")], []),
    (
        "1,5 kg potatoes",
        "en",
        [("Potatoes, baked, flesh and skin, without salt", "1.5", "kg", "1500")],
        [],
    ),
    ("chicken breast 200g", "en", [(CHICKEN, "200", "g", "200")], []),
    (
        "three tbsp peanut butter",
        "en",
        [("Peanut butter, smooth style, with salt", "3", "tbsp", "48")],
        [],
    ),
    ("a bowl of oatmeal", "en", [(OATMEAL, "300", "ml", "292.5")], []),
    ("a croissant", "en", [("Croissants, butter", "1", "pcs", "57")], []),
    ("twelve almonds", "en", [("Nuts, almonds", "12", "serving", "14.4")], []),
    ("a dozen strawberries", "en", [("Strawberries, raw", "12", "pcs", "144")], []),
    (
        "deux oeufs et une tranche de pain",
        "fr",
        [(EGG, "2", "pcs", "88"), (BREAD, "1", "pcs", "29")],
        [],
    ),
    (
        "one cup of tea with a tsp of sugar",
        "en",
        [
            ("Beverages, tea, black, brewed, prepared with tap water", "1", "cup", "237"),
            ("Sugars, granulated", "1", "tsp", "4.2"),
        ],
        [],
    ),
    (
        "a handful of blueberries + something tasty\n4 oz spaghetti",
        "en",
        [
            ("Blueberries, raw", "30", "g", "30"),
            ("Pasta, cooked, enriched, without added salt", "113.398", "g", "113.398"),
        ],
        ["something tasty"],
    ),
    ("a slice of cheddar", "en", [("Cheese, cheddar", "1", "pcs", "28")], []),
]


def as_rows(proposal) -> list[tuple[str, Decimal, str, Decimal]]:
    return [
        (item.food.name, item.amount.amount, item.amount.unit, item.grams)
        for item in proposal.items
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "locale", "expected", "unparsed"), PHRASES)
def test_phrase(starter_catalog, device, text, locale, expected, unparsed):
    proposal = RulesParser().parse(device=device, text=text, locale=locale)

    assert as_rows(proposal) == [
        (food, Decimal(amount), unit, Decimal(grams)) for food, amount, unit, grams in expected
    ]
    assert proposal.unparsed == unparsed
    assert proposal.parser == "rules"


def test_the_table_is_large_enough():
    pieces = sum(len(expected) + len(unparsed) for _, _, expected, unparsed in PHRASES)
    assert len(PHRASES) >= 25
    assert pieces >= 35


@pytest.mark.django_db
def test_the_devices_own_product_comes_before_the_catalog(starter_catalog, device, other_device):
    mine = PortionFactory(
        product=ProductFactory(device=device, name="Eggs from the farm"),
        label="1 egg",
        base_amount=Decimal(1),
        base_unit="pcs",
        gram_weight=Decimal(60),
        calories=Decimal(90),
    )
    PortionFactory(product=ProductFactory(device=other_device, name="Eggs, theirs"))

    proposal = RulesParser().parse(device=device, text="2 eggs", locale="en")

    (item,) = proposal.items
    assert (item.food.kind, item.food.id, item.amount.portion.id) == (
        "product",
        mine.product_id,
        mine.id,
    )
    assert (item.amount.amount, item.amount.unit, item.grams) == (Decimal(2), "pcs", Decimal(120))
    assert item.nutrition.calories == Decimal(180)
    # The catalog's egg is the first alternative; another device's product is none.
    assert [food.name for food in item.alternatives][:1] == [EGG]
    assert all(food.name != "Eggs, theirs" for food in item.alternatives)


@pytest.mark.django_db
def test_the_labelled_phrase_set_is_read_right_and_invents_nothing(starter_catalog, device, capsys):
    """Quick add right on ≥ 90 % of the labelled set (food and grams ±10 %), nothing invented."""
    score = Score(f"quick add ({connection.vendor})")
    parser = RulesParser()
    for text, locale, expected, unparsed in LABELLED:
        proposal = parser.parse(device=device, text=text, locale=locale)
        got = [(item.food.name, item.grams) for item in proposal.items]
        score.cases += 1
        right = (
            len(got) == len(expected)
            and all(
                name in names_of(food) and grams_close(grams, weight)
                for (name, grams), (food, weight) in zip(got, expected, strict=False)
            )
            and proposal.unparsed == unparsed
        )
        score.right += right
        score.invented += sum(1 for item in proposal.items if item.text in unparsed)
        if not right:
            score.misses.append(f"{text!r}: {got} unparsed {proposal.unparsed}")
    for text, locale in MUST_STAY_UNPARSED:
        proposal = parser.parse(device=device, text=text, locale=locale)
        score.cases += 1
        score.right += not proposal.items
        score.invented += len(proposal.items)
        if proposal.items:
            score.misses.append(f"{text!r} invented {[i.food.name for i in proposal.items]}")
    with capsys.disabled():
        print(f"\n{score.line()}")
    assert len(LABELLED) >= 100
    assert len(MUST_STAY_UNPARSED) >= 20
    assert score.invented == 0, score.misses
    assert score.rate >= 0.90, score.misses
