"""Hot-path queries compiled to SQL by the ORM once per process, then run with new values.

Building a queryset and compiling it costs 0.5–0.9 ms of Python per query
(measured on the day list: 0.2 ms to chain ``filter``/``order_by``, 0.45 ms for
``as_sql``, the rest in the iterable machinery), more than PostgreSQL spends
answering it. The hot reads have a fixed shape where only values change (the
device, the day, the range): ``CompiledQuery`` asks the ORM for a shape's SQL
once, with stand-in values, records where each value lands among the
parameters, and from then on runs that SQL with the request's values.

The ORM stays the one source of the SQL (same filters, managers, ordering,
table and column names); the rows go through the same database converters as
``values_list()`` and the cursor is Django's, so query logging, the tests'
query counts and ``connection.queries`` see every query as before.

The contract, checked where it can be:
- a query of a device-owned model must take the device as a value named
  ``device_id`` that lands among its parameters (refused when compiling): the
  scoping a viewset's ``get_queryset`` gives cannot be forgotten here either;
- each value name keeps the type it was compiled with (UUID, date — not a
  datetime —, str or int — not a bool; never None): a different type raises ``TypeError``
  instead of a query that silently matches nothing;
- the default database alias only (no router, no ``using()``): the hot reads
  of this project have one database.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Model, QuerySet

# psycopg splits a statement at its placeholders on every execute, and keeps the split
# (an LRU of 128 statements) only for statements of at most 4,096 bytes and 50 values.
# A search's ranked catalog query is 4-10 kB with 89-239 values (each value escaped for
# LIKE in SQL): its split, redone per request, was 2 ms of Python a query (cProfile of the
# merged search, 120 splits in 0.24 s). Compiled shapes are few and fixed: keep theirs.
try:
    from psycopg import _queries as _psycopg_queries
except ImportError:  # SQLite-only installs
    _psycopg_queries = None
if _psycopg_queries is not None and hasattr(_psycopg_queries, "MAX_CACHED_STATEMENT_LENGTH"):
    _psycopg_queries.MAX_CACHED_STATEMENT_LENGTH = max(
        _psycopg_queries.MAX_CACHED_STATEMENT_LENGTH, 16_384
    )
    _psycopg_queries.MAX_CACHED_STATEMENT_PARAMS = max(
        _psycopg_queries.MAX_CACHED_STATEMENT_PARAMS, 512
    )

# How a backend passes a stand-in value as a parameter: as it is (PostgreSQL),
# or UUIDs as hex and dates as ISO text (SQLite).
_AS_SENT: tuple[Callable[[Any], Any], ...] = (
    lambda value: value,
    lambda value: value.hex if isinstance(value, uuid.UUID) else None,
    lambda value: str(value) if isinstance(value, dt.date) else None,
)


def _sends(as_sent: Callable[[Any], Any], stand_in: Any, param: Any) -> bool:
    sent = as_sent(stand_in)
    return sent is not None and sent == param


def _stand_in(sample: Any, index: int) -> Any:
    """A value of ``sample``'s type that no query of the project holds as a constant."""
    if type(sample) is int:  # not a bool
        return 7_340_567_891_234 + index
    if isinstance(sample, uuid.UUID):
        return uuid.uuid4()
    if isinstance(sample, dt.date) and not isinstance(sample, dt.datetime):
        return dt.date(1001 + index, 2, 3)
    if isinstance(sample, str):
        return f"stand-in-{index}-{uuid.uuid4().hex}"
    raise TypeError(
        f"CompiledQuery takes UUID, date, str and int values, not {type(sample).__name__}"
    )


# The types a query may read as PostgreSQL's text (``CompiledQuery.fetch(text=...)``):
# the driver's parsing of them (Django's timestamptz loader is Python: ~8 µs a value)
# was most of the CPU of the body-weight list and of a sync page, whose answers
# write them as text again. Their text, in an ISO DateStyle and a UTC session, is
# what the answer writes (a timestamp after ``row_writer._utc_iso``).
try:
    from psycopg.postgres import types as _pg_types
    from psycopg.types.string import TextLoader as _TextLoader
except ImportError:  # SQLite-only installs
    _TEXT_TYPES: dict[str, int] = {}
else:
    _TEXT_TYPES = {
        "uuid": _pg_types["uuid"].oid,
        "date": _pg_types["date"].oid,
        "timestamp with time zone": _pg_types["timestamptz"].oid,
        "numeric": _pg_types["numeric"].oid,
    }


def _database_types(columns: Sequence[Any], connection: Any) -> list[str | None]:
    """Each selected column's database type (``None``: unknown, e.g. an expression's)."""
    found: list[str | None] = []
    for column in columns:
        try:
            column_type = column.output_field.db_type(connection)
            # numeric(7, 3) is a numeric: one type (oid) whatever its precision
            found.append(column_type.split("(")[0] if column_type else column_type)
        except (FieldError, AttributeError):  # an expression of no known type
            found.append(None)
    return found


def _read_as_text(cursor: Any, oids: Sequence[int]) -> None:
    """Have psycopg hand ``oids``' values of this cursor's results over as text.

    Only in an ISO DateStyle: the text of a date is then its ISO form (a session
    in another DateStyle keeps the driver's parsing).
    """
    if not oids:
        return
    if not (cursor.connection.info.parameter_status("DateStyle") or "").startswith("ISO"):
        return
    adapters = cursor.adapters
    for oid in oids:
        adapters.register_loader(oid, _TextLoader)


