"""``make cluster``: the production topology on one machine, without Docker.

nginx (the proxy, ``PORT``) in front of N gunicorn replicas (two by default,
each on its own port), PgBouncer in transaction mode in front of the
PostgreSQL of ``DATABASE_URL``, a Celery worker and one beat, all with
production settings (plain HTTP on the loopback: no TLS redirect). The same
shape as ``docker-compose.yml``, from Debian's nginx and pgbouncer and this
checkout's ``.venv``.

    python -m deploy.cluster up       # make cluster: start what is not running, print the URL
    python -m deploy.cluster down     # make cluster-stop: end exactly what `up` started
    python -m deploy.cluster status   # what runs, by pid

Each process runs in its own session (process group) and is recorded in
``$CLUSTER_DIR/run/<name>.pid`` with its start time, so ``down`` ends exactly
those processes and their children, never a process that reused a pid.
``up`` starts only what is not running: after a crash (or a test that killed a
replica) it brings back the missing pieces.

The environment it honours (README, "Scaling"): ``PORT`` and ``HOST`` (the
proxy), ``DATABASE_URL`` (PostgreSQL only; created if missing), ``REDIS_URL``,
``CELERY_BROKER_URL``, the throttles and every other setting of the app,
``SECRET_KEY``/``DEVICE_TOKEN_PEPPER`` (generated once into ``$CLUSTER_DIR``
when unset), and its own: ``CLUSTER_REPLICAS``, ``CLUSTER_WEB_PORTS``,
``CLUSTER_PGBOUNCER_PORT``, ``CLUSTER_DIR``, ``CLUSTER_PGBOUNCER_USER``,
``CLUSTER_WORKER_CONCURRENCY``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from deploy.processes import (
    START_SECONDS,
    ClusterError,
    Recorded,
    answers,
    listening,
    log_since,
    log_size,
    spawn,
    tail,
    wait_until,
)
from deploy.proxy_config import nginx_command, tool, write_nginx_config

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


# --- Configuration ---------------------------------------------------------------


@dataclass
class Database:
    """The parts of a ``postgres://`` URL PgBouncer and the maintenance connection need."""

    host: str
    port: int
    name: str
    user: str
    password: str

    @classmethod
    def from_url(cls, url: str) -> Database:
        parts = urlsplit(url)
        if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
            raise ClusterError(
                f"DATABASE_URL={url!r}: the cluster runs on PostgreSQL "
                "(e.g. postgres://postgres@127.0.0.1:5432/countonme)."
            )
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            name=unquote(parts.path.lstrip("/")) or "countonme",
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
        )

    def url(self, *, host: str | None = None, port: int | None = None) -> str:
        credentials = self.user + (f":{self.password}" if self.password else "")
        return f"postgres://{credentials}@{host or self.host}:{port or self.port}/{self.name}"


@dataclass
class Settings:
    """Where everything listens and lives, from the environment."""

    host: str
    port: int
    web_ports: list[int]
    pgbouncer_port: int
    directory: Path
    database: Database
    redis_url: str
    environ: dict[str, str] = field(repr=False)

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        port = int(env.get("PORT") or 8000)
        replicas = int(env.get("CLUSTER_REPLICAS") or 2)
        if env.get("CLUSTER_WEB_PORTS"):
            web_ports = [int(p) for p in env["CLUSTER_WEB_PORTS"].split(",") if p.strip()]
        else:
            web_ports = [port + n for n in range(1, replicas + 1)]
        if not web_ports:
            raise ClusterError("CLUSTER_WEB_PORTS lists no port.")
        var_dir = Path(env.get("COUNTONME_VAR_DIR") or REPO / "var")
        return cls(
            host=env.get("HOST") or "127.0.0.1",
            port=port,
            web_ports=web_ports,
            pgbouncer_port=int(env.get("CLUSTER_PGBOUNCER_PORT") or max(web_ports) + 1),
            directory=Path(env.get("CLUSTER_DIR") or var_dir / "cluster").resolve(),
            database=Database.from_url(
                env.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/countonme"
            ),
            redis_url=env.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
            environ=env,
        )

    @property
    def proxy_url(self) -> str:
        host = "127.0.0.1" if self.host in {"0.0.0.0", ""} else self.host  # noqa: S104
        return f"http://{host}:{self.port}"

    def path(self, *parts: str) -> Path:
        return self.directory.joinpath(*parts)


