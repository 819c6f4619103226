"""Temporary on-disk SQLite tables: join and de-duplicate multi-GB dumps in flat memory.

Why on disk. A food's nutrients and measures live in files of their own
(FDC ``food_nutrient.csv``, SR28 ``NUT_DATA.txt``), one row per food and
nutrient. The full FDC download's ``food_nutrient.csv`` is several GB, and
its rows are not grouped by food in every release, so a merge join on sort
order could silently attach nutrients to the wrong food; keeping even the
four nutrients we need for two million branded foods in Python dicts would
cost hundreds of MB. Instead each child file is streamed once into an SQLite
file in the temporary directory (only the rows we need), indexed, then
looked up by batches of food ids while the food file itself is streamed.
SQLite works through a bounded page cache, so memory stays flat whatever
the input size; the price is disk space for the kept rows (about a tenth of
the CSV) and one index build. The same scratch database remembers which
source ids an import has already met, so duplicates in a dump are caught
however far apart they are.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

# Host parameters per statement: stays under SQLite's historical limit of 999.
LOOKUP_CHUNK = 900
PAGE_CACHE_KIB = 16 * 1024  # SQLite's page cache: the memory this module may use


class ScratchDatabase:
    """An SQLite file in a private temporary directory, deleted on close.

    Durability is switched off: the file lives only for one import, and a
    crash simply discards it.
    """

    def __init__(self) -> None:
        self._directory = tempfile.TemporaryDirectory(prefix="catalog-import-")
        self.connection = sqlite3.connect(Path(self._directory.name) / "scratch.sqlite3")
        for pragma in (
            "journal_mode = OFF",
            "synchronous = OFF",
            "temp_store = FILE",  # index builds sort on disk, not in memory
            f"cache_size = -{PAGE_CACHE_KIB}",
        ):
            self.connection.execute(f"PRAGMA {pragma}")

    def close(self) -> None:
        """Drop the database file."""
        self.connection.close()
        self._directory.cleanup()

    def __enter__(self) -> ScratchDatabase:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class ChildTables(ScratchDatabase):
    """Rows that belong to a parent (a food): bulk-loaded once, then looked up by parent ids.

    ``columns`` maps each table name to its number of value columns; every
    row is ``(parent_id, value, ...)`` with text values.
    """

    def __init__(self, *, columns: dict[str, int]) -> None:
        super().__init__()
        self._columns = columns
        self._indexed: set[str] = set()
        for table, count in columns.items():
            values = ", ".join(f"v{i} TEXT" for i in range(count))
            self.connection.execute(f"CREATE TABLE {table} (parent TEXT NOT NULL, {values})")

    def load(self, table: str, rows: Iterable[Sequence[str]]) -> None:
        """Append ``rows`` to ``table``, consuming the iterable lazily (one transaction)."""
        marks = ", ".join("?" * (self._columns[table] + 1))
        with self.connection:
            self.connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)  # noqa: S608 - table names are ours

    def lookup(self, table: str, parents: Sequence[str]) -> dict[str, list[tuple[str, ...]]]:
        """The value tuples of each of ``parents`` in ``table``, in the order they were loaded."""
        if table not in self._indexed:
            # Built once after the bulk load: far cheaper than maintaining it per insert.
            self.connection.execute(f"CREATE INDEX {table}_parent ON {table} (parent)")
            self._indexed.add(table)
        found: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for start in range(0, len(parents), LOOKUP_CHUNK):
            chunk = parents[start : start + LOOKUP_CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = self.connection.execute(
                f"SELECT * FROM {table} WHERE parent IN ({marks}) ORDER BY rowid",  # noqa: S608
                chunk,
            )
            for parent, *values in rows:
                found[parent].append(tuple(values))
        return found


class SeenKeys(ScratchDatabase):
    """The keys an import has met so far, for first-occurrence-wins de-duplication."""

    def __init__(self) -> None:
        super().__init__()
        self.connection.execute("CREATE TABLE seen (key TEXT PRIMARY KEY) WITHOUT ROWID")

    def first_sightings(self, keys: Sequence[str]) -> list[bool]:
        """For each of ``keys``: is this its first sighting, in earlier calls or in ``keys``?"""
        known: set[str] = set()
        for start in range(0, len(keys), LOOKUP_CHUNK):
            chunk = keys[start : start + LOOKUP_CHUNK]
            marks = ", ".join("?" * len(chunk))
            known.update(
                key
                for (key,) in self.connection.execute(
                    f"SELECT key FROM seen WHERE key IN ({marks})",  # noqa: S608
                    chunk,
                )
            )
        firsts = []
        for key in keys:
            firsts.append(key not in known)
            known.add(key)
        with self.connection:
            self.connection.executemany(
                "INSERT OR IGNORE INTO seen VALUES (?)", ((key,) for key in set(keys))
            )
        return firsts
