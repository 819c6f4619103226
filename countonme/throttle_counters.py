"""Counters behind the throttles, shared by every worker process and incremented atomically.

Two stores: Redis (``REDIS_URL``: ``INCR``, shared by every host) and, without
Redis, a small SQLite file under ``var/`` (one ``INSERT ... ON CONFLICT DO
UPDATE ... RETURNING`` statement per hit, serialised by SQLite's lock, shared
by the workers of one host). Django's file cache is not used: its increment
is a read then a write, so concurrent requests lose counts, and every write
lists the whole cache directory.
"""

import random
import sqlite3
import threading
import time
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import receiver

# One hit in this many also sweeps expired counters out of the SQLite file.
_SWEEP_ONE_IN = 1000


class Counters(Protocol):
    """Named counters that expire."""

    def hit(self, key: str, ttl: int) -> int:
        """Add one to ``key`` (created with a life of ``ttl`` seconds); the new count."""

    def peek(self, key: str) -> int:
        """The count of ``key``, 0 when absent or expired."""

    def clear(self) -> None:
        """Forget every counter (tests)."""


class RedisCounters:
    """Counters in the Django cache backed by Redis (``INCR`` is atomic)."""

    def __init__(self) -> None:
        self.cache = caches["default"]

    def hit(self, key: str, ttl: int) -> int:
        self.cache.add(key, 0, timeout=ttl)  # sets the expiry once, on creation
        try:
            return self.cache.incr(key)
        except ValueError:  # expired between add() and incr()
            self.cache.set(key, 1, timeout=ttl)
            return 1

    def peek(self, key: str) -> int:
        return self.cache.get(key, 0)

    def clear(self) -> None:
        self.cache.clear()


class SQLiteCounters:
    """Counters in a SQLite file: atomic across the processes and threads of one host."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.local = threading.local()

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (sqlite3 connections are not shared across threads)."""
        connection = getattr(self.local, "connection", None)
        if connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS counters "
                "(key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)"
            )
            self.local.connection = connection
        return connection

    def hit(self, key: str, ttl: int) -> int:
        now = time.time()
        connection = self.connection()
        (count,) = connection.execute(
            "INSERT INTO counters (key, count, expires) VALUES (?, 1, ?) "
            "ON CONFLICT (key) DO UPDATE SET "
            "count = CASE WHEN expires <= ? THEN 1 ELSE count + 1 END, "
            "expires = CASE WHEN expires <= ? THEN excluded.expires ELSE expires END "
            "RETURNING count",
            (key, now + ttl, now, now),
        ).fetchone()
        if random.randrange(_SWEEP_ONE_IN) == 0:  # noqa: S311 - not security related
            connection.execute("DELETE FROM counters WHERE expires <= ?", (now,))
        return count

    def peek(self, key: str) -> int:
        row = (
            self.connection()
            .execute("SELECT count FROM counters WHERE key = ? AND expires > ?", (key, time.time()))
            .fetchone()
        )
        return row[0] if row else 0

    def clear(self) -> None:
        self.connection().execute("DELETE FROM counters")


@cache
def _counters(redis_url: str, path: str) -> Counters:
    return RedisCounters() if redis_url else SQLiteCounters(Path(path))


def throttle_counters() -> Counters:
    """The store the settings ask for: Redis when ``REDIS_URL`` is set, else the SQLite file."""
    return _counters(settings.REDIS_URL, str(settings.THROTTLE_COUNTERS_PATH))


@receiver(setting_changed)
def _forget_stores(setting: str, **kwargs: object) -> None:
    if setting in {"REDIS_URL", "THROTTLE_COUNTERS_PATH", "CACHES"}:
        _counters.cache_clear()
