"""``POST /v1/quick-add/parse``: a tester's wrong proposals, one test each.

Against the starter catalog (SR28) through the API: a multiplier ("2 x 100g
rice"), an amount past any entry's range ("1e9 g rice"), "with milk" in a
drink, and a phrase written twice ("2 eggs 2 eggs").
"""

import pytest

from entries.quick_add.phrases import split_pieces
from tests.quick_add_calls import parse, rows

EGG = "Egg, whole, raw, fresh"
RICE = "Rice, white, long-grain, regular, enriched, cooked"

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text", ["2 x 100g rice", "2x100 g rice", "2 × 100 g rice", "2 X 100 g of rice"]
)
def test_a_multiplier_multiplies_the_amount(starter_catalog, device_client, text):
    body = parse(device_client, text)
    assert rows(body) == [(RICE, "200.000", "g", "200.000", "260.000")]
    assert body["items"][0]["confidence"] == 0.7
    assert body["unparsed"] == []


@pytest.mark.parametrize(
    "text", ["1e9 g rice", "1e9g rice", "2 x 1e9 g rice", "1E+9 g rice", "1e99999999 g rice"]
)
def test_an_amount_past_an_entrys_range_is_unparsed(starter_catalog, device_client, text):
    """Read as written (1e9 is a billion), not as 1 of "e9 g rice": past what an entry holds."""
    body = parse(device_client, text)
    assert (body["items"], body["unparsed"]) == ([], [text])


def test_an_amount_in_scientific_notation_is_read_whole(starter_catalog, device_client):
    body = parse(device_client, "1.5e2 g rice")
    assert rows(body) == [(RICE, "150.000", "g", "150.000", "195.000")]
    assert body["unparsed"] == []


COFFEE = "Beverages, coffee, brewed, prepared with tap water"
TEA = "Beverages, tea, black, brewed, prepared with tap water"
WHOLE_MILK = "Milk, whole, 3.25% milkfat, with added vitamin D"


@pytest.mark.parametrize(
    ("text", "drink"),
    [
        ("a coffee with milk", (COFFEE, "1.000", "cup", "237.000", "2.370")),
        ("tea with milk", (TEA, "100.000", "g", "100.000", "1.000")),
    ],
)
def test_milk_with_a_drink_is_a_splash(starter_catalog, device_client, text, drink):
    """30 ml, an estimate the app asks about: not the 100 g a bare "milk" is."""
    body = parse(device_client, text)
    assert rows(body) == [drink, (WHOLE_MILK, "30.000", "ml", "30.939", "18.873")]
    assert body["items"][1]["text"] == "milk"
    assert body["items"][1]["confidence"] == 0.56
    assert body["unparsed"] == []


def test_milk_with_a_food_is_not_a_splash(starter_catalog, device_client):
    """Only a drink takes a splash; "porridge with milk" keeps milk's default portion."""
    body = parse(device_client, "porridge with milk")
    assert rows(body)[1] == (WHOLE_MILK, "100.000", "g", "100.000", "61.000")


def test_milk_with_its_amount_keeps_it(starter_catalog, device_client):
    body = parse(device_client, "a coffee with 100 ml milk")
    assert rows(body)[1][:3] == (WHOLE_MILK, "100.000", "ml")


@pytest.mark.parametrize(
    ("text", "times"), [("2 eggs 2 eggs", 2), ("2 Eggs  2 eggs", 2), ("2 eggs 2 eggs 2 eggs", 3)]
)
def test_a_phrase_written_twice_is_two_items(starter_catalog, device_client, text, times):
    """Each the egg it names, not "eggs 2 eggs" (an egg custard mix, found through "2%")."""
    body = parse(device_client, text)
    assert rows(body) == [(EGG, "2.000", "pcs", "88.000", "125.840")] * times
    assert [item["text"].lower() for item in body["items"]] == ["2 eggs"] * times
    assert body["unparsed"] == []


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("2 eggs 2 eggs and toast", ("2 eggs", "2 eggs", "toast")),
        ("mahi mahi", ("mahi mahi",)),
        ("2 eggs 3 eggs", ("2 eggs 3 eggs",)),
    ],
)
def test_only_a_whole_repeated_amount_and_food_splits(text, parts):
    (piece,) = split_pieces(text)
    assert piece.parts == parts
