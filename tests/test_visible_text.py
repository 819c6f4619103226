"""Text that hides itself (issue 20): names, labels, notes and barcodes hide nothing.

Refused (400 ``invalid_character``): control characters, bidirectional
overrides and isolates (a name shown as "exe.jpg" that is "gpj.exe"),
unpaired surrogates. Trimmed like spaces at either end: zero-width spaces,
joiners, BOM and the other invisible characters. Nothing visible left: blank.
"""

import json
import re

import pytest

from countonme.base.strict_input import visible_text_pattern
from entries.models import FoodEntry
from products.models import Portion, Product
from tests.assertions import assert_error
from tests.entry_bodies import ENTRIES, food_entry_body
from tests.factories import PortionFactory, ProductFactory

pytestmark = pytest.mark.django_db

REFUSED = {
    "right-to-left override": ("\u202egpj.exe", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    "left-to-right embedding": ("Oats \u202aplain", "U+202A LEFT-TO-RIGHT EMBEDDING"),
    "first strong isolate": ("Oats\u2068", "U+2068 FIRST STRONG ISOLATE"),
    "bell": ("Oa\x07ts", "U+0007"),
    "NUL": ("Oats\x00", "U+0000"),
    "escape": ("\x1b[31mOats", "U+001B"),
    "C1 control": ("Oats\x9b", "U+009B"),
    "line separator inside": ("Oats\u2028Rye", "U+2028 LINE SEPARATOR"),
    "newline inside": ("Oats\nRye", "U+000A"),
    "unpaired surrogate": ("Oats\ud800", "U+D800"),
}
INVISIBLE_ONLY = {
    "zero-width space": "\u200b",
    "zero-width joiners": "\u200d\u200c",
    "word joiner and BOM": "\u2060\ufeff",
    "soft hyphen": "\u00ad",
    "hangul filler": "\u3164",
    "braille blank": "\u2800",
    "mixed with spaces": " \u200b \u00a0\u200b ",
}


def send(client, method: str, url: str, body: dict):
    """JSON with ASCII escapes, as a client sends an unpaired surrogate (``"\\ud800"``)."""
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def product_url(device) -> str:
    return f"/v1/products/{ProductFactory(device=device).pk}"


@pytest.mark.parametrize(("text", "named"), REFUSED.values(), ids=REFUSED.keys())
class TestRefused:
    def test_a_product_name(self, device_client, text, named):
        response = send(device_client, "POST", "/v1/products", {"name": text})
        body = assert_error(response, 400, "invalid_character", "name")
        assert body["errors"][0]["detail"].startswith(f"Remove {named}")
        assert not Product.objects.exists()

    def test_a_product_rename(self, device_client, device, text, named):
        url = product_url(device)
        response = send(device_client, "PATCH", url, {"name": text})
        assert_error(response, 400, "invalid_character", "name")

    def test_a_barcode(self, device_client, text, named):
        body = {"name": "Oats", "barcode": text}
        response = send(device_client, "POST", "/v1/products", body)
        assert_error(response, 400, "invalid_character", "barcode")

    def test_a_portion_label(self, device_client, device, text, named):
        product = ProductFactory(device=device)
        body = {"label": text, "base_amount": 1, "base_unit": "pcs", "calories": 10}
        response = send(device_client, "POST", f"/v1/products/{product.pk}/portions", body)
        assert_error(response, 400, "invalid_character", "label")
        assert not Portion.objects.exists()


@pytest.mark.parametrize(
    "text",
    ["\u202egpj.exe", "Oa\x07ts", "Oats\x00", "Oats\ud800", "\x1b[31m"],
    ids=["override", "bell", "NUL", "surrogate", "escape"],
)
def test_a_note_refuses_them_too(device_client, device, text):
    portion = PortionFactory(product=ProductFactory(device=device))
    response = send(device_client, "POST", ENTRIES, {**food_entry_body(portion), "note": text})
    assert_error(response, 400, "invalid_character", "note")
    assert not FoodEntry.objects.exists()


@pytest.mark.parametrize("text", INVISIBLE_ONLY.values(), ids=INVISIBLE_ONLY.keys())
class TestNothingVisible:
    def test_a_name_is_blank(self, device_client, text):
        response = send(device_client, "POST", "/v1/products", {"name": text})
        assert_error(response, 400, "blank", "name")
        assert not Product.objects.exists()

    def test_a_label_is_blank(self, device_client, device, text):
        product = ProductFactory(device=device)
        body = {"label": text, "base_amount": 1, "base_unit": "pcs", "calories": 10}
        response = send(device_client, "POST", f"/v1/products/{product.pk}/portions", body)
        assert_error(response, 400, "blank", "label")

    def test_a_barcode_is_blank(self, device_client, text):
        response = send(device_client, "POST", "/v1/products", {"name": "Oats", "barcode": text})
        assert_error(response, 400, "blank", "barcode")

    def test_a_note_is_empty(self, device_client, device, text):
        portion = PortionFactory(product=ProductFactory(device=device))
        response = send(device_client, "POST", ENTRIES, {**food_entry_body(portion), "note": text})
        assert response.status_code == 201
        assert response.json()["note"] == ""
        assert FoodEntry.objects.get().note == ""

    def test_check_name_needs_a_visible_name(self, device_client, text):
        response = device_client.get("/v1/products/check-name", {"name": text})
        assert_error(response, 400, "blank", "name")


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("\u200bOats\u200b", "Oats"),
        ("\ufeffOats", "Oats"),
        ("Oats\u2060 ", "Oats"),
        (" \u00adOats\n", "Oats"),
        ("\u3164Oats\u3164", "Oats"),
    ],
)
def test_invisible_ends_are_trimmed(device_client, device, sent, stored):
    response = send(device_client, "POST", "/v1/products", {"name": sent})
    assert response.status_code == 201
    assert response.json()["name"] == stored
    assert Product.objects.get(device=device).name == stored


