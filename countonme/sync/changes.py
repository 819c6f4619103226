"""Offline sync: every change of a device's rows after a cursor, in version order.

The registry
------------
Apps register their syncable models in ``AppConfig.ready()``::

    sync_registry.register("products", Product, ProductSerializer,
                           prepare=lambda rows: rows.with_default_portion_measure(),
                           overrides={"kcal_100g": KCAL_100G})

``GET /v1/sync/since`` then serves every registered kind under its name;
a new model joins sync by registering, not by editing the endpoint. The
serializer (plus ``deleted_at``) declares a kind's rows; they are read as plain
``values_list()`` rows and written by the writer derived from that serializer
(``countonme.base.row_writer``): no model instance per row. ``prepare`` adds
the annotations a ``Computed`` override reads.

Why no row is ever skipped
--------------------------
Every write to a device's rows increments ``Device.last_version`` in the same
transaction and stamps the new value on the row (``countonme.base.models``). The
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

Cursors the server cannot vouch for
-----------------------------------
A cursor is ``v2:{life}:{version}:{kind}:{id}``: the position plus the life
of the device it was issued to (``device_life``: its ``created_at`` in
microseconds). The same device id registered again after an erasure is a new
life with a counter that starts over, and a restored backup can hold a
counter below what a client already saw. So a cursor from another life, or
one ahead of the device's counter, or older than tombstones erased for good
(``purged_version``), cannot be trusted: the answer starts from scratch with
``reset: true`` (``cursor_needs_reset``), never an empty page that would
leave the client waiting forever. Cursors of the earlier ``v1`` format carry
no life: they are still read, and always answered with a reset.

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
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from typing import Any

from django.db.models import Q, QuerySet
from rest_framework import serializers

from countonme.base.compiled import CompiledQuery
from countonme.base.models import DeviceOwnedModel
from countonme.base.row_writer import Computed, RowWriter, row_writer

CURSOR_PREFIX = "v2"
LEGACY_CURSOR_PREFIX = "v1"  # before cursors carried the device's life
NIL_ID = uuid.UUID(int=0)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, order=True)
class Position:
    """A place in a device's change stream: ``(version, kind, id)``, ordered."""

    version: int
    kind: str = ""
    id: uuid.UUID = NIL_ID


START = Position(0)


@dataclass(frozen=True)
class Cursor:
    """A decoded cursor: a position in the change stream of one life of a device.

    ``life`` is ``None`` for a legacy (v1) cursor, which did not record it.
    """

    position: Position
    life: int | None


class InvalidCursor(ValueError):
    """The cursor was not made by this server."""


def device_life(device: Any) -> int:
    """What tells this life of the device id from earlier ones: ``created_at`` in µs.

    An erased device registered again gets a new ``created_at``; exact
    integer arithmetic, so the value survives any round trip.
    """
    return (device.created_at - _EPOCH) // timedelta(microseconds=1)


