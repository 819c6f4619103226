"""A real instance for end-to-end tests: `manage.py prepare`, then gunicorn on a free port."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(
    url: str, *, timeout: float = 10, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    """Status and body of a GET (HTTP errors included, not raised)."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - local URL
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@dataclass
class Instance:
    url: str
    port: int
    env: dict[str, str]
    # gunicorn; its stderr (the log lines) is readable once the instance has stopped.
    process: subprocess.Popen | None = None

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        """Runs ``manage.py`` against this instance's database."""
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            check=True,
            capture_output=True,
            timeout=300,
        )


def instance_env(var_dir: Path, port: int, **extra: str) -> dict[str, str]:
    """The environment of a fresh instance: SQLite in ``var_dir`` unless ``extra`` says."""
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return {
        **keep,
        "COUNTONME_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'db.sqlite3'}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
        **extra,
    }


@contextlib.contextmanager
def gunicorn_instance(
    var_dir: Path, *, prepare: bool = True, log_path: Path | None = None, **extra: str
) -> Iterator[Instance]:
    """Prepares (migrations, starter catalog) and serves an instance until the block ends.

    ``log_path``: where its log lines (stderr) go, for a test to read; a test
    that makes many requests needs one (an unread pipe fills and stalls the server).
    """
    port = free_port()
    instance = Instance(f"http://127.0.0.1:{port}", port, instance_env(var_dir, port, **extra))
    if prepare:
        instance.manage("prepare", "--verbosity", "0")
    log = log_path.open("ab") if log_path is not None else None
    process = instance.process = subprocess.Popen(
        [str(BIN_DIR / "gunicorn"), "countonme.wsgi:application", "--config", "gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=instance.env,
        stdout=subprocess.DEVNULL,
        stderr=log if log is not None else subprocess.PIPE,
    )
    try:
        wait_for(f"{instance.url}/health", process, log_path)
        yield instance
    finally:
        process.terminate()
        process.wait(timeout=30)
        if log is not None:
            log.close()


def wait_for(
    url: str,
    process: subprocess.Popen | None = None,
    log_path: Path | None = None,
    attempts: int = 150,
) -> None:
    """Polls ``url`` until it answers 200; fails with the server's stderr if it died."""
    for _ in range(attempts):
        if process is not None and process.poll() is not None:
            if log_path is not None:
                raise AssertionError(log_path.read_text(errors="replace"))
            raise AssertionError(process.stderr.read().decode() if process.stderr else "exited")
        try:
            if fetch(url, timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not answer 200")
