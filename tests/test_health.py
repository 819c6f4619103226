"""GET /health and /health/ready."""

import logging

import pytest
from django.db import OperationalError, connection
from django.db.utils import load_backend
from rest_framework.response import Response
from rest_framework.test import APIClient

from countonme.ops import health
from countonme.ops.security_headers import CONTENT_SECURITY_POLICY
from devices import views as device_views
from tests.assertions import assert_error


def test_health_is_ok_without_touching_the_database(api_client, django_assert_num_queries, db):
    with django_assert_num_queries(0):
        response = api_client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_ready_when_the_database_answers(api_client):
    response = api_client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"ok": True}


def unreachable_database():
    """A real connection object to a database that cannot be reached."""
    settings_dict = {**connection.settings_dict, "OPTIONS": {}}
    if connection.vendor == "postgresql":
        settings_dict.update(PORT="1", OPTIONS={"connect_timeout": 1})
    else:
        settings_dict["NAME"] = "/nonexistent-directory/for-sure/db.sqlite3"
    backend = load_backend(settings_dict["ENGINE"])
    return backend.DatabaseWrapper(settings_dict, alias="unreachable")


@pytest.mark.django_db
def test_not_ready_is_503_in_the_error_shape(api_client, monkeypatch):
    monkeypatch.setattr(health, "connection", unreachable_database())
    response = api_client.get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {
        "type": "server_error",
        "errors": [
            {"code": "service_unavailable", "detail": "The database does not answer.", "attr": None}
        ],
    }


@pytest.mark.django_db
def test_not_ready_says_when_to_ask_again(api_client, monkeypatch):
    monkeypatch.setattr(health, "connection", unreachable_database())
    response = api_client.get("/health/ready")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


@pytest.mark.django_db
def test_each_outage_503_is_logged_once_with_its_request_id(api_client, monkeypatch, caplog):
    monkeypatch.setattr(health, "connection", unreachable_database())
    with caplog.at_level(logging.INFO):
        response = api_client.get("/health/ready", HTTP_X_REQUEST_ID="probe-1")
    assert response.status_code == 503
    # Not Django's own "Service Unavailable" line as well: that one has no request id.
    [line] = [record for record in caplog.records if record.name != "countonme.access"]
    assert (line.name, line.levelname) == ("countonme.database", "WARNING")
    assert line.getMessage().startswith("Database unavailable, answered 503 (OperationalError: ")
    # The log handler's filter tagged it with the request it belongs to.
    assert line.request_id == "probe-1"
    [access] = [r for r in caplog.records if r.name == "countonme.access"]
    assert (access.status, access.request_id) == (503, "probe-1")


@pytest.mark.django_db
def test_an_api_call_in_an_outage_is_logged_once_too(device_client, device, monkeypatch, caplog):
    def database_gone(*args, **kwargs):
        raise OperationalError("couldn't get a connection after 1.50 sec")

    monkeypatch.setattr(device_views.CurrentDeviceView, "get", database_gone)
    with caplog.at_level(logging.INFO):
        response = device_client.get("/v1/devices/me", HTTP_X_REQUEST_ID="call-1")
    assert (response.status_code, response["Retry-After"]) == (503, "5")
    [line] = [r for r in caplog.records if r.name != "countonme.access"]
    assert line.getMessage() == (
        "Database unavailable, answered 503 "
        "(OperationalError: couldn't get a connection after 1.50 sec)"
    )
    assert line.request_id == "call-1"


# --- The probe's own lane (countonme.ops.health.ProbeMiddleware) -------------------------

PROBE_MIDDLEWARE = "countonme.ops.health.ProbeMiddleware"


def without_request_id(response) -> dict[str, str]:
    return {name: value for name, value in response.items() if name != "X-Request-ID"}


@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
def test_the_probe_lane_answers_byte_for_byte_as_the_view(accept, settings, db):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    lane = APIClient().get("/health", **headers)
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != PROBE_MIDDLEWARE]
    view = APIClient().get("/health", **headers)

    assert lane.status_code == view.status_code == 200
    assert lane.content == view.content == b'{"ok":true}'
    assert without_request_id(lane) == without_request_id(view)
    assert lane["X-Request-ID"]
    assert lane["X-Request-ID"] != view["X-Request-ID"]


def test_a_plain_probe_skips_the_view_and_everything_else_reaches_it(api_client, monkeypatch):
    monkeypatch.setattr(health.HealthView, "get", lambda self, request: Response({"ok": False}))

    assert api_client.get("/health").json() == {"ok": True}
    assert api_client.get("/health", HTTP_ACCEPT="*/*").json() == {"ok": True}
    # Not plain: DRF's negotiation decides (here: the indent parameter of JSONRenderer).
    indented = api_client.get("/health", HTTP_ACCEPT="application/json; indent=2")
    assert indented.content == b'{\n  "ok": false\n}'
    assert api_client.head("/health").status_code == 200


def test_the_probe_keeps_the_security_headers_and_the_host_check(api_client):
    response = api_client.get("/health")
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/json"

    refused = api_client.get("/health", HTTP_HOST="attacker.example")
    assert_error(refused, 400, "bad_request")


def test_the_probe_is_logged_with_its_request_id(api_client, caplog):
    with caplog.at_level("INFO", logger="countonme.access"):
        response = api_client.get("/health", HTTP_X_REQUEST_ID="probe-1")
    assert response["X-Request-ID"] == "probe-1"
    (record,) = [r for r in caplog.records if r.name == "countonme.access"]
    assert (record.path, record.status) == ("/health", 200)


def test_a_host_outside_allowed_hosts_is_one_access_line_not_a_stack_trace(api_client, caplog):
    with caplog.at_level("INFO"):
        refused = api_client.get("/v1/devices/me", HTTP_HOST="attacker.example")
    assert_error(refused, 400, "bad_request")
    lines = [(r.name, r.levelname) for r in caplog.records]
    assert ("countonme.access", "INFO") in lines
    assert not [r for r in caplog.records if r.levelno >= 40 or r.exc_info], lines
