"""Root URLconf: composes the apps under ``/v1/``, plus probes, docs and the admin.

The API's paths have no trailing slash and are never redirected (a redirected
POST loses its body); every unknown path is a JSON 404. The pages people type
into a browser (the admin, the docs) answer without their slash too.
"""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularSwaggerSplitView

from countonme.ops.health import HealthView, ReadinessView
from countonme.schema_views import RedocView, SchemaView, getting_started, redoc_bundle
from countonme.sync.views import SyncView

HUMAN_PAGES = ("admin/", "api/docs/", "api/redoc/", "api/schema/", "api/docs/getting-started/")
"""Pages a person opens by typing their address; each answers without its trailing slash."""

urlpatterns = [
    path("health", HealthView.as_view(), name="health"),
    path("health/ready", ReadinessView.as_view(), name="health-ready"),
    path("v1/", include("devices.urls")),
    path("v1/", include("products.urls")),
    path("v1/", include("entries.urls")),
    path("v1/sync/since", SyncView.as_view(), name="sync-since"),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    # The split view serves Swagger UI's init script as a file: the CSP allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/docs/getting-started/", getting_started, name="getting-started"),
    path(
        "api/redoc/",
        RedocView.as_view(url_name="schema", template_name="countonme/redoc.html"),
        name="redoc",
    ),
    path("api/redoc/redoc.standalone.js", redoc_bundle, name="redoc-bundle"),
    # Body weights moved from the devices app to entries (issue 11): support
    # staff's bookmarks of the old admin pages land on the new ones.
    re_path(
        r"^admin/devices/bodyweight/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/entries/bodyweight/%(rest)s", query_string=True),
    ),
    path("admin/", admin.site.urls),
    # People type these without the slash (APPEND_SLASH is off for the API's sake):
    # a GET lands on the page instead of a JSON 404.
    *(
        path(page.rstrip("/"), RedirectView.as_view(url=f"/{page}", query_string=True))
        for page in HUMAN_PAGES
    ),
    # Browsers ask for it on every HTML page (admin, docs); a 404 there is noise.
    path(
        "favicon.ico",
        RedirectView.as_view(
            url=static("drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png"), permanent=True
        ),
    ),
]

handler400 = "countonme.base.errors.bad_request"
handler403 = "countonme.base.errors.permission_denied"
handler404 = "countonme.base.errors.not_found"
handler500 = "countonme.base.errors.server_error"
