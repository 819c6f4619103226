"""``POST /v1/quick-add/parse``: a food written without an amount is one of its usual pieces.

Against the starter catalog (SR28) through the API. "2 eggs, bacon and toast"
proposed 100 g of bacon (548 kcal) and 100 g of toast (290 kcal): the food's
default. A food with a counted portion people mean by default (a slice, a
strip, a piece, a medium one) is one of it, an estimate the app asks about;
SR28's own measures: cooked bacon "1 slice cooked" 8.1 g, white toast
"1 slice" 22 g. A food without one keeps its default portion.
"""

import pytest

from tests.quick_add_calls import parse, rows

pytestmark = pytest.mark.django_db

EGG = "Egg, whole, raw, fresh"
BACON = "Pork, cured, bacon, cooked, baked"
TOAST = "Bread, white, commercially prepared, toasted"


def test_bacon_and_toast_without_an_amount_are_a_slice_each(starter_catalog, device_client):
    body = parse(device_client, "2 eggs, bacon and toast")
    assert rows(body) == [
        (EGG, "2.000", "pcs", "88.000", "125.840"),
        (BACON, "1.000", "pcs", "8.100", "44.388"),
        (TOAST, "1.000", "pcs", "22.000", "63.800"),
    ]
    assert [item["confidence"] for item in body["items"]][1:] == [0.56, 0.56]
    assert body["unparsed"] == []


def test_a_food_without_a_usual_piece_keeps_its_default(starter_catalog, device_client):
    """Chicken thigh has no slice, strip, piece or medium one: its 100 g default."""
    body = parse(device_client, "chicken thigh")
    assert rows(body)[0][1:4] == ("100.000", "g", "100.000")
    assert body["items"][0]["confidence"] == 0.7
