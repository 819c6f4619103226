"""The admin index's dashboard: devices active lately, what happened today, a device search.

Set as ``admin.site.dashboard`` (``countonme.backoffice.site``). "Today"
starts at midnight in ``ADMIN_TIME_ZONE`` (the zone every page names). About
eight COUNT queries, each on an indexed column or a small range.
"""

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from countonme.base.admin import plural
from devices.models import Device
from entries.models import FoodEntry

ACTIVE_WINDOWS = [
    (1, "active in the last day"),
    (7, "active in the last 7 days"),
    (30, "active in the last 30 days"),
]


def dashboard(request: HttpRequest) -> dict[str, Any]:
    """``{"active": [(label, count, url)], "today": [...], "search_url", "activity_url"}``."""
    now = timezone.now()
    start = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    devices = reverse("admin:devices_device_changelist")
    entries = reverse("admin:entries_foodentry_changelist")
    can_see_activity = request.user.has_perm(settings.BACK_OFFICE_ACTIVITY_PERMISSION)
    activity = reverse("admin:admin_logentry_changelist") if can_see_activity else None
    active = [
        (
            label,
            Device.objects.filter(last_seen_at__gte=now - timedelta(days=days)).count(),
            f"{devices}?active={days}",
        )
        for days, label in ACTIVE_WINDOWS
    ]
    registered = Device.objects.filter(created_at__gte=start).count()
    revoked = Device.objects.filter(revoked_at__gte=start).count()
    erased = LogEntry.objects.filter(
        action_time__gte=start,
        action_flag=DELETION,
        content_type=ContentType.objects.get_for_model(Device),
    ).count()
    logged = FoodEntry.all_objects.filter(created_at__gte=start).count()
    today = f"{start:%Y-%m-%d}"
    return {
        "active": [(f"device{'' if n == 1 else 's'} {label}", n, url) for label, n, url in active],
        "today": [
            (
                plural(registered, "registration", count=False),
                registered,
                f"{devices}?created_at__date={today}",
            ),
            (
                plural(revoked, "revocation", count=False),
                revoked,
                f"{devices}?revoked_at__date={today}",  # the devices it counts
            ),
            (
                plural(erased, "erasure", count=False),
                erased,
                # Only a support lead may read the activity: for others a plain figure.
                activity and f"{activity}?action_flag={DELETION}&action_time__date={today}",
            ),
            (
                plural(logged, "food entry", "food entries", count=False) + " logged",
                logged,
                f"{entries}?created_at__date={today}",
            ),
        ],
        "search_url": devices,
        "activity_url": activity,
    }


admin.site.dashboard = dashboard
