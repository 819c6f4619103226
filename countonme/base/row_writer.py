"""Response rows written from plain values, as the serializer that declares them writes them.

The serializer is the only declaration of a response shape. ``row_writer(
FoodEntrySerializer)`` reads that serializer's own fields once per process and
picks, per field, a plain function of the column value that returns exactly
what the field's ``to_representation`` returns:

- ``DecimalField``: the field's quantize (places, rounding, ``max_digits`` as
  the context's precision) and ``f"{value:f}"`` — when it writes strings
  (``COERCE_DECIMAL_TO_STRING``/``coerce_to_string``), unlocalized, not
  normalized;
- ``DateTimeField``: ISO 8601 in the request's time zone, ``Z`` for UTC (the
  zone looked up once per page, not per value) — for the ISO format and no
  zone of the field's own;
- ``DateField``: ISO 8601; ``UUIDField``: the hyphenated hex;
- ``CharField`` of a text column, ``BooleanField`` of a boolean one, a
  ``ChoiceField`` whose values are its keys: the database's value as it is;
  ``IntegerField``: ``int(value)``;
- a primary-key related field (``DeviceOwnedRelatedField``): the key as text;
- a nested serializer (alone, ``many=True`` or a ``DictField`` child) given
  plain dicts: its own derived writer;
- anything else: the field's own ``to_representation`` of the value.

Only a field whose class keeps DRF's ``to_representation`` gets a plain
function (a subclass that overrides it is asked itself), and ``None`` is
``None`` for every field, as ``Serializer.to_representation`` writes it. A
``SerializerMethodField`` reads a model instance, so it needs an override: a
``Computed`` (the columns it reads and a function of them).

The rows are ``values_list(*writer.columns)`` tuples (or dicts, ``write_dicts``):
no model instance per row. Per row it is one small function per field:
~12 µs for a food entry against ~44 µs for the serializer
(``tests/test_row_writer.py`` compares whole bodies with the serializers').
"""

import datetime as dt
import decimal
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat
from operator import call, itemgetter
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.relations import PKOnlyObject, RelatedField
from rest_framework.settings import api_settings

from countonme.base.serializers import DeviceOwnedRelatedField, shared_serializer

Row = Sequence[Any]
Body = dict[str, Any]


@dataclass(frozen=True)
class Computed:
    """An override: a field written by ``write(*values of columns)``.

    For the fields a serializer computes from a model instance
    (``SerializerMethodField``): the columns are ``values()`` names (annotations
    included) and ``write`` returns what the method returns for that row.
    """

    columns: tuple[str, ...]
    write: Callable[..., Any]


def _keeps(field: serializers.Field, base: type[serializers.Field]) -> bool:
    """Whether ``field`` writes as ``base`` does (its class keeps ``base.to_representation``)."""
    return isinstance(field, base) and type(field).to_representation is base.to_representation


# A field's writer is a "cell": a function of the whole row (its column at a
# fixed position) — one call per field per row, with the None check inside.
Cell = Callable[[Row], Any]


def _decimal_cell(
    field: serializers.DecimalField, column: models.Field | None, at: int
) -> Cell | None:
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    if not coerce or field.localize or field.normalize_output or field.decimal_places is None:
        return None
    places = decimal.Decimal(".1") ** field.decimal_places
    rounding = field.rounding
    # DecimalField.quantize: a copy of the current context, with the field's precision.
    context = decimal.getcontext().copy()
    if field.max_digits is not None:
        context.prec = field.max_digits
    Decimal = decimal.Decimal  # a local name: one lookup fewer per value

    def cell(row: Row) -> str | None:
        value = row[at]
        if value is None:
            return None
        if type(value) is not Decimal:
            value = Decimal(str(value).strip())
        return f"{value.quantize(places, rounding=rounding, context=context):f}"

    # PostgreSQL writes a numeric(p, s) with exactly s places: the field's own
    # text when s is its places and p within its digits (the quantize is then
    # exact and cannot overflow the context).
    if not (
        isinstance(column, models.DecimalField)
        and column.decimal_places == field.decimal_places
        and (field.max_digits is None or column.max_digits <= field.max_digits)
    ):
        return cell

    def either(row: Row) -> str | None:
        value = row[at]
        if type(value) is str:  # PostgreSQL's text of the column
            return value
        return cell(row)

    return _reads_text(either, itemgetter(at))


# Zones that are UTC at every instant, by key (a fixed zero offset has no key).
_UTC_KEYS = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Universal", "Zulu", "Etc/Zulu"})


def _reads_text(cell: Cell, text_cell: Cell) -> Cell:
    """Mark ``cell`` as writing PostgreSQL's text of its column as it writes the value.

    ``RowWriter.text_positions``: the columns a compiled query may hand over as
    the database's text (``countonme.base.compiled``), skipping the driver's
    parsing of values the answer writes as text anyway. ``cell`` takes either;
    ``text_cell`` (often the column as it is) writes a column that came as text.
    """
    cell.text_cell = text_cell  # type: ignore[attr-defined]
    return cell