def encode_cursor(position: Position, *, life: int) -> str:
    """An opaque, URL-safe cursor for ``position`` in the device life ``life``."""
    raw = f"{CURSOR_PREFIX}:{life}:{position.version}:{position.kind}:{position.id.hex}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Cursor:
    """The cursor's position and life; ``InvalidCursor`` if it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
        prefix, *fields = raw.split(":")
        if prefix == CURSOR_PREFIX:
            life_text, version, kind, hex_id = fields
            life: int | None = int(life_text)
        elif prefix == LEGACY_CURSOR_PREFIX:
            version, kind, hex_id = fields
            life = None
        else:
            raise ValueError(prefix)
        position = Position(int(version), kind, uuid.UUID(hex=hex_id))
    except (ValueError, UnicodeError, binascii.Error):
        raise InvalidCursor(cursor) from None
    if position.version < 0:
        raise InvalidCursor(cursor)
    return Cursor(position, life)


def cursor_needs_reset(cursor: Cursor, device: Any) -> bool:
    """Whether the server cannot vouch for ``cursor``: the sync must start from scratch.

    True for a cursor of another life of the device id (or a legacy one, which
    does not say), one ahead of the device's counter (a restored backup), or
    one older than tombstones ``purge_deleted`` erased (a deletion it missed).
    """
    if cursor.life != device_life(device):
        return True
    if cursor.position.version > device.last_version:
        return True
    return cursor.position != START and cursor.position.version < device.purged_version


@dataclass(frozen=True)
class SyncKind:
    """A kind of row served by sync, under ``name`` in the response.

    ``serializer`` declares the rows (``deleted_at`` included); ``writer``,
    derived from it, writes them from ``values_list(*writer.columns)`` rows.
    """

    name: str
    model: type[DeviceOwnedModel]
    serializer: type[serializers.BaseSerializer]
    writer: RowWriter
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
        overrides: dict[str, Computed] | None = None,
    ) -> None:
        """Serve ``model``'s rows under ``name``, shaped by ``serializer`` plus ``deleted_at``.

        ``overrides``: ``Computed`` writers of the serializer's method fields,
        reading columns ``prepare`` annotates.
        """
        if name in self.kinds and self.kinds[name].model is not model:
            raise ValueError(f"Sync kind {name!r} is already registered.")
        shape = with_deleted_at(serializer)
        writer = row_writer(shape, **(overrides or {}))
        self.kinds[name] = SyncKind(name, model, shape, writer, prepare)
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


def _relation(position: Position, kind: str) -> str:
    """How rows of ``kind`` come after ``position`` in ``(version, kind, id)`` order.

    ``"gt"``: a later version (kinds before the position's); ``"gte"``: this
    version or later (kinds after it); ``"id"``: a later version, or this one
    with a greater id (the position's own kind).
    """
    if kind < position.kind:
        return "gt"
    if kind > position.kind:
        return "gte"
    return "id"


def _after(relation: str, version: int, id: uuid.UUID | None) -> Q:
    """Rows that come after ``version`` (and ``id``) by ``relation`` (``_relation``)."""
    if relation == "gt":
        return Q(version__gt=version)
    if relation == "gte":
        return Q(version__gte=version)
    return Q(version__gt=version) | Q(version=version, id__gt=id)


# Per kind and relation, the page's query compiled once per process
# (countonme.base.compiled): building and compiling five querysets was ~4 ms of a
# page's Python.
_QUERIES: dict[tuple[str, str], CompiledQuery] = {}


def _changes_query(kind: SyncKind, relation: str) -> CompiledQuery:
    """The changes of ``kind`` after a position by ``relation``, in version order.

    Takes ``device_id``, ``ceiling`` (the device's counter as authentication read
    it), ``version`` and, for ``"id"``, the position's ``id``. Rows: the writer's
    columns, then the row's version and id.
    """
    query = _QUERIES.get((kind.name, relation))
    if query is None:

        def build(
            device_id: uuid.UUID, ceiling: int, version: int, id: uuid.UUID | None = None
        ) -> QuerySet:
            rows = kind.model.all_objects.filter(device_id=device_id, version__lte=ceiling)
            rows = rows.filter(_after(relation, version, id)).order_by("version", "id")
            if kind.prepare is not None:
                rows = kind.prepare(rows)
            return rows.values_list(*kind.writer.columns, "version", "id")

        query = _QUERIES[kind.name, relation] = CompiledQuery(build)
    return query


@dataclass
class SyncPage:
    """One page of changes: per kind, ``values_list(*kind.writer.columns, ...)`` rows."""

    rows: dict[str, list[Any]]
    cursor: Position
    has_more: bool


_position_key = itemgetter(0, 1, 2)


def _position(version: int, kind: str, id: uuid.UUID | str) -> Position:
    """The position of a row whose id came as a UUID or as its text."""
    return Position(version, kind, id if type(id) is uuid.UUID else uuid.UUID(id))


def read_changes(*, device: Any, after: Position, limit: int) -> SyncPage:
    """The device's changes after ``after``, at most ``limit`` rows of all kinds together.

    One query per kind, whatever ``limit``, its SQL compiled once per process;
    plain rows, no model instances.
    """
    ceiling = device.last_version  # as read by authentication: see the module docstring
    # (version, kind, id, row): plain tuples sort in C in Position's order.
    candidates: list[tuple[int, str, Any, Any]] = []
    for kind in sync_registry:
        relation = _relation(after, kind.name)
        values = {"device_id": device.pk, "ceiling": ceiling, "version": after.version}
        if relation == "id":
            values["id"] = after.id  # type: ignore[assignment]
        # Plain rows: the writer's columns, then the position's version and id; on
        # PostgreSQL the ids, days and times as text (the canonical text of UUIDs
        # sorts as the UUIDs do).
        columns = len(kind.writer.columns)
        rows = _changes_query(kind, relation).fetch(
            limit=limit + 1, text=kind.writer.text_positions() | {columns + 1}, **values
        )
        candidates += [(row[-2], kind.name, row[-1], row) for row in rows]
    candidates.sort(key=_position_key)
    page = candidates[:limit]
    grouped: dict[str, list[Any]] = {kind.name: [] for kind in sync_registry}
    for _, name, _, row in page:
        grouped[name].append(row)
    return SyncPage(
        rows=grouped,
        cursor=_position(*page[-1][:3]) if page else after,
        has_more=len(candidates) > limit,
    )
