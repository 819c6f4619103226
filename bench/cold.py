"""The ``cold`` scenario of ``bench/run.py``: a worker's first request against its next ones.

A gunicorn worker starts when the server starts and again each time one is
recycled (``max_requests``) or killed. What its first request costs beyond
its hundredth is what every start adds to a user's wait. wrk cannot ask for
it (it talks to whichever worker accepts), so this drives the server's
master itself:

1. ``SIGTTOU`` until one worker is left (gunicorn stops the oldest), so the
   request after a restart can only reach the new worker;
2. ``starts`` times: ``SIGTERM`` the worker (as ``max_requests`` ends one),
   wait for the master's new worker to finish starting (its CPU time has stopped
   moving: imports and ``post_worker_init`` done, waiting for a connection),
   then time one request (the first) and ``requests`` more (the warm ones),
   one after the other on new connections, and the worker's CPU time for each;
3. ``SIGTTIN`` back to the number of workers it had.

The request is the day list (``GET /v1/food-entries?day=``), what the app asks
first on opening, rotated over the devices and days as ``scenarios.lua`` does.
Standard library only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import os
import re
import signal
import statistics
import time
from collections.abc import Callable
from pathlib import Path


def children(pid: int) -> set[int]:
    """The live child processes of ``pid``."""
    found: set[int] = set()
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            found.update(int(child) for child in (task / "children").read_text().split())
    return found


def cpu_seconds(pid: int) -> float:
    """CPU seconds ``pid``'s threads have run: nanoseconds from ``schedstat``.

    ``/proc/<pid>/stat`` counts in clock ticks (10 ms), coarser than one request.
    """
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # a thread that just ended
            total += int((task / "schedstat").read_text().split()[0])
    return total / 1e9


def wait_until(condition: Callable[[], object], *, seconds: float = 60, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        time.sleep(0.05)


def wait_idle(pid: int, *, quiet: float = 0.3) -> None:
    """Until ``pid``'s CPU time has not moved for ``quiet`` seconds: it has started."""
    last, since = cpu_seconds(pid), time.monotonic()
    deadline = since + 60
    while time.monotonic() - since < quiet:
        if time.monotonic() > deadline:
            raise TimeoutError(f"worker {pid} never went idle")
        time.sleep(0.05)
        now = cpu_seconds(pid)
        if now != last:
            last, since = now, time.monotonic()


def resize(master: int, workers: int) -> None:
    """``SIGTTIN``/``SIGTTOU`` one at a time (gunicorn queues at most five signals)."""
    while (current := len(children(master))) != workers:
        os.kill(master, signal.SIGTTIN if current < workers else signal.SIGTTOU)
        wait_until(lambda c=current: len(children(master)) != c, what="the worker count to change")
    for pid in children(master):
        wait_idle(pid)


class DayList:
    """The day-list requests of a wrk data file, rotated over its devices and days."""

    def __init__(self, data_file: Path) -> None:
        text = data_file.read_text()
        self.tokens = re.findall(r"token = '([^']+)'", text)
        self.days = int(re.search(r"days = (\d+)", text).group(1))
        self.start = dt.date.fromisoformat(re.search(r"start = '([0-9-]+)'", text).group(1))
        self.counter = 0

    def next(self) -> tuple[str, dict[str, str]]:
        self.counter += 1
        token = self.tokens[self.counter % len(self.tokens)]
        day = self.start + dt.timedelta(days=(self.counter * 7919) % self.days)
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        return f"/v1/food-entries?day={day.isoformat()}", headers


def timed_get(port: int, path: str, headers: dict[str, str]) -> tuple[int, float]:
    """Status and milliseconds of one GET on a new connection (a sync worker closes it)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    return response.status, (time.perf_counter() - started) * 1000


def one_start(master: int, port: int, requests: DayList, *, warm: int) -> dict:
    """Restart the only worker; its first request and ``warm`` more, timed."""
    (old,) = children(master)
    os.kill(old, signal.SIGTERM)
    wait_until(lambda: (pids := children(master)) and old not in pids, what="a new worker")
    (worker,) = children(master)
    wait_idle(worker)
    statuses, times, cpu = [], [], []
    for _ in range(1 + warm):
        before = cpu_seconds(worker)
        status, ms = timed_get(port, *requests.next())
        statuses.append(status)
        times.append(ms)
        cpu.append((cpu_seconds(worker) - before) * 1000)
    return {
        "first_ms": round(times[0], 2),
        "first_cpu_ms": round(cpu[0], 2),
        "warm_p50_ms": round(statistics.median(times[1:]), 2),
        "warm_cpu_ms": round(statistics.fmean(cpu[1:]), 3),
        "hundredth_ms": round(times[min(100, warm)], 2),
        "bad": sum(status >= 400 for status in statuses),
    }


def cold_starts(master: int, port: int, data_file: Path, *, starts: int, warm: int) -> dict:
    """``starts`` worker restarts of the server whose master is ``master``; medians and rounds.

    ``first_to_warm`` is the median over the starts of first request / median
    warm request (the target: at most 2). CPU is the worker's own, per request
    (``schedstat``: every thread of the worker, the database pool's included).
    """
    workers = len(children(master))
    requests = DayList(data_file)
    rounds = []
    try:
        resize(master, 1)
        for _ in range(starts):
            rounds.append(one_start(master, port, requests, warm=warm))
    finally:
        resize(master, workers)
    return {
        "first_ms": statistics.median(r["first_ms"] for r in rounds),
        "first_max_ms": max(r["first_ms"] for r in rounds),
        "warm_p50_ms": statistics.median(r["warm_p50_ms"] for r in rounds),
        "first_to_warm": round(
            statistics.median(r["first_ms"] / r["warm_p50_ms"] for r in rounds), 2
        ),
        "first_cpu_ms": statistics.median(r["first_cpu_ms"] for r in rounds),
        "warm_cpu_ms": statistics.median(r["warm_cpu_ms"] for r in rounds),
        "starts": starts,
        "warm_requests": warm,
        "bad": sum(r["bad"] for r in rounds),
        "rounds": rounds,
    }
