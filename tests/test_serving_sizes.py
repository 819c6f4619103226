"""Serving sizes as labels write them, imported from Open Food Facts with the right weights.

End to end: a JSONL dump with real serving strings goes through
``manage.py import_catalog --source off``; each serving becomes a portion
whose weight of one unit (one cup, one piece, one tablespoon...) is checked,
and what could not be read is counted in the summary with its reason.
"""

import json
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from products import units
from products.catalog_import.measures import (
    SERVING_AMBIGUOUS,
    SERVING_RANGE,
    SERVING_UNREADABLE,
    SERVING_WEIGHT_CONTRADICTS,
    SERVING_WITHOUT_WEIGHT,
)
from products.models import CatalogPortion

D = Decimal

# (serving_size, serving_quantity, unit, grams in one unit, base unit stored)
SERVINGS = [
    ("½ cup (120 ml)", "120", "cup", "240", "cup"),
    ("¼ tsp (1.25 ml)", "1.25", "tsp", "5", "tsp"),
    ("1½ cups (360 ml)", "360", "cup", "240", "cup"),
    ("1-1/2 cup (355 ml)", "355", "cup", "236.667", "cup"),
    ("1/2 cup (125 g)", "125", "cup", "250", "cup"),
    ("1 1/2 cups (45 g)", "45", "cup", "30", "cup"),
    ("⅓ cup (40 g)", "40", "cup", "120", "ml"),  # 80 ml: exact where 0.333 cup is not
    ("⅔ cup (55 g)", "55", "cup", "82.5", "ml"),
    ("1 ⅓ cups (320 ml)", "320", "cup", "240", "ml"),
    ("¾ cup (30 g)", "30", "cup", "40", "cup"),
    ("1⁄2 cup (120 ml)", "120", "cup", "240", "cup"),  # fraction slash
    ("¼ cup (60 ml)", "60", "cup", "240", "cup"),
    ("1 cup (240 ml)", "240", "cup", "240", "cup"),
    ("2 tbsp (32 g)", "32", "tbsp", "16", "tbsp"),
    ("1 tbsp (15 ml)", "15", "tbsp", "15", "tbsp"),
    ("½ tbsp (7 g)", "7", "tbsp", "14", "tbsp"),
    ("0,5 l", "500", "l", "1000", "l"),
    ("0,33 l", "330", "l", "1000", "l"),
    ("8 fl oz (240 ml)", "240", "ml", "1.014", "ml"),  # 8 US fl oz = 236.588 ml
    ("2 biscuits (25 g)", "25", "pcs", "12.5", "pcs"),
    ("1½ slices (42 g)", "42", "pcs", "28", "pcs"),
    ("3 cookies (34 g)", "34", "pcs", "11.333", "pcs"),
    ("½ bar (25 g)", "25", "pcs", "50", "pcs"),
    ("1 large egg (50 g)", "50", "pcs", "50", "pcs"),
    ("1 can (330 ml)", "330", "serving", "330", "serving"),
    ("½ tasse (120 ml)", "120", "serving", "240", "serving"),
    ("2 Scheiben (50 g)", "50", "serving", "25", "serving"),
    ("1 oz (28 g)", "28", "g", "1", "g"),
    ("30 g", "30", "g", "1", "g"),
    ("portion (30 g)", "30", "serving", "30", "serving"),
    # Thousands separators, checked against the weight: a litre weighing 1000 g
    # (1 g per ml), not 1 ml weighing a kilogram.
    ("1,000 ml", "1000", "ml", "1", "ml"),
    ("1.000 ml", "1000", "ml", "1", "ml"),
    ("1,500 ml", "1500", "ml", "1", "ml"),
    ("2,000 g", "2000", "g", "1", "g"),
    ("1.5 l", "1500", "l", "1000", "l"),
]

# (serving_size, serving_quantity, the reason the summary gives)
UNREADABLE = [
    ("2-3 biscuits (30 g)", "30", SERVING_RANGE),
    ("1 to 2 cups", "240", SERVING_RANGE),
    ("1/0 cup", "100", SERVING_UNREADABLE),
    ("½ cup (120 ml)", None, SERVING_WITHOUT_WEIGHT),
    ("1 portion", "", SERVING_WITHOUT_WEIGHT),
]


