"""End to end, as `make run` serves it: gunicorn, static files, API docs without a CDN."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local URL
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A fresh instance (SQLite in a temp dir) prepared and served by gunicorn."""
    var_dir = tmp_path_factory.mktemp("var")
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    port = free_port()
    env = {
        **keep,
        "COUNTONME_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'db.sqlite3'}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [sys.executable, "manage.py", "prepare", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    process = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "countonme.wsgi:application", "--config", "gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if fetch(f"{url}/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError(
                process.stderr.read().decode() if process.poll() is not None else "no start"
            )
        yield url, port
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def base_url(server):
    return server[0]


def test_health(base_url):
    assert fetch(f"{base_url}/health") == (200, b'{"ok":true}')


@pytest.mark.parametrize(("path", "exit_code"), [("/health/ready", 0), ("/health/missing", 1)])
def test_the_container_probe(server, path, exit_code):
    env = {
        "PATH": os.environ["PATH"],
        "PORT": str(server[1]),
        "ALLOWED_HOSTS": "localhost,x.example",
    }
    probe = subprocess.run(
        [sys.executable, "-m", "countonme.healthcheck", path], cwd=BASE_DIR, env=env, timeout=30
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
    assets = re.findall(rb'(?:src|href)="(/static/[^"]+)"', page)
    assert assets
    for asset in assets:
        assert fetch(server + asset.decode())[0] == 200
    assert fetch(f"{server}/api/schema/")[0] == 200
