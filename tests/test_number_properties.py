"""Property tests: no valid input on any write path yields a number outside the published ranges.

Hypothesis generates the inputs each write path accepts by its schema —
product creates with per-100 g values, portion creates and PATCHes (any unit,
weight and values in range), food entries and batches of catalog foods,
Open Food Facts rows for the import, quick-add texts — and every response
that follows is checked against the ranges the OpenAPI document publishes
(``minimum``/``maximum`` and the pattern of each field, read from
``/api/schema/`` itself) and against the physical limits. A write may be
refused (400, in the error shape); an accepted one may never produce a
figure outside them.

Deterministic in CI (``derandomize``); more examples:
``NUMBER_PROPERTY_EXAMPLES=500 make test PYTEST_ARGS=tests/test_number_properties.py``.
"""

import json
import os
import re
import uuid
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from countonme.base.throttle_counters import throttle_counters
from products import limits
from products.models import CatalogPortion
from products.units import UNITS, convert

EXAMPLES = int(os.environ.get("NUMBER_PROPERTY_EXAMPLES", "40"))
PROPERTIES = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

pytestmark = pytest.mark.django_db


# --- the published ranges ------------------------------------------------------------


@pytest.fixture(scope="module")
def published(django_db_blocker) -> dict:
    """The components of the API's own OpenAPI document."""
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/api/schema/?format=json").json()["components"]["schemas"]


def within_published_ranges(value: object, schema: dict, components: dict, path: str) -> None:
    """``value`` holds to ``schema``'s ranges and patterns, recursively; fails naming the path."""
    if value is None:
        nullable = schema.get("nullable") or all(
            _resolved(part, components).get("nullable") for part in schema.get("allOf", [{}])
        )
        assert nullable, f"{path}: null"
        return
    schema = _resolved(schema, components)
    for part in schema.get("allOf", []):
        within_published_ranges(value, part, components, path)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name, item in value.items():
            if name in properties:
                within_published_ranges(item, properties[name], components, f"{path}.{name}")
            elif isinstance(schema.get("additionalProperties"), dict):
                item_schema = schema["additionalProperties"]
                within_published_ranges(item, item_schema, components, f"{path}.{name}")
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            within_published_ranges(item, schema.get("items", {}), components, f"{path}.{index}")
        return
    if isinstance(value, str) and "pattern" in schema:
        assert re.search(schema["pattern"], value), f"{path}: {value!r} !~ {schema['pattern']}"
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        number = (
            Decimal(str(value))
            if schema.get("format") == "decimal" or not isinstance(value, str)
            else None
        )
        if number is not None:
            if "minimum" in schema:
                assert number >= Decimal(str(schema["minimum"])), f"{path}: {value} < minimum"
            if "maximum" in schema:
                assert number <= Decimal(str(schema["maximum"])), f"{path}: {value} > maximum"


def _resolved(schema: dict, components: dict) -> dict:
    if "$ref" in schema:
        return components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def check(response, component: str, components: dict, *, many: bool = False) -> None:
    event(f"checked {component}")
    body = response.json()
    for index, row in enumerate(body if many else [body]):
        within_published_ranges(
            row, {"$ref": f"#/{component}"}, components, f"{component}[{index}]"
        )


def refused_in_the_error_shape(response) -> None:
    event("refused")  # --hypothesis-show-statistics tells how many were accepted
    assert response.status_code == 400, response.content
    assert response.json()["type"] == "validation_error"


# --- strategies: what each schema accepts ---------------------------------------------


def decimals(low: Decimal | int, high: Decimal | int) -> st.SearchStrategy[str]:
    """3-place decimals in [low, high], as the app sends them (strings)."""
    return st.decimals(min_value=Decimal(low), max_value=Decimal(high), places=3).map(str)


def optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


# Values either anywhere in range or near the limits, where rounding bites.
TOP = limits.PORTION_VALUE_MAX
small_or_any = st.one_of(decimals(0, 10), decimals(0, TOP))
portion_bodies = st.fixed_dictionaries(
    {
        "label": st.just("p"),
        "base_amount": st.one_of(decimals("0.001", 5), decimals("0.001", TOP)),
        "base_unit": st.sampled_from(UNITS),
        "gram_weight": optional(st.one_of(decimals("0.001", 500), decimals("0.001", TOP))),
        "calories": small_or_any,
        "protein": optional(small_or_any),
        "carbs": optional(small_or_any),
        "fat": optional(small_or_any),
    }
)


# How close to a limit a generated value is: well within, at it, just past, far past.
NEAR = st.sampled_from(["0.5", "0.999", "1", "1.001", "1.5", "10"]).map(Decimal)


