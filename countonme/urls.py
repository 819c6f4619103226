"""Root URLconf: composes the apps under ``/v1/``, plus probes, docs and the admin.

Paths have no trailing slash and are never redirected (a redirected POST
loses its body); every unknown path is a JSON 404.
"""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from countonme.health import HealthView, ReadinessView
from countonme.sync_views import SyncView

urlpatterns = [
    path("health", HealthView.as_view(), name="health"),
    path("health/ready", ReadinessView.as_view(), name="health-ready"),
    path("v1/", include("devices.urls")),
    path("v1/", include("products.urls")),
    path("v1/", include("entries.urls")),
    path("v1/sync/since", SyncView.as_view(), name="sync-since"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="countonme/redoc.html"),
        name="redoc",
    ),
    path("admin/", admin.site.urls),
]

handler400 = "countonme.errors.bad_request"
handler403 = "countonme.errors.permission_denied"
handler404 = "countonme.errors.not_found"
handler500 = "countonme.errors.server_error"