# --- The pieces -------------------------------------------------------------------


def app_environment(settings: Settings) -> dict[str, str]:
    """The environment of every app process: production settings, plain HTTP on the loopback."""
    keys = _secrets(settings)
    env = settings.environ
    return {
        **env,
        **keys,
        "COUNTONME_ENV": "production",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": env.get("ALLOWED_HOSTS") or "localhost,127.0.0.1",
        # nginx is the one proxy in front; it sets X-Forwarded-For to the client.
        "TRUSTED_PROXY_COUNT": "1",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        # The replicas and the jobs reach PostgreSQL through PgBouncer.
        "DATABASE_URL": settings.database.url(host="127.0.0.1", port=settings.pgbouncer_port),
        "REDIS_URL": settings.redis_url,
        "CELERY_BROKER_URL": env.get("CELERY_BROKER_URL") or settings.redis_url,
        "COUNTONME_VAR_DIR": str(settings.path("var")),
        "STATIC_ROOT": str(settings.path("static")),
        "HOST": "127.0.0.1",
        "PYTHONUNBUFFERED": "1",
    }


def _secrets(settings: Settings) -> dict[str, str]:
    """``SECRET_KEY`` and ``DEVICE_TOKEN_PEPPER`` from the environment, else made once.

    Every replica must hold the same pair (a token one replica hands out is
    checked by the other), so they are generated once into the cluster's
    directory (mode 0600), never per process.
    """
    stored = settings.path("secrets.env")
    values: dict[str, str] = {}
    if stored.exists():
        for line in stored.read_text().splitlines():
            name, _, value = line.partition("=")
            values[name] = value
    changed = False
    for name in ("SECRET_KEY", "DEVICE_TOKEN_PEPPER"):
        if settings.environ.get(name):
            values[name] = settings.environ[name]
        elif not values.get(name):
            values[name] = secrets.token_urlsafe(50)
            changed = True
    if changed:
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.touch(mode=0o600)
        stored.write_text("".join(f"{k}={values[k]}\n" for k in sorted(values)))
    return values


def ensure_database(settings: Settings) -> None:
    """Create the cluster's database when it does not exist yet (as ``createdb`` would)."""
    import psycopg  # the app's own driver, in .venv

    database = settings.database
    try:
        with psycopg.connect(
            host=database.host,
            port=database.port,
            user=database.user,
            password=database.password or None,
            dbname="postgres",
            autocommit=True,
            connect_timeout=5,
        ) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [database.name]
            ).fetchone()
            if not exists:
                admin.execute(f'CREATE DATABASE "{database.name}"')
    except psycopg.OperationalError as error:
        raise ClusterError(f"PostgreSQL at {database.host}:{database.port}: {error}") from error


