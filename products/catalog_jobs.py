"""Catalog imports as jobs: a whole dump, and the scheduled Open Food Facts deltas.

Both wrap the importers as ``manage.py import_catalog`` runs them (the readers
and ``import_records``, untouched): they add the single-run lock that keeps
catalog writers one at a time across hosts, and progress reports (the bytes
of the file read, the foods read) for Celery's result backend and the log.
The Celery tasks (``products.tasks``) and ``manage.py import_off_deltas`` call
them; ``manage.py import_catalog`` stays the plain command.

Safe to run twice: a second copy finds the lock taken and ends (raising
``JobAlreadyRunning``); without the lock (expired) it would upsert the same
rows to the same values, idempotent by ``(source, source_id)``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from countonme.jobs.locks import single_run
from countonme.jobs.progress import JobProgress
from products.catalog_import.inputs import InputError
from products.catalog_import.off import read_off
from products.catalog_import.upsert import DEFAULT_BATCH_SIZE, ImportSummary, import_records
from products.management.commands.import_catalog import READERS
from products.models import CatalogDeltaFile

CATALOG_IMPORT_JOB = "catalog-import"
# Open Food Facts' delta files are JSONL, gzipped (`products_<from>_<to>.json.gz`);
# a file still being written under another name (`.part`, `.tmp`) is not read.
DELTA_FILE = re.compile(r"[^.].*\.(json|jsonl)(\.gz)?")

Report = Callable[[dict[str, Any]], Any] | None


def summary_fields(summary: ImportSummary) -> dict[str, Any]:
    """An import's summary as plain JSON values (a task's result)."""
    fields = dataclasses.asdict(summary)
    fields["skipped"] = dict(summary.skipped)
    fields["measures_dropped"] = dict(summary.measures_dropped)
    fields["seconds"] = round(summary.seconds, 1)
    return fields


def import_catalog_once(
    *, source: str, path: Path, batch_size: int = DEFAULT_BATCH_SIZE, report: Report = None
) -> ImportSummary:
    """Import the dump at ``path`` (``--source`` ``source``), as ``manage.py import_catalog`` does.

    Raises ``JobAlreadyRunning`` when another catalog import holds the lock,
    ``InputError`` for an unknown source or an unreadable dump, and what the
    readers raise for a truncated one (``OSError``, ``EOFError``); every batch
    before the error is committed, so running it again completes it.
    """
    if source not in READERS:
        raise InputError(f"Unknown source {source!r}: use one of {', '.join(sorted(READERS))}.")
    if not path.exists():
        raise InputError(f"{path}: no such file or directory.")
    with single_run(CATALOG_IMPORT_JOB) as lease:
        progress = JobProgress(CATALOG_IMPORT_JOB, lease=lease, report=report)
        records = READERS[source](path=path, progress=progress)
        return import_records(records=progress.count(records), batch_size=batch_size)


def pending_delta_files(directory: Path) -> list[Path]:
    """The delta files of ``directory`` not applied yet, oldest first (by name)."""
    if not directory.is_dir():
        raise InputError(f"{directory}: no such directory.")
    applied = set(CatalogDeltaFile.objects.values_list("name", flat=True))
    return sorted(
        path
        for path in directory.iterdir()
        if path.is_file() and DELTA_FILE.fullmatch(path.name) and path.name not in applied
    )


def import_off_deltas_once(
    *, directory: Path, batch_size: int = DEFAULT_BATCH_SIZE, report: Report = None
) -> list[CatalogDeltaFile]:
    """Apply the Open Food Facts delta files of ``directory`` not applied yet, in name order.

    Each file is recorded (``CatalogDeltaFile``) once imported, so the next run
    skips it; a file cut short is imported again from its start next time
    (upserts: nothing doubles). The first unreadable file stops the run (a
    later delta must not be applied before an earlier one) with the error the
    reader raised. Returns the files applied by this run. Raises
    ``JobAlreadyRunning`` when another catalog import holds the lock.
    """
    applied = []
    with single_run(CATALOG_IMPORT_JOB) as lease:
        progress = JobProgress(CATALOG_IMPORT_JOB, lease=lease, report=report)
        for path in pending_delta_files(directory):
            size = path.stat().st_size
            records = read_off(path=path, progress=progress)
            summary = import_records(records=progress.count(records), batch_size=batch_size)
            # update_or_create: a copy that ran past an expired lock recorded it too.
            record, _ = CatalogDeltaFile.objects.update_or_create(
                name=path.name,
                defaults={
                    "size_bytes": size,
                    "read": summary.read,
                    "created": summary.created,
                    "updated": summary.updated,
                    "unchanged": summary.unchanged,
                    "skipped": summary.skipped.total(),
                },
            )
            applied.append(record)
    return applied
