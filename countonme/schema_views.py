"""Views of the API docs: the OpenAPI document, Redoc's script and the getting-started guide.

Apart from ``countonme.base.schema``, which the settings load (a circular import otherwise).
"""

import functools
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from markdown_it import MarkdownIt
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response


class _FormatQueryNegotiation(DefaultContentNegotiation):
    """Honours ``?format=json|yaml``, which the API turns off (``URL_FORMAT_OVERRIDE``)."""

    def select_renderer(
        self, request: Request, renderers: list[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        requested = format_suffix or request.query_params.get("format")
        return super().select_renderer(request, renderers, requested)


class SchemaView(SpectacularAPIView):
    """``/api/schema/``: YAML by default, JSON with ``?format=json`` or an ``Accept`` for JSON.

    An unknown ``format`` is a 404, as DRF answers a format no renderer has.
    Every error (that 404, a 406 for an ``Accept`` it cannot serve, a 405) is
    JSON in the API's error shape (``countonme.base.errors``): otherwise DRF
    renders it with the first schema renderer, YAML, which no error reader
    expects and a failed negotiation did not even choose.
    """

    content_negotiation_class = _FormatQueryNegotiation

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


# Redoc's menu footer draws Redocly's logo from this CDN address, always; the docs
# must load nothing from a third party (and the CSP would refuse it noisily).
_REDOC_LOGO_URL = "https://cdn.redoc.ly/redoc/logo-mini.svg"
_REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"


@functools.cache
def _redoc_bundle_without_cdn() -> bytes:
    """The sidecar's Redoc bundle with the logo pointed at an empty ``data:`` image.

    Redoc hides the logo when it fails to load, so the footer keeps its text only.
    Read once per process (1.1 MB).
    """
    path = finders.find(_REDOC_BUNDLE)
    if path is None:
        raise ImproperlyConfigured(
            f"{_REDOC_BUNDLE} not found: is drf-spectacular-sidecar installed?"
        )
    source = Path(path).read_bytes()
    if _REDOC_LOGO_URL.encode() not in source:
        # A new Redoc release moved the logo; the docs test would catch the request.
        return source
    return source.replace(_REDOC_LOGO_URL.encode(), b"data:,")


def redoc_bundle(request: HttpRequest) -> HttpResponse:
    """``/api/redoc/redoc.standalone.js``: Redoc's script, loading nothing from outside."""
    response = HttpResponse(
        _redoc_bundle_without_cdn(), content_type="application/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


class RedocView(SpectacularRedocView):
    """Redoc from the sidecar, through ``redoc_bundle``; the page has no inline script."""

    @staticmethod
    def _redoc_standalone() -> str:
        return reverse("redoc-bundle")


# The guide lives with the API reference in docs/ (the Dockerfile copies it beside manage.py).
GETTING_STARTED = settings.BASE_DIR / "docs" / "getting-started.md"


@functools.cache
def _getting_started_html() -> str:
    """docs/getting-started.md as HTML; raw HTML in the file is escaped, not passed through."""
    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
    return markdown.render(GETTING_STARTED.read_text(encoding="utf-8"))


@require_safe
def getting_started(request: HttpRequest) -> HttpResponse:
    """``/api/docs/getting-started/``: register, log a food, read a day, sync, with curl."""
    body = mark_safe(_getting_started_html())  # noqa: S308 - rendered from our own file, HTML escaped
    return render(request, "countonme/getting_started.html", {"body": body})
