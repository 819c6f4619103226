"""The one rounding rule, and numbers shown to people.

``round_half_up`` is how every stored or derived decimal of the API gets its 3
places (docs/api.md §1: entries' snapshots, stats, portions, per-100 g values,
catalog imports, quick add): half up, so 2.5625 kcal is 2.563 whichever way it
was computed. Python's own ``quantize``, ``round`` and ``format(..., ".3f")``
round half to even (2.562), and SQLite's decimal converter does too: never use
them for a figure.

``readable_number`` writes numbers for people: "100", "0.5", "1,234.5" — never
"1E+2" or "100.000": error details, string forms of models, admin columns and
pages, portion labels. (The API's own decimal fields keep their wire format,
strings with 3 places; that is for programs.) ``Decimal.normalize()`` alone is
not enough: it writes 100 as "1E+2".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, getcontext, localcontext

from django.utils.formats import number_format

DEFAULT_PLACES = 3  # the precision every amount of the API has
_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(4)}


def round_half_up(value: Decimal, places: int = DEFAULT_PLACES) -> Decimal:
    """``value`` rounded half up (away from zero on a tie) to ``places`` decimal places.

    Decimal("2.5625") → Decimal("2.563"); Decimal("1E+2") → Decimal("100.000").
    Exact whatever the number of whole digits (the context's precision grows
    to fit them). ``ValueError`` for NaN and infinities.
    """
    if not value.is_finite():
        raise ValueError(f"{value!r} is not a finite number.")
    quantum = _QUANTA.get(places) or Decimal(1).scaleb(-places)
    needed = value.adjusted() + places + 2
    if needed <= getcontext().prec:  # the usual case: no context to build (hot lists)
        return value.quantize(quantum, rounding=ROUND_HALF_UP)
    with localcontext() as context:
        context.prec = needed
        return value.quantize(quantum, rounding=ROUND_HALF_UP)


def readable_number(
    value: Decimal | int | float, *, places: int = DEFAULT_PLACES, localize: bool = False
) -> str:
    """``value`` as people write it: rounded half up to ``places``, no trailing zeros, no exponent.

    Decimal("1E+2") → "100", Decimal("0.500") → "0.5", 1234.5 → "1234.5",
    Decimal("-0.0001") → "0". With ``localize`` (the admin) the active
    locale's separators and grouping apply: "1,234.5" in English, "1.234,5" in
    German. Floats are read through ``str`` (0.1 stays 0.1). ``ValueError``
    for NaN and infinities, which are no amount anyone should be shown.
    """
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number.")
    rounded = round_half_up(number, places)
    with localcontext() as context:
        context.prec = max(context.prec, number.adjusted() + places + 2)
        plain = rounded.normalize() if rounded else Decimal(0)  # no "-0"
    if localize:
        return number_format(plain, use_l10n=True, force_grouping=True)
    return format(plain, "f")
