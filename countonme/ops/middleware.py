"""Request-wide middleware: request ids and log lines, body size limit, no repeated or
blank query values, and the browser-only middleware that the API path skips.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse

from countonme.base.errors import error_json_response
from countonme.ops import request_context
from countonme.ops.network import client_address

access_log = logging.getLogger("countonme.access")

# A request id offered by a proxy is kept only when it is short and plain, so a
# client cannot inject text into our logs through it.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestLogMiddleware:
    """Tags the request with an id (``X-Request-ID``) and logs one line when it ends.

    The line has method, path (never the query string), status, duration,
    client address and device id, and nothing from the headers or the body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get("X-Request-ID", "")
        rid = offered if _SAFE_REQUEST_ID.match(offered) else uuid.uuid4().hex
        rid_token = request_context.request_id.set(rid)
        device_token = request_context.device_id.set(None)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "client_ip": client_address(request),
                },
            )
            return response
        finally:
            request_context.request_id.reset(rid_token)
            request_context.device_id.reset(device_token)


class BodySizeLimitMiddleware:
    """Refuses request bodies over ``MAX_REQUEST_BODY_BYTES`` with 413, unread.

    A body sent with ``Transfer-Encoding`` (chunked) is refused with 411
    ``length_required``: Django reads a WSGI body only up to
    ``Content-Length``, so it would act on an empty body (a valid product
    create answered "name: required"), and its size could not be checked
    before reading. A proxy that buffers bodies (nginx does by default)
    forwards them with a ``Content-Length`` and no ``Transfer-Encoding``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "HTTP_TRANSFER_ENCODING" in request.META:
            return error_json_response(
                411,
                "length_required",
                "Send the body with a Content-Length header; chunked transfer "
                "encoding is not accepted.",
            )
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            return error_json_response(400, "invalid", "Invalid Content-Length header.")
        limit = settings.MAX_REQUEST_BODY_BYTES
        if length > limit:
            return error_json_response(
                413, "payload_too_large", f"Request body is larger than {limit} bytes."
            )
        return self.get_response(request)


class RepeatedQueryParameterMiddleware:
    """Refuses a query parameter given twice on the API with 400 ``repeated`` naming it.

    No API parameter takes several values, and which one won was an accident:
    ``?cursor=&cursor=x`` dropped both (a blank cursor means "not given") and
    ran a full sync, others took the last value. A client that sends one twice
    has a bug worth hearing about.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/v1/") and "&" in request.META.get("QUERY_STRING", ""):
            for name, values in request.GET.lists():
                if len(values) > 1:
                    return error_json_response(
                        400, "repeated", "Give this query parameter once.", attr=name or None
                    )
        return self.get_response(request)


# Parameters the shipping app sends empty to mean "not given": the contract's
# client paths show them so (`/v1/sync/since?cursor=&limit=`,
# `/v1/body-weights?from=&to=`). The schema marks them `allowEmptyValue`.
BLANK_MEANS_ABSENT: dict[str, frozenset[str]] = {
    "/v1/sync/since": frozenset({"cursor", "limit"}),
    "/v1/body-weights": frozenset({"from", "to"}),
}


class BlankQueryValueMiddleware:
    """Refuses ``?name=`` (an empty value) on the API with 400 ``blank`` naming it.

    An empty value used to read as "no filter", silently: ``?day=`` listed
    every day. A client that means no filter leaves the parameter out. The
    parameters of ``BLANK_MEANS_ABSENT`` are dropped instead, as if not sent.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/v1/") and request.META.get("QUERY_STRING"):
            absent_if_blank = BLANK_MEANS_ABSENT.get(request.path, frozenset())
            blank = [name for name, values in request.GET.lists() if not name or "" in values]
            for name in blank:
                if name not in absent_if_blank:
                    return error_json_response(
                        400,
                        "blank",
                        "Empty query parameter: leave it out, or give it a value.",
                        attr=name or None,
                    )
            if blank:
                query = request.GET.copy()
                for name in blank:
                    del query[name]
                request.GET = query
        return self.get_response(request)


# The device API: bearer tokens, no cookies. Everything else (the admin, the docs,
# unknown paths) keeps the whole browser stack.
_API_PREFIX = "/v1/"
_API_PATHS = frozenset({"/health", "/health/ready"})


def is_api_path(path: str) -> bool:
    """Whether ``path`` (``request.path_info``) is served to the app, not to a browser."""
    return path.startswith(_API_PREFIX) or path in _API_PATHS


class BrowserOnlyMixin:
    """Makes a Django middleware skip the device API's paths.

    Sessions, the auth user and messages exist for the admin: the API
    authenticates by bearer token (``DeviceTokenAuthentication``), sets no
    cookie and renders no template. On the API path they only cost time (the
    messages storage alone builds two backends per request). On every other
    path the middleware runs exactly as Django's. Subclasses of Django's
    classes, so the admin's checks (admin.E408–E410) still find them.
    """

    sync_capable = True
    async_capable = False  # served by gunicorn's WSGI workers

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_path(request.path_info):
            return self.get_response(request)
        return super().__call__(request)


class BrowserSessionMiddleware(BrowserOnlyMixin, SessionMiddleware):
    """Django's ``SessionMiddleware``, off the API path."""


class BrowserAuthenticationMiddleware(BrowserOnlyMixin, AuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware``, off the API path."""


class BrowserMessageMiddleware(BrowserOnlyMixin, MessageMiddleware):
    """Django's ``MessageMiddleware``, off the API path."""
