"""What the device page shows under its fields: counts, a day, the chart, goal, weights.

``device_page_context(request, device)`` is the template's context
(``admin/entries/device_change_form.html``); the day is ``device_day``'s.
"""

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from countonme.base.admin import admin_number
from devices.models import Device, Goal
from entries import stats
from entries.admin.device_day import day_context
from entries.calorie_chart import calorie_chart_svg, kcal
from entries.models import BodyWeight, FoodEntry
from products.models import Portion, Product

CHART_DAYS = 30
RECENT_WEIGHTS = 10
KINDS = [
    ("Products", Product),
    ("Portions", Portion),
    ("Food entries", FoodEntry),
    ("Body weights", BodyWeight),
    ("Goals", Goal),
]


def changelist_of(model: type, device: Device, **filters: str) -> str:
    """The model's changelist showing the device's rows (``status=deleted``: the deleted ones)."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode({'q': str(device.pk), **filters})}"


def row_counts(device: Device) -> list[dict[str, Any]]:
    """Live and deleted rows of every kind, with links to each list: one query per kind."""
    counts = []
    for label, model in KINDS:
        found = model.all_objects.filter(device=device).aggregate(
            live=Count("pk", filter=Q(deleted_at__isnull=True)),
            deleted=Count("pk", filter=Q(deleted_at__isnull=False)),
        )
        counts.append(
            {
                "label": label,
                **found,
                "live_url": changelist_of(model, device, status="live"),
                "deleted_url": changelist_of(model, device, status="deleted"),
            }
        )
    return counts


def requested_day(request: HttpRequest, today: date) -> tuple[date, str | None]:
    """The ``day`` the page was asked for (``YYYY-MM-DD``), today by default, and any error."""
    raw = request.GET.get("day", "").strip()
    if not raw:
        return today, None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return today, f"{raw!r} is not a day (YYYY-MM-DD); showing today."


def device_page_context(request: HttpRequest, device: Device) -> dict[str, Any]:
    """Counts, the picked day, the 30-day chart (bars link to their day), goal, weights."""
    goal = Goal.objects.filter(device=device).first()
    last = timezone.localdate()
    first = last - timedelta(days=CHART_DAYS - 1)
    days = [
        (day, totals["calories"])
        for day, totals in stats.daily_totals(FoodEntry.objects.filter(device=device), first, last)
    ]
    eaten = [value for _, value in days if value]
    goal_kcal = goal.daily_calories_kcal if goal else None
    weights = BodyWeight.objects.filter(device=device).order_by("-day")[:RECENT_WEIGHTS]
    day, day_error = requested_day(request, last)
    page = reverse("admin:devices_device_change", args=[device.pk])
    return {
        "goal": goal,
        "goal_kcal": admin_number(goal_kcal, "kcal"),
        "goal_water": goal and admin_number(goal.water_ml, "ml"),
        "goal_macros": goal
        and f"{goal.protein_percent} / {goal.carbs_percent} / {goal.fat_percent} %",
        "weights": [(weight.day, admin_number(weight.weight_kg, "kg")) for weight in weights],
        "calorie_chart": calorie_chart_svg(
            days, goal_kcal, link=lambda d: f"{page}?day={d:%Y-%m-%d}#device-day"
        ),
        "chart_summary": {
            "days_logged": len(eaten),
            "average": kcal(sum(eaten) / len(eaten)) if eaten else None,
            "over_goal": sum(1 for value in eaten if goal_kcal and value > goal_kcal),
        },
        "row_counts": row_counts(device),
        "day": day_context(device, day, goal),
        "day_error": day_error,
        # No previous day before 0001-01-01 and no next after 9999-12-31.
        "day_links": {
            "previous": day > date.min
            and f"{page}?day={day - timedelta(days=1):%Y-%m-%d}#device-day",
            "next": day < date.max and f"{page}?day={day + timedelta(days=1):%Y-%m-%d}#device-day",
        },
        "entries_of_day_url": changelist_of(FoodEntry, device)
        + f"&day__day={day.day}&day__month={day.month}&day__year={day.year}",
    }
