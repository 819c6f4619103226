"""The numbers already stored, checked against today's rules: ``manage.py audit_numbers``.

Rows written before the physical limits (``products.limits``), the one
rounding rule and the import checks held may break them: a catalog juice
whose "1,000 ml" serving says 1 ml weighs a kilogram, a default "100 g"
without its ``gram_weight``, a portion of 1,000,000 kcal in 1 mg, an entry
of 112,500 kcal from such a portion. The audit finds them and says what is
wrong with each; ``fix=True`` rewrites only what can be derived again with
certainty from the row's own source, and reports every change:

- a catalog portion is derived again from its food's per-100 g values and
  its own label and weight, as an import would write it today
  (``measures.rederived``): the serving re-read against its weight, the
  default "100 g" with its weight, half-up rounding. When that derivation is
  impossible or still beyond the limits, it is only reported;
- a device's portion copied from a catalog portion fixed in the same run,
  still holding the catalog's old values, gets the new ones; a mass portion
  without ``gram_weight`` gets its mass. Any other portion beyond the limits
  was typed by its user: reported, never guessed;
- a food entry logged on a portion fixed in the same run, whose snapshot is
  exactly what the portion's old values gave, is computed again from the new
  ones. Other entries are history (editing a portion never rewrites a past
  day): those beyond the limits are reported only.

Device rows change through the services under the device's write lock, so
each gets a fresh sync version and the phone receives it. A catalog food
whose per-100 g values break the limits is reported: re-import its source
(the import now checks energy and macros).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from countonme.base.numbers import readable_number
from devices.models import Device
from entries.models import FoodEntry
from entries.services import entry_nutrition, food_entry_update
from products import limits, units
from products.catalog_import.measures import (
    SERVING_WEIGHT_CONTRADICTS,
    rederived,
    serving_measure,
)
from products.models import CatalogPortion, CatalogProduct, Portion
from products.nutrients import NUTRIENTS
from products.services import portion_save

BATCH = 2000
# An entry's snapshot is rounded per value: its macros may pass its grams by that much.
ROUNDING_SLACK = Decimal("0.0015")
VALUE_FIELDS = ("base_amount", "base_unit", "gram_weight", *NUTRIENTS)


@dataclass
class Finding:
    """A stored row that breaks a rule: what it is, what is wrong, and the certain fix if any."""

    kind: str
    pk: uuid.UUID
    where: str
    problem: str
    fix: str | None = None


@dataclass
class AuditReport:
    """Every finding, and how many rows ``fix=True`` rewrote."""

    findings: list[Finding] = field(default_factory=list)
    fixed: int = 0

    @property
    def fixable(self) -> int:
        return sum(finding.fix is not None for finding in self.findings)


@dataclass
class _Plan:
    """The fixes found, applied only with ``fix=True``: old and new values by row."""

    catalog: dict[uuid.UUID, tuple[limits.PortionValues, CatalogPortion]] = field(
        default_factory=dict
    )
    portions: dict[uuid.UUID, tuple[limits.PortionValues, dict]] = field(default_factory=dict)
    entries: list[FoodEntry] = field(default_factory=list)


def audit_numbers(*, fix: bool = False, emit: Callable[[str], object] = print) -> AuditReport:
    """Check the stored numbers (see the module); with ``fix`` apply the certain fixes.

    ``emit`` receives one line per finding as it is found, then what was fixed.
    """
    report, plan = AuditReport(), _Plan()

    def found(finding: Finding) -> None:
        report.findings.append(finding)
        fixing = f" → fix: {finding.fix}" if finding.fix else ""
        emit(f"{finding.kind} {finding.pk} ({finding.where}): {finding.problem}{fixing}")

    for finding in _catalog_foods():
        found(finding)
    for finding in _catalog_portions(plan):
        found(finding)
    for finding in _device_portions(plan):
        found(finding)
    for finding in _entries(plan):
        found(finding)
    if fix:
        report.fixed = _apply(plan)
    return report


# --- finding ---------------------------------------------------------------------


def _catalog_foods() -> Iterable[Finding]:
    names = ("protein_100g", "carbs_100g", "fat_100g")
    macros = sum((Coalesce(F(name), Value(Decimal(0))) for name in names), Value(Decimal(0)))
    beyond = (
        CatalogProduct.objects.annotate(macros=ExpressionWrapper(macros, DecimalField()))
        .filter(
            Q(kcal_100g__gt=limits.KCAL_100G_MAX)
            | Q(kcal_100g__lt=0)
            | Q(macros__gt=limits.MACROS_100G_MAX)
        )
        .order_by("source", "source_id")
    )
    for food in beyond.iterator(chunk_size=BATCH):
        breach = limits.per_100g_breach(
            kcal=food.kcal_100g or Decimal(0),
            protein=food.protein_100g,
            carbs=food.carbs_100g,
            fat=food.fat_100g,
        )
        yield Finding(
            kind="catalog food",
            pk=food.pk,
            where=f"{food.source}:{food.source_id} {food}",
            problem=_problem(breach) + "; re-import its source, which checks it now",
        )


def _catalog_portions(plan: _Plan) -> Iterable[Finding]:
    rows = CatalogPortion.objects.select_related("product").order_by("product_id", "id")
    for portion in rows.iterator(chunk_size=BATCH):
        stored = limits.PortionValues.of(portion)
        problems = _portion_problems(stored)
        food = portion.product
        again = rederived(
            label=portion.label,
            gram_weight=portion.gram_weight
            or limits.mass_gram_weight(portion.base_amount, portion.base_unit),
            is_default=portion.is_default,
            per_100g=(food.kcal_100g, food.protein_100g, food.carbs_100g, food.fat_100g),
        )
        changes = None
        if again is not None:
            changes = _changes(stored, {name: getattr(again, name) for name in VALUE_FIELDS})
        elif _label_contradicts_weight(portion):
            problems.append(
                "its label states a weight its gram_weight contradicts; re-import its source"
            )
        if changes and not problems:
            problems.append("differs from what its food's per-100 g values and its label give")
        if not problems:
            continue
        if changes:
            for name in VALUE_FIELDS:
                setattr(portion, name, getattr(again, name))
            plan.catalog[portion.pk] = (stored, portion)
        yield Finding(
            kind="catalog portion",
            pk=portion.pk,
            where=f"{food} · {portion.label}",
            problem="; ".join(problems),
            fix=_describe(changes),
        )


def _label_contradicts_weight(portion: CatalogPortion) -> bool:
    """A serving whose label says its weight and whose stored weight is another.

    "1 portion (30 g)" stored weighing 300 g (Open Food Facts imports before
    the label's own weight was checked): the import now leaves it out, so a
    re-import drops it. USDA's measures are not labels of one serving
    ("0.33 package (10 oz)", "1 can (11 oz), prepared") and are not read so.
    """
    if portion.is_default or portion.gram_weight is None or portion.product.source != "off":
        return False
    return serving_measure(portion.label, portion.gram_weight) == SERVING_WEIGHT_CONTRADICTS


def _device_portions(plan: _Plan) -> Iterable[Finding]:
    rows = Portion.objects.select_related("product").order_by("device_id", "product_id", "id")
    for portion in rows.iterator(chunk_size=BATCH):
        stored = limits.PortionValues.of(portion)
        problems = _portion_problems(stored)
        copied = plan.catalog.get(portion.copied_from_catalog)
        new: dict | None = None
        if copied is not None and copied[0] == stored:
            new = {name: getattr(copied[1], name) for name in VALUE_FIELDS}
            problems.append("a copy of a catalog portion fixed in this run")
        elif problems and not limits.portion_breach(stored):
            # Only the missing weight of a mass portion: its mass.
            new = {"gram_weight": limits.mass_gram_weight(stored.base_amount, stored.base_unit)}
        if not problems:
            continue
        changes = _changes(stored, new) if new else None
        if changes:
            plan.portions[portion.pk] = (stored, changes)
        yield Finding(
            kind="portion",
            pk=portion.pk,
            where=f"device {portion.device_id} · {portion.product} · {portion.label}",
            problem="; ".join(problems),
            fix=_describe(changes),
        )


def _entries(plan: _Plan) -> Iterable[Finding]:
    beyond = _entries_beyond_limits()
    followers = FoodEntry.objects.filter(portion_id__in=list(plan.portions))
    rows = (
        FoodEntry.objects.filter(Q(pk__in=beyond.values("pk")) | Q(pk__in=followers.values("pk")))
        .select_related("portion")
        .order_by("device_id", "day", "id")
    )
    for entry in rows.iterator(chunk_size=BATCH):
        problems = _entry_problems(entry)
        fix = None
        planned = plan.portions.get(entry.portion_id)
        if planned is not None:
            old, changes = planned
            snapshot = (entry.calories, entry.protein, entry.carbs, entry.fat)
            after = _nutrition(replace(old, **changes), entry)
            if snapshot == _nutrition(old, entry) and after not in (None, snapshot):
                plan.entries.append(entry)
                problems.append("its snapshot is what a portion fixed in this run gave")
                fix = f"calories {readable_number(snapshot[0])} → {readable_number(after[0])}"
        if not problems:
            continue
        yield Finding(
            kind="food entry",
            pk=entry.pk,
            where=f"device {entry.device_id} · {entry.day} · "
            f"{readable_number(entry.amount)} {entry.unit}",
            problem="; ".join(problems),
            fix=fix,
        )


def _entries_beyond_limits() -> QuerySet:
    """Live entries whose snapshot holds more than their grams can: in SQL, whatever the table.

    Only where the amount says its grams: a mass exactly, a volume at most
    at 3 g per ml. Counted units depend on a portion that may have changed since.
    """
    grams_per_unit = {
        **units.GRAMS_PER_UNIT,
        **{
            unit: millilitres * limits.DENSITY_MAX
            for unit, millilitres in units.MILLILITRES_PER_UNIT.items()
        },
    }
    macros = F("protein") + F("carbs") + F("fat")
    beyond = Q()
    for unit, factor in grams_per_unit.items():
        grams = F("amount") * Value(factor)
        beyond |= Q(unit=unit) & (
            Q(calories__gt=grams * Value(limits.KCAL_PER_GRAM_MAX) + Value(ROUNDING_SLACK))
            | Q(macros__gt=grams + Value(ROUNDING_SLACK))
        )
    return FoodEntry.objects.annotate(
        macros=ExpressionWrapper(macros, DecimalField(max_digits=20, decimal_places=3))
    ).filter(beyond)


def _entry_problems(entry: FoodEntry) -> list[str]:
    if units.dimension(entry.unit) is units.Dimension.COUNT:
        return []
    grams = units.convert(entry.amount, entry.unit, "ml" if _is_volume(entry.unit) else "g")
    at_most = " at most" if _is_volume(entry.unit) else ""
    if _is_volume(entry.unit):
        grams *= limits.DENSITY_MAX
    problems = []
    if entry.calories > limits.KCAL_PER_GRAM_MAX * grams + ROUNDING_SLACK:
        problems.append(
            f"{readable_number(entry.calories)} kcal in{at_most} {readable_number(grams)} g "
            f"is more than {readable_number(limits.KCAL_100G_MAX)} kcal per 100 g"
        )
    if entry.protein + entry.carbs + entry.fat > grams + ROUNDING_SLACK:
        problems.append(f"more macros than its{at_most} {readable_number(grams)} g")
    return problems


def _is_volume(unit: str) -> bool:
    return units.dimension(unit) is units.Dimension.VOLUME


def _nutrition(values: limits.PortionValues, entry: FoodEntry) -> tuple[Decimal, ...] | None:
    try:
        eaten = entry_nutrition(portion=values, amount=entry.amount, unit=entry.unit)
    except units.UnitMismatch:
        return None
    return (eaten.calories, eaten.protein, eaten.carbs, eaten.fat)


def _portion_problems(values: limits.PortionValues) -> list[str]:
    problems = []
    breach = limits.portion_breach(values)
    if breach is not None:
        problems.append(_problem(breach))
    if values.gram_weight is None and limits.mass_gram_weight(values.base_amount, values.base_unit):
        problems.append("a mass portion without its gram_weight (the app divides by it)")
    return problems


def _problem(breach: limits.Breach | None) -> str:
    return "beyond the limits" if breach is None else f"{breach.code}: {breach.message}"


def _changes(stored: limits.PortionValues, new: dict) -> dict:
    return {name: value for name, value in new.items() if getattr(stored, name) != value}


def _describe(changes: dict | None) -> str | None:
    if not changes:
        return None
    return ", ".join(f"{name} {_text(value)}" for name, value in changes.items())


def _text(value: object) -> str:
    if value is None:
        return "null"
    return readable_number(value) if isinstance(value, Decimal) else str(value)


# --- fixing ----------------------------------------------------------------------


def _apply(plan: _Plan) -> int:
    """Write the planned fixes: the catalog in batches, each device's rows under its lock."""
    fixed = 0
    catalog = [portion for _, portion in plan.catalog.values()]
    for start in range(0, len(catalog), BATCH):
        with transaction.atomic():
            CatalogPortion.objects.bulk_update(catalog[start : start + BATCH], VALUE_FIELDS)
    fixed += len(catalog)
    by_device: dict[uuid.UUID, list] = defaultdict(list)
    portions = Portion.objects.select_related("product").in_bulk(list(plan.portions))
    for pk, (_, changes) in plan.portions.items():
        by_device[portions[pk].device_id].append((portions[pk], changes))
    entries = defaultdict(list)
    for entry in plan.entries:
        entries[entry.device_id].append(entry)
    for device_id in by_device.keys() | entries.keys():
        with transaction.atomic():
            device = Device.objects.get(pk=device_id)
            device.lock_for_writes()
            for portion, changes in by_device.get(device_id, []):
                portion_save(portion=portion, fields=changes)
                fixed += 1
            for entry in entries.get(device_id, []):
                entry.portion.refresh_from_db()
                food_entry_update(entry=entry, portion=entry.portion)
                fixed += 1
    return fixed
