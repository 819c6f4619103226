"""Shared model bases: soft delete, device ownership and change stamping for sync.

Soft delete (docs/api.md §1): ``objects`` holds live rows and is the
default manager, ``all_objects`` holds every row; ``delete()`` on an instance
or a queryset sets ``deleted_at`` (one UPDATE for a queryset); ``restore()``
undoes it; ``hard_delete()`` erases for real.

Change stamping: every write to a device-owned row takes the next value of a
per-device counter (``last_version`` on the device row) in the same
transaction and stamps it on the row as ``version``. Incrementing the counter
locks the device row until commit, so one device's writes commit in version
order; sync (``countonme.sync.changes``) relies on that to never skip a row. The
stamping lives in ``save()``, in ``QuerySet.update()`` (so soft deletes,
restores and ``bulk_update`` stamp too) and in ``bulk_create()``: code that
writes through the ORM cannot forget it.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, Self

from django.apps import apps
from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from countonme.base.compiled import CompiledQuery

# Rows that are not soft-deleted: the condition of live-only constraints and indexes.
LIVE = Q(deleted_at__isnull=True)


@cache
def _write_lock(owner: type[models.Model]) -> CompiledQuery:
    # SELECT ... FOR UPDATE of the owner's row, compiled once per process and model:
    # every write takes it, and building it through the ORM cost ~0.4 ms of Python.
    return CompiledQuery(
        lambda pk: (
            owner._default_manager.select_for_update().filter(pk=pk).order_by().values_list("pk")
        )
    )


class ChangeCounterModel(models.Model):
    """An owner of synced rows: hands out the versions stamped on them."""

    last_version = models.BigIntegerField(
        default=0,
        editable=False,
        help_text="Highest change version stamped on any row this owner has.",
    )
    purged_version = models.BigIntegerField(
        default=0,
        editable=False,
        help_text=(
            "Highest version of a tombstone erased by purge_deleted: a sync cursor "
            "older than this may have missed a deletion."
        ),
    )

    class Meta:
        abstract = True

    def lock_for_writes(self) -> bool:
        """Hold this owner's row lock until the transaction ends; False if it is gone.

        Serialises the owner's writers on PostgreSQL (and an erasure with
        them); SQLite needs nothing more (its IMMEDIATE transactions already
        admit one writer at a time). Raises ``TransactionManagementError``
        outside a transaction, as ``select_for_update()`` does (the compiled
        query skips the ORM's own check, which runs only while compiling).
        """
        if connections[router.db_for_write(type(self))].get_autocommit():
            raise transaction.TransactionManagementError(
                "lock_for_writes() outside a transaction would lock nothing."
            )
        return bool(_write_lock(type(self)).fetch(pk=self.pk))

    @classmethod
    def next_version(cls, pk: Any, *, using: str = "default") -> int:
        """Increment the owner's counter and return the new value.

        One ``UPDATE ... RETURNING`` statement (PostgreSQL and SQLite 3.35+).
        On PostgreSQL it holds the owner's row lock until the surrounding
        transaction ends, which serialises the owner's writers.
        """
        connection = connections[using]
        table = connection.ops.quote_name(cls._meta.db_table)
        counter = connection.ops.quote_name(cls._meta.get_field("last_version").column)
        pk_field = cls._meta.pk
        key = connection.ops.quote_name(pk_field.column)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {counter} = {counter} + 1 "  # noqa: S608 - names are quoted identifiers
                f"WHERE {key} = %s RETURNING {counter}",
                [pk_field.get_db_prep_value(pk, connection)],
            )
            row = cursor.fetchone()
        if row is None:
            raise cls.DoesNotExist(f"No {cls._meta.verbose_name} with pk {pk}.")
        return row[0]


class SoftDeleteQuerySet(models.QuerySet):
    """Queryset whose ``delete()`` hides rows instead of erasing them."""

    def live(self) -> Self:
        """Rows that are not soft-deleted."""
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> Self:
        """Soft-deleted rows only."""
        return self.filter(deleted_at__isnull=False)

    def delete(self) -> tuple[int, dict[str, int]]:  # type: ignore[override]
        """Soft-delete every live row of the queryset in one UPDATE."""
        count = self.live().update(deleted_at=timezone.now())
        return count, {self.model._meta.label: count}

    def restore(self) -> int:
        """Bring soft-deleted rows of the queryset back, in one UPDATE."""
        return self.deleted().update(deleted_at=None)

    def hard_delete(self) -> tuple[int, dict[str, int]]:
        """Erase the rows for real (Django's cascading delete)."""
        return super().delete()


class LiveManager(models.Manager.from_queryset(SoftDeleteQuerySet)):  # type: ignore[misc]
    """The default manager: live rows only."""

    def get_queryset(self) -> SoftDeleteQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class SoftDeleteModel(models.Model):
    """UUID primary key (clients may choose it), timestamps and soft delete."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)

    # Declared first, so it is the default manager: a forgotten filter shows
    # fewer rows, never deleted ones.
    objects = LiveManager()
    all_objects = models.Manager.from_queryset(SoftDeleteQuerySet)()

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        """Whether the row is soft-deleted."""
        return self.deleted_at is not None

    def delete(self, using: str | None = None, keep_parents: bool = False) -> tuple[int, dict]:
        """Soft delete: set ``deleted_at`` and save."""
        if self.deleted_at is None:
            self.deleted_at = timezone.now()
            self.save(using=using, update_fields=["deleted_at"])
        return 1, {self._meta.label: 1}

    def restore(self) -> None:
        """Undo a soft delete."""
        if self.deleted_at is not None:
            self.deleted_at = None
            self.save(update_fields=["deleted_at"])

    def hard_delete(self) -> tuple[int, dict[str, int]]:
        """Erase the row for real (Django's cascading delete)."""
        return super().delete()


class DeviceOwnedQuerySet(SoftDeleteQuerySet):
    """Queryset of device-owned rows: every bulk write stamps a fresh version."""

    def update(self, **kwargs: Any) -> int:
        """UPDATE the rows and stamp each device's rows with that device's next version.

        Three statements whatever the number of rows: find the devices, bump
        their counters (locking them), update the rows of those devices.
        """
        device_model = self.model.device_model()
        with transaction.atomic(using=self.db, savepoint=False):
            device_ids = list(self.order_by().values_list("device_id", flat=True).distinct())
            if not device_ids:
                return 0
            devices = device_model._default_manager.using(self.db).filter(pk__in=device_ids)
            if len(device_ids) > 1:
                # Lock in a fixed order so two multi-device updates cannot deadlock.
                list(devices.select_for_update().order_by("pk").values_list("pk", flat=True))
            devices.update(last_version=F("last_version") + 1)
            kwargs.setdefault("updated_at", timezone.now())
            kwargs["version"] = Subquery(
                device_model._default_manager.filter(pk=OuterRef("device_id")).values(
                    "last_version"
                )[:1]
            )
            # Only rows of devices bumped above: a row of another device that
            # appeared meanwhile must not get a version its device never issued.
            return models.QuerySet.update(self.filter(device_id__in=device_ids), **kwargs)

    def bulk_create(self, objs: Iterable[models.Model], *args: Any, **kwargs: Any) -> list:
        """INSERT many rows; each device's rows share one fresh version."""
        objs = list(objs)
        device_model = self.model.device_model()
        by_device: dict[Any, list[models.Model]] = defaultdict(list)
        for obj in objs:
            by_device[obj.device_id].append(obj)
        with transaction.atomic(using=self.db, savepoint=False):
            for device_id, rows in by_device.items():
                version = device_model.next_version(device_id, using=self.db)
                for row in rows:
                    row.version = version
            return super().bulk_create(objs, *args, **kwargs)


class LiveDeviceOwnedManager(models.Manager.from_queryset(DeviceOwnedQuerySet)):  # type: ignore[misc]
    """The default manager of device-owned models: live rows only."""

    def get_queryset(self) -> DeviceOwnedQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class DeviceOwnedModel(SoftDeleteModel):
    """A soft-deletable row that belongs to one device and is stamped for sync."""

    # No index of its own: the (device, version) index below starts with it.
    device = models.ForeignKey(
        settings.COUNTONME_DEVICE_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
        db_index=False,
    )
    version = models.BigIntegerField(
        default=0, editable=False, help_text="Change version, for sync (see countonme.sync)."
    )

    objects = LiveDeviceOwnedManager()
    all_objects = models.Manager.from_queryset(DeviceOwnedQuerySet)()

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["device", "version"], name="%(app_label)s_%(class)s_sync")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save with a fresh version, in one transaction with the counter bump."""
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        update_fields: Sequence[str] | None = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version", "updated_at"}
        with transaction.atomic(using=using, savepoint=False):
            self.version = self.device_model().next_version(self.device_id, using=using)
            super().save(*args, **kwargs)

    @classmethod
    def device_model(cls) -> type[ChangeCounterModel]:
        """The model that owns these rows and hands out their versions."""
        return cls._meta.get_field("device").related_model


def references_to(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    """Every relation whose rows point at ``model``, hidden ones included.

    ``_meta.related_objects`` leaves out foreign keys declared with
    ``related_name="+"`` (a food entry's ``portion`` and ``product``); this
    asks for hidden fields too, like Django's own deletion collector
    (``django.db.models.deletion.get_candidate_relations_to_delete``).
    """
    return [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one)
    ]


@cache
def device_owned_models() -> list[type[DeviceOwnedModel]]:
    """Every concrete device-owned model, each after the models that reference it.

    That order (entries before portions before products) lets rows be erased
    one model at a time without tripping a foreign key.
    """
    owned = [
        model
        for model in apps.get_models()
        if issubclass(model, DeviceOwnedModel) and not model._meta.abstract
    ]
    ordered: list[type[DeviceOwnedModel]] = []

    def visit(model: type[DeviceOwnedModel]) -> None:
        if model in ordered:
            return
        for relation in references_to(model):
            if relation.related_model in owned and relation.related_model is not model:
                visit(relation.related_model)
        ordered.append(model)

    for model in sorted(owned, key=lambda m: m._meta.label):
        visit(model)
    return ordered


def soft_delete_owned_rows(owner: ChangeCounterModel) -> dict[str, int]:
    """Soft-delete every live row ``owner`` owns, of every kind; the count per model label.

    The rows become sync tombstones that share one fresh version (one counter
    bump, then one UPDATE per model), so a sync from any earlier cursor
    returns exactly them; sync pages inside one version by ``(kind, id)``.
    The owner row itself stays. Run it in a transaction, under the owner's
    write lock.
    """
    using = router.db_for_write(type(owner), instance=owner)
    version = type(owner).next_version(owner.pk, using=using)
    now = timezone.now()
    counts = {}
    for model in device_owned_models():
        live = model.objects.using(using).filter(device_id=owner.pk)
        # The plain UPDATE: the version is stamped here, once for every kind.
        counts[model._meta.label] = models.QuerySet.update(
            live, deleted_at=now, updated_at=now, version=version
        )
    return counts


def erase_owned_rows(owner: ChangeCounterModel) -> None:
    """Hard-delete every row ``owner`` owns, one DELETE per model, and the owner.

    Bounded whatever the row count: a plain ``DELETE ... WHERE device_id = ?``
    per table instead of Django's collector, which would select the rows and
    delete them in batches of primary keys. Run it in a transaction.
    """
    using = router.db_for_write(type(owner), instance=owner)
    for model in device_owned_models():
        model.all_objects.using(using).filter(device_id=owner.pk)._raw_delete(using)
    type(owner)._default_manager.using(using).filter(pk=owner.pk)._raw_delete(using)
