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
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent
NGINX_TEMPLATE = REPO / "deploy" / "nginx" / "templates" / "countonme.conf.template"
BIN = Path(sys.executable).parent
START_SECONDS = 60


class ClusterError(Exception):
    """The cluster cannot start (or stop) as asked; the message says why and what to do."""


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


# --- Processes, recorded by pid and start time --------------------------------


def _start_time(pid: int) -> str | None:
    """The kernel's start time of ``pid`` (clock ticks since boot), ``None`` if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()
    if fields[0] == "Z":  # a zombie has ended; its parent has not reaped it yet
        return None
    return fields[19]


@dataclass
class Recorded:
    """A process ``up`` started: its pid file says which one, for sure."""

    name: str
    pid_file: Path

    def read(self) -> tuple[int, str] | None:
        try:
            pid, started = self.pid_file.read_text().split()
        except (OSError, ValueError):
            return None
        return int(pid), started

    @property
    def pid(self) -> int | None:
        """The recorded pid while that very process runs (not another one that reused it)."""
        record = self.read()
        if record is None:
            return None
        pid, started = record
        return pid if _start_time(pid) == started else None

    def record(self, pid: int) -> None:
        started = _start_time(pid)
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        self.pid_file.write_text(f"{pid} {started}\n")

    def stop(self, *, timeout: float = 20) -> bool:
        """TERM the process group, KILL what is left after ``timeout``; True if it ran."""
        pid = self.pid
        self.pid_file.unlink(missing_ok=True)
        if pid is None:
            return False
        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _group_alive(pid):
            time.sleep(0.1)
        if _group_alive(pid):
            _signal_group(pid, signal.SIGKILL)
        return True


def _signal_group(pgid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signum)


def _group_alive(pgid: int) -> bool:
    """Whether any live (not zombie) process is left in process group ``pgid``."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def _spawn(
    recorded: Recorded, command: list[str], *, env: dict[str, str], log: Path, cwd: Path = REPO
) -> subprocess.Popen:
    """Start ``command`` in a session of its own, output to ``log``, and record it."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as output:
        process = subprocess.Popen(  # noqa: S603 - our own programs
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    recorded.record(process.pid)
    return process


def _wait(
    what: str,
    ready: Callable[[], bool],
    process: subprocess.Popen,
    log: Path,
    seconds: float = START_SECONDS,
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ClusterError(f"{what} exited ({process.returncode}):\n{_tail(log)}")
        if ready():
            return
        time.sleep(0.1)
    raise ClusterError(f"{what} did not start within {seconds:.0f} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _log_size(log: Path) -> int:
    try:
        return log.stat().st_size
    except OSError:
        return 0


def _log_since(log: Path, offset: int) -> bytes:
    """What ``log`` gained past ``offset``: this start's lines, not an earlier start's."""
    with log.open("rb") as handle:
        handle.seek(offset)
        return handle.read()


def _listening(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _answers(url: str, status: int = 200) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
            return response.status == status
    except urllib.error.HTTPError as error:
        return error.code == status
    except OSError:
        return False


# --- The pieces -------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()), None
    )
    if not found:
        raise ClusterError(f"{name} is not installed: apt-get install {name}")
    return found


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
        raise ClusterError(f"manage.py prepare failed:\n{_tail(log)}")


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
    command = [_tool("pgbouncer"), str(ini)]
    if os.geteuid() == 0:
        # PgBouncer refuses to run as root; its -u option drops to a plain user
        # (after reading its files, so they may stay root's own).
        command[1:1] = ["-u", settings.environ.get("CLUSTER_PGBOUNCER_USER") or "nobody"]
    log = settings.path("log", "pgbouncer.log")
    process = _spawn(recorded, command, env=dict(os.environ), log=log)
    _wait("pgbouncer", lambda: _listening(settings.pgbouncer_port), process, log)


def start_web(settings: Settings, env: dict[str, str], index: int, port: int) -> None:
    recorded = Recorded(f"web-{index}", settings.path("run", f"web-{index}.pid"))
    if recorded.pid:
        return
    log = settings.path("log", f"web-{index}.log")
    process = _spawn(
        recorded,
        [str(BIN / "gunicorn"), "countonme.wsgi:application", "--config", "gunicorn.conf.py"],
        env={**env, "PORT": str(port)},
        log=log,
    )
    _wait(f"web-{index}", lambda: _answers(f"http://127.0.0.1:{port}/health"), process, log)


def start_celery(settings: Settings, env: dict[str, str], name: str, arguments: list[str]) -> None:
    """``celery --app countonme.jobs <arguments>`` as ``name`` (the worker or the beat)."""
    recorded = Recorded(name, settings.path("run", f"{name}.pid"))
    if recorded.pid:
        return
    log = settings.path("log", f"{name}.log")
    mark = _log_size(log)
    command = [str(BIN / "celery"), "--app", "countonme.jobs", *arguments, "--loglevel", "INFO"]
    process = _spawn(recorded, command, env=env, log=log)
    said = b"ready." if name == "worker" else b"beat: Starting"
    _wait(name, lambda: said in _log_since(log, mark), process, log)
    # The beat reads its schedule file just after saying so: a bad one ends it then.
    time.sleep(1)
    if process.poll() is not None:
        raise ClusterError(f"{name} exited ({process.returncode}):\n{_tail(log)}")


def render(template: str, **variables: str) -> str:
    """What the official nginx image's envsubst step does: only the variables it is given."""
    for name, value in variables.items():
        template = re.sub(rf"\$(?:{name}\b|\{{{name}\}})", value, template)
    return template