def _is_device_owned(model: type[Model]) -> bool:
    """Whether ``model``'s rows belong to a device: a ``device`` key to COUNTONME_DEVICE_MODEL."""
    try:
        field = model._meta.get_field("device")
    except FieldDoesNotExist:
        return False
    return field.is_relation and field.related_model._meta.label == settings.COUNTONME_DEVICE_MODEL


class _Shape:
    """One compiled shape: SQL, where each value goes, and the columns' converters."""

    def __init__(self, queryset: QuerySet, stand_ins: dict[str, Any]) -> None:
        if _is_device_owned(queryset.model) and "device_id" not in stand_ins:
            raise ValueError(
                f"a query of {queryset.model._meta.label} must be compiled with a device_id "
                "value: device-owned rows are only ever read for one device"
            )
        if queryset.db != DEFAULT_DB_ALIAS:
            raise ValueError("CompiledQuery runs on the default database alias only")
        self.types = {name: type(stand_in) for name, stand_in in stand_ins.items()}
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        self.alias = queryset.db
        found: set[str] = set()
        self.params: list[tuple[str | None, Any]] = []  # (value name, how sent) or (None, constant)
        for param in params:
            for name, stand_in in stand_ins.items():
                as_sent = next((f for f in _AS_SENT if _sends(f, stand_in, param)), None)
                if as_sent is not None:
                    self.params.append((name, as_sent))
                    found.add(name)
                    break
            else:
                self.params.append((None, param))
        if found != stand_ins.keys():
            raise ValueError(
                f"values not found among the query's parameters: {stand_ins.keys() - found}"
            )
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        self.converters = list(compiler.get_converters(columns).items())
        self.column_types = _database_types(columns, connections[self.alias])
        self._text_loads: dict[frozenset[int], tuple[int, ...]] = {}

    def text_loads(self, positions: frozenset[int]) -> tuple[int, ...]:
        """The PostgreSQL types (oids) to read as text when ``positions`` may come as text.

        A type is read as text only when every column of it is among ``positions``:
        no other column changes type. None when a column's type is unknown or a
        column has a converter.
        """
        loads = self._text_loads.get(positions)
        if loads is None:
            if None in self.column_types or self.converters:
                loads = ()
            else:
                loads = tuple(
                    oid
                    for name, oid in _TEXT_TYPES.items()
                    if name in self.column_types
                    and all(
                        at in positions
                        for at, column_type in enumerate(self.column_types)
                        if column_type == name
                    )
                )
            self._text_loads[positions] = loads
        return loads

    def fetch(
        self,
        values: dict[str, Any],
        tail: str,
        tail_params: Sequence[Any],
        text: frozenset[int] = frozenset(),
    ) -> list[tuple]:
        for name, expected in self.types.items():
            if type(values[name]) is not expected:
                raise TypeError(
                    f"{name}: {expected.__name__} expected, not {type(values[name]).__name__}"
                )
        params = [
            as_sent(values[name]) if name is not None else as_sent for name, as_sent in self.params
        ]
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            if text and connection.vendor == "postgresql":
                _read_as_text(cursor.cursor, self.text_loads(text))
            cursor.execute(self.sql + tail, [*params, *tail_params])
            rows = cursor.fetchall()
        if not self.converters:
            return rows
        converted = []
        for row in map(list, rows):
            for position, (functions, expression) in self.converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted


class CompiledQuery:
    """A queryset shape whose SQL is compiled once per process and set of value names.

    ``build(**values)`` returns the queryset (a ``values_list()``, unsliced) for
    the given values: UUIDs, dates, strings and integers that the ORM passes as query
    parameters. ``fetch(**values)`` runs it and returns the rows as
    ``values_list()`` would; ``limit``/``offset`` add ``LIMIT``/``OFFSET``
    (the ORM writes a slice into the SQL text, so a slice cannot be reused).
    ``text``: positions of columns the caller takes as PostgreSQL's text of
    them (``RowWriter.text_positions``); on PostgreSQL their UUIDs, dates,
    timestamps and numerics then come as text, unparsed (``_read_as_text``).
    Shapes are keyed by the names of the values given, so optional filters
    (``?day=`` or ``?from=&to=``) each get their own SQL.
    """

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self.build = build
        self._shapes: dict[frozenset[str], _Shape] = {}

    def fetch(
        self,
        *,
        limit: int | None = None,
        offset: int = 0,
        text: frozenset[int] = frozenset(),
        **values: Any,
    ) -> list[tuple]:
        shape = self._shapes.get(frozenset(values))
        if shape is None:
            shape = self.compile(values)
        if limit is None:
            return shape.fetch(values, "", (), text)
        return shape.fetch(values, " LIMIT %s OFFSET %s", (limit, offset), text)

    def compile(self, values: dict[str, Any]) -> _Shape:
        """Compile (and keep) the shape of ``values``' names."""
        stand_ins = {name: _stand_in(value, n) for n, (name, value) in enumerate(values.items())}
        shape = _Shape(self.build(**stand_ins), stand_ins)
        self._shapes[frozenset(values)] = shape
        return shape


class CompiledInstances:
    """Model instances from a compiled query, loaded as the ORM loads them (``from_db``).

    ``build(**values)`` returns a queryset of ``model`` (no ``values_list``):
    every concrete field is selected, so the instances are whole, not deferred.
    """

    def __init__(self, model: type[Model], build: Callable[..., QuerySet]) -> None:
        self.model = model
        self.columns = tuple(field.attname for field in model._meta.concrete_fields)
        self.query = CompiledQuery(lambda **values: build(**values).values_list(*self.columns))

    def fetch(self, **values: Any) -> list[Model]:
        alias = router.db_for_read(self.model)
        return [self.model.from_db(alias, self.columns, row) for row in self.query.fetch(**values)]
