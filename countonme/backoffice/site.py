"""``BackOfficeSite``: the stock admin site with a dashboard and the staff's time zone."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse


class BackOfficeSite(admin.AdminSite):
    """The admin site of support staff.

    - No "View site" link: the server has no public site (the API is not one).
    - The index shows ``dashboard(request)``'s figures above the app list
      when an app sets it (``entries.admin.dashboard``).
    - Every page says in which zone its times are (``ADMIN_TIME_ZONE``).
    """

    site_header = "CountOnMe back office"
    site_title = "CountOnMe back office"
    index_title = "Support dashboard"
    site_url = None
    index_template = "backoffice/index.html"
    dashboard: Callable[[HttpRequest], dict[str, Any]] | None = None

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        return {**super().each_context(request), "time_zone_name": settings.ADMIN_TIME_ZONE}

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        extra = dict(extra_context or {})
        if self.dashboard is not None:
            extra["dashboard"] = self.dashboard(request)
        return super().index(request, extra)
