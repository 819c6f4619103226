"""The admin's pages show times in ``ADMIN_TIME_ZONE``; the API stays in UTC."""

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

ADMIN_PREFIX = "/admin/"


class AdminTimeZoneMiddleware:
    """Activates the staff's zone for ``/admin/`` requests only, and always undoes it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(ADMIN_PREFIX):
            return self.get_response(request)
        # Read per request (ZoneInfo caches its zones), so a changed setting applies.
        with timezone.override(zoneinfo.ZoneInfo(settings.ADMIN_TIME_ZONE)):
            # TemplateResponses render inside get_response: their times are in the zone.
            return self.get_response(request)
