"""Cold workers: the app readied before the first request (countonme.ops.warm, gunicorn.conf.py).

What it costs in time is measured by ``make bench`` (the ``cold`` scenario); these
check what is done and where, and that it never stops a worker from starting.
"""

import json
import os
import runpy
import socket
import subprocess
import sys
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from gunicorn import glogging
from gunicorn.config import Config
from gunicorn.workers.sync import SyncWorker

from countonme.ops import warm
from devices.models import Device
from entries.models import FoodEntry
from tests.serving import BASE_DIR, fetch, gunicorn_instance

# What only the first request imported before: the URLconf and the views of every app.
VIEW_MODULES = [
    "countonme.urls",
    "countonme.sync.views",
    "devices.views",
    "devices.goals.views",
    "entries.views",
    "entries.body_weights.views",
    "products.views",
]

IMPORT_WSGI = """
import json, sys
from django.db import connections
import countonme.wsgi
from countonme.ops.warm import hot_reads
database = connections["default"]
print(json.dumps({
    "modules": {name: name in sys.modules for name in sys.argv[1:]},
    "compiled": all(frozenset(values) in query._shapes for query, values in hot_reads()),
    "connected": database.connection is not None,
    "pools": len(getattr(type(database), "_connection_pools", {})),
}))
"""


def test_importing_the_wsgi_module_imports_every_view_and_connects_nothing():
    # What gunicorn's master does with preload_app before it forks the workers.
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_WSGI, *VIEW_MODULES],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "countonme.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    state = json.loads(done.stdout.strip().splitlines()[-1])
    assert state["modules"] == dict.fromkeys(VIEW_MODULES, True)
    # The hot reads' SQL too: a worker's first day list does not build it.
    assert state["compiled"] is True
    # A connection opened before fork would be shared by every worker.
    assert state["connected"] is False
    assert state["pools"] == 0


def test_gunicorn_preloads_the_app_and_warms_each_worker_before_it_accepts(monkeypatch):
    config = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    calls = []
    monkeypatch.setattr(warm, "warm_worker", lambda app: calls.append(("app", app)))
    monkeypatch.setattr(warm, "rehearse_server", lambda worker: calls.append(("server", worker)))

    class Worker:
        wsgi = object()  # the application gunicorn loaded

    worker = Worker()
    config["post_worker_init"](worker)
    # The application first, then gunicorn's own path in front of it.
    assert calls == [("app", Worker.wsgi), ("server", worker)]


def test_every_hot_read_names_a_compiled_query(caplog):
    # A renamed or reshaped query would silently go cold: it fails here instead.
    assert len(warm.hot_reads()) == len(warm.HOT_READS)
    assert [r.getMessage() for r in caplog.records] == []


@pytest.mark.django_db
def test_the_hot_reads_find_nothing_for_the_device_they_read(device):
    # A fresh random device id: whatever the database holds, no row is read.
    for query, values in warm.hot_reads():
        assert query.fetch(limit=1, **values) == []


@pytest.mark.django_db(transaction=True)
class TestRehearsal:
    def test_statuses_as_a_proxy_forwards_them_in_production(self, settings):
        settings.ALLOWED_HOSTS = [".api.example.org"]
        settings.SECURE_SSL_REDIRECT = True
        application = WSGIHandler()

        assert warm._rehearse(application, "/health") == 200
        token = warm._NO_DEVICE_TOKEN
        assert warm._rehearse(application, "/v1/food-entries", HTTP_AUTHORIZATION=token) == 401

    def test_the_worker_warm_up_logs_no_request_and_writes_nothing(self, caplog):
        with caplog.at_level("INFO"):
            warm.warm_worker(WSGIHandler())

        assert [r for r in caplog.records if r.levelname != "DEBUG"] == []
        assert not Device.objects.exists()

    def test_each_rehearsed_read_answers_200_with_nothing_for_a_device_never_saved(self):
        application = WSGIHandler()
        device = Device(pk=uuid.uuid4())

        statuses = {
            path: warm._rehearse_as(application, path, device) for path in warm.REHEARSED_READS
        }

        assert statuses == dict.fromkeys(warm.REHEARSED_READS, 200)
        assert not Device.objects.exists()
        assert not FoodEntry.all_objects.exists()

    def test_a_rehearsed_read_that_fails_is_a_warning(self, monkeypatch, caplog):
        monkeypatch.setattr(warm, "REHEARSED_READS", ("/v1/no-such-list",))

        warm.warm_worker(WSGIHandler())

        warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
        assert warnings == ["rehearsal GET /v1/no-such-list at worker start: 404, not 200"]

    def test_stores_that_do_not_answer_are_warnings_not_failures(self, monkeypatch, caplog):
        def unreachable():
            raise ConnectionError("connection refused")

        monkeypatch.setattr(warm, "throttle_counters", unreachable)
        monkeypatch.setattr(warm, "_rehearse", lambda *args, **headers: unreachable())

        warm.warm_worker(WSGIHandler())

        warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
        assert warnings == [
            "throttle counters not reachable at worker start: connection refused",
            "rehearsal GET /health at worker start: connection refused, not 200",
            "rehearsal GET /v1/food-entries at worker start: connection refused, not 401",
        ]


