"""Response headers that keep private data out of caches and pages to their own assets.

- ``Cache-Control: no-store`` on every API response and every response to a
  request that carried credentials: device data (the full export included)
  must not stay in a shared proxy's or the phone's HTTP cache.
- ``Content-Security-Policy`` on every response. It matters for the HTML
  pages (the admin, Swagger UI, Redoc): scripts only from this server and
  never inline (Swagger UI's init script is served as a file by
  ``SpectacularSwaggerSplitView``), nothing loaded from a third party
  (Redoc's "API docs by Redocly" logo from cdn.redoc.ly is refused), no
  framing. Inline *styles* stay allowed: Redoc's styled-components and the
  admin write ``style`` attributes and elements at run time.

Frame denial for older browsers is Django's ``XFrameOptionsMiddleware``
(``X_FRAME_OPTIONS = "DENY"``); this module adds ``frame-ancestors 'none'``.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        # Swagger UI and the admin draw icons from data: URIs.
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        # Redoc runs its search index in a worker it builds from a blob: URL.
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Everything under these prefixes is device data or a token (registration).
_PRIVATE_PREFIXES = ("/v1/",)


class SecurityHeadersMiddleware:
    """Adds ``Cache-Control: no-store`` to private responses and the CSP to all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(_PRIVATE_PREFIXES) or "Authorization" in request.headers:
            # Overrides anything a view set: nothing private is ever stored.
            response["Cache-Control"] = "no-store"
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
