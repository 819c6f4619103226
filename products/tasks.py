"""Catalog imports as Celery jobs: a whole dump on demand, the Open Food Facts deltas by the beat.

Paths are paths on the worker's host (a volume every worker mounts). Start a
whole import from any host with the project's settings:

    celery -A countonme.jobs call products.import_catalog --kwargs \\
        '{"source": "off", "path": "/data/openfoodfacts-products.jsonl.gz"}'

and follow it with ``celery -A countonme.jobs result <id>`` (state ``PROGRESS``
with ``{"phase", "done", "total", "items"}`` while it runs).
"""

import logging
from pathlib import Path

from celery import Task, shared_task
from django.conf import settings

from countonme.jobs.locks import JobAlreadyRunning
from countonme.jobs.progress import task_state_reporter
from products.catalog_import.upsert import DEFAULT_BATCH_SIZE
from products.catalog_jobs import import_catalog_once, import_off_deltas_once, summary_fields

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="products.import_catalog")
def import_catalog(
    self: Task, source: str, path: str, batch_size: int = DEFAULT_BATCH_SIZE
) -> dict:
    """Import a dump into the catalog (``manage.py import_catalog``'s sources and files).

    Returns the import's summary (``read``, ``created``, ``updated``,
    ``unchanged``, ``skipped`` by reason, ...) or ``{"skipped": reason}`` when
    another catalog import is running. An unreadable file fails the task with
    the reader's message; the batches before it stay committed.
    """
    try:
        summary = import_catalog_once(
            source=source,
            path=Path(path),
            batch_size=batch_size,
            report=task_state_reporter(self),
        )
    except JobAlreadyRunning as running:
        logger.info("%s", running)
        return {"skipped": str(running)}
    logger.info("catalog-import: %s (%s) done: %s", path, source, " / ".join(summary.lines()))
    return summary_fields(summary)


@shared_task(bind=True, name="products.import_off_deltas")
def import_off_deltas(self: Task, directory: str | None = None) -> dict:
    """Apply the new Open Food Facts delta files of ``directory`` (default ``OFF_DELTA_DIR``).

    Returns ``{"applied": [{"name", "created", "updated", ...}]}``, ``{"skipped":
    reason}`` when another catalog import is running or no directory is set.
    """
    directory = directory or settings.OFF_DELTA_DIR
    if not directory:
        return {"skipped": "OFF_DELTA_DIR is not set."}
    try:
        applied = import_off_deltas_once(
            directory=Path(directory), report=task_state_reporter(self)
        )
    except JobAlreadyRunning as running:
        logger.info("%s", running)
        return {"skipped": str(running)}
    files = [
        {
            "name": delta.name,
            "read": delta.read,
            "created": delta.created,
            "updated": delta.updated,
            "unchanged": delta.unchanged,
            "skipped": delta.skipped,
        }
        for delta in applied
    ]
    logger.info("catalog-import: %s Open Food Facts delta files applied", len(files))
    return {"applied": files}
