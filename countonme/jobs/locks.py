"""A job's single-run lock: a second copy of a job ends at once instead of running twice.

Where the lock lives follows the throttle counters (``countonme.base.throttle_counters``):
in Redis when ``REDIS_URL`` is set (redis-py's ``Lock``: ``SET NX`` with an
expiry, released only by its holder), shared by every host; without Redis, an
``flock`` on a file under ``var/jobs/``, shared by the processes of this host,
released by the kernel when its holder dies. Never a PostgreSQL advisory lock:
a session-level one would be held by whichever server connection PgBouncer
handed out, and a transaction-level one would need a transaction open for the
whole job.

The Redis lock expires ``JOBS_LOCK_SECONDS`` after the job last renewed it, so
a copy killed without releasing it delays the next run by at most that. A job
renews it as it makes progress (``Lease.renew``, cheap to call often). If a job
stalls past the expiry and a second copy starts, nothing breaks: the jobs are
idempotent and safe to run concurrently (the purge's batches are short
transactions; imports upsert), the lock only saves the duplicate work.
"""

import fcntl
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import redis
from django.conf import settings
from redis.exceptions import LockError

# Renewing costs a round trip; once in this many seconds is plenty.
_RENEW_EVERY_SECONDS = 5


class JobAlreadyRunning(Exception):
    """Another copy of the job holds its lock."""

    def __init__(self, job: str) -> None:
        super().__init__(f"{job} is already running elsewhere; this copy did nothing.")
        self.job = job


class Lease:
    """The held lock: ``renew()`` pushes its expiry back (Redis) or does nothing (a file lock)."""

    def __init__(self, lock: redis.lock.Lock | None = None) -> None:
        self._lock = lock
        self._renewed = time.monotonic()

    def renew(self) -> None:
        """Tell the lock the job is alive; at most one round trip every few seconds."""
        if self._lock is None or time.monotonic() - self._renewed < _RENEW_EVERY_SECONDS:
            return
        self._lock.extend(settings.JOBS_LOCK_SECONDS, replace_ttl=True)
        self._renewed = time.monotonic()


@contextmanager
def single_run(job: str) -> Iterator[Lease]:
    """Hold ``job``'s lock for the block; raises ``JobAlreadyRunning`` if another copy has it."""
    if settings.REDIS_URL:
        with _redis_lock(job) as lease:
            yield lease
    else:
        with _file_lock(job) as lease:
            yield lease


@contextmanager
def _redis_lock(job: str) -> Iterator[Lease]:
    client = redis.Redis.from_url(settings.REDIS_URL)
    lock = client.lock(
        f"countonme:job-lock:{job}",
        timeout=settings.JOBS_LOCK_SECONDS,
        blocking=False,
        # The lock's token is not per thread: a job may renew it from any thread.
        thread_local=False,
    )
    # A fresh token names this copy in Redis (MONITOR, a stuck lock's value).
    if not lock.acquire(token=f"{os.getpid()}:{uuid.uuid4().hex}"):
        client.close()
        raise JobAlreadyRunning(job)
    try:
        yield Lease(lock)
    finally:
        # LockError: it expired while the job ran (and maybe another copy took
        # it): it is not ours to release any more.
        with suppress(LockError):
            lock.release()
        client.close()


@contextmanager
def _file_lock(job: str) -> Iterator[Lease]:
    directory = Path(settings.VAR_DIR) / "jobs"
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / f"{job}.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise JobAlreadyRunning(job) from None
        try:
            yield Lease()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
