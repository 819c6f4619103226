"""Numbers shown to people: "100", "0.5", "1,234.5" — never "1E+2" or "100.000".

The one helper for every number a person reads: error details, string forms
of models, admin columns and pages, portion labels. (The API's own decimal
fields keep their wire format, strings with 3 places; that is for programs.)

``Decimal.normalize()`` alone is not enough: it writes 100 as "1E+2".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.utils.formats import number_format

DEFAULT_PLACES = 3  # the precision every amount of the API has


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
    with localcontext() as context:
        # Room for every whole digit: quantize fails beyond the context precision.
        context.prec = max(context.prec, number.adjusted() + places + 2)
        rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        plain = rounded.normalize() if rounded else Decimal(0)  # no "-0"
    if localize:
        return number_format(plain, use_l10n=True, force_grouping=True)
    return format(plain, "f")
