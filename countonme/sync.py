"""Offline sync: every change of a device's rows after a cursor, in version order.

The registry
------------
Apps register their syncable models in ``AppConfig.ready()``::

    sync_registry.register("products", Product, ProductSerializer,
                           prepare=lambda rows: rows.with_default_portion())

``GET /v1/sync/since`` then serves every registered kind under its name;
a new model joins sync by registering, not by editing the endpoint.

Why no row is ever skipped
--------------------------
Every write to a device's rows increments ``Device.last_version`` in the same
transaction and stamps the new value on the row (``countonme.models``). The
increment is an ``UPDATE`` of the device row, so it holds that row's lock
until the transaction ends: one device's writers commit one at a time, in
version order. Hence, at any moment, the committed value ``C`` of the counter
means every version ``≤ C`` belongs to a committed transaction (or to none:
rolled-back versions are reused, never stamped on a visible row).

A sync read takes ``C`` as read by the authentication query and returns only
rows with ``cursor < version ≤ C``. Each later statement sees at least
everything committed before it started, so all rows with a version ``≤ C``
are visible to it, while a transaction still writing holds a version ``> C``
and is simply left for the next call. The returned cursor therefore never
passes a row that commits later — no clocks involved. Rows written after
``C`` was read are delivered by the next call.

Paging inside one version
-------------------------
A bulk write (a data reset) stamps many rows with one version. Rows are
ordered by ``(version, kind, id)`` and the cursor carries the last such
triple, so a small ``limit`` pages through them without loss or repeats.
"""

import base64
import binascii
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from rest_framework import serializers

from countonme.models import DeviceOwnedModel

CURSOR_PREFIX = "v1"
NIL_ID = uuid.UUID(int=0)


@dataclass(frozen=True, order=True)
class Position:
    """A place in a device's change stream: ``(version, kind, id)``, ordered."""

    version: int
    kind: str = ""
    id: uuid.UUID = NIL_ID


START = Position(0)


class InvalidCursor(ValueError):
    """The cursor was not made by this server."""


def encode_cursor(position: Position) -> str:
    """An opaque, URL-safe cursor for ``position``."""
    raw = f"{CURSOR_PREFIX}:{position.version}:{position.kind}:{position.id.hex}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Position:
    """The position a cursor stands for; ``InvalidCursor`` if it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
        prefix, version, kind, hex_id = raw.split(":")
        position = Position(int(version), kind, uuid.UUID(hex=hex_id))
    except (ValueError, UnicodeError, binascii.Error):
        raise InvalidCursor(cursor) from None
    if prefix != CURSOR_PREFIX or position.version < 0:
        raise InvalidCursor(cursor)
    return position


@dataclass(frozen=True)
class SyncKind:
    """A kind of row served by sync, under ``name`` in the response."""

    name: str
    model: type[DeviceOwnedModel]
    serializer: type[serializers.BaseSerializer]
    prepare: Callable[[QuerySet], QuerySet] | None = None


@dataclass
class SyncRegistry:
    """The syncable kinds, in name order (the order of ``kind`` in positions)."""

    kinds: dict[str, SyncKind] = field(default_factory=dict)

    def register(
        self,
        name: str,
        model: type[DeviceOwnedModel],
        serializer: type[serializers.BaseSerializer],
        *,
        prepare: Callable[[QuerySet], QuerySet] | None = None,
    ) -> None:
        """Serve ``model``'s rows under ``name``, shaped by ``serializer`` plus ``deleted_at``."""
        if name in self.kinds and self.kinds[name].model is not model:
            raise ValueError(f"Sync kind {name!r} is already registered.")
        self.kinds[name] = SyncKind(name, model, with_deleted_at(serializer), prepare)
        self.kinds = dict(sorted(self.kinds.items()))

    def __iter__(self) -> Iterator[SyncKind]:
        return iter(self.kinds.values())


sync_registry = SyncRegistry()


def with_deleted_at(
    serializer: type[serializers.BaseSerializer],
) -> type[serializers.BaseSerializer]:
    """``serializer`` with a ``deleted_at`` field: a row as sync sends it (tombstones too)."""
    if "deleted_at" in getattr(getattr(serializer, "Meta", None), "fields", ()):
        return serializer
    meta = type("Meta", (serializer.Meta,), {"fields": [*serializer.Meta.fields, "deleted_at"]})
    name = serializer.__name__.removesuffix("Serializer") + "SyncRowSerializer"
    return type(
        name,
        (serializer,),
        {
            "Meta": meta,
            "deleted_at": serializers.DateTimeField(
                read_only=True, allow_null=True, help_text="Set on a tombstone: the row is deleted."
            ),
            "__module__": serializer.__module__,
            "__doc__": f"{serializer.__doc__ or name} As sent by sync, with ``deleted_at``.",
        },
    )


def _after(position: Position, kind: str) -> Q:
    """Rows of ``kind`` that come after ``position`` in ``(version, kind, id)`` order."""
    if kind < position.kind:
        return Q(version__gt=position.version)
    if kind > position.kind:
        return Q(version__gte=position.version)
    return Q(version__gt=position.version) | Q(version=position.version, id__gt=position.id)


@dataclass
class SyncPage:
    """One page of changes."""

    rows: dict[str, list[Any]]
    cursor: Position
    has_more: bool


def read_changes(*, device: Any, after: Position, limit: int) -> SyncPage:
    """The device's changes after ``after``, at most ``limit`` rows of all kinds together.

    One query per kind (plus the kind's own prefetches), whatever ``limit``.
    """
    ceiling = device.last_version  # as read by authentication: see the module docstring
    candidates: list[tuple[Position, str, Any]] = []
    for kind in sync_registry:
        rows = kind.model.all_objects.filter(device=device, version__lte=ceiling)
        rows = rows.filter(_after(after, kind.name)).order_by("version", "id")
        if kind.prepare is not None:
            rows = kind.prepare(rows)
        candidates += [
            (Position(row.version, kind.name, row.pk), kind.name, row) for row in rows[: limit + 1]
        ]
    candidates.sort(key=lambda candidate: candidate[0])
    page = candidates[:limit]
    grouped: dict[str, list[Any]] = {kind.name: [] for kind in sync_registry}
    for _, name, row in page:
        grouped[name].append(row)
    return SyncPage(
        rows=grouped,
        cursor=page[-1][0] if page else after,
        has_more=len(candidates) > limit,
    )
