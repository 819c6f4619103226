"""The purge as a Celery job (``countonme.purge_deleted``), scheduled daily by the beat."""

import logging
from typing import Any

from celery import Task, shared_task
from django.conf import settings

from countonme.jobs.locks import JobAlreadyRunning
from countonme.jobs.progress import task_state_reporter
from countonme.sync.purge import parse_age, purge_deleted_once

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="countonme.purge_deleted")
def purge_deleted(self: Task, older_than: str | None = None, batch_size: int = 1000) -> dict:
    """Erase tombstones older than ``older_than`` (``"30d"``; default the retention setting).

    Returns ``{"removed": {"app.Model": n}, "total": n}``, or ``{"skipped":
    reason}`` when another purge holds the lock. Safe to run twice at once.
    """
    age = older_than or f"{settings.SOFT_DELETE_RETENTION_DAYS}d"
    try:
        removed = purge_deleted_once(
            older_than=parse_age(age),
            batch_size=batch_size,
            warn=logger.warning,
            report=task_state_reporter(self),
        )
    except JobAlreadyRunning as running:
        logger.info("%s", running)
        return {"skipped": str(running)}
    result: dict[str, Any] = {"removed": removed, "total": sum(removed.values())}
    logger.info("purge-deleted: removed %s rows older than %s", result["total"], age)
    return result
