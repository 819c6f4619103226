"""GET /health and /health/ready."""

import pytest
from django.db import connection
from django.db.utils import load_backend

from countonme.ops import health


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