def prepare(settings: Settings, env: dict[str, str]) -> None:
    """``manage.py prepare`` straight to PostgreSQL (migrations need no pooler in between)."""
    log = settings.path("log", "prepare.log")
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as output:
        done = subprocess.run(  # noqa: S603
            [str(BIN / "python"), "manage.py", "prepare", "--verbosity", "1"],
            cwd=REPO,
            env={**env, "DATABASE_URL": settings.database.url()},
            stdout=output,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if done.returncode:
        raise ClusterError(f"manage.py prepare failed:\n{tail(log)}")


def pgbouncer_config(settings: Settings) -> str:
    """``pgbouncer.ini``: transaction pooling in front of the database of ``DATABASE_URL``.

    The settings are the ones docker-compose.yml gives its PgBouncer image
    (README, "Scaling", lists them with the reasons).
    """
    database = settings.database
    directory = settings.path("pgbouncer")
    server = f"host={database.host} port={database.port} dbname={database.name}"
    return f"""\
;; Written by `make cluster` (deploy/cluster.py); rewritten on every start.
[databases]
{database.name} = {server}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {settings.pgbouncer_port}
unix_socket_dir =
auth_type = {"scram-sha-256" if database.password else "trust"}
auth_file = {directory / "userlist.txt"}
admin_users = {database.user}
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 20
reserve_pool_size = 5
reserve_pool_timeout = 1
server_connect_timeout = 2
server_login_retry = 1
query_wait_timeout = 5
server_reset_query =
ignore_startup_parameters = extra_float_digits
log_connections = 0
log_disconnections = 0
"""


def start_pgbouncer(settings: Settings) -> None:
    recorded = Recorded("pgbouncer", settings.path("run", "pgbouncer.pid"))
    if recorded.pid:
        return
    directory = settings.path("pgbouncer")
    directory.mkdir(parents=True, exist_ok=True)
    ini = directory / "pgbouncer.ini"
    ini.write_text(pgbouncer_config(settings))
    users = directory / "userlist.txt"
    users.touch(mode=0o600)
    database = settings.database
    users.write_text(f'"{database.user}" "{database.password}"\n')
    command = [tool("pgbouncer"), str(ini)]
    if os.geteuid() == 0:
        # PgBouncer refuses to run as root; its -u option drops to a plain user
        # (after reading its files, so they may stay root's own).
        command[1:1] = ["-u", settings.environ.get("CLUSTER_PGBOUNCER_USER") or "nobody"]
    log = settings.path("log", "pgbouncer.log")
    process = spawn(recorded, command, env=dict(os.environ), log=log)
    wait_until("pgbouncer", lambda: listening(settings.pgbouncer_port), process, log)


def start_web(settings: Settings, env: dict[str, str], index: int, port: int) -> None:
    recorded = Recorded(f"web-{index}", settings.path("run", f"web-{index}.pid"))
    if recorded.pid:
        return
    log = settings.path("log", f"web-{index}.log")
    process = spawn(
        recorded,
        [str(BIN / "gunicorn"), "countonme.wsgi:application", "--config", "gunicorn.conf.py"],
        env={**env, "PORT": str(port)},
        log=log,
    )
    wait_until(f"web-{index}", lambda: answers(f"http://127.0.0.1:{port}/health"), process, log)


def start_celery(settings: Settings, env: dict[str, str], name: str, arguments: list[str]) -> None:
    """``celery --app countonme.jobs <arguments>`` as ``name`` (the worker or the beat)."""
    recorded = Recorded(name, settings.path("run", f"{name}.pid"))
    if recorded.pid:
        return
    log = settings.path("log", f"{name}.log")
    mark = log_size(log)
    command = [str(BIN / "celery"), "--app", "countonme.jobs", *arguments, "--loglevel", "INFO"]
    process = spawn(recorded, command, env=env, log=log)
    said = b"ready." if name == "worker" else b"beat: Starting"
    wait_until(name, lambda: said in log_since(log, mark), process, log)
    # The beat reads its schedule file just after saying so: a bad one ends it then.
    time.sleep(1)
    if process.poll() is not None:
        raise ClusterError(f"{name} exited ({process.returncode}):\n{tail(log)}")


def start_proxy(settings: Settings) -> None:
    recorded = Recorded("proxy", settings.path("run", "proxy.pid"))
    if recorded.pid:
        return
    config = write_nginx_config(
        settings.path("nginx"),
        listen=f"{settings.host}:{settings.port}",
        upstreams=[f"127.0.0.1:{port}" for port in settings.web_ports],
    )
    log = settings.path("log", "proxy.log")
    process = spawn(recorded, nginx_command(config), env=dict(os.environ), log=log)
    wait_until("proxy", lambda: answers(f"{settings.proxy_url}/health"), process, log)


# --- Commands ---------------------------------------------------------------------


def names(settings: Settings) -> list[str]:
    """Every process of the cluster, in start order."""
    web = [f"web-{n}" for n in range(1, len(settings.web_ports) + 1)]
    return ["pgbouncer", *web, "worker", "beat", "proxy"]


def recorded(settings: Settings, name: str) -> Recorded:
    return Recorded(name, settings.path("run", f"{name}.pid"))


def up(settings: Settings) -> None:
    """Start every process that is not running; print the proxy's URL once it answers."""
    tool("nginx")
    tool("pgbouncer")
    running = [name for name in names(settings) if recorded(settings, name).pid]
    env = app_environment(settings)
    settings.path("var").mkdir(parents=True, exist_ok=True)
    if not running:
        print(f"Preparing {settings.database.name} (migrations, starter catalog)...", flush=True)
        ensure_database(settings)
        prepare(settings, env)
    start_pgbouncer(settings)
    for index, port in enumerate(settings.web_ports, start=1):
        start_web(settings, env, index, port)
    concurrency = settings.environ.get("CLUSTER_WORKER_CONCURRENCY") or "2"
    start_celery(
        settings,
        env,
        "worker",
        ["worker", "--concurrency", concurrency, "--hostname", f"worker@{settings.port}"],
    )
    schedule = str(settings.path("var", "celerybeat-schedule"))
    start_celery(settings, env, "beat", ["beat", "--schedule", schedule])
    start_proxy(settings)
    deadline = time.monotonic() + START_SECONDS
    while not answers(f"{settings.proxy_url}/health/ready"):
        if time.monotonic() > deadline:
            raise ClusterError(f"{settings.proxy_url}/health/ready does not answer 200.")
        time.sleep(0.2)
    print(
        f"\nCountOnMe cluster is up at {settings.proxy_url}\n"
        f"  nginx -> {len(settings.web_ports)} gunicorn replicas "
        f"({', '.join(str(p) for p in settings.web_ports)}) -> PgBouncer "
        f"({settings.pgbouncer_port}, transaction mode) -> PostgreSQL "
        f"{settings.database.host}:{settings.database.port}/{settings.database.name}\n"
        f"  Celery worker and beat on {env['CELERY_BROKER_URL']}\n"
        f"  Logs: {settings.path('log')}/   Stop with: make cluster-stop\n",
        flush=True,
    )


def down(settings: Settings) -> None:
    """End every recorded process, last started first; forget their pid files."""
    stopped = []
    for name in reversed(names(settings)):
        if recorded(settings, name).stop():
            stopped.append(name)
    # Replicas recorded by an earlier `up` with more of them.
    for pid_file in sorted(settings.path("run").glob("web-*.pid")):
        if Recorded(pid_file.stem, pid_file).stop():
            stopped.append(pid_file.stem)
    print(f"Stopped: {', '.join(stopped) or 'nothing was running'}.", flush=True)


def status(settings: Settings) -> int:
    """Print each process and its pid; exit status 0 when all of them run."""
    missing = 0
    for name in names(settings):
        pid = recorded(settings, name).pid
        missing += pid is None
        print(f"{name:10} {pid or 'not running'}")
    return 1 if missing else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster", description=__doc__)
    parser.add_argument("command", choices=["up", "down", "status"])
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_environment()
        if args.command == "up":
            up(settings)
        elif args.command == "down":
            down(settings)
        else:
            return status(settings)
    except ClusterError as error:
        print(f"make cluster: {error}", file=sys.stderr)
        if args.command == "up":
            print("What did start still runs: make cluster-stop ends it.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
