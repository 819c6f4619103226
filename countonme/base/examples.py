"""Examples of the OpenAPI document: the error bodies, one builder per status, and parameters.

Error examples are built with ``countonme.base.errors.error_body``, so their
``type`` is the one the API answers for their status (400 ``validation_error``,
other 4xx ``client_error``, 5xx ``server_error``). ``STANDARD_ERRORS`` holds
the examples of the errors every operation of a kind can give (401, 403, 404,
411, 413, 429, 503); ``ErrorDocumentingAutoSchema`` attaches them. An
operation's own errors (``device_exists``, ``unit_mismatch``...) are built with
``error_example`` beside its schema.

Parameter examples: each app's ``schema.py`` registers the values of its path
and query parameters with ``register_parameter_examples``; the postprocessing
hook ``add_parameter_examples`` writes them into the document (the parameters
come from serializers and paginators, which have no place for an example).
"""

from typing import Any

from drf_spectacular.utils import OpenApiExample
from rest_framework import exceptions

from countonme.base.errors import error_body, error_item, flatten_error_detail
from countonme.base.viewsets import IdConflict

# Every example tells one story: this device logs rolled oats for breakfast on 14 March 2026.
EXAMPLE_DEVICE_ID = "3f1c2b9e-7d4a-4c1e-9b8f-2a6d5e4c3b21"
EXAMPLE_DEVICE_TOKEN = f"{EXAMPLE_DEVICE_ID}.q8Xz3vN0bR5tLk2mW7yH1cJ4pF6sD9gA0eU3iO5rT8w"
EXAMPLE_DAY = "2026-03-14"
EXAMPLE_CREATED_AT = "2026-03-14T07:31:12.482913Z"
EXAMPLE_UPDATED_AT = "2026-03-14T07:31:12.482913Z"


def error_example(
    status: int,
    code: str,
    detail: str,
    attr: str | None = None,
    *,
    name: str | None = None,
    summary: str | None = None,
) -> OpenApiExample:
    """An error body as the API answers it for ``status``, shown under that status only."""
    return OpenApiExample(
        name or f"{status} {code}",
        value=error_body(status, [error_item(code, detail, attr)]),
        summary=summary or f"{code}" + (f" ({attr})" if attr else ""),
        status_codes=[str(status)],
        response_only=True,
    )


def exception_example(
    exception: type[exceptions.APIException], attr: str | None = None, **kwargs: Any
) -> OpenApiExample:
    """The error body of a raised ``exception`` class, from its own status, code and detail."""
    return error_example(
        exception.status_code,
        str(exception.default_code),
        str(exception.default_detail),
        attr,
        **kwargs,
    )


def raised_example(
    exception: exceptions.APIException, *, name: str | None = None, summary: str | None = None
) -> OpenApiExample:
    """The body ``api_exception_handler`` answers for this raised ``exception``, word for word."""
    errors = flatten_error_detail(exception.detail)
    first = errors[0]
    return OpenApiExample(
        name or f"{exception.status_code} {first['code']}",
        value=error_body(exception.status_code, errors),
        summary=summary or f"{first['code']}" + (f" ({first['attr']})" if first["attr"] else ""),
        status_codes=[str(exception.status_code)],
        response_only=True,
    )


NOT_AUTHENTICATED = error_example(
    401, "not_authenticated", str(exceptions.NotAuthenticated.default_detail)
)
AUTHENTICATION_FAILED = error_example(401, "authentication_failed", "Invalid token.")
DEVICE_REVOKED = error_example(403, "device_revoked", "This device has been revoked.")
NOT_FOUND = error_example(404, "not_found", str(exceptions.NotFound.default_detail))
ID_CONFLICT = exception_example(IdConflict)
# DRF's JSON parser (countonme.base.parsers.JSONParser) on a body that is not JSON.
PARSE_ERROR = error_example(
    400, "parse_error", "JSON parse error - Expecting value: line 1 column 1 (char 0)"
)
BLANK_QUERY = error_example(
    400,
    "blank",
    "Empty query parameter: leave it out, or give it a value.",
    "limit",
    summary="blank (?limit=)",
)
LENGTH_REQUIRED = error_example(
    411,
    "length_required",
    "Send the body with a Content-Length header; chunked transfer encoding is not accepted.",
)
PAYLOAD_TOO_LARGE = error_example(
    413, "payload_too_large", "Request body is larger than 1048576 bytes."
)
THROTTLED = error_example(
    429, "throttled", "Request was throttled. Expected available in 42 seconds."
)
SERVICE_UNAVAILABLE = error_example(
    503, "service_unavailable", "The database does not answer; retry in a few seconds."
)

# The examples of the errors ErrorDocumentingAutoSchema adds to an operation, by status.
STANDARD_ERRORS: dict[str, list[OpenApiExample]] = {
    "401": [NOT_AUTHENTICATED, AUTHENTICATION_FAILED],
    "403": [DEVICE_REVOKED],
    "404": [NOT_FOUND],
    "411": [LENGTH_REQUIRED],
    "413": [PAYLOAD_TOO_LARGE],
    "429": [THROTTLED],
    "503": [SERVICE_UNAVAILABLE],
}


def bad_request_examples(*, has_body: bool) -> list[OpenApiExample]:
    """The 400 every operation with input can give: unreadable JSON, or a blank query value."""
    return [PARSE_ERROR] if has_body else [BLANK_QUERY]


# --- parameters ----------------------------------------------------------------

# ``{name: value}`` for every path; ``{(path, name): value}`` where a path needs its own.
_PARAMETER_EXAMPLES: dict[str | tuple[str, str], Any] = {
    "limit": 20,
    "offset": 0,
    "day": EXAMPLE_DAY,
    "date": EXAMPLE_DAY,
    "from": "2026-03-08",
    "to": EXAMPLE_DAY,
}


def register_parameter_examples(examples: dict[str | tuple[str, str], Any]) -> None:
    """Adds parameter examples: ``{"name": value}`` or ``{("/v1/path/{id}", "id"): value}``."""
    _PARAMETER_EXAMPLES.update(examples)


def parameter_example(path: str, name: str) -> Any:
    """The registered example of a parameter, the path's own first; ``KeyError`` if none."""
    if (path, name) in _PARAMETER_EXAMPLES:
        return _PARAMETER_EXAMPLES[(path, name)]
    return _PARAMETER_EXAMPLES[name]


def add_parameter_examples(result: dict, generator: object, request: object, public: bool) -> dict:
    """Postprocessing hook: every parameter with a registered example carries it (``example``)."""
    for path, item in result.get("paths", {}).items():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if "example" in parameter or "examples" in parameter:
                    continue
                try:
                    parameter["example"] = parameter_example(path, parameter["name"])
                except KeyError:
                    continue  # tests/test_schema_examples.py names every parameter left without
    return result
