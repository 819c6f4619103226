"""Reads that compose several models: the device's data export."""

from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.utils import timezone

from devices.models import BodyWeight, Device, Goal
from entries.models import FoodEntry
from entries.serializers import ExportSerializer
from products.models import PORTION_DISPLAY_ORDER, Portion, Product


def export_document(*, device: Device, now: datetime | None = None) -> dict[str, Any]:
    """Every live row ``device`` owns, in ``GET /v1/data/export``'s shape (``ExportSerializer``).

    Served by the API and downloaded by support staff from the admin. A
    constant number of queries (six) whatever the data size.
    """
    products = list(
        Product.objects.filter(device=device)
        .order_by(Lower("name"), "id")
        .prefetch_related(
            Prefetch("portions", queryset=Portion.objects.order_by(*PORTION_DISPLAY_ORDER))
        )
    )
    for product in products:
        # kcal_100g reads the default portion; it is among the portions loaded.
        product.live_default_portions = [p for p in product.portions.all() if p.is_default]
    return ExportSerializer(
        {
            "exported_at": now or timezone.now(),
            "device": device,
            "products": products,
            "food_entries": FoodEntry.objects.filter(device=device).order_by(
                "day", "created_at", "id"
            ),
            "body_weights": BodyWeight.objects.filter(device=device).order_by("day"),
            "goal": Goal.objects.filter(device=device).first(),
        }
    ).data


def export_filename(now: datetime) -> str:
    """The attachment's file name: ``countonme-export-YYYY-MM-DD.json``."""
    return f"countonme-export-{now:%Y-%m-%d}.json"
