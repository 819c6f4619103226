"""OpenAPI: the error shape as one component, attached to every operation it can answer.

``ErrorDocumentingAutoSchema`` adds the error responses an operation can
produce from how the view is built (a body → 400 and 413, authentication →
401 and 403, a path parameter → 404, throttles → 429). Views add the
conflicts only they know about with ``error_response()`` in ``extend_schema``.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from countonme.middleware import BLANK_MEANS_ABSENT
from countonme.pagination import LimitOffsetNoCountPagination
from countonme.parsers import MAX_JSON_DEPTH
from countonme.strict_input import DAY_PATTERN, DECIMAL_PATTERN


class ErrorItemSerializer(serializers.Serializer):
    """One error: a stable code, a human sentence, and the field it is about."""

    code = serializers.CharField(help_text="Stable machine word, e.g. `required`, `not_found`.")
    detail = serializers.CharField(help_text="Human-readable explanation.")
    attr = serializers.CharField(
        allow_null=True,
        help_text="Field the error is about (dotted for nested input), or null.",
    )

    class Meta:
        ref_name = "ErrorItem"


class ErrorSerializer(serializers.Serializer):
    """Body of every error response."""

    type = serializers.ChoiceField(
        choices=["validation_error", "client_error", "server_error"],
        help_text="validation_error for 400, client_error for other 4xx, server_error for 5xx.",
    )
    errors = ErrorItemSerializer(many=True)

    class Meta:
        ref_name = "Error"


def error_response(description: str) -> OpenApiResponse:
    """An error response for ``extend_schema(responses=...)``."""
    return OpenApiResponse(response=ErrorSerializer, description=description)


ID_CONFLICT_RESPONSE = error_response(
    "The id belongs to another device or another kind of row (`id_conflict`)."
)


# Summaries of the standard viewset actions, from the model's verbose names. They
# name the operations in Redoc's menu; other operations set ``summary=`` in
# ``extend_schema`` (tests/test_schema.py fails on an operation without one).
_ACTION_SUMMARIES = {
    "list": "List {plural}",
    "create": "Create a {name}",
    "retrieve": "Get a {name}",
    "update": "Replace a {name}",
    "partial_update": "Update a {name}",
    "destroy": "Delete a {name}",
}


class ErrorDocumentingAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema plus summaries and the errors each operation can give."""

    def get_summary(self) -> str | None:
        template = _ACTION_SUMMARIES.get(getattr(self.view, "action", None) or "")
        model = getattr(getattr(self.view, "queryset", None), "model", None)
        if template is None or model is None:
            return None
        meta = model._meta
        return template.format(name=meta.verbose_name, plural=meta.verbose_name_plural)

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        for status_code, description in self._possible_errors():
            responses.setdefault(
                status_code, self._get_response_for_code(error_response(description), status_code)
            )
        return responses

    def _possible_errors(self) -> list[tuple[str, str]]:
        has_body = self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer()
        has_query = any(p.get("in") == "query" for p in self._get_parameters())
        has_path = any(p.get("in") == "path" for p in self._get_parameters())
        authenticated = bool(self.view.get_authenticators()) and not any(
            isinstance(permission, AllowAny) for permission in self.view.get_permissions()
        )
        errors = []
        if has_body or has_query:
            errors.append(
                (
                    "400",
                    "Invalid input (`validation_error`); a body that is not JSON, or JSON "
                    f"nested more than {MAX_JSON_DEPTH} levels deep, is `parse_error`.",
                )
            )
        if authenticated:
            errors.append(
                ("401", "Missing or invalid token (`not_authenticated`, `authentication_failed`).")
            )
            errors.append(("403", "The device was revoked by support staff (`device_revoked`)."))
        if has_path:
            errors.append(("404", "Unknown id, deleted, or another device's (`not_found`)."))
        if has_body:
            errors.append(
                (
                    "411",
                    "A body sent with `Transfer-Encoding: chunked` (`length_required`): "
                    "send a `Content-Length`.",
                )
            )
            errors.append(("413", "Request body over 1 MiB (`payload_too_large`)."))
        if self.view.get_throttles():
            errors.append(("429", "Too many requests (`throttled`); see `Retry-After`."))
        if self.path.startswith("/v1/"):
            errors.append(
                ("503", "The database does not answer (`service_unavailable`); see `Retry-After`.")
            )
        return errors

    def _get_response_headers_for_code(self, status_code: str, direction: str = "response") -> dict:
        headers = super()._get_response_headers_for_code(status_code, direction)
        if (
            status_code == "200"
            and self._is_list_view()
            and isinstance(self._get_paginator(), LimitOffsetNoCountPagination)
        ):
            headers["Link"] = {
                "schema": {"type": "string"},
                "description": 'Present when more rows follow: `<next page url>; rel="next"`.',
            }
        return headers


def describe_strict_input(result: dict, generator: object, request: object, public: bool) -> dict:
    """Postprocessing hook: the schema says what ``countonme.strict_input`` accepts.

    - days (``format: date``) carry the ``YYYY-MM-DD`` ASCII pattern;
    - decimals in request bodies are a JSON number or a plain decimal string
      (drf-spectacular's pattern admitted ``""``, ``"-"`` and ``"."``);
      decimals in responses are strings with exactly 3 places;
    - string query parameters are at least 1 character: an empty value is a 400,
      except the few the app sends empty to mean "not given" (``allowEmptyValue``).
    """
    for name, component in result.get("components", {}).get("schemas", {}).items():
        _strict_properties(component, request_body=name.endswith("Request"))
    for path, item in result.get("paths", {}).items():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                _strict_scalar(schema, request_body=False)
                if parameter.get("in") != "query":
                    continue
                if parameter["name"] in BLANK_MEANS_ABSENT.get(path, ()):
                    parameter["allowEmptyValue"] = True
                    parameter["description"] = (
                        parameter.get("description", "") + " Empty: as if not given."
                    ).strip()
                elif schema.get("type") == "string" and "enum" not in schema:
                    schema["minLength"] = max(1, schema.get("minLength", 0))
            for body in operation.get("requestBody", {}).get("content", {}).values():
                _strict_properties(body.get("schema", {}), request_body=True)
    return result


def _strict_properties(schema: dict, *, request_body: bool) -> None:
    for name, prop in list(schema.get("properties", {}).items()):
        schema["properties"][name] = _strict_scalar(prop, request_body=request_body)
    if isinstance(schema.get("items"), dict):
        schema["items"] = _strict_scalar(schema["items"], request_body=request_body)


def _strict_scalar(schema: dict, *, request_body: bool) -> dict:
    if schema.get("format") == "date":
        schema["pattern"] = DAY_PATTERN
    if schema.get("format") == "decimal" and schema.get("type") == "string":
        if not request_body:
            schema["pattern"] = r"^-?[0-9]+\.[0-9]{3}$"
            return schema
        keep = {k: schema.pop(k) for k in ("description", "nullable", "writeOnly") if k in schema}
        return {
            "oneOf": [
                {"type": "number"},
                {"type": "string", "format": "decimal", "pattern": DECIMAL_PATTERN},
            ],
            **keep,
        }
    if "properties" in schema or "items" in schema:
        _strict_properties(schema, request_body=request_body)
    return schema
