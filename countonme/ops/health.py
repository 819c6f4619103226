"""Liveness and readiness probes."""

from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from countonme.base.errors import DatabaseUnavailable
from countonme.base.examples import raised_example
from countonme.base.schema import error_response

_OK = inline_serializer("HealthStatus", {"ok": serializers.BooleanField()})
_NO_DATABASE = "The database does not answer."
_OK_EXAMPLE = OpenApiExample("Up", value={"ok": True}, response_only=True)


class ProbeView(APIView):
    """No authentication, no throttling: probes must work when nothing else does."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []


class HealthView(ProbeView):
    """Liveness: the process answers. No database work."""

    @extend_schema(
        operation_id="health",
        summary="Liveness probe",
        responses={200: _OK},
        examples=[_OK_EXAMPLE],
        tags=["operations"],
    )
    def get(self, request: Request) -> Response:
        return Response({"ok": True})


class ReadinessView(ProbeView):
    """Readiness: the database answers a query."""

    @extend_schema(
        operation_id="health_ready",
        summary="Readiness probe (database)",
        responses={
            200: _OK,
            503: error_response(
                "The database does not answer (`service_unavailable`); `Retry-After` says "
                "when to ask again.",
                raised_example(DatabaseUnavailable(_NO_DATABASE)),
            ),
        },
        examples=[_OK_EXAMPLE],
        tags=["operations"],
    )
    def get(self, request: Request) -> Response:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError as error:
            raise DatabaseUnavailable(_NO_DATABASE) from error
        return Response({"ok": True})


# What HealthView answers a plain GET: DRF's JSONRenderer output, its Content-Type
# and Allow header (tests/test_health.py compares the two byte for byte).
_HEALTH_PATH = "/health"
_HEALTH_BODY = b'{"ok":true}'
_HEALTH_ALLOW = "GET, HEAD, OPTIONS"
# Accept headers under which DRF's negotiation picks JSONRenderer with no media
# type parameters (an absent header is "*/*"); any other goes to HealthView.
_PLAIN_ACCEPT = frozenset({None, "*/*", "application/json"})


class ProbeMiddleware:
    """Answers a plain ``GET /health`` itself, last in the chain, instead of HealthView.

    A liveness probe asks every few seconds of every worker; what it needs is
    the answer, not the URLconf's resolution, CSRF's view check, DRF's request
    wrapper, content negotiation and renderer (together half of the probe's
    CPU in process). The middleware before this one still run, so the probe
    keeps what every response has: the request id and its log line, the host
    check (400 for a host not in ``ALLOWED_HOSTS``), the security headers, CSP
    and ``X-Frame-Options``. Anything else (another method, an ``Accept`` that
    is not plain, ``/health/ready``) goes on to the views as before: the 405 and
    406 in the error shape, the readiness check, the schema.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path_info == _HEALTH_PATH
            and request.method == "GET"
            and request.META.get("HTTP_ACCEPT") in _PLAIN_ACCEPT
        ):
            response = HttpResponse(_HEALTH_BODY, content_type="application/json")
            response["Allow"] = _HEALTH_ALLOW
            return response
        return self.get_response(request)