def _utc_iso(text: str) -> str:
    """``datetime.isoformat()`` with ``Z`` of PostgreSQL's ISO text of a UTC timestamptz.

    ``2026-03-14 08:05:09.12+00`` → ``2026-03-14T08:05:09.120000Z``: PostgreSQL
    drops a fraction's trailing zeros (and a zero fraction), Python writes six
    digits when the microseconds are not zero, none when they are.
    """
    if len(text) == 22:  # no fraction
        return f"{text[:10]}T{text[11:19]}Z"
    return f"{text[:10]}T{text[11:20]}{text[20:-3]:0<6}Z"


def _datetime_cell(
    field: serializers.DateTimeField, zone: dt.tzinfo | None, at: int
) -> Cell | None:
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    if (
        output_format is None
        or output_format.lower() != ISO_8601
        or hasattr(field, "timezone")
        or zone is None
    ):
        return None

    utc = zone is dt.UTC or getattr(zone, "key", None) in _UTC_KEYS

    def cell(row: Row) -> Any:
        value = row[at]
        if value is None:
            return None
        if type(value) is str and value[10:11] == " ":  # PostgreSQL's text of the column
            if utc and value.endswith("+00"):
                return _utc_iso(value)
            value = dt.datetime.fromisoformat(value)
        if type(value) is not dt.datetime or value.tzinfo is None:
            return field.to_representation(value)  # strings, naive values: the field decides
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    if not utc:
        return _reads_text(cell, cell)

    def text_cell(row: Row) -> Any:  # _utc_iso, inlined: two calls a row on the lists
        value = row[at]
        if value is None or not value.endswith("+00"):
            return cell(row)
        if len(value) == 22:
            return f"{value[:10]}T{value[11:19]}Z"
        return f"{value[:10]}T{value[11:20]}{value[20:-3]:0<6}Z"

    return _reads_text(cell, text_cell)


def _date_cell(field: serializers.DateField, at: int) -> Cell | None:
    output_format = getattr(field, "format", api_settings.DATE_FORMAT)
    if output_format is None or output_format.lower() != ISO_8601:
        return None

    def cell(row: Row) -> Any:
        value = row[at]
        if value is None:
            return None
        if type(value) is dt.date:
            return value.isoformat()
        if type(value) is str and value:
            # PostgreSQL's text of a date (ISO DateStyle) is its ISO form, and the
            # field writes any string as it is.
            return value
        return field.to_representation(value)

    return _reads_text(cell, itemgetter(at))


def _function_cell(write: Callable[[Any], Any], at: int) -> Cell:
    """``write`` of the column's value; ``None`` stays ``None``."""

    def cell(row: Row) -> Any:
        value = row[at]
        return None if value is None else write(value)

    return cell


def _as_is(field: serializers.Field, column: models.Field | None) -> bool:
    """Whether the field writes the values of its model column unchanged.

    Text of a text column (a choice whose value is its own key: ``TextChoices``),
    a boolean of a boolean column. Of any other column (or none: an annotation,
    a plain serializer) the field itself writes it (``str``, ``bool``).
    """
    text = isinstance(column, models.CharField | models.TextField)
    if _keeps(field, serializers.ChoiceField):
        return text and all(key == value for key, value in field.choice_strings_to_values.items())
    if _keeps(field, serializers.CharField):
        return text
    return _keeps(field, serializers.BooleanField) and isinstance(column, models.BooleanField)


def _nested_writer(field: serializers.Field, zone: dt.tzinfo | None) -> Callable | None:
    """What writes a nested serializer's value given as a mapping (``None``: not nested).

    The nested serializer's own derived writer; a value that is no dict (a model
    instance) is the field's to write. A nested serializer the writer cannot
    derive (a method field) is left to the field.
    """
    if not _keeps(field, serializers.Serializer):
        return None
    writer = row_writer(type(field))
    try:
        names, cells = writer._cells_for(zone)
    except ImproperlyConfigured:
        return None
    columns = writer.columns
    as_row = itemgetter(*columns) if len(columns) > 1 else lambda value: (value[columns[0]],)

    def write(value: Any) -> Any:
        if type(value) is not dict:
            return field.to_representation(value)
        return dict(zip(names, map(call, cells, repeat(as_row(value))), strict=True))

    return write