def write_nginx_config(directory: Path, *, listen: str, upstreams: list[str]) -> Path:
    """The compose server block behind an upstream of ``upstreams``, in nginx's frame.

    The server block is ``deploy/nginx/templates/countonme.conf.template``, as the
    compose proxy serves it; the upstream is the static list of replicas (compose
    resolves its replicas by name instead: ``upstream.conf.template``). Returns
    the path of ``nginx.conf``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    servers = "".join(
        f"    server {address} max_fails=1 fail_timeout=5s;\n" for address in upstreams
    )
    (directory / "upstream.conf").write_text(
        f"upstream countonme_app {{\n{servers}    keepalive 16;\n}}\n"
    )
    (directory / "countonme.conf").write_text(
        render(NGINX_TEMPLATE.read_text(), NGINX_LISTEN=listen)
    )
    config = directory / "nginx.conf"
    config.write_text(
        f"""
        {"user root;" if os.geteuid() == 0 else ""}
        worker_processes auto;
        pid {directory}/nginx.pid;
        error_log {directory}/error.log warn;
        events {{ worker_connections 1024; }}
        http {{
            access_log off;
            client_body_temp_path {directory}/client_body;
            proxy_temp_path {directory}/proxy;
            fastcgi_temp_path {directory}/fastcgi;
            uwsgi_temp_path {directory}/uwsgi;
            scgi_temp_path {directory}/scgi;
            include {directory}/upstream.conf;
            include {directory}/countonme.conf;
        }}
        """
    )
    return config


def nginx_command(config: Path) -> list[str]:
    return [_tool("nginx"), "-p", str(config.parent), "-c", str(config), "-g", "daemon off;"]


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
    process = _spawn(recorded, nginx_command(config), env=dict(os.environ), log=log)
    _wait("proxy", lambda: _answers(f"{settings.proxy_url}/health"), process, log)


# --- Commands ---------------------------------------------------------------------


def names(settings: Settings) -> list[str]:
    """Every process of the cluster, in start order."""
    web = [f"web-{n}" for n in range(1, len(settings.web_ports) + 1)]
    return ["pgbouncer", *web, "worker", "beat", "proxy"]


def recorded(settings: Settings, name: str) -> Recorded:
    return Recorded(name, settings.path("run", f"{name}.pid"))


def up(settings: Settings) -> None:
    """Start every process that is not running; print the proxy's URL once it answers."""
    _tool("nginx")
    _tool("pgbouncer")
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
    while not _answers(f"{settings.proxy_url}/health/ready"):
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
