"""The OpenAPI document as served: formats, and names for every operation."""

import json

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


def test_an_unknown_schema_format_is_a_404(client, db):
    response = client.get("/api/schema/?format=xml")
    assert response.status_code == 404
    assert b"code: not_found" in response.content  # the error shape, in the view's YAML


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
