"""End to end, as `make run` serves it: gunicorn, static files, API docs without a CDN."""

import http.client
import json
import os
import re
import subprocess
import sys
import urllib.request

import pytest

from tests.serving import BASE_DIR, fetch, gunicorn_instance


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A fresh instance (SQLite in a temp dir) prepared and served by gunicorn."""
    with gunicorn_instance(tmp_path_factory.mktemp("var")) as instance:
        yield instance.url, instance.port


@pytest.fixture(scope="module")
def base_url(server):
    return server[0]


def test_health(base_url):
    assert fetch(f"{base_url}/health") == (200, b'{"ok":true}')


def test_no_server_software_name(base_url):
    with urllib.request.urlopen(f"{base_url}/health", timeout=10) as response:  # noqa: S310
        assert response.headers["Server"] == "countonme"


@pytest.mark.parametrize(("path", "exit_code"), [("/health/ready", 0), ("/health/missing", 1)])
def test_the_container_probe(server, path, exit_code):
    env = {
        "PATH": os.environ["PATH"],
        "PORT": str(server[1]),
        "ALLOWED_HOSTS": "localhost,x.example",
    }
    probe = subprocess.run(
        [sys.executable, "-m", "countonme.ops.healthcheck", path], cwd=BASE_DIR, env=env, timeout=30
    )
    assert probe.returncode == exit_code


def test_the_admin_login_page_is_styled(base_url):
    server = base_url
    status, page = fetch(f"{server}/admin/login/")
    assert status == 200
    stylesheets = re.findall(rb'href="(/static/[^"]+\.css)"', page)
    assert stylesheets
    for stylesheet in stylesheets:
        assert fetch(server + stylesheet.decode())[0] == 200


@pytest.mark.parametrize("page_path", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_load_everything_locally(base_url, page_path):
    server = base_url
    status, page = fetch(server + page_path)
    assert status == 200
    assert not re.findall(rb"(?:src|href)=\"(?:https?:)?//", page), "no external asset"
    assets = re.findall(rb'(?:src|href)="(/[^"]+)"', page)
    assert assets
    for asset in assets:
        assert fetch(server + asset.decode())[0] == 200
    assert fetch(f"{server}/api/schema/")[0] == 200


def test_a_chunked_body_is_411_not_read_as_empty(server):
    """Through gunicorn, which hands Django a chunked body with no Content-Length."""
    _, port = server
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    body = iter([b'{"device_id": ', b'"00000000-0000-4000-8000-000000000009"}'])
    connection.request(
        "POST",
        "/v1/devices/register",
        body=body,
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        encode_chunked=True,
    )
    response = connection.getresponse()
    payload = json.loads(response.read())
    connection.close()
    assert response.status == 411
    assert payload["errors"][0]["code"] == "length_required"
