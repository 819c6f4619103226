"""Strict input: exactly YYYY-MM-DD, plain ASCII numbers, strings as strings, no blank queries."""

import uuid

import pytest

from entries.models import BodyWeight
from products.models import Portion, Product
from tests.assertions import assert_error
from tests.factories import BodyWeightFactory, FoodEntryFactory, ProductFactory

pytestmark = pytest.mark.django_db

NOT_A_DAY = [
    "2026-1-1",
    "20260101",
    "2026-02-30",
    "２０２６-０１-０１",  # full-width digits
    "٢٠٢٦-٠١-٠١",  # Arabic-Indic digits
    " 2026-01-01",
    "2026-01-01T00:00:00",
    20260101,
]
NOT_A_DECIMAL = ["", "-", ".", "1_000", "١٢", "１２", "1e3", " 12", "+5", "12.", ".5", "NaN", True]


@pytest.mark.parametrize("day", NOT_A_DAY)
def test_a_body_day_is_exactly_yyyy_mm_dd(device_client, day):
    response = device_client.post("/v1/body-weights", {"day": day, "weight_kg": 80}, format="json")
    assert_error(response, 400, "invalid", "day")
    assert not BodyWeight.objects.exists()


@pytest.mark.parametrize("day", [d for d in NOT_A_DAY if isinstance(d, str) and d.strip()])
def test_a_query_day_is_exactly_yyyy_mm_dd(device_client, device, day):
    FoodEntryFactory(device=device)
    for url in ["/v1/food-entries", "/v1/body-weights"]:
        assert_error(device_client.get(url, {"from": day}), 400, "invalid", "from")
    response = device_client.get("/v1/stats/daily", {"from": day, "to": "2026-01-02"})
    assert_error(response, 400, "invalid", "from")


@pytest.mark.parametrize("value", NOT_A_DECIMAL)
def test_a_decimal_is_a_json_number_or_a_plain_ascii_string(device_client, value):
    response = device_client.post(
        "/v1/body-weights", {"day": "2026-01-01", "weight_kg": value}, format="json"
    )
    assert_error(response, 400, "invalid", "weight_kg")


@pytest.mark.parametrize(
    ("value", "stored"), [(80, "80.000"), ("80.25", "80.250"), (80.5, "80.500")]
)
def test_plain_numbers_and_decimal_strings_are_taken(device_client, value, stored):
    response = device_client.post(
        "/v1/body-weights", {"day": "2026-01-01", "weight_kg": value}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["weight_kg"] == stored


@pytest.mark.parametrize(("field", "value"), [("name", 0), ("barcode", 0), ("name", ["x"])])
def test_strings_never_come_from_json_numbers(device_client, field, value):
    body = {"name": "Oats", field: value}
    assert_error(device_client.post("/v1/products", body, format="json"), 400, "invalid", field)
    assert not Product.objects.exists()


@pytest.mark.parametrize("value", ["true", 1, "yes"])
def test_booleans_are_json_booleans(device_client, device, value):
    product = ProductFactory(device=device)
    body = {"label": "slice", "base_amount": 1, "base_unit": "pcs", "calories": 80}
    response = device_client.post(
        f"/v1/products/{product.id}/portions", {**body, "is_default": value}, format="json"
    )
    assert_error(response, 400, "invalid", "is_default")


@pytest.mark.parametrize("value", ["١٠", "１０", "1_0", " 10", "+10", "10.0"])
def test_query_numbers_are_ascii_digits(device_client, value):
    assert_error(device_client.get("/v1/products", {"limit": value}), 400, "invalid", "limit")


@pytest.mark.parametrize("value", ["12", True])
def test_body_whole_numbers_are_json_integers(device_client, value):
    body = {
        "daily_calories_kcal": value,
        "protein_percent": 30,
        "carbs_percent": 40,
        "fat_percent": 30,
        "water_ml": 2000,
    }
    response = device_client.post("/v1/goals/manual", body, format="json")
    assert_error(response, 400, "invalid", "daily_calories_kcal")


@pytest.mark.parametrize(
    ("url", "query", "attr"),
    [
        ("/v1/food-entries", "day=", "day"),
        ("/v1/food-entries", "day=2026-01-01&meal_type=", "meal_type"),
        ("/v1/products", "search=", "search"),
        ("/v1/products", "offset=", "offset"),
        ("/v1/products/check-name", "name=", "name"),
        ("/v1/products", "=x", None),
    ],
)
def test_an_empty_query_value_is_a_400(device_client, url, query, attr):
    assert_error(device_client.get(f"{url}?{query}"), 400, "blank", attr)


def test_an_id_is_a_canonical_uuid_string(device_client):
    bare_hex = uuid.uuid4().hex
    response = device_client.post("/v1/products", {"id": bare_hex, "name": "Oats"}, format="json")
    assert_error(response, 400, "invalid", "id")


def test_a_replayed_create_is_validated_like_a_first_one(device_client, device):
    stored = BodyWeightFactory(device=device)
    replay = {"id": str(stored.id), "day": "2026-1-1", "weight_kg": ""}
    response = device_client.post("/v1/body-weights", replay, format="json")
    assert response.status_code == 400
    assert {error["attr"] for error in response.json()["errors"]} == {"day", "weight_kg"}

    valid = {"id": str(stored.id), "day": stored.day.isoformat(), "weight_kg": 70}
    response = device_client.post("/v1/body-weights", valid, format="json")
    assert response.status_code == 200  # the stored row, unchanged
    assert response.json()["weight_kg"] == f"{stored.weight_kg:.3f}"
    assert BodyWeight.objects.get(pk=stored.id).weight_kg == stored.weight_kg


def test_the_apps_empty_sync_and_weight_parameters_mean_not_given(device_client, device):
    weight = BodyWeightFactory(device=device)
    response = device_client.get("/v1/sync/since?cursor=&limit=")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["body_weights"]] == [str(weight.id)]
    response = device_client.get("/v1/body-weights?from=&to=")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [str(weight.id)]


