"""`make cluster` for the end-to-end tests: on free ports, a fresh database, stopped after.

The tests drive it over HTTP like a phone would, kill and restart its pieces by
their pid files, and look at its database directly (psycopg, autocommit).
"""

import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.conf import settings

from deploy.processes import Recorded
from tests.serving import BASE_DIR, free_port


@dataclass
class Answer:
    status: int
    body: object
    headers: dict[str, str]


def call(
    url: str,
    method: str = "GET",
    body: object | None = None,
    token: str | None = None,
    timeout: float = 15,
) -> Answer:
    """One request; HTTP errors are answers, not exceptions (a refused socket raises OSError)."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, raw, got = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, got = error.code, error.read(), error.headers
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode(errors="replace")
    return Answer(status, parsed, {key.lower(): value for key, value in got.items()})


@dataclass
class Cluster:
    url: str
    replicas: list[str]
    pgbouncer_port: int
    directory: Path
    env: dict[str, str]
    database: str

    def register(self, base: str | None = None) -> str:
        """A new device's token."""
        answer = call(
            f"{base or self.url}/v1/devices/register", "POST", {"device_id": str(uuid.uuid4())}
        )
        assert answer.status == 201, answer
        return answer.body["device_token"]

    def up(self) -> None:
        """`make cluster` again: starts whatever is not running."""
        make("cluster", self.env)

    def pid(self, name: str) -> int | None:
        return Recorded(name, self.directory / "run" / f"{name}.pid").pid

    def kill(self, name: str, signum: signal.Signals = signal.SIGKILL) -> None:
        """Signal ``name``'s whole process group (a replica: its master and workers)."""
        pid = self.pid(name)
        assert pid, f"{name} is not running"
        os.killpg(pid, signum)

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        """Rows of ``query`` on the cluster's database, straight to PostgreSQL."""
        with psycopg.connect(**admin_params(self.database), autocommit=True) as connection:
            cursor = connection.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def log(self, name: str) -> str:
        return (self.directory / "log" / f"{name}.log").read_text(errors="replace")


def admin_params(dbname: str) -> dict:
    base = settings.DATABASES["default"]
    return {
        "host": base["HOST"],
        "port": base["PORT"] or 5432,
        "user": base["USER"],
        "password": base["PASSWORD"] or None,
        "dbname": dbname,
    }


def make(target: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["make", "--no-print-directory", target],  # noqa: S607 - make from PATH, as a developer
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"make {target}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@contextmanager
def running_cluster(work_dir: Path, **extra: str) -> Iterator[Cluster]:
    """`make cluster` on free ports with a fresh database; `make cluster-stop` after."""
    base = settings.DATABASES["default"]
    database = f"{base['NAME']}_cluster"
    with psycopg.connect(**admin_params("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    credentials = base["USER"] + (f":{base['PASSWORD']}" if base["PASSWORD"] else "")
    port, web_ports, pgbouncer_port = free_port(), [free_port(), free_port()], free_port()
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    env = {
        **keep,
        "PORT": str(port),
        "CLUSTER_WEB_PORTS": ",".join(map(str, web_ports)),
        "CLUSTER_PGBOUNCER_PORT": str(pgbouncer_port),
        "CLUSTER_DIR": str(work_dir / "cluster"),
        "COUNTONME_VAR_DIR": str(work_dir / "var"),
        "DATABASE_URL": (
            f"postgres://{credentials}@{base['HOST']}:{base['PORT'] or 5432}/{database}"
        ),
        "REDIS_URL": os.environ["REDIS_URL"],
        # Every test registers devices from 127.0.0.1.
        "THROTTLE_REGISTER": "100000/min",
        "WEB_CONCURRENCY": "2",
        "CLUSTER_WORKER_CONCURRENCY": "2",
        **extra,
    }
    output = make("cluster", env)
    cluster = Cluster(
        url=f"http://127.0.0.1:{port}",
        replicas=[f"http://127.0.0.1:{p}" for p in web_ports],
        pgbouncer_port=pgbouncer_port,
        directory=work_dir / "cluster",
        env=env,
        database=database,
    )
    assert f"CountOnMe cluster is up at {cluster.url}" in output, output
    try:
        yield cluster
    finally:
        make("cluster-stop", env)
        with psycopg.connect(**admin_params("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


class Load:
    """Threads calling ``step(n)`` in a loop until stopped; every outcome recorded with its time."""

    def __init__(self, step, threads: int) -> None:
        self.step = step
        self.outcomes: list[tuple[float, str, object]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)
        ]

    def _run(self, thread: int) -> None:
        count = 0
        while not self._stop.is_set():
            count += 1
            kind, result = self.step(thread, count)
            with self._lock:
                self.outcomes.append((time.monotonic(), kind, result))

    def __enter__(self) -> "Load":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)