def _plain_cell(
    field: serializers.Field, column: models.Field | None, zone: dt.tzinfo | None, at: int
) -> Cell:
    """What writes column ``at`` of a row (of model field ``column``) as ``field`` does."""
    if _keeps(field, serializers.ListSerializer):
        one = _nested_writer(field.child, zone)
        cell = None if one is None else _function_cell(lambda items: list(map(one, items)), at)
    elif _keeps(field, serializers.DictField):
        one = _nested_writer(field.child, zone)
        cell = (
            None
            if one is None
            else _function_cell(
                lambda items: {
                    str(key): None if item is None else one(item) for key, item in items.items()
                },
                at,
            )
        )
    elif (one := _nested_writer(field, zone)) is not None:
        cell = _function_cell(one, at)
    elif _keeps(field, serializers.DecimalField):
        cell = _decimal_cell(field, column, at)
    elif _keeps(field, serializers.DateTimeField):
        cell = _datetime_cell(field, zone, at)
    elif _keeps(field, serializers.DateField):
        cell = _date_cell(field, at)
    elif _keeps(field, serializers.UUIDField) and field.uuid_format == "hex_verbose":
        cell = _reads_text(_function_cell(str, at), itemgetter(at))  # text: PostgreSQL's
    elif _as_is(field, column):
        cell = itemgetter(at)
    elif _keeps(field, serializers.IntegerField):
        # As the field: a decimal or float column is written as a whole number.
        cell = _function_cell(int, at)
    elif _keeps(field, DeviceOwnedRelatedField):
        # str(value.pk): the key column is the pk, its text PostgreSQL's (a UUID's)
        cell = _reads_text(_function_cell(str, at), itemgetter(at))
    elif isinstance(field, RelatedField) and field.use_pk_only_optimization():
        cell = _function_cell(lambda value: field.to_representation(PKOnlyObject(pk=value)), at)
    else:
        cell = None
    return cell if cell is not None else _function_cell(field.to_representation, at)


def _column(serializer: serializers.ModelSerializer, field: serializers.Field) -> str:
    """The ``values()`` name of the field's source: a dotted path joined by ``__``.

    A foreign key read by a primary-key related field is its key column.
    """
    if field.source == "*":
        raise ImproperlyConfigured(
            f"{type(serializer).__name__}.{field.field_name}: a field of the whole row "
            "needs a Computed override"
        )
    column = "__".join(field.source_attrs)
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is not None and len(field.source_attrs) == 1 and isinstance(field, RelatedField):
        model_field = model._meta.get_field(field.source)
        if isinstance(model_field, models.ForeignKey):
            return model_field.attname
    return column


