"""Headers that keep device data out of caches and the HTML pages to their own assets."""

import re

import pytest

from countonme.ops.security_headers import CONTENT_SECURITY_POLICY
from tests.factories import ProductFactory


def test_authenticated_responses_are_never_stored(device_client, device):
    product = ProductFactory(device=device)
    for url in ["/v1/devices/me", f"/v1/products/{product.id}", "/v1/data/export"]:
        response = device_client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url


def test_api_errors_and_registration_are_never_stored(api_client, db):
    assert api_client.get("/v1/products")["Cache-Control"] == "no-store"  # 401
    response = api_client.post(
        "/v1/devices/register",
        {"device_id": "3f1c2b9e-7d4a-4c1e-9b8f-2a6d5e4c3b21"},
        format="json",
    )
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"  # it carries a token


def test_a_rejected_oversized_body_carries_the_headers_too(device_client):
    response = device_client.generic(
        "POST", "/v1/products", "x", CONTENT_TYPE="application/json", CONTENT_LENGTH="2000000"
    )
    assert response.status_code == 413
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/", "/admin/login/"])
def test_html_pages_carry_the_csp_and_deny_framing(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_docs_pages_have_no_inline_script_and_no_third_party_url(client, db):
    for url in ["/api/docs/", "/api/redoc/"]:
        html = client.get(url).content.decode()
        assert "<script>" not in html, url  # every script has a src
        assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html), url


def test_the_redoc_bundle_loads_no_logo_from_the_cdn(client, db):
    response = client.get("/api/redoc/redoc.standalone.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    body = response.content
    assert b"cdn.redoc.ly" not in body
    assert len(body) > 500_000  # the real bundle, not a stub


def test_swagger_ui_init_script_is_a_file(client, db):
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in response.content
