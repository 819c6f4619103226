"""Every portion measured by mass carries its mass as ``gram_weight`` (100 g → 100).

Imports before this one left the catalog's default "100 g" portions without a
``gram_weight``, and the shipping app divides by it: a scanned food was
stored at 0 kcal. This fills it for catalogs already imported, and for the
devices' own mass portions, whose rows get a fresh sync version (their
device's counter bumped in the same transaction) so the phones receive them.

Exact in SQL: g as stored, kg × 1000; milligram portions are few and are
rounded half up in Python. A portion too light (under 1 mg) or too heavy
(over 1,000 kg) for a 3-place ``gram_weight`` within the API's range is left
as it is: ``manage.py audit_numbers`` reports it.
"""

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import migrations
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.expressions import Combinable
from django.utils import timezone

THOUSANDTH = Decimal("0.001")
HEAVIEST_KG = Decimal(1000)  # 1,000,000 g: the API's largest gram_weight


def _fills(portions: QuerySet) -> list[tuple[QuerySet, Combinable | None]]:
    """``(rows, gram_weight expression or None)`` per mass unit; None: fill row by row."""
    blank = portions.filter(gram_weight__isnull=True)
    return [
        (blank.filter(base_unit="g"), F("base_amount")),
        (blank.filter(base_unit="kg", base_amount__lte=HEAVIEST_KG), F("base_amount") * 1000),
        (blank.filter(base_unit="mg", base_amount__gte=1), None),
    ]


def _milligrams(rows: QuerySet) -> Iterator[tuple[Any, Decimal]]:
    for pk, amount in rows.values_list("pk", "base_amount"):
        grams = (amount * THOUSANDTH).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)
        yield pk, grams


def fill_catalog(apps, schema_editor):
    CatalogPortion = apps.get_model("products", "CatalogPortion")
    for rows, grams in _fills(CatalogPortion.objects.all()):
        if grams is not None:
            rows.update(gram_weight=grams)
            continue
        for pk, value in list(_milligrams(rows)):
            CatalogPortion.objects.filter(pk=pk).update(gram_weight=value)


def fill_device_portions(apps, schema_editor):
    Portion = apps.get_model("products", "Portion")
    Device = apps.get_model("devices", "Device")
    now = timezone.now()
    for rows, grams in _fills(Portion.objects.all()):
        # The devices whose rows change take their next version, stamped on those rows.
        Device.objects.filter(pk__in=rows.values("device_id")).update(
            last_version=F("last_version") + 1
        )
        version = Subquery(Device.objects.filter(pk=OuterRef("device_id")).values("last_version"))
        if grams is not None:
            rows.update(gram_weight=grams, version=version, updated_at=now)
            continue
        for pk, value in list(_milligrams(rows)):
            Portion.objects.filter(pk=pk).update(gram_weight=value, version=version, updated_at=now)


class Migration(migrations.Migration):
    dependencies = [
        ("devices", "0008_default_verbose_names"),
        ("products", "0008_default_verbose_names"),
    ]

    operations = [
        migrations.RunPython(fill_catalog, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(fill_device_portions, migrations.RunPython.noop, elidable=True),
    ]
