"""Bodies the server cannot read: 400 ``parse_error`` or 411, never a 500 or an empty body."""

import json
import logging

import pytest
from django.test import Client

from countonme.base.parsers import MAX_JSON_DEPTH
from devices.models import Device
from products.models import Product
from tests.assertions import assert_error

DEEP_ARRAYS = "[" * 1000 + "]" * 1000  # 2 KB
DEEP_OBJECTS = '{"a":' * 1000 + "1" + "}" * 1000


def post_raw(client, path: str, body: str | bytes, **extra):
    return client.generic("POST", path, body, content_type="application/json", **extra)


def no_error_logged(caplog) -> bool:
    return not [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.django_db
class TestDeepNesting:
    @pytest.mark.parametrize(
        "body", [DEEP_ARRAYS, DEEP_OBJECTS, '{"device_id":' + DEEP_ARRAYS + "}"]
    )
    def test_registration_without_a_token_is_400_parse_error(self, api_client, body, caplog):
        response = post_raw(api_client, "/v1/devices/register", body)

        body = assert_error(response, 400, "parse_error")
        assert "nested more than" in body["errors"][0]["detail"]
        assert Device.objects.count() == 0
        assert no_error_logged(caplog)

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("POST", "/v1/products"),
            ("POST", "/v1/food-entries"),
            ("POST", "/v1/body-weights"),
            ("POST", "/v1/goals/manual"),
        ],
    )
    def test_every_route_that_reads_a_body(self, device_client, method, path, caplog):
        response = device_client.generic(method, path, DEEP_ARRAYS, content_type="application/json")
        assert_error(response, 400, "parse_error")
        assert no_error_logged(caplog)

    def test_patch_leaves_the_row_untouched(self, device_client, device):
        product = Product.objects.create(device=device, name="Oats")
        response = device_client.generic(
            "PATCH", f"/v1/products/{product.pk}", DEEP_OBJECTS, content_type="application/json"
        )
        assert_error(response, 400, "parse_error")
        product.refresh_from_db()
        assert product.name == "Oats"

    def test_nesting_up_to_the_limit_is_parsed_and_validated_as_usual(self, api_client):
        lists = MAX_JSON_DEPTH - 1  # the object itself is the first level
        body = '{"device_id": ' + "[" * lists + "]" * lists + "}"
        assert_error(
            post_raw(api_client, "/v1/devices/register", body), 400, "invalid", "device_id"
        )

    def test_one_level_more_is_refused(self, api_client):
        lists = MAX_JSON_DEPTH
        body = '{"device_id": ' + "[" * lists + "]" * lists + "}"
        assert_error(post_raw(api_client, "/v1/devices/register", body), 400, "parse_error")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        b'{"device_id": "\xff\xfe"}',  # not UTF-8
        '{"device_id": NaN}',
        '{"device_id": ' + "9" * 5000 + "}",  # beyond Python's int string limit
        '{"device_id": "x"',
    ],
)
def test_other_unreadable_bodies_are_400_parse_error(api_client, body, caplog):
    assert_error(post_raw(api_client, "/v1/devices/register", body), 400, "parse_error")
    assert Device.objects.count() == 0
    assert no_error_logged(caplog)


@pytest.mark.django_db
class TestChunkedBodies:
    def test_a_chunked_create_is_411_and_creates_nothing(self, device_client):
        response = device_client.generic(
            "POST",
            "/v1/products",
            json.dumps({"name": "Oats"}),
            content_type="application/json",
            HTTP_TRANSFER_ENCODING="chunked",
        )
        body = assert_error(response, 411, "length_required")
        assert "Content-Length" in body["errors"][0]["detail"]
        assert Product.all_objects.count() == 0

    def test_registration_too(self):
        response = post_raw(Client(), "/v1/devices/register", "", HTTP_TRANSFER_ENCODING="chunked")
        assert_error(response, 411, "length_required")
        assert Device.objects.count() == 0

    def test_a_body_with_a_content_length_is_read(self, device_client):
        response = device_client.post("/v1/products", {"name": "Oats"}, format="json")
        assert response.status_code == 201
        assert response.json()["name"] == "Oats"