def test_a_name_padded_with_zero_width_spaces_is_the_same_name(device_client, device):
    ProductFactory(device=device, name="Oats")
    response = device_client.get("/v1/products/check-name", {"name": "\u200bOats\u200b"})
    assert response.json() == {"available": False}


def test_a_barcode_padded_with_invisibles_finds_the_product(device_client, device):
    first = send(
        device_client, "POST", "/v1/products", {"name": "Oats", "barcode": "4006381333931"}
    )
    again = send(
        device_client,
        "POST",
        "/v1/products",
        {"name": "Oats", "barcode": "\ufeff4006381333931\u200b"},
    )
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]


@pytest.mark.parametrize(
    "name",
    [
        "👨\u200d👩\u200d👧 family pack",  # joiners make one emoji
        "نان\u200cبربری",  # Persian: the non-joiner shapes the word
        "\u05d7\u05dc\u05d1 \u200fmilk",  # a right-to-left mark is a hint, not an override
        "Crème brûlée",
        "お茶",
    ],
)
def test_real_text_keeps_its_invisible_characters(device_client, name):
    response = send(device_client, "POST", "/v1/products", {"name": name})
    assert response.status_code == 201
    assert response.json()["name"] == name


def test_a_note_keeps_its_lines_and_tabs(device_client, device):
    portion = PortionFactory(product=ProductFactory(device=device))
    note = "after the run\n\twith oat milk\r\nno sugar"
    response = send(
        device_client, "POST", ENTRIES, {**food_entry_body(portion), "note": f"\u200b{note}\n"}
    )
    assert response.status_code == 201
    assert response.json()["note"] == note


@pytest.mark.parametrize(
    ("multiline", "required", "text", "accepted"),
    [
        (False, True, "Oats", True),
        (False, True, "\u200bOats\n", True),
        (False, True, "\u200b", False),
        (False, True, "Oa\nts", False),
        (False, True, "Oats\u202e", False),
        (True, False, "", True),
        (True, False, "a\nb", True),
        (True, False, "\u2066a", False),
    ],
)
def test_the_schema_pattern_says_what_is_accepted(multiline, required, text, accepted):
    pattern = visible_text_pattern(multiline=multiline, required=required)
    assert bool(re.match(pattern, text)) is accepted


def test_the_length_is_counted_as_sent(device_client):
    # Trimming must not make room for a padding of invisible characters.
    padded = send(device_client, "POST", "/v1/products", {"name": "Oats" + "\u200b" * 197})
    assert_error(padded, 400, "max_length", "name")
    fits = send(device_client, "POST", "/v1/products", {"name": "Oats" + "\u200b" * 196})
    assert fits.status_code == 201
    assert fits.json()["name"] == "Oats"
