"""Liveness and readiness probes."""

from django.db import DatabaseError, connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from countonme.base.errors import DatabaseUnavailable
from countonme.base.schema import error_response

_OK = inline_serializer("HealthStatus", {"ok": serializers.BooleanField()})


class ProbeView(APIView):
    """No authentication, no throttling: probes must work when nothing else does."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []


class HealthView(ProbeView):
    """Liveness: the process answers. No database work."""

    @extend_schema(
        operation_id="health", summary="Liveness probe", responses={200: _OK}, tags=["operations"]
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
                "when to ask again."
            ),
        },
        tags=["operations"],
    )
    def get(self, request: Request) -> Response:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError as error:
            raise DatabaseUnavailable("The database does not answer.") from error
        return Response({"ok": True})