@pytest.mark.parametrize(
    ("url", "query", "attr"),
    [
        # Was a full sync: the blank cursor dropped every cursor value.
        ("/v1/sync/since", "cursor=&cursor=djJ8MTB8", "cursor"),
        ("/v1/sync/since", "limit=5&limit=10", "limit"),
        # Were the last value, silently.
        ("/v1/food-entries", "day=2026-01-01&day=2026-01-02", "day"),
        ("/v1/body-weights", "from=2026-01-01&to=2026-01-31&from=2025-01-01", "from"),
        ("/v1/products", "limit=1&offset=0&limit=2", "limit"),
        ("/v1/products/search", "q=oat&q=rye", "q"),
        ("/v1/stats/daily", "from=2026-01-01&to=2026-01-07&to=2026-01-08", "to"),
    ],
)
def test_a_repeated_query_parameter_is_a_400_naming_it(device_client, url, query, attr):
    response = assert_error(device_client.get(f"{url}?{query}"), 400, "repeated", attr)
    assert response["errors"][0]["detail"] == "Give this query parameter once."


def test_a_repeated_parameter_outside_the_api_is_left_alone(admin_client):
    response = admin_client.get("/admin/devices/device/?revoked=yes&revoked=no")
    assert response.status_code == 200


@pytest.mark.parametrize("zero", [-0.0, "-0", "-0.0", "-0.000"])
def test_negative_zero_is_stored_and_echoed_as_zero(device_client, device, zero):
    product = ProductFactory(device=device)
    body = {"label": "water", "base_amount": 1, "base_unit": "cup", "calories": zero, "fat": zero}
    created = device_client.post(f"/v1/products/{product.id}/portions", body, format="json")
    assert created.status_code == 201, created.content
    assert (created.json()["calories"], created.json()["fat"]) == ("0.000", "0.000")
    portion_id = created.json()["id"]
    patched = device_client.patch(f"/v1/portions/{portion_id}", {"protein": zero}, format="json")
    assert patched.json()["protein"] == "0.000"
    read = device_client.get(f"/v1/portions/{portion_id}").json()
    assert (read["calories"], read["fat"], read["protein"]) == ("0.000", "0.000", "0.000")
    stored = Portion.objects.values_list("calories", "fat", "protein").get(pk=portion_id)
    assert [str(value) for value in stored] == ["0.000", "0.000", "0.000"]


def test_negative_zero_per_100g_makes_a_zero_default_portion(device_client):
    body = {"name": "Water", "kcal_100g": -0.0, "protein_100g": "-0"}
    created = device_client.post("/v1/products", body, format="json")
    assert created.status_code == 201
    assert created.json()["kcal_100g"] == "0.000"