def _model_field(serializer: serializers.Serializer, field: serializers.Field) -> Any:
    """The model field at the end of the field's source path; ``None`` when there is none."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None or field.source == "*":
        return None
    try:
        for part in field.source_attrs[:-1]:
            model = model._meta.get_field(part).related_model
        return model._meta.get_field(field.source_attrs[-1])
    except (FieldDoesNotExist, AttributeError):
        return None


@dataclass(frozen=True)
class _Field:
    name: str
    field: serializers.Field | None  # None: written by a Computed
    computed: Computed | None
    column: models.Field | None = None  # the model field read, when there is one


class RowWriter:
    """The bodies of a serializer for rows of plain values (see the module docstring).

    ``columns``: the ``values_list()`` names to select, in order; ``write(rows)``
    the list of bodies, keys in the serializer's order.
    """

    def __init__(self, serializer_class: type[serializers.Serializer], overrides: Mapping) -> None:
        self.serializer_class = serializer_class
        self.overrides = dict(overrides)
        self._cells: dict[Any, tuple[tuple[str, ...], tuple[Callable[[Row], Any], ...]]] = {}
        self._text_positions: dict[Any, dict[int, tuple[int, Cell]]] = {}
        self._cells_as_text: dict[tuple[Any, frozenset[int]], tuple[Cell, ...]] = {}

    @cached_property
    def _fields(self) -> tuple[_Field, ...]:
        serializer = shared_serializer(self.serializer_class)
        unknown = self.overrides.keys() - serializer.fields.keys()
        if unknown:
            raise ImproperlyConfigured(f"overrides of no field of the serializer: {unknown}")
        fields = []
        for name, field in serializer.fields.items():
            if field.write_only:
                continue
            computed = self.overrides.get(name)
            if computed is None and isinstance(field, serializers.SerializerMethodField):
                raise ImproperlyConfigured(
                    f"{self.serializer_class.__name__}.{name} reads a model instance: "
                    "give row_writer a Computed override for it"
                )
            if computed is not None:
                fields.append(_Field(name, None, computed))
            else:
                fields.append(_Field(name, field, None, _model_field(serializer, field)))
        return tuple(fields)

    @cached_property
    def columns(self) -> tuple[str, ...]:
        """The ``values()`` names the rows hold, in order."""
        serializer = shared_serializer(self.serializer_class)
        columns: list[str] = []
        for spec in self._fields:
            if spec.computed is not None:
                columns += spec.computed.columns
            else:
                columns.append(_column(serializer, spec.field))
        return tuple(columns)

    def _cells_for(
        self, zone: dt.tzinfo | None
    ) -> tuple[tuple[str, ...], tuple[Callable[[Row], Any], ...]]:
        """The fields' names, and per field the function of a row that writes it (per zone)."""
        cells = self._cells.get(zone)
        if cells is not None:
            return cells
        built = []
        position = 0
        for spec in self._fields:
            if spec.computed is not None:
                width = len(spec.computed.columns)
                built.append((spec.name, _computed_cell(spec.computed.write, position, width)))
                position += width
                continue
            built.append((spec.name, _plain_cell(spec.field, spec.column, zone, position)))
            position += 1
        cells = self._cells[zone] = (
            tuple(name for name, _ in built),
            tuple(cell for _, cell in built),
        )
        return cells

    def text_positions(self) -> frozenset[int]:
        """Columns the writer writes from PostgreSQL's text of them as from their values.

        UUIDs (and keys), ISO dates and datetimes, decimals of the field's
        places (a column of those places and no more digits): a compiled query
        may read these columns as text (``CompiledQuery.fetch(text=...)``), which
        spares the driver's parsing of values the answer writes as text anyway.
        """
        return frozenset(self._text_cells(self._zone()))

    def _text_cells(self, zone: dt.tzinfo | None) -> dict[int, tuple[int, Cell]]:
        """Per column that may come as text: its field's index and its text cell."""
        found = self._text_positions.get(zone)
        if found is None:
            _, cells = self._cells_for(zone)
            position, found = 0, {}
            for index, (spec, cell) in enumerate(zip(self._fields, cells, strict=True)):
                if spec.computed is not None:
                    position += len(spec.computed.columns)
                    continue
                text_cell = getattr(cell, "text_cell", None)
                if text_cell is not None:
                    found[position] = (index, text_cell)
                position += 1
            self._text_positions[zone] = found
        return found

    def _cells_of(self, zone: dt.tzinfo | None, rows: list[Row]) -> tuple[Cell, ...]:
        """The cells for ``rows``: text cells for the columns that came as text.

        One query's column comes all as text or all as values (psycopg loads a
        type one way per result), so one value of each column tells.
        """
        _, cells = self._cells_for(zone)
        text_cells = self._text_cells(zone)
        if not text_cells:
            return cells
        as_text = frozenset(
            at
            for at in text_cells
            if type(next((row[at] for row in rows if row[at] is not None), None)) is str
        )
        if not as_text:
            return cells
        key = (zone, as_text)
        chosen = self._cells_as_text.get(key)
        if chosen is None:
            swapped = list(cells)
            for at in as_text:
                index, text_cell = text_cells[at]
                swapped[index] = text_cell
            chosen = self._cells_as_text[key] = tuple(swapped)
        return chosen

    @staticmethod
    def _zone() -> dt.tzinfo | None:
        return timezone.get_current_timezone() if settings.USE_TZ else None

    def write(self, rows: Iterable[Row]) -> list[Body]:
        """The bodies of ``values_list(*self.columns)`` rows (extra trailing values ignored)."""
        zone = self._zone()
        names, cells = self._cells_for(zone)
        if type(rows) is list and rows:
            cells = self._cells_of(zone, rows)  # columns read as text: their own cells
        # Per row, each field's function of the row; the loop over fields runs in C.
        return [dict(zip(names, map(call, cells, repeat(row)), strict=True)) for row in rows]

    def write_dicts(self, rows: Iterable[Mapping[str, Any]]) -> list[Body]:
        """The bodies of ``values(*self.columns)`` rows, or of any mappings holding them."""
        columns = self.columns
        as_row = itemgetter(*columns) if len(columns) > 1 else lambda row: (row[columns[0]],)
        return self.write(map(as_row, rows))

    def write_dict(self, document: Mapping[str, Any]) -> Body:
        """The body of one mapping: a document (stats) whose nested values are mappings too."""
        return self.write_dicts([document])[0]


def _computed_cell(write: Callable[..., Any], position: int, width: int) -> Callable[[Row], Any]:
    end = position + width
    return lambda row: write(*row[position:end])


_writers: dict[tuple, RowWriter] = {}


def row_writer(serializer_class: type[serializers.Serializer], **overrides: Computed) -> RowWriter:
    """The process's ``RowWriter`` of ``serializer_class`` (built once per class and overrides).

    ``overrides`` name the fields written by a ``Computed`` instead of the
    serializer's field (its ``SerializerMethodField``s).
    """
    key = (serializer_class, frozenset(overrides.items()))
    writer = _writers.get(key)
    if writer is None:
        writer = _writers.setdefault(key, RowWriter(serializer_class, overrides))
    return writer
