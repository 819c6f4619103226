"""The energy a food's row states, checked against itself and its macros before import.

Open Food Facts rows are typed in by people, and their energy is often wrong
in ways its other numbers give away: a kcal of 0 beside 1,500 kJ and 20 g of
fat, or the kJ figure typed into the kcal field too (``kcal = kJ = 380``).
Each row offers up to three figures:

- the kcal it states;
- the kJ it states, ÷ 4.184 (the thermochemical calorie, as EU labels use);
- what its macros can give (Atwater): fat, protein, carbohydrate and alcohol
  times their energy per gram. Real foods spread around the general 4/4/9
  factors — USDA's specific factors run 8.37–9.02 kcal/g for fat, 2.44–4.36
  for protein, up to 4.2 for carbohydrate, 6.93 for alcohol — and fibre and
  polyols give less than 4 (erythritol 0), so the macros give a *range*, not a
  figure: at least 80 % of what fat and protein give at their lowest factors,
  less 5 kcal; at most 120 % of all four at their highest, plus 5 kcal (label
  rounding: "0.5 g" of fat, whole kcal).

The rule: kcal and kJ that agree (within 5 % or 2 kcal) are the energy, the
kcal as stated. When they disagree, the one within the macros' range is the
energy (both within it: the one nearer the 4/4/9 estimate); none, or macros
too incomplete to bound it from above, and the row is skipped. A single
figure below what its fat and protein must give is impossible and the row is
skipped; above its macros it may be alcohol or organic acids a row does not
list (vinegar, spirits: 100 of SR28's 8,789 foods), so it is kept. Every
correction and skip is counted with its reason in the import summary. The
value is never computed from the macros: what is stored is a figure the
source wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from products.catalog_import.records import FoodRecord
from products.limits import SLACK_KCAL, energy_floor
from products.nutrients import MACROS

KJ_PER_KCAL = Decimal("4.184")
GENERAL_FACTORS = {"protein": 4, "carbs": 4, "fat": 9, "alcohol": 7}  # kcal per g
HIGHEST_FACTORS = {
    "protein": Decimal("4.36"),
    "carbs": Decimal("4.2"),
    "fat": Decimal("9.02"),
    "alcohol": Decimal("6.93"),
}
HIGH_SHARE = Decimal("1.2")
AGREEMENT_SHARE, AGREEMENT_KCAL = Decimal("0.05"), Decimal(2)

# Skip reasons and corrections, as the import summary prints them.
ENERGY_BELOW_MACROS = "energy below what its fat and protein give"
ENERGY_CONTRADICTS_MACROS = "kcal and kJ disagree and neither fits the macros"
ENERGY_UNDECIDED = "kcal and kJ disagree and the macros are too incomplete to tell"
KJ_AMBIGUOUS = 'kJ written "1,500" (1.5 or 1500?), no kcal, and the macros fit both or neither'
FROM_KJ = "energy from kJ: the stated kcal contradicts kJ and the macros"
FROM_KCAL = "energy from kcal: the stated kJ contradicts kcal and the macros"


@dataclass(frozen=True)
class EnergyVerdict:
    """What the check decided: a skip reason, or a correction to count (both None: as stated)."""

    skip: str | None = None
    corrected: str | None = None


def settle_energy(record: FoodRecord) -> EnergyVerdict:
    """Set ``record.kcal_100g`` to the energy its figures agree on (see the module).

    A row with neither kcal nor kJ is left alone (``records.skip_reason``
    skips it as missing energy). A kJ written with a thousands separator or a
    decimal one ("1,500", ``record.kj_100g_grouped``) is read first
    (``_read_kj``).
    """
    if record.kj_100g_grouped is not None:
        _read_kj(record)
        if record.kj_100g is None and record.kcal_100g is None:
            return EnergyVerdict(skip=KJ_AMBIGUOUS)
    kcal = record.kcal_100g
    from_kj = None if record.kj_100g is None else record.kj_100g / KJ_PER_KCAL
    if kcal is None and from_kj is None:
        return EnergyVerdict()
    lowest, highest = _bounds(record)
    if kcal is None or from_kj is None or _agree(kcal, from_kj):
        energy = kcal if kcal is not None else from_kj
        if energy < lowest:
            return EnergyVerdict(skip=ENERGY_BELOW_MACROS)
        record.kcal_100g = energy
        return EnergyVerdict()
    fitting = [
        (value, note)
        for value, note in ((kcal, FROM_KCAL), (from_kj, FROM_KJ))
        if lowest <= value and (highest is None or value <= highest)
    ]
    if not fitting:
        return EnergyVerdict(skip=ENERGY_CONTRADICTS_MACROS)
    if len(fitting) > 1:
        if highest is None:
            return EnergyVerdict(skip=ENERGY_UNDECIDED)
        estimate = _estimate(record)
        fitting.sort(key=lambda pair: abs(pair[0] - estimate))
    record.kcal_100g, note = fitting[0]
    return EnergyVerdict(corrected=note)


def _read_kj(record: FoodRecord) -> None:
    """Settle a kJ that reads two ways (1.5 or 1500): the one that agrees with the kcal, else
    the only one within the macros' range; neither (or both) and the kJ is no figure at all.
    """
    readings = [record.kj_100g, record.kj_100g_grouped]
    record.kj_100g, record.kj_100g_grouped = None, None
    if record.kcal_100g is not None:
        agreeing = [kj for kj in readings if _agree(record.kcal_100g, kj / KJ_PER_KCAL)]
        if len(agreeing) == 1:
            record.kj_100g = agreeing[0]
            return
    lowest, highest = _bounds(record)
    if highest is None:
        return
    fitting = [kj for kj in readings if lowest <= kj / KJ_PER_KCAL <= highest]
    if len(fitting) == 1:
        record.kj_100g = fitting[0]


def _agree(first: Decimal, second: Decimal) -> bool:
    return abs(first - second) <= max(AGREEMENT_KCAL, AGREEMENT_SHARE * max(first, second))


def _grams(record: FoodRecord) -> dict[str, Decimal | None]:
    return {
        "protein": record.protein_100g,
        "carbs": record.carbs_100g,
        "fat": record.fat_100g,
        "alcohol": record.alcohol_100g,
    }


def _bounds(record: FoodRecord) -> tuple[Decimal, Decimal | None]:
    """The least and most energy the macros allow (most: None unless protein, carbs, fat known)."""
    grams = _grams(record)
    lowest = energy_floor(protein=grams["protein"], fat=grams["fat"])
    if any(grams[name] is None for name in MACROS):
        return lowest, None
    most = sum(
        ((grams[name] or 0) * factor for name, factor in HIGHEST_FACTORS.items()), Decimal(0)
    )
    return lowest, HIGH_SHARE * most + SLACK_KCAL


def _estimate(record: FoodRecord) -> Decimal:
    """The general Atwater estimate, 4/4/9 (and 7 for alcohol) kcal per g."""
    grams = _grams(record)
    return sum(
        ((grams[name] or 0) * factor for name, factor in GENERAL_FACTORS.items()), Decimal(0)
    )