def sync_worker(application, listener: socket.socket) -> SyncWorker:
    """A gunicorn sync worker as the master makes it, serving ``application`` on ``listener``."""
    config = Config()
    worker = SyncWorker(0, os.getppid(), [listener], None, 30, config, glogging.Logger(config))
    worker.wsgi = application
    return worker


@pytest.mark.django_db(transaction=True)
def test_the_server_rehearsal_is_a_probe_through_gunicorn_that_counts_no_request(caplog):
    seen = []
    django_app = WSGIHandler()

    def application(environ, start_response):
        seen.append((environ["PATH_INFO"], environ["wsgi.url_scheme"]))
        return django_app(environ, start_response)

    with socket.create_server(("127.0.0.1", 0)) as listener:
        worker = sync_worker(application, listener)
        with caplog.at_level("INFO"):
            warm.rehearse_server(worker)

    # gunicorn parsed the request and made the environ (HTTPS as the proxy says it).
    assert seen == [("/health", "https")]
    assert worker.nr == 0  # max_requests counts the requests of clients only
    assert [r for r in caplog.records if r.levelname != "DEBUG"] == []


def test_a_server_rehearsal_that_fails_is_a_warning_and_the_worker_goes_on(caplog):
    def broken(environ, start_response):
        raise RuntimeError("boom")

    with socket.create_server(("127.0.0.1", 0)) as listener:
        worker = sync_worker(broken, listener)
        warm.rehearse_server(worker)

    warnings = [r.getMessage() for r in caplog.records if r.name == warm.log.name]
    assert len(warnings) == 1
    assert warnings[0].startswith("rehearsal GET /health through gunicorn: b'HTTP/1.1 500 ")


def test_a_fresh_workers_first_requests_answer_as_any_others(tmp_path):
    # The rehearsals ran as a device that does not exist: a real one's first calls see
    # its own data, and nothing of the made-up device.
    with gunicorn_instance(tmp_path, log_path=tmp_path / "server.log") as app:
        register = urllib.request.Request(  # noqa: S310 - local URL
            f"{app.url}/v1/devices/register",
            data=json.dumps({"device_id": str(uuid.uuid4())}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(register, timeout=10) as answer:  # noqa: S310
            assert answer.status == 201
            token = json.loads(answer.read())["device_token"]
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        day_list = fetch(f"{app.url}/v1/food-entries?day=2026-01-05", headers=headers)
        goal = fetch(f"{app.url}/v1/goals/current", headers=headers)
    assert day_list == (200, b"[]")
    assert goal == (200, b"null")
    log = (tmp_path / "server.log").read_text()
    assert "rehearsal" not in log


def test_a_worker_starts_and_answers_the_probe_while_the_database_is_down(tmp_path):
    # A closed port: every connection is refused (the pool gives up after 100 ms).
    down = "postgres://nobody@127.0.0.1:1/countonme"
    with gunicorn_instance(
        tmp_path, prepare=False, DATABASE_URL=down, DATABASE_POOL_TIMEOUT_MS="100"
    ) as app:
        assert fetch(f"{app.url}/health") == (200, b'{"ok":true}')
        assert fetch(f"{app.url}/health/ready")[0] == 503
    log = app.process.stderr.read().decode()
    assert "database default not reachable at worker start" in log
    # The database is down: no rehearsal of the API, so no warning about one.
    assert "rehearsal" not in log


def test_the_rehearsal_leaves_no_line_in_the_access_log(tmp_path):
    with gunicorn_instance(tmp_path) as app:
        assert fetch(f"{app.url}/health")[0] == 200
    stderr = app.process.stderr.read().decode().splitlines()
    lines = [json.loads(line) for line in stderr if line.startswith("{")]  # not gunicorn's own
    requests = [line for line in lines if line.get("logger") == "countonme.access"]
    assert requests
    assert {line["path"] for line in requests} == {"/health"}
    assert not [line for line in lines if line.get("level") in {"WARNING", "ERROR"}]


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_worker_connects_to_the_database_before_its_first_request(tmp_path):
    name = f"countonme-warm-{uuid.uuid4().hex[:12]}"  # libpq's application_name, from PGAPPNAME
    base = settings.DATABASES["default"]
    url = f"postgres://{base['USER']}@{base['HOST']}:{base['PORT'] or 5432}/{base['NAME']}"
    sql = "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"
    # Once the instance is up, /health has answered (it does no database work): the
    # worker has served nothing else, yet its connection is open.
    with (
        gunicorn_instance(tmp_path, prepare=False, DATABASE_URL=url, PGAPPNAME=name),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [name])
        (backends,) = cursor.fetchone()
    assert backends >= 1
