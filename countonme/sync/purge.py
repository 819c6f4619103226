"""The purge policy: erase old tombstones for good, and tell sync what it erased.

Soft-deleted rows stay as tombstones so every device's sync learns of the
deletion (see ``countonme.sync.changes``). After the retention window they are
erased in small batches; each batch raises the device's ``purged_version`` so a
client whose cursor is older than an erased tombstone is told to start over.
``manage.py purge_deleted`` and the Celery job ``countonme.purge_deleted`` call
:func:`purge_deleted_once`: the purge under the job's single-run lock.

Two purges at once are safe even without the lock (a lock that expired, two
hosts without a shared Redis): each batch is one short transaction whose
DELETE re-checks its rows, so a row the other run erased first is counted by
that run only, and the device counters are raised with ``GREATEST``.
``tests/test_purge.py`` races two of them.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from countonme.base.models import DeviceOwnedModel, device_owned_models, references_to
from countonme.jobs.locks import single_run
from countonme.jobs.progress import JobProgress

PURGE_JOB = "purge-deleted"

_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_age(text: str) -> timedelta:
    """``"30d"`` → 30 days; also ``m``inutes, ``h``ours, ``w``eeks."""
    match = re.fullmatch(r"\s*(\d+)\s*([mhdw])\s*", text)
    if not match:
        raise ValueError(f"{text!r} is not an age like 30d, 12h or 2w.")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def purgeable(model: type[DeviceOwnedModel], cutoff: Any) -> models.QuerySet:
    """Rows of ``model`` soft-deleted before ``cutoff`` that no row of any model points at.

    A tombstone still referenced (a deleted product, or its portion, that
    past food entries use) stays: the entries are history and keep their
    foreign keys. Every reference counts, hidden ones (``related_name="+"``)
    and references from rows that are themselves deleted included.
    """
    rows = model.all_objects.filter(deleted_at__lt=cutoff)
    for relation in references_to(model):
        referencing = relation.related_model._base_manager.filter(
            **{relation.field.name: OuterRef(relation.field.target_field.attname)}
        )
        rows = rows.filter(~Exists(referencing))
    return rows


def purge_deleted_once(
    *,
    older_than: timedelta,
    batch_size: int = 1000,
    warn: Callable[[str], Any] = print,
    report: Callable[[dict[str, Any]], Any] | None = None,
) -> dict[str, int]:
    """:func:`purge_deleted` under the purge's single-run lock, reporting progress.

    ``report`` receives ``{"job", "phase" (the model), "items" (rows removed so
    far), ...}`` about once a second. Raises
    ``countonme.jobs.locks.JobAlreadyRunning`` when another purge holds the lock.
    """
    with single_run(PURGE_JOB) as lease:
        progress = JobProgress(PURGE_JOB, lease=lease, report=report)
        return purge_deleted(
            older_than=older_than, batch_size=batch_size, warn=warn, progress=progress
        )


def purge_deleted(
    *,
    older_than: timedelta,
    batch_size: int = 1000,
    warn: Callable[[str], Any] = print,
    progress: JobProgress | None = None,
) -> dict[str, int]:
    """Erase every device-owned row soft-deleted more than ``older_than`` ago.

    Returns ``{"app.Model": rows removed}`` in purge order. Referencing models
    go first (entries before portions before products), so a product whose old
    entries go in this run can go too. ``warn`` receives the message for a batch
    left for the next run; ``progress`` hears of each model and batch. Raises
    ``ValueError`` for a batch size below 1.
    """
    if batch_size < 1:
        raise ValueError("--batch-size must be at least 1.")
    cutoff = timezone.now() - older_than
    removed = {}
    for model in device_owned_models():
        if progress is not None:
            progress.start(model._meta.label, 0)
        removed[model._meta.label] = _purge_model(model, cutoff, batch_size, warn, progress)
    return removed


def _purge_model(
    model: type[DeviceOwnedModel],
    cutoff: Any,
    batch_size: int,
    warn: Callable[[str], Any],
    progress: JobProgress | None,
) -> int:
    """Erase ``model``'s purgeable rows, one short transaction per batch.

    The DELETE checks the references again, and a batch that still trips a
    foreign key (a row restored and referenced between the two statements)
    is rolled back and left for the next run with a warning, so one row
    never fails the whole purge, nor every later one.
    """
    removed = 0
    while True:
        try:
            with transaction.atomic():
                batch = list(
                    purgeable(model, cutoff)
                    .order_by("pk")
                    .values_list("pk", "device_id", "version")[:batch_size]
                )
                if not batch:
                    return removed
                _remember_purge(model, batch)
                erased = (
                    purgeable(model, cutoff)
                    .filter(pk__in=[pk for pk, _, _ in batch])
                    ._raw_delete(model.all_objects.db)
                )
            removed += erased
            if progress is not None:
                progress.add(erased)
        except IntegrityError as error:
            warn(
                f"{model._meta.label}: a batch is still referenced ({error}); "
                "it stays until the next run."
            )
            return removed


def _remember_purge(model: type[DeviceOwnedModel], batch: list[tuple]) -> None:
    """Raise each device's ``purged_version`` to the newest tombstone erased (one UPDATE).

    Sync compares it with a client's cursor: a cursor older than an erased
    tombstone missed a deletion, and the client is told to start over.
    """
    newest: dict[Any, int] = defaultdict(int)
    for _, device_id, version in batch:
        newest[device_id] = max(newest[device_id], version)
    device_model = model.device_model()
    device_model._default_manager.filter(pk__in=list(newest)).update(
        purged_version=Greatest(
            F("purged_version"),
            Case(
                *[When(Q(pk=pk), then=Value(version)) for pk, version in newest.items()],
                default=F("purged_version"),
                output_field=models.BigIntegerField(),
            ),
        )
    )
