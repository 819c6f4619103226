"""One JSON error shape for every status, on every path (docs/api.md §1 "Errors")."""

import json

import pytest
from django.test import Client
from django.urls import path

from countonme.base.errors import flatten_error_detail
from tests.assertions import assert_error


@pytest.mark.django_db
class TestShapes:
    def test_400_malformed_json(self, api_client):
        response = api_client.post(
            "/v1/devices/register", data="{not json", content_type="application/json"
        )
        assert_error(response, 400, "parse_error")

    def test_400_validation_names_the_field(self, api_client):
        response = api_client.post("/v1/devices/register", {"device_id": "x"}, format="json")
        assert_error(response, 400, "invalid", "device_id")

    def test_401(self, api_client):
        assert_error(api_client.get("/v1/devices/me"), 401, "not_authenticated")

    def test_403(self, device_client, device):
        device.revoked_at = device.created_at
        device.save()
        assert_error(device_client.get("/v1/devices/me"), 403, "device_revoked")

    @pytest.mark.parametrize("url", ["/v1/nothing-here", "/nothing", "/v1/devices/me/", "/health/"])
    def test_404_unknown_paths(self, api_client, url):
        assert_error(api_client.get(url), 404, "not_found")

    def test_405_wrong_method(self, api_client):
        response = api_client.put("/v1/devices/register", {}, format="json")
        assert_error(response, 405, "method_not_allowed")

    def test_405_on_health(self, api_client):
        assert_error(api_client.post("/health"), 405, "method_not_allowed")

    def test_406_unacceptable_accept_header(self, api_client):
        response = api_client.get("/health", HTTP_ACCEPT="text/html")
        assert_error(response, 406, "not_acceptable")

    def test_413_body_over_one_mebibyte(self, api_client):
        body = json.dumps({"device_id": "x" * (1024 * 1024)})
        response = api_client.post(
            "/v1/devices/register", data=body, content_type="application/json"
        )
        assert_error(response, 413, "payload_too_large")

    def test_415_not_json(self, api_client):
        response = api_client.post(
            "/v1/devices/register",
            data="device_id=1",
            content_type="application/x-www-form-urlencoded",
        )
        assert_error(response, 415, "unsupported_media_type")

    def test_429_has_retry_after(self, api_client, settings):
        settings.THROTTLE_REGISTER = "1/min"
        api_client.post("/v1/devices/register", {"device_id": "x"}, format="json")
        response = api_client.post("/v1/devices/register", {"device_id": "x"}, format="json")
        assert_error(response, 429, "throttled")
        assert int(response["Retry-After"]) >= 1


def _explode(request):
    raise RuntimeError("SELECT secret FROM somewhere -- internal detail")


# This module doubles as the URLconf of the 500 test.
urlpatterns = [path("explode", _explode)]
handler500 = "countonme.base.errors.server_error"


@pytest.mark.django_db
@pytest.mark.urls("tests.test_errors")
def test_500_is_json_without_internals():
    client = Client(raise_request_exception=False)
    response = client.get("/explode")
    body = assert_error(response, 500, "server_error")
    assert "SELECT" not in json.dumps(body)
    assert "Traceback" not in response.content.decode()


def test_nested_errors_flatten_with_dotted_attrs():
    from rest_framework.exceptions import ErrorDetail

    detail = {
        "portions": [{}, {"label": [ErrorDetail("This field is required.", code="required")]}],
        "non_field_errors": [ErrorDetail("Bad combination.", code="invalid")],
    }
    assert flatten_error_detail(detail) == [
        {"code": "required", "detail": "This field is required.", "attr": "portions.1.label"},
        {"code": "invalid", "detail": "Bad combination.", "attr": None},
    ]


@pytest.mark.parametrize(
    ("typed", "page"),
    [
        ("/admin", "/admin/"),
        ("/api/docs", "/api/docs/"),
        ("/api/redoc", "/api/redoc/"),
        ("/api/schema?format=json", "/api/schema/?format=json"),
        ("/api/docs/getting-started", "/api/docs/getting-started/"),
    ],
)
def test_a_page_typed_without_its_slash_redirects_to_it(client, typed, page):
    response = client.get(typed)
    assert (response.status_code, response["Location"]) == (302, page)
    assert client.get(page).status_code in (200, 302)  # the admin sends a stranger to its login


def test_the_api_still_answers_a_trailing_slash_with_404_not_a_redirect(device_client):
    assert_error(device_client.get("/v1/food-entries/"), 404, "not_found")


def test_an_error_outside_drf_is_written_as_drf_writes_one(device_client):
    # ?day= twice is refused by a middleware, an unknown id by a DRF view.
    outside = device_client.get("/v1/food-entries?day=2026-03-14&day=2026-03-15")
    inside = device_client.post("/v1/food-entries", {"day": "x"}, format="json")
    assert (outside.status_code, inside.status_code) == (400, 400)
    for response in (outside, inside):
        compact = json.dumps(response.json(), separators=(",", ":"), ensure_ascii=False)
        assert response.content == compact.encode()
    assert outside.content.startswith(b'{"type":"validation_error","errors":[{"code":"repeated"')