@st.composite
def plausible_portions(draw, *, near_limits: bool = False) -> dict:
    """Portions within the limits by construction; ``near_limits``: at and past them too."""
    unit = draw(st.sampled_from(UNITS))
    amount = Decimal(draw(decimals(1, 500)))
    body = {"label": "p", "base_amount": str(amount), "base_unit": unit, "gram_weight": None}
    if unit in ("mg", "g", "kg"):
        grams = limits.mass_gram_weight(amount, unit)
    elif unit in ("pcs", "serving"):
        grams = Decimal(draw(decimals(1, 1000)))
    else:  # a volume at a density food has
        density = Decimal(draw(decimals("0.01", 3)))
        grams = max(round(convert(amount, unit, "ml") * density, 3), Decimal("0.001"))
    if grams != limits.mass_gram_weight(amount, unit):
        body["gram_weight"] = str(grams)
    scale = draw(NEAR) if near_limits else Decimal(1)
    fat = grams * Decimal(draw(st.integers(0, 100))) / 100
    carbs = (grams - fat) * Decimal(draw(st.integers(0, 100))) / 100
    energy = grams * 9 if near_limits else fat * 9 + carbs * 4
    body.update(
        fat=str(round(fat * scale, 3)),
        carbs=str(round(carbs * scale, 3)),
        protein="0",
        calories=str(round(min(energy * scale, limits.PORTION_VALUE_MAX), 3)),
    )
    return body


def product(device_client) -> dict:
    response = device_client.post("/v1/products", {"name": f"P {uuid.uuid4()}"}, format="json")
    assert response.status_code == 201
    return response.json()


def reads_of_a_product(device_client, product_id: str, components: dict) -> None:
    """Every read showing a product's numbers, within the published ranges."""
    check(device_client.get(f"/v1/products/{product_id}"), "Product", components)
    check(device_client.get("/v1/products"), "Product", components, many=True)
    check(device_client.get("/v1/products?ordering=-updated_at"), "Product", components, many=True)
    check(
        device_client.get(f"/v1/products/{product_id}/portions"), "Portion", components, many=True
    )
    name = device_client.get(f"/v1/products/{product_id}").json()["name"]
    check(
        device_client.get("/v1/products/search", {"q": name}), "SearchResult", components, many=True
    )


# --- the properties ------------------------------------------------------------------------


@PROPERTIES
@given(
    per_100g=st.fixed_dictionaries(
        {"kcal_100g": decimals(0, 900)},
        optional={
            "protein_100g": decimals(0, 100),
            "carbs_100g": decimals(0, 100),
            "fat_100g": decimals(0, 100),
        },
    )
)
def test_product_creates_with_per_100g_values(device_client, published, per_100g):
    response = device_client.post(
        "/v1/products", {"name": f"P {uuid.uuid4()}", **per_100g}, format="json"
    )
    if response.status_code != 201:
        refused_in_the_error_shape(response)
        return
    check(response, "Product", published)
    reads_of_a_product(device_client, response.json()["id"], published)


@PROPERTIES
@given(body=st.one_of(portion_bodies, plausible_portions(near_limits=True)))
def test_portion_creates(device_client, published, body):
    food = product(device_client)
    response = device_client.post(f"/v1/products/{food['id']}/portions", body, format="json")
    if response.status_code != 201:
        refused_in_the_error_shape(response)
        return
    check(response, "Portion", published)
    reads_of_a_product(device_client, food["id"], published)


@PROPERTIES
@given(
    first=plausible_portions(near_limits=True),
    change=st.dictionaries(
        st.sampled_from(["base_amount", "base_unit", "gram_weight", "calories", "fat"]),
        st.one_of(decimals("0.001", 2000), st.sampled_from(UNITS), st.none()),
        max_size=3,
    ),
)
def test_portion_patches(device_client, published, first, change):
    food = product(device_client)
    created = device_client.post(f"/v1/products/{food['id']}/portions", first, format="json")
    if created.status_code != 201:
        return
    response = device_client.patch(f"/v1/portions/{created.json()['id']}", change, format="json")
    if response.status_code != 200:
        refused_in_the_error_shape(response)
        return
    check(response, "Portion", published)
    reads_of_a_product(device_client, food["id"], published)


@PROPERTIES
@given(
    body=st.one_of(plausible_portions(), plausible_portions(near_limits=True)),
    amount=st.one_of(decimals("0.001", 1000), decimals("0.001", TOP)),
    unit=st.sampled_from(UNITS),
)
def test_food_entries_and_the_stats_they_make(device_client, published, body, amount, unit):
    food = product(device_client)
    portion = device_client.post(f"/v1/products/{food['id']}/portions", body, format="json")
    if portion.status_code != 201:
        return
    response = device_client.post(
        "/v1/food-entries",
        {
            "product_id": food["id"],
            "portion_id": portion.json()["id"],
            "day": "2026-03-14",
            "meal_type": "lunch",
            "amount": amount,
            "unit": unit,
        },
        format="json",
    )
    if response.status_code != 201:
        refused_in_the_error_shape(response)
        return
    check(response, "FoodEntry", published)
    entry = response.json()
    grams = Decimal(amount) * {"mg": Decimal("0.001"), "g": 1, "kg": 1000}.get(unit, 0)
    if grams:  # a mass eaten: at most pure fat
        assert Decimal(entry["calories"]) <= limits.KCAL_PER_GRAM_MAX * grams + Decimal("0.001")
    check(device_client.get("/v1/food-entries?day=2026-03-14"), "FoodEntry", published, many=True)
    check(device_client.get("/v1/stats/day/2026-03-14"), "DayStats", published)
    check(
        device_client.get("/v1/stats/daily?from=2026-03-14&to=2026-03-15"), "DailyStats", published
    )


