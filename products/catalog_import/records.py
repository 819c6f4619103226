"""What a source reader produces: foods with per-100 g nutrition, and the rules they must pass."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from countonme.base.numbers import round_half_up
from products import limits
from products.amounts import amount_readings

# Every amount the catalog stores has 3 decimal places (docs/api.md §1).
THOUSANDTH = Decimal("0.001")
# The physical limits (products.limits): pure fat is 9 kcal/g, and 100 g of
# food cannot hold more than 100 g of macros; anything above is a data error.
MAX_KCAL_100G = limits.KCAL_100G_MAX
MAX_MACROS_100G = limits.MACROS_100G_MAX
# Published values go a little past those limits through rounding (SR28 counts
# fat at 9.02 kcal/g, so lard is 902 kcal/100 g): such foods are kept and
# brought down to the limits the API accepts (fit_to_limits), not dropped.
ROUNDING_TOLERANCE = Decimal("1.02")
MAX_ID_LENGTH = 64  # CatalogProduct.source_id and .barcode

# Skip reasons, as the import summary prints them.
MISSING_NAME = "missing name"
MISSING_ENERGY = "missing energy"
ENERGY_OUT_OF_RANGE = "energy out of range 0-900 kcal/100 g"
NEGATIVE_MACRO = "negative protein, carbs or fat"
MACROS_OVER_PORTION = "macros larger than the portion (protein+carbs+fat > 100 g per 100 g)"
MISSING_ID = "missing id"
ID_TOO_LONG = "id longer than 64 characters"
MALFORMED_ROW = "malformed row"
DUPLICATE = "duplicate of an earlier row (first one kept)"


@dataclass(frozen=True, slots=True)
class Measure:
    """A household measure: ``amount`` of ``description`` ("cup, sliced") weighs ``gram_weight``.

    ``label`` is the text as the source wrote it ("½ cup (120 ml)"), when it
    should be shown as written rather than as ``amount description``.
    """

    amount: Decimal
    description: str
    gram_weight: Decimal | None
    label: str | None = None


@dataclass(slots=True)
class FoodRecord:
    """One food of a dump, source-neutral. Nutrition is per 100 g of the edible portion."""

    source: str
    source_id: str
    name: str
    display_name: str
    kcal_100g: Decimal | None
    protein_100g: Decimal | None
    carbs_100g: Decimal | None
    fat_100g: Decimal | None
    category: str = ""
    brand: str = ""
    barcode: str | None = None
    measures: list[Measure] = field(default_factory=list)
    # Measures the source gave that could not be read: (reason, text as given).
    measures_dropped: list[tuple[str, str]] = field(default_factory=list)
    # The energy in kJ as the source stated it, and g of alcohol: what
    # ``energy.settle_energy`` checks ``kcal_100g`` against.
    kj_100g: Decimal | None = None
    alcohol_100g: Decimal | None = None
    # The stated kJ read the other way when the source wrote it with one
    # separator before three digits ("1,500": ``kj_100g`` 1.5, this 1500);
    # ``energy.settle_energy`` takes the reading kcal and the macros agree with.
    kj_100g_grouped: Decimal | None = None


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row a reader could not turn into a record (no id, malformed); counted, not imported."""

    reason: str


def measures_from(rows: Iterable[tuple[object, str, str, str]]) -> list[Measure]:
    """Measures from ``(seq, amount, description, grams)`` rows, as USDA files give them.

    A missing amount becomes 0, which the portion rules drop as not positive.
    """
    return [
        Measure(
            amount=parse_decimal(amount) or Decimal(0),
            description=description,
            gram_weight=parse_decimal(grams),
        )
        for _seq, amount, description, grams in rows
    ]


def decimal_readings(value: object) -> list[Decimal]:
    """Every way a dump's number can be read, the decimal reading first; [] for none.

    Numbers and plain texts have one ("380", "12,5" → 12.5, "1 500" → 1500);
    a text with one "," or "." before exactly three digits has two ("1,500"
    → [1.5, 1500]), as ``products.amounts`` reads them. A caller that can
    tell them apart by range or by other figures picks one (``off``'s kJ).
    """
    if isinstance(value, str):
        readings = amount_readings(value, spaced=True)
        if readings and all(not rest for _, rest in readings):
            return [amount for amount, _ in readings]
    number = parse_decimal(value)
    return [] if number is None else [number]


def parse_decimal(value: object) -> Decimal | None:
    """A finite Decimal from a dump's number (text, int or float), else None.

    Floats go through ``str`` so ``0.1`` stays 0.1 rather than its binary
    expansion; blanks, "NaN" and "Infinity" are missing values.
    """
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip().replace(",", ".") if isinstance(value, str) else str(value)
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def quantize(value: Decimal | None) -> Decimal | None:
    """``value`` rounded half-up to the catalog's 3 decimal places."""
    return None if value is None else round_half_up(value)


def skip_reason(record: FoodRecord) -> str | None:
    """Why ``record`` must not enter the catalog, or None when it may."""
    if not record.source_id:
        return MISSING_ID
    if len(record.source_id) > MAX_ID_LENGTH:
        return ID_TOO_LONG
    if not record.name.strip():
        return MISSING_NAME
    if record.kcal_100g is None:
        return MISSING_ENERGY
    if not 0 <= record.kcal_100g <= MAX_KCAL_100G * ROUNDING_TOLERANCE:
        return ENERGY_OUT_OF_RANGE
    macros = [v for v in (record.protein_100g, record.carbs_100g, record.fat_100g) if v is not None]
    if any(v < 0 for v in macros):
        return NEGATIVE_MACRO
    if sum(macros, Decimal(0)) > MAX_MACROS_100G * ROUNDING_TOLERANCE:
        return MACROS_OVER_PORTION
    return None


def fit_to_limits(record: FoodRecord) -> FoodRecord:
    """Bring a record that passed ``skip_reason`` within the API's limits, in place.

    Energy above 900 kcal/100 g becomes 900; macros summing above 100 g are
    scaled down together. Only rounding noise (at most 2 %) gets here.
    """
    if record.kcal_100g is not None and record.kcal_100g > MAX_KCAL_100G:
        record.kcal_100g = MAX_KCAL_100G
    names = ("protein_100g", "carbs_100g", "fat_100g")
    total = sum((getattr(record, n) or Decimal(0) for n in names), Decimal(0))
    if total > MAX_MACROS_100G:
        for name in names:
            value = getattr(record, name)
            if value is not None:
                # Rounded down, so the scaled sum cannot creep back over 100.
                scaled = (value * MAX_MACROS_100G / total).quantize(THOUSANDTH, "ROUND_DOWN")
                setattr(record, name, scaled)
    return record
