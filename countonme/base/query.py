"""The hot paths' query parameters, parsed without building a form, serializer or FilterSet.

Thin ``None``-returning wrappers of ``countonme.base.strict_input``'s parsers (one
definition of a day, a number, an id for the whole API): a day is exactly
``YYYY-MM-DD`` in ASCII digits, a count ASCII digits, an id a canonical UUID.
For anything else they return ``None`` and the caller hands the request to
the general path (the FilterSet or the serializer that documents the
parameter), which answers 400 in the error shape with the parameter named,
exactly as it always did. So the lean parse changes no answer: it only skips
building a FilterSet or a serializer for the requests that need none
(django-filter and DRF fields cost ~1 ms a request here).
"""

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django_filters import fields as filter_fields
from django_filters import filters
from django_filters.filterset import BaseFilterSet
from django_filters.rest_framework import FilterSet

from countonme.base.strict_input import (
    StrictDateFormField,
    StrictUUIDFormField,
    parse_day,
    parse_query_int,
    parse_uuid,
)

_MAX_COUNT_DIGITS = 12


def strict_day(value: str | None) -> dt.date | None:
    """``YYYY-MM-DD`` (ASCII digits, a real calendar day) as a date; else ``None``."""
    try:
        return parse_day(value)
    except ValueError:
        return None


def strict_count(value: str | None, *, minimum: int, maximum: int) -> int | None:
    """A whole number in ASCII digits within ``[minimum, maximum]``; else ``None``."""
    if value is None or len(value) > _MAX_COUNT_DIGITS:
        return None
    try:
        number = parse_query_int(value)
    except ValueError:
        return None
    return number if minimum <= number <= maximum else None


def strict_uuid(value: str | None) -> uuid.UUID | None:
    """A UUID in its canonical 8-4-4-4-12 hex form; else ``None``."""
    try:
        return parse_uuid(value)
    except ValueError:
        return None


# --- A list's parameters, from its FilterSet's declared filters ---------------------


def range_order_message(low: str) -> str:
    """The one wording of a range whose upper bound is before its lower one (lists, stats)."""
    return f"Must not be before `{low}`."


def inverted_bound(bounds: tuple[tuple[str, str], ...], values: Mapping[str, Any]) -> str | None:
    """The first upper bound in ``values`` that is below its lower bound; else ``None``."""
    for low, high in bounds:
        first, last = values.get(low), values.get(high)
        if first is not None and last is not None and first > last:
            return high
    return None


class RangeFilterSet(FilterSet):
    """A FilterSet whose ``ordered_bounds`` pairs (``(low, high)`` filter names) must not invert.

    ``?from=2026-03-20&to=2026-03-10`` is then the 400 the stats answer (code
    ``invalid`` on ``to``), not an empty list. ``fast_filter_values`` reads the
    same pairs and sends an inverted range here, so both paths answer alike.
    """

    ordered_bounds: tuple[tuple[str, str], ...] = ()

    def get_form_class(self) -> type[forms.Form]:
        declared = super().get_form_class()
        bounds = self.ordered_bounds

        class OrderedBoundsForm(declared):  # type: ignore[valid-type,misc]
            def clean(self) -> dict[str, Any]:
                cleaned = super().clean()
                high = inverted_bound(bounds, cleaned)
                if high is not None:
                    low = next(first for first, last in bounds if last == high)
                    self.add_error(high, ValidationError(range_order_message(low), code="invalid"))
                return cleaned

        OrderedBoundsForm.__name__ = declared.__name__
        return OrderedBoundsForm


def _choice_parser(declared: filters.ChoiceFilter) -> Callable[[str | None], Any] | None:
    choices = declared.extra.get("choices")
    if not isinstance(choices, list | tuple):
        return None  # callable or lazy choices: the form field resolves them
    keys = {str(key): key for key, _label in choices}
    if not all(isinstance(key, str) for key in keys.values()):
        return None  # compiled queries take text values (countonme.base.compiled)
    # The null choice (``?x=null``) filters on NULL: left to the FilterSet.
    keys.pop(str(declared.null_value), None)
    return keys.get


def fast_parser(declared: filters.Filter) -> Callable[[str | None], Any] | None:
    """What parses ``declared``'s value as its form field would, without the form; else ``None``.

    By the form field the filter declares: a strict day, a canonical UUID, one
    of literal choices. ``None`` for anything else (a filter with a ``method``,
    a field this module does not know): the request takes the general path.
    The parser returns ``None`` for a value that is not in its strict form.
    """
    if declared.method is not None:
        return None
    field_class = declared.field_class
    if field_class is StrictDateFormField:
        return strict_day
    if field_class is StrictUUIDFormField:
        return strict_uuid
    if field_class is filter_fields.ChoiceField and isinstance(declared, filters.ChoiceFilter):
        return _choice_parser(declared)
    return None


def fast_filter_values(
    filterset_class: type[BaseFilterSet], params: Mapping[str, str]
) -> dict[str, Any] | None:
    """The values of ``filterset_class``'s filters named in ``params``, parsed strictly.

    ``{filter name: value}`` (an empty dict: no filter given), ready for
    ``apply_filter_values``. ``None`` when a given filter has no fast parser or
    its value is not in its strict form: the FilterSet then decides, and words
    any 400. Parameters that name no filter are ignored, as the FilterSet
    ignores them. Read from the declared filters on every request, so a
    filter added to the FilterSet is known here at once (or routes the
    request to the FilterSet when no parser knows it). ``None`` too for an
    inverted pair of the FilterSet's ``ordered_bounds`` (``RangeFilterSet``).
    """
    values: dict[str, Any] = {}
    for name, declared in filterset_class.base_filters.items():
        if name not in params:
            continue
        parse = fast_parser(declared)
        value = None if parse is None else parse(params.get(name))
        if value is None:
            return None
        values[name] = value
    # A rule across filters (an inverted range) is the FilterSet's to word.
    if inverted_bound(getattr(filterset_class, "ordered_bounds", ()), values) is not None:
        return None
    return values


def apply_filter_values(
    queryset: QuerySet, filterset_class: type[BaseFilterSet], values: Mapping[str, Any]
) -> QuerySet:
    """``queryset`` filtered as the FilterSet filters it for ``values``, by its own filters.

    In the declared order, each by the declared filter itself: the lookups,
    ``exclude`` and ``distinct`` are the FilterSet's, not restated.
    """
    for name, declared in filterset_class.base_filters.items():
        if name in values:
            queryset = declared.filter(queryset, values[name])
    return queryset