def off_product(code: str, serving_size: str, serving_quantity: str | None) -> dict:
    product = {
        "code": code,
        "product_name": f"Food {code}",
        "serving_size": serving_size,
        "nutriments": {"energy-kcal_100g": 100, "proteins_100g": 5},
    }
    if serving_quantity is not None:
        product["serving_quantity"] = serving_quantity
    return product


def import_off(tmp_path, rows: list[tuple]) -> str:
    dump = tmp_path / "openfoodfacts-products.jsonl"
    dump.write_text(
        "\n".join(
            json.dumps(off_product(f"{n:013d}", size, quantity), ensure_ascii=False)
            for n, (size, quantity, *_rest) in enumerate(rows, start=1)
        ),
        encoding="utf-8",
    )
    out = StringIO()
    call_command("import_catalog", "--source", "off", str(dump), stdout=out)
    return out.getvalue()


def grams_in_one(portion: CatalogPortion, unit: str) -> Decimal:
    """What one ``unit`` of the food weighs, by the portion (as a diary entry computes it)."""
    factor = units.base_amounts_in(
        amount=D(1),
        unit=unit,
        base_amount=portion.base_amount,
        base_unit=portion.base_unit,
        gram_weight=portion.gram_weight,
    )
    grams = units.grams_in_base(portion.base_amount, portion.base_unit, portion.gram_weight)
    return (factor * grams).quantize(D("0.001"), rounding=ROUND_HALF_UP)


@pytest.mark.django_db
def test_real_serving_sizes_weigh_right_per_unit(tmp_path):
    assert len(SERVINGS) >= 20
    import_off(tmp_path, SERVINGS)

    for n, (size, quantity, unit, grams, base_unit) in enumerate(SERVINGS, start=1):
        portion = CatalogPortion.objects.get(product__source_id=f"{n:013d}", is_default=False)
        assert (portion.base_unit, grams_in_one(portion, unit)) == (base_unit, D(grams)), size
        # The whole serving still weighs what the label says, and is labelled as written
        # ("portion (30 g)", which names no amount, is one portion).
        assert portion.gram_weight == D(quantity), size
        assert portion.label == (size if size[0] != "p" else f"1 {size}"), size
        # Its nutrition is the per-100 g values scaled to that weight.
        assert portion.calories == D(quantity), size


@pytest.mark.django_db
def test_serving_sizes_that_cannot_be_read_are_counted_with_their_reason(tmp_path):
    output = import_off(tmp_path, [*UNREADABLE, ("½ cup (120 ml)", "120", None)])

    assert CatalogPortion.objects.filter(is_default=False).count() == 1
    section = output.split("household measures left out:")[1]
    assert section.splitlines()[0].strip() == "5"
    # Each reason with its count and the texts it left out.
    assert section.splitlines()[1:4] == [
        f"            2  {SERVING_RANGE}: '2-3 biscuits (30 g)', '1 to 2 cups'",
        f"            2  {SERVING_WITHOUT_WEIGHT}: '½ cup (120 ml)', '1 portion'",
        f"            1  {SERVING_UNREADABLE}: '1/0 cup'",
    ]


@pytest.mark.django_db
def test_servings_their_weight_contradicts_are_left_out_with_their_reason(tmp_path):
    output = import_off(
        tmp_path,
        [
            ("1 ml", "1000"),  # 1000 g per ml
            ("30 g", "300"),  # a mass ten times its weight
            ("1 cup", "2000"),  # 8.3 g per ml
            ("1,000 pieces", "30"),  # a thousand or one: nothing to weigh it against
            ("1,000 ml", "1000"),  # the one that fits: a litre
        ],
    )

    assert list(
        CatalogPortion.objects.filter(is_default=False).values_list("label", flat=True)
    ) == ["1,000 ml"]
    section = output.split("household measures left out:")[1]
    assert section.splitlines()[1:3] == [
        f"            3  {SERVING_WEIGHT_CONTRADICTS}: '1 ml', '30 g', '1 cup'",
        f"            1  {SERVING_AMBIGUOUS}: '1,000 pieces'",
    ]
