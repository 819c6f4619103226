"""Processes started by `make cluster`: each in its own session, recorded by pid and start time.

A pid file holds the pid and the kernel's start time of the process, so a
stop ends exactly that process and its process group, never another process
that reused the pid. The helpers wait for a piece to answer, or say why it
did not (the tail of its log).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
START_SECONDS = 60


class ClusterError(Exception):
    """The cluster cannot start (or stop) as asked; the message says why and what to do."""


def start_time(pid: int) -> str | None:
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
        return pid if start_time(pid) == started else None

    def record(self, pid: int) -> None:
        started = start_time(pid)
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        self.pid_file.write_text(f"{pid} {started}\n")

    def stop(self, *, timeout: float = 20) -> bool:
        """TERM the process group, KILL what is left after ``timeout``; True if it ran."""
        pid = self.pid
        self.pid_file.unlink(missing_ok=True)
        if pid is None:
            return False
        signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and group_alive(pid):
            time.sleep(0.1)
        if group_alive(pid):
            signal_group(pid, signal.SIGKILL)
        return True


def signal_group(pgid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signum)


def group_alive(pgid: int) -> bool:
    """Whether any live (not zombie) process is left in process group ``pgid``."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def spawn(
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


def wait_until(
    what: str,
    ready: Callable[[], bool],
    process: subprocess.Popen,
    log: Path,
    seconds: float = START_SECONDS,
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ClusterError(f"{what} exited ({process.returncode}):\n{tail(log)}")
        if ready():
            return
        time.sleep(0.1)
    raise ClusterError(f"{what} did not start within {seconds:.0f} s:\n{tail(log)}")


def tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def log_size(log: Path) -> int:
    try:
        return log.stat().st_size
    except OSError:
        return 0


def log_since(log: Path, offset: int) -> bytes:
    """What ``log`` gained past ``offset``: this start's lines, not an earlier start's."""
    with log.open("rb") as handle:
        handle.seek(offset)
        return handle.read()


def listening(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def answers(url: str, status: int = 200) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
            return response.status == status
    except urllib.error.HTTPError as error:
        return error.code == status
    except OSError:
        return False
