"""The OpenAPI document as served: formats, and names for every operation."""

import json
import re

import pytest


@pytest.mark.parametrize(
    ("query", "accept", "content_type"),
    [
        ("", None, "application/vnd.oai.openapi"),
        ("?format=json", None, "application/vnd.oai.openapi+json"),
        ("?format=yaml", None, "application/vnd.oai.openapi"),
        ("", "application/json", "application/json"),
    ],
)
def test_the_schema_in_the_format_asked_for(client, db, query, accept, content_type):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = client.get(f"/api/schema/{query}", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == content_type
    if "json" in content_type:
        assert json.loads(response.content)["info"]["title"] == "CountOnMe API"
    else:
        assert response.content.startswith(b"openapi: 3")


@pytest.mark.parametrize(
    ("method", "query", "accept", "status", "code"),
    [
        ("get", "?format=xml", None, 404, "not_found"),
        ("get", "", "application/xml", 406, "not_acceptable"),
        ("post", "", None, 405, "method_not_allowed"),
        ("post", "?format=yaml", None, 405, "method_not_allowed"),
    ],
)
def test_a_schema_error_is_json_in_the_error_shape(client, db, method, query, accept, status, code):
    """An unknown format, an Accept it cannot serve, a wrong method: JSON, never YAML."""
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = getattr(client, method)(f"/api/schema/{query}", **headers)
    assert response.status_code == status
    assert response["Content-Type"].split(";")[0] == "application/json"
    body = json.loads(response.content)
    assert body["type"] == "client_error"
    assert [(error["code"], error["attr"]) for error in body["errors"]] == [(code, None)]


def test_every_operation_has_a_summary(client, db):
    schema = client.get("/api/schema/?format=json").json()
    operations = {
        operation["operationId"]: operation.get("summary")
        for item in schema["paths"].values()
        for method, operation in item.items()
        if method != "parameters"
    }
    assert len(operations) >= 45
    assert [op for op, summary in operations.items() if not summary] == []
    assert operations["devices_me_erase"] == "Erase the device and its data"
    assert operations["products_list"] == "List products"
    assert operations["food_entries_create"] == "Create a food entry"


# Client generators name their methods after these: a renamed id breaks them.
# Many are drf-spectacular's defaults ({path}_{action}), so a moved URL would
# rename them silently; this list makes that a failing test instead.
OPERATION_IDS = {
    "GET /health": "health",
    "GET /health/ready": "health_ready",
    "POST /v1/auth/register": "auth_register",
    "GET /v1/body-weights": "body_weights_list",
    "POST /v1/body-weights": "body_weights_create",
    "GET /v1/body-weights/{id}": "body_weights_retrieve",
    "PATCH /v1/body-weights/{id}": "body_weights_partial_update",
    "DELETE /v1/body-weights/{id}": "body_weights_destroy",
    "GET /v1/catalog/products": "catalog_products_list",
    "GET /v1/catalog/products/{id}": "catalog_products_retrieve",
    "GET /v1/catalog/products/barcode/{barcode}": "catalog_products_by_barcode",
    "GET /v1/data/export": "data_export",
    "DELETE /v1/data/reset": "data_reset",
    "GET /v1/devices/me": "devices_me",
    "DELETE /v1/devices/me": "devices_me_erase",
    "POST /v1/devices/me/transfer-code": "devices_me_transfer_code",
    "POST /v1/devices/me/recovery-code": "devices_me_recovery_code",
    "POST /v1/devices/claim": "devices_claim",
    "POST /v1/devices/register": "devices_register",
    "GET /v1/food-entries": "food_entries_list",
    "POST /v1/food-entries": "food_entries_create",
    "GET /v1/food-entries/{id}": "food_entries_retrieve",
    "PATCH /v1/food-entries/{id}": "food_entries_update",
    "DELETE /v1/food-entries/{id}": "food_entries_delete",
    "POST /v1/food-entries/batch": "food_entries_batch",
    "GET /v1/goals/{id}": "goals_retrieve",
    "PATCH /v1/goals/{id}": "goals_partial_update",
    "DELETE /v1/goals/{id}": "goals_destroy",
    "POST /v1/goals/calculate": "goals_calculate",
    "POST /v1/goals/calculated": "goals_save_calculated",
    "GET /v1/goals/current": "goals_current",
    "POST /v1/goals/manual": "goals_save_manual",
    "GET /v1/portions/{id}": "portions_retrieve",
    "PATCH /v1/portions/{id}": "portions_update",
    "DELETE /v1/portions/{id}": "portions_delete",
    "GET /v1/products": "products_list",
    "POST /v1/products": "products_create",
    "GET /v1/products/{id}": "products_retrieve",
    "PUT /v1/products/{id}": "products_replace",
    "PATCH /v1/products/{id}": "products_update",
    "DELETE /v1/products/{id}": "products_delete",
    "GET /v1/products/{product_id}/portions": "product_portions_list",
    "POST /v1/products/{product_id}/portions": "product_portions_create",
    "GET /v1/products/check-name": "products_check_name",
    "GET /v1/products/search": "products_search",
    "POST /v1/quick-add/parse": "quick_add_parse",
    "GET /v1/stats/daily": "stats_daily",
    "GET /v1/stats/day/{day}": "stats_day",
    "GET /v1/stats/weight": "stats_weight",
    "GET /v1/sync/since": "sync_since",
}


def test_the_operation_ids_are_the_contracts(client, db):
    schema = client.get("/api/schema/?format=json").json()
    operation_ids = {
        f"{method.upper()} {path}": operation["operationId"]
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
    }
    assert operation_ids == OPERATION_IDS


def test_the_numbers_publish_their_ranges(client, db):
    """Responses say the ranges the physical limits keep them in (products.limits)."""
    components = client.get("/api/schema/?format=json").json()["components"]["schemas"]

    def bounds(component: str, field: str) -> tuple:
        schema = components[component]["properties"][field]
        return schema.get("minimum"), schema.get("maximum")

    assert bounds("Product", "kcal_100g") == (0, 900)
    assert bounds("SearchResult", "calories_per_100g") == (0, 900)
    assert bounds("SearchResult", "protein_per_100g") == (0, 100)
    for component in ("Portion", "CatalogPortion"):
        assert bounds(component, "base_amount") == (0.001, 1_000_000)
        assert bounds(component, "gram_weight") == (0.001, 1_000_000)
        assert bounds(component, "calories") == (0, 1_000_000)
        assert bounds(component, "fat") == (0, 1_000_000)
    assert bounds("FoodEntry", "calories") == (0, 100_000_000)
    assert bounds("MacroTotals", "calories") == (0, None)
    assert bounds("QuickAddItem", "quantity") == (0.001, 1_000_000)
    # The string of a decimal holds to its range: no "900.001" kcal per 100 g.
    pattern = components["Product"]["properties"]["kcal_100g"]["pattern"]
    assert re.search(pattern, "900.000")
    assert not re.search(pattern, "900.001")
    assert not re.search(pattern, "100000000000.000")