@st.composite
def consistent_nutriments(draw) -> dict:
    """What a label states: macros within 100 g and the energy they give, kJ agreeing."""
    fat = Decimal(draw(st.integers(0, 100)))
    carbs = Decimal(draw(st.integers(0, 100 - int(fat))))
    protein = Decimal(draw(st.integers(0, 100 - int(fat + carbs))))
    kcal = 9 * fat + 4 * (carbs + protein)
    return {
        "energy-kcal_100g": str(kcal),
        "energy-kj_100g": str(round(kcal * Decimal("4.184"))),
        "proteins_100g": str(protein),
        "carbohydrates_100g": str(carbs),
        "fat_100g": str(fat),
    }


off_rows = st.fixed_dictionaries(
    {
        "serving_size": st.one_of(
            st.sampled_from(["1,000 ml", "1.000 ml", "2,000 g", "1 cup", "½ cup (120 ml)"]),
            st.builds(
                "{} {}".format,
                st.sampled_from(["1", "1,000", "0,5", "250", "1.5", "12,500"]),
                st.sampled_from(["ml", "l", "g", "kg", "cup", "tbsp", "slice", "can"]),
            ),
        ),
        "serving_quantity": decimals("0.001", 5000),
        "nutriments": st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    "energy-kcal_100g": decimals(0, 1000),
                    "energy-kj_100g": decimals(0, 4000),
                    "proteins_100g": decimals(0, 110),
                    "carbohydrates_100g": decimals(0, 110),
                    "fat_100g": decimals(0, 110),
                },
            ),
            consistent_nutriments(),
        ),
    }
)


@PROPERTIES
@given(row=off_rows, amount=decimals("0.001", 2000), unit=st.sampled_from(UNITS))
def test_catalog_imports_and_the_entries_logged_from_them(
    device_client, published, tmp_path_factory, row, amount, unit
):
    code = str(uuid.uuid4().int)[:13]
    dump = tmp_path_factory.mktemp("off") / "openfoodfacts-products.jsonl"
    dump.write_text(json.dumps({"code": code, "product_name": f"Food {code}", **row}))
    call_command("import_catalog", "--source", "off", str(dump), stdout=StringIO())

    for portion in CatalogPortion.objects.filter(product__source_id=code):
        assert limits.portion_breach(limits.PortionValues.of(portion)) is None
        if portion.base_unit in ("mg", "g", "kg"):
            assert portion.gram_weight is not None
        food = device_client.get(f"/v1/catalog/products/{portion.product_id}")
        check(food, "CatalogProductDetail", published)
        logged = device_client.post(
            "/v1/food-entries/batch",
            {
                "entries": [
                    {
                        "catalog_product_id": str(portion.product_id),
                        "catalog_portion_id": str(portion.id),
                        "day": "2026-03-14",
                        "meal_type": "lunch",
                        "amount": amount,
                        "unit": unit,
                    }
                ]
            },
            format="json",
        )
        if logged.status_code != 201:
            refused_in_the_error_shape(logged)
            continue
        check(logged, "FoodEntry", published, many=True)
        reads_of_a_product(device_client, logged.json()[0]["product_id"], published)


@PROPERTIES
@given(
    body=plausible_portions(),
    quantity=st.one_of(
        st.integers(1, 5000).map(str),
        st.sampled_from(["1,000", "2,500", "0,5", "1 1/2", "½", "12,500"]),
    ),
    unit=st.sampled_from(["g", "kg", "ml", "cup", "slices", ""]),
)
def test_quick_add_proposals(device_client, published, body, quantity, unit):
    throttle_counters().clear()  # 30 parses a minute per device: each example starts afresh
    name = f"zq{uuid.uuid4().hex[:10]}"
    food = device_client.post("/v1/products", {"name": name}, format="json").json()
    device_client.post(f"/v1/products/{food['id']}/portions", body, format="json")
    response = device_client.post(
        "/v1/quick-add/parse", {"text": f"{quantity} {unit} {name}"}, format="json"
    )
    assert response.status_code == 200
    check(response, "QuickAddProposal", published)
