"""The database goes away and comes back: the API says 503 fast, recovers alone, loses nothing.

gunicorn serves a fresh PostgreSQL database through a TCP relay the test can
switch off (a closed port: connections refused, open ones cut) and on again.
"""

import json
import socket
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tests.serving import Instance, fetch, free_port, gunicorn_instance

pytestmark = pytest.mark.postgres


class SwitchableRelay:
    """127.0.0.1:port → the real PostgreSQL, until ``cut()``; ``restore()`` listens again."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = free_port()
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Closes the port and every relayed connection, as a database host that went away."""
        assert self._listener is not None
        with suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._listener = None
        with self._lock:
            for sock in self._sockets:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._sockets.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
        with suppress(OSError):
            target.shutdown(socket.SHUT_WR)


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    """A fresh database on the suite's PostgreSQL, dropped at the end."""
    base = settings.DATABASES["default"]
    name = f"{base['NAME']}_outage"
    admin = psycopg.connect(
        host=base["HOST"],
        port=base["PORT"] or 5432,
        user=base["USER"],
        password=base["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@dataclass
class Served:
    """The instance under test, its relay to PostgreSQL and its log file."""

    app: Instance
    relay: SwitchableRelay
    log: Path

    def log_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines() if line[:1] == "{"]


@pytest.fixture(scope="module")
def outage(database_url, tmp_path_factory):
    base = settings.DATABASES["default"]
    relay = SwitchableRelay((base["HOST"], int(base["PORT"] or 5432)))
    credentials = base["USER"] + (f":{base['PASSWORD']}" if base["PASSWORD"] else "")
    url = f"postgres://{credentials}@127.0.0.1:{relay.port}/{database_url}"
    var = tmp_path_factory.mktemp("var")
    log = var / "gunicorn.log"
    with gunicorn_instance(var, prepare=False, log_path=log, DATABASE_URL=url) as app:
        app.manage("migrate", "--verbosity", "0")
        yield Served(app, relay, log)
    with suppress(AssertionError):
        relay.cut()


@dataclass
class Answer:
    status: int
    body: dict | list | None
    seconds: float
    headers: dict[str, str]

    def __iter__(self):  # status, body, seconds = call(...)
        return iter((self.status, self.body, self.seconds))

    def __getitem__(self, index: int):
        return (self.status, self.body, self.seconds)[index]


def call(url: str, method: str = "GET", body: dict | None = None, token: str | None = None):
    """Status, JSON body, seconds taken and headers."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            status, raw, answered = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        status, raw, answered = error.code, error.read(), dict(error.headers)
    elapsed = time.perf_counter() - started
    return Answer(status, json.loads(raw) if raw else None, elapsed, answered)


def wait_until_ready(base: str, seconds: float = 20) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if fetch(f"{base}/health/ready", timeout=5)[0] == 200:
            return time.perf_counter() - started
        time.sleep(0.2)
    raise AssertionError("the API did not come back")


def test_an_outage_is_503_fast_and_service_comes_back_alone(outage):
    app, relay = outage.app, outage.relay
    base = app.url
    status, registered, _ = call(
        f"{base}/v1/devices/register", "POST", {"device_id": str(uuid.uuid4())}
    )
    assert status == 201
    token = registered["device_token"]
    product_id = str(uuid.uuid4())
    status, _, _ = call(f"{base}/v1/products", "POST", {"id": product_id, "name": "Oats"}, token)
    assert status == 201  # committed before the outage

    relay.cut()
    status, body, seconds = call(f"{base}/v1/products", token=token)
    assert (status, body["type"], body["errors"][0]["code"]) == (
        503,
        "server_error",
        "service_unavailable",
    )
    assert seconds < 2.0
    assert call(f"{base}/health")[0] == 200
    status, body, seconds = call(f"{base}/health/ready")
    assert (status, body["errors"][0]["code"]) == (503, "service_unavailable")
    assert seconds < 2.0
    retried_id = str(uuid.uuid4())
    status, body, seconds = call(
        f"{base}/v1/products", "POST", {"id": retried_id, "name": "Rye"}, token
    )
    assert (status, body["errors"][0]["code"]) == (503, "service_unavailable")
    assert seconds < 2.0

    relay.restore()
    assert wait_until_ready(base) < 15
    status, listed, _ = call(f"{base}/v1/products", token=token)
    assert status == 200
    assert [row["id"] for row in listed] == [product_id]  # the committed write is there
    # The client retries the create that got a 503: one row, however often it retries.
    assert call(f"{base}/v1/products", "POST", {"id": retried_id, "name": "Rye"}, token)[0] == 201
    assert call(f"{base}/v1/products", "POST", {"id": retried_id, "name": "Rye"}, token)[0] == 200
    status, listed, _ = call(f"{base}/v1/products", token=token)
    assert sorted(row["id"] for row in listed) == sorted([product_id, retried_id])


# Longer than a minute: psycopg's pool backed off exponentially (1, 2, 4 ... 64 s) and
# retried 52 s after a 75 s outage ended; the app got 503 for 40-46 s more.
LONG_OUTAGE_SECONDS = 75
BACK_WITHIN_SECONDS = 5


def test_after_a_long_outage_service_is_back_within_seconds(outage):
    """Issue 20: recovery within 5 s of the database's return, whatever the outage's length.

    A load balancer polls the readiness probe through the outage (503 with
    Retry-After, each logged once with its request id) and the app retries
    now and then; then the database comes back.
    """
    app, relay = outage.app, outage.relay
    base = app.url
    token = call(f"{base}/v1/devices/register", "POST", {"device_id": str(uuid.uuid4())}).body[
        "device_token"
    ]
    assert call(f"{base}/v1/products", token=token).status == 200

    relay.cut()
    cut_at = time.monotonic()
    refused: list[Answer] = []
    while time.monotonic() - cut_at < LONG_OUTAGE_SECONDS:
        for answer in (call(f"{base}/health/ready"), call(f"{base}/v1/products", token=token)):
            assert (answer.status, answer.body["errors"][0]["code"]) == (503, "service_unavailable")
            assert answer.body["type"] == "server_error"
            assert int(answer.headers["Retry-After"]) >= 1
            refused.append(answer)
        time.sleep(5)

    relay.restore()
    back_after = wait_until_ready(base, seconds=60)
    assert back_after < BACK_WITHIN_SECONDS, f"ready {back_after:.1f} s after the database"
    answer = call(f"{base}/v1/products", token=token)
    assert answer.status == 200
    assert answer.body == []

    # One line per outage 503, tagged with its request id (besides the access line).
    lines = outage.log_lines()
    for answer in refused:
        request_id = answer.headers["X-Request-ID"]
        told = [
            line
            for line in lines
            if line.get("request_id") == request_id and line["logger"] != "countonme.access"
        ]
        assert len(told) == 1, (request_id, told)
        assert told[0]["level"] == "WARNING"
        assert "database" in told[0]["message"].lower()
