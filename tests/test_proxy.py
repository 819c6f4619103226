"""The repository's nginx configuration in front of gunicorn, without Docker.

Debian's nginx (``/usr/sbin/nginx``, installed by ``.ci/run``) runs
``deploy/nginx/templates/countonme.conf.template`` rendered as the official
image would, in front of a fresh gunicorn instance. The point of the proxy:
50 clients that send half a request and stall must not starve ``/health``.
"""

import http.cookiejar
import json
import re
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from deploy.proxy_config import nginx_command, write_nginx_config
from tests.serving import fetch, free_port, gunicorn_instance, wait_for

STALLED_CLIENTS = 50


@contextmanager
def nginx_in_front_of(upstream: str, work_dir: Path) -> Iterator[str]:
    """Serves the repository's server block on a free port; yields its base URL.

    The configuration is the one `make cluster` writes (deploy/cluster.py): the
    compose template's server block behind an upstream of ``upstream``.
    """
    port = free_port()
    config = write_nginx_config(work_dir, listen=f"127.0.0.1:{port}", upstreams=[upstream])
    process = subprocess.Popen(nginx_command(config), stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            if process.poll() is not None:
                raise AssertionError(process.stderr.read().decode())
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with gunicorn_instance(tmp_path_factory.mktemp("var"), TRUSTED_PROXY_COUNT="1") as instance:
        yield instance


@pytest.fixture(scope="module")
def proxy(app, tmp_path_factory) -> Iterator[str]:
    with nginx_in_front_of(f"127.0.0.1:{app.port}", tmp_path_factory.mktemp("nginx")) as url:
        wait_for(f"{url}/health")
        yield url


def stall(port: int, count: int) -> ExitStack:
    """Opens ``count`` connections that each send half a request and then nothing."""
    stack = ExitStack()
    for _ in range(count):
        sock = stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=5))
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    return stack


def test_health_answers_through_the_proxy_while_50_clients_stall(proxy):
    with stall(int(proxy.rsplit(":", 1)[1]), STALLED_CLIENTS):
        time.sleep(0.2)  # let nginx accept them all
        started = time.perf_counter()
        assert fetch(f"{proxy}/health", timeout=5) == (200, b'{"ok":true}')
        assert time.perf_counter() - started < 1.0


def test_without_the_proxy_stalled_clients_starve_gunicorn(app):
    """Why the proxy is there: the same attack on gunicorn directly (1 worker, 2 threads)."""
    with stall(app.port, STALLED_CLIENTS):
        time.sleep(0.2)
        with pytest.raises(TimeoutError):  # no thread is free
            fetch(f"{app.url}/health", timeout=1)


def test_proxied_responses_name_no_server_software(proxy):
    with urllib.request.urlopen(f"{proxy}/health", timeout=5) as response:  # noqa: S310
        assert response.headers["Server"] == "countonme"
        assert response.headers["X-Request-ID"]


def error_of(status_and_body: tuple[int, bytes]) -> tuple[int, str, str]:
    status, body = status_and_body
    payload = json.loads(body)
    return status, payload["type"], payload["errors"][0]["code"]


def test_an_oversized_body_is_413_in_the_error_shape(proxy):
    request = urllib.request.Request(  # noqa: S310
        f"{proxy}/v1/products",
        data=b"x" * (1024 * 1024 + 1),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310
    assert refused.value.headers["Content-Type"] == "application/json"
    assert error_of((refused.value.code, refused.value.read())) == (
        413,
        "client_error",
        "payload_too_large",
    )


def test_an_overlong_url_is_414_in_the_error_shape(proxy):
    assert error_of(fetch(f"{proxy}/v1/products?q={'a' * 5000}")) == (
        414,
        "client_error",
        "uri_too_long",
    )


def test_no_app_behind_is_502_in_the_error_shape(tmp_path):
    with nginx_in_front_of(f"127.0.0.1:{free_port()}", tmp_path) as url:
        assert error_of(fetch(f"{url}/health")) == (502, "server_error", "bad_gateway")


def test_the_api_answers_through_the_proxy(proxy):
    status, body = fetch(f"{proxy}/v1/devices/me")
    assert (status, error_of((status, body))[2]) == (401, "not_authenticated")


def test_the_admin_sign_in_form_passes_the_origin_check_on_any_port(proxy):
    """The Host reaches Django with its port, so a browser's Origin matches it (was 403 CSRF)."""
    cookies = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    with browser.open(f"{proxy}/admin/login/", timeout=10) as page:
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.read()).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.decode(), "username": "nobody", "password": "wrong"}
    ).encode()
    request = urllib.request.Request(  # noqa: S310
        f"{proxy}/admin/login/", data=form, headers={"Origin": proxy, "Referer": f"{proxy}/"}
    )
    with browser.open(request, timeout=10) as answer:
        # The form itself answers (wrong password), not the CSRF refusal.
        assert answer.status == 200
        assert b"Please enter the correct username and password" in answer.read()
