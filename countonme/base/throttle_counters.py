"""Counters behind the throttles, shared by every worker process and incremented atomically.

Two stores: Redis (``REDIS_URL``: ``INCR``, shared by every host) and, without
Redis, a small SQLite file under ``var/`` (one ``INSERT ... ON CONFLICT DO
UPDATE ... RETURNING`` statement per hit, serialised by SQLite's lock, shared
by the workers of one host). Django's file cache is not used: its increment
is a read then a write, so concurrent requests lose counts, and every write
lists the whole cache directory.

A throttle check is ``hit_window``: count this window and read the previous
one. On Redis that is one Lua script, so one round trip (the cache API took
four: ``add``, ``exists`` + ``incrby``, ``get``) — each round trip is a wait
for the GIL among the worker's threads on return.
"""

import random
import sqlite3
import threading
import time
from functools import cache
from pathlib import Path
from typing import Protocol

import redis
from django.conf import settings
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

    def hit_window(self, key: str, previous_key: str, ttl: int) -> tuple[int, int]:
        """``hit(key, ttl)`` and ``peek(previous_key)`` together: (new count, previous count)."""

    def release(self, key: str) -> None:
        """Take back one hit of ``key`` (a refused call); nothing when it is absent or 0."""

    def clear(self) -> None:
        """Forget every counter (tests)."""


# INCR the current window's counter (its expiry set on creation, in the same atomic
# step) and read the previous window's: one round trip, atomic on the server.
_HIT_WINDOW = """
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local previous = 0
if KEYS[2] then previous = tonumber(redis.call('GET', KEYS[2]) or '0') end
return {current, previous}
"""
# Take one back, only from a live counter: a DECR of an absent key would create
# it at -1 with no expiry.
_RELEASE = """
if (tonumber(redis.call('GET', KEYS[1]) or '0')) > 0 then redis.call('DECR', KEYS[1]) end
return 0
"""
_KEY_PREFIX = "countonme:"


class RedisCounters:
    """Counters in Redis: ``INCR`` in a Lua script, atomic across every process and host."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url)  # a connection pool per process, thread-safe
        self.script = self.client.register_script(_HIT_WINDOW)  # EVALSHA, EVAL on a miss
        self.release_script = self.client.register_script(_RELEASE)

    def hit(self, key: str, ttl: int) -> int:
        current, _ = self.script(keys=[_KEY_PREFIX + key], args=[ttl])
        return int(current)

    def peek(self, key: str) -> int:
        return int(self.client.get(_KEY_PREFIX + key) or 0)

    def hit_window(self, key: str, previous_key: str, ttl: int) -> tuple[int, int]:
        current, previous = self.script(
            keys=[_KEY_PREFIX + key, _KEY_PREFIX + previous_key], args=[ttl]
        )
        return int(current), int(previous)

    def release(self, key: str) -> None:
        self.release_script(keys=[_KEY_PREFIX + key])

    def clear(self) -> None:
        self.client.flushdb()


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

    def hit_window(self, key: str, previous_key: str, ttl: int) -> tuple[int, int]:
        # No network here: two statements on this thread's connection cost microseconds.
        return self.hit(key, ttl), self.peek(previous_key)

    def peek(self, key: str) -> int:
        row = (
            self.connection()
            .execute("SELECT count FROM counters WHERE key = ? AND expires > ?", (key, time.time()))
            .fetchone()
        )
        return row[0] if row else 0

    def release(self, key: str) -> None:
        self.connection().execute(
            "UPDATE counters SET count = count - 1 WHERE key = ? AND count > 0 AND expires > ?",
            (key, time.time()),
        )

    def clear(self) -> None:
        self.connection().execute("DELETE FROM counters")


@cache
def _counters(redis_url: str, path: str) -> Counters:
    return RedisCounters(redis_url) if redis_url else SQLiteCounters(Path(path))


def throttle_counters() -> Counters:
    """The store the settings ask for: Redis when ``REDIS_URL`` is set, else the SQLite file."""
    return _counters(settings.REDIS_URL, str(settings.THROTTLE_COUNTERS_PATH))


@receiver(setting_changed)
def _forget_stores(setting: str, **kwargs: object) -> None:
    if setting in {"REDIS_URL", "THROTTLE_COUNTERS_PATH", "CACHES"}:
        _counters.cache_clear()
