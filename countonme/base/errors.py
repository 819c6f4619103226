"""The one error shape of the API, for DRF views and for Django alike.

Every error body is ``{"type": ..., "errors": [{"code", "detail", "attr"}]}``:
``type`` follows the status (400 ``validation_error``, other 4xx
``client_error``, 5xx ``server_error``), ``code`` is a stable machine word and
``attr`` names the offending field (dotted when nested) or is ``null``.
"""

import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

ErrorItem = dict[str, str | None]

# One line per 503 of a database outage, with the request's id (the log format adds it).
database_log = logging.getLogger("countonme.database")


class Conflict(exceptions.APIException):
    """409: the request is valid but clashes with the stored state."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class ServiceUnavailable(exceptions.APIException):
    """503: a dependency (the database) does not answer."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Service temporarily unavailable."
    default_code = "service_unavailable"


class DatabaseUnavailable(ServiceUnavailable):
    """503 with ``Retry-After``: the database does not answer (see ``api_exception_handler``)."""

    default_detail = "The database does not answer; retry in a few seconds."
    wait = 5


def error_type(status_code: int) -> str:
    """The ``type`` of an error body for a status code."""
    if status_code == status.HTTP_400_BAD_REQUEST:
        return "validation_error"
    if status_code < 500:
        return "client_error"
    return "server_error"


def error_body(status_code: int, errors: list[ErrorItem]) -> dict[str, Any]:
    """An error body: its type and the list of errors."""
    return {"type": error_type(status_code), "errors": errors}


def error_item(code: str, detail: str, attr: str | None = None) -> ErrorItem:
    """One entry of an error body's ``errors`` list."""
    return {"code": code, "detail": detail, "attr": attr}


def error_json_response(
    status_code: int, code: str, detail: str, attr: str | None = None
) -> JsonResponse:
    """A plain Django response in the error shape, for code outside DRF views.

    Written as DRF's renderer writes (compact, UTF-8), so the bytes of an error
    do not tell which layer answered.
    """
    return JsonResponse(
        error_body(status_code, [error_item(code, detail, attr)]),
        status=status_code,
        json_dumps_params={"separators": (",", ":"), "ensure_ascii": False},
    )


def flatten_error_detail(detail: Any, attr: str | None = None) -> list[ErrorItem]:
    """DRF's nested ``{field: [ErrorDetail]}`` as a flat list with dotted ``attr``."""
    if isinstance(detail, dict):
        items: list[ErrorItem] = []
        for key, value in detail.items():
            if key == api_settings.NON_FIELD_ERRORS_KEY and attr is None:
                name = None
            else:
                name = f"{attr}.{key}" if attr else str(key)
            items.extend(flatten_error_detail(value, name))
        return items
    if isinstance(detail, list):
        items = []
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                # A list of nested objects: the index becomes part of the path.
                items.extend(flatten_error_detail(value, f"{attr}.{index}" if attr else str(index)))
            else:
                items.extend(flatten_error_detail(value, attr))
        return items
    code = getattr(detail, "code", None) or "invalid"
    return [error_item(code, str(detail), attr)]


def is_unique_violation(error: IntegrityError) -> bool:
    """True when ``error`` is a unique-constraint violation (PostgreSQL or SQLite)."""
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate == "23505"
    return "UNIQUE constraint failed" in str(error)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler that answers every known error in the one shape.

    Unknown exceptions return ``None`` so Django logs them with their traceback
    and answers with ``server_error`` below (no stack trace or SQL in the body).
    """
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, OperationalError | InterfaceError):
        # The database is unreachable or dropped the connection: a client
        # should retry later (a create with its client id is safe to retry).
        cause, exc = exc, DatabaseUnavailable()
        exc.__cause__ = cause
    elif isinstance(exc, IntegrityError) and is_unique_violation(exc):
        # A safety net for races the write paths did not foresee: two requests
        # creating the same unique value are a conflict, not a server fault.
        exc = Conflict()
    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    if auth_header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    if (wait := getattr(exc, "wait", None)) is not None:
        headers["Retry-After"] = str(max(1, math.ceil(wait)))
    set_rollback()
    response = Response(
        error_body(exc.status_code, flatten_error_detail(exc.detail)),
        status=exc.status_code,
        headers=headers,
    )
    if isinstance(exc, DatabaseUnavailable):
        log_outage(exc, response)
    return response


def log_outage(exc: DatabaseUnavailable, response: Response) -> None:
    """The one line of a 503 of a database outage: why, with the request id.

    Django would log the 503 again once the response has left the middleware
    (``django.request``, "Service Unavailable"), where the request id is no
    longer known; the flag it sets itself when a view's error was logged stops
    that second, anonymous line.
    """
    cause = exc.__cause__
    reason = str(exc.detail)
    if cause is not None:
        # The first line only: psycopg's messages name the host and port, never a password.
        first_line = next(iter(str(cause).strip().splitlines()), "")
        reason = f"{type(cause).__name__}: {first_line[:200]}"
    database_log.warning("Database unavailable, answered 503 (%s)", reason)
    # Django's own flag (django.utils.log.log_response), set when it logged a view's error.
    response._has_been_logged = True


# --- Django's own error views (urls.py: handler400/403/404/500) -------------


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """400 outside DRF, e.g. a disallowed Host header."""
    return error_json_response(400, "bad_request", "Bad request.")


# The back office's pages are for people: its errors are HTML pages
# (countonme/backoffice/templates/backoffice), the API's stay JSON.
BACK_OFFICE_PREFIX = "/admin/"


def _back_office_page(request: HttpRequest, status_code: int, title: str, explanation: str):
    if not request.path.startswith(BACK_OFFICE_PREFIX):
        return None
    context = {"title": title, "explanation": explanation}
    if status_code == 500:  # no context processors: a broken database must not break it
        return HttpResponse(loader.get_template("backoffice/500.html").render(), status=500)
    return render(request, "backoffice/error.html", context, status=status_code)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 outside DRF (an HTML page in the back office)."""
    page = _back_office_page(
        request, 403, "Permission denied", "Your account may not see this page or do this action."
    )
    return page or error_json_response(403, "permission_denied", "Permission denied.")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for every path no view answers, and for Http404 raised outside DRF."""
    page = _back_office_page(request, 404, "Page not found", "There is no such page.")
    return page or error_json_response(404, "not_found", "Not found.")


def server_error(request: HttpRequest) -> HttpResponse:
    """500 without a trace of the cause: that goes to the log, never to the client."""
    page = _back_office_page(request, 500, "Server error", "")
    return page or error_json_response(500, "server_error", "Server error.")
