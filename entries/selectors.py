"""Reads that compose several models: the device's data export and its weight points."""

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from devices.models import Device, Goal
from entries.models import BodyWeight, FoodEntry
from entries.serializers import ExportSerializer
from products.selectors import product_list_with_portions


def export_document(*, device: Device, now: datetime | None = None) -> dict[str, Any]:
    """Every live row ``device`` owns, in ``GET /v1/data/export``'s shape (``ExportSerializer``).

    The products include the deleted ones (and deleted portions) a live food
    entry names, with their ``deleted_at``: an entry of a product deleted
    since still says what was eaten. Served by the API and downloaded by
    support staff from the admin. Five queries whatever the data size:
    products, their portions, food entries, body weights, the goal.
    """
    entries = FoodEntry.objects.filter(device=device)
    return ExportSerializer(
        {
            "exported_at": now or timezone.now(),
            "device": device,
            "products": product_list_with_portions(device=device, referenced_by=entries),
            "food_entries": entries.order_by("day", "created_at", "id"),
            "body_weights": BodyWeight.objects.filter(device=device).order_by("day"),
            "goal": Goal.objects.filter(device=device).first(),
        }
    ).data


def export_filename(now: datetime) -> str:
    """The attachment's file name: ``countonme-export-YYYY-MM-DD.json``."""
    return f"countonme-export-{now:%Y-%m-%d}.json"


def weight_points(*, device: Device, first: date, last: date) -> list[dict[str, Any]]:
    """The device's live weights from ``first`` to ``last`` (inclusive), by day.

    ``[{"day": date, "weight_kg": Decimal (kg, 3 places)}, ...]``: the points of
    ``GET /v1/stats/weight`` (``WeightStatsSerializer``); days without a weight
    are absent. One query, on the live (device, day) unique index.
    """
    rows = BodyWeight.objects.filter(device=device, day__gte=first, day__lte=last)
    return list(rows.order_by("day").values("day", "weight_kg"))
