"""``manage.py purge_deleted --older-than 30d``: erase old tombstones for good."""

import re
from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from countonme.models import DeviceOwnedModel, device_owned_models, references_to

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


class Command(BaseCommand):
    help = (
        "Hard-delete soft-deleted rows older than the retention window, in small "
        "batches (each its own transaction), so it is safe to run while the API serves."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            default=f"{settings.SOFT_DELETE_RETENTION_DAYS}d",
            help="Age of the tombstones to erase, e.g. 30d, 12h, 2w "
            "(default: SOFT_DELETE_RETENTION_DAYS).",
        )
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            age = parse_age(options["older_than"])
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        cutoff = timezone.now() - age
        total = 0
        # Referencing models first (entries before portions before products),
        # so a product whose old entries go in this run can go too.
        for model in device_owned_models():
            removed = self.purge_model(model, cutoff, options["batch_size"])
            total += removed
            self.stdout.write(f"{model._meta.label}: {removed} removed")
        self.stdout.write(f"Removed {total} soft-deleted rows older than {options['older_than']}.")

    def purge_model(self, model: type[DeviceOwnedModel], cutoff: Any, batch_size: int) -> int:
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
                    self.remember_purge(model, batch)
                    removed += (
                        purgeable(model, cutoff)
                        .filter(pk__in=[pk for pk, _, _ in batch])
                        ._raw_delete(model.all_objects.db)
                    )
            except IntegrityError as error:
                self.stderr.write(
                    f"{model._meta.label}: a batch is still referenced ({error}); "
                    "it stays until the next run."
                )
                return removed

    @staticmethod
    def remember_purge(model: type[DeviceOwnedModel], batch: list[tuple]) -> None:
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
