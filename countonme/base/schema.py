"""OpenAPI: the error shape as one component, attached to every operation it can answer.

``ErrorDocumentingAutoSchema`` adds the error responses an operation can
produce from how the view is built (a body → 400 and 413, authentication →
401 and 403, a path parameter → 404, throttles → 429), each with an example
body of ``countonme.base.examples.STANDARD_ERRORS``. Views add the
conflicts only they know about with ``error_response()`` in ``extend_schema``;
``create_responses()`` is the block every idempotent create shares.

The apps' ``schema.py`` modules state only what differs from drf-spectacular's
defaults: an ``operation_id`` other than ``{path}_{method's action}`` (the
``/v1`` prefix dropped: ``body_weights_partial_update``), a request other than
the view's serializer for that action, responses beyond the serializer's 200/201,
and the examples of requests and answers (their values in the apps' ``examples.py``;
each error response's example bodies from ``countonme.base.examples``).
"""

from decimal import Decimal
from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from countonme.base.examples import (
    ID_CONFLICT,
    NOT_FOUND,
    STANDARD_ERRORS,
    bad_request_examples,
)
from countonme.base.pagination import LimitOffsetNoCountPagination
from countonme.base.parsers import MAX_JSON_DEPTH
from countonme.base.strict_input import (
    DAY_PATTERN,
    DECIMAL_PATTERN,
    MAX_WHOLE_DIGITS,
    decimal_string_pattern,
    visible_text_pattern,
)
from countonme.base.viewsets import SoftDestroyMixin
from countonme.ops.middleware import BLANK_MEANS_ABSENT

NO_NUL_PATTERN = r"^[^\x00]*$"
# Marks a VisibleTextField's request schema until describe_strict_input writes its pattern.
VISIBLE_TEXT_KEY = "x-visible-text"
NONBLANK_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"


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


def error_response(description: str, *examples: OpenApiExample) -> OpenApiResponse:
    """An error response for ``extend_schema(responses=...)``, with its example bodies.

    Build the examples with ``countonme.base.examples.error_example`` (or
    ``exception_example``): tests/test_schema_examples.py fails on an error
    response without one, or with a ``type`` its status never has.
    """
    return OpenApiResponse(
        response=ErrorSerializer, description=description, examples=list(examples)
    )


ID_CONFLICT_RESPONSE = error_response(
    "The id belongs to another device or another kind of row (`id_conflict`).", ID_CONFLICT
)
NOT_FOUND_RESPONSE = error_response(
    "Unknown id, deleted, or another device's (`not_found`).", NOT_FOUND
)


def create_responses(
    serializer: Any,
    *,
    replayed: str = "The id was posted before.",
    not_found: str | None = None,
    not_found_examples: tuple[OpenApiExample, ...] = (NOT_FOUND,),
    conflict: OpenApiResponse = ID_CONFLICT_RESPONSE,
) -> dict[int, Any]:
    """The answers of an idempotent create (docs/api.md §3), for ``extend_schema(responses=)``.

    201 created (or a deleted row restored), 200 a replay of a live row's id
    (``replayed`` says when), 404 when ``not_found`` names related ids the
    body may point at (answered as ``not_found_examples``), and 409
    ``conflict`` (``id_conflict`` unless the resource has a conflict of its own).
    """
    responses = {201: serializer, 200: OpenApiResponse(serializer, description=replayed)}
    if not_found is not None:
        responses[404] = error_response(not_found, *not_found_examples)
    responses[409] = conflict
    return responses


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


REPLAYED_DELETE = (
    "A DELETE of the device's own already-deleted row is 204 too and changes nothing (the "
    "app replays deletes it already applied); another device's id is 404, deleted or not."
)


class ErrorDocumentingAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema plus summaries and the errors each operation can give."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict | None:
        operation = super().get_operation(*args, **kwargs)
        # After extend_schema's own description: every soft DELETE says how a replay is answered.
        if operation is not None and self._is_soft_destroy():
            described = operation.get("description", "")
            operation["description"] = f"{described}\n\n{REPLAYED_DELETE}".strip()
        return operation

    def _is_soft_destroy(self) -> bool:
        return getattr(self.view, "action", None) == "destroy" and isinstance(
            self.view, SoftDestroyMixin
        )

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
        for status_code, description, examples in self._possible_errors():
            responses.setdefault(
                status_code,
                self._get_response_for_code(error_response(description, *examples), status_code),
            )
        return responses

    def _get_examples(self, *args: Any, **kwargs: Any) -> dict:
        """drf-spectacular shows a list answer's example as one row, ``[value]``.

        An example written as the whole list (several rows: a search, a batch)
        would become a list of lists, which no operation here answers: it is
        unwrapped again.
        """
        examples = super()._get_examples(*args, **kwargs)
        for example in examples.values():
            value = example.get("value")
            if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
                example["value"] = value[0]
        return examples

    def _possible_errors(self) -> list[tuple[str, str, list[OpenApiExample]]]:
        """``(status, description, example bodies)`` of the errors the view's build can give."""
        has_body = self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer()
        has_query = any(p.get("in") == "query" for p in self._get_parameters())
        has_path = any(p.get("in") == "path" for p in self._get_parameters())
        descriptions = self._possible_error_descriptions(
            has_body=bool(has_body), has_query=has_query, has_path=has_path
        )
        return [
            (
                status_code,
                description,
                bad_request_examples(has_body=bool(has_body))
                if status_code == "400"
                else STANDARD_ERRORS[status_code],
            )
            for status_code, description in descriptions
        ]

    def _possible_error_descriptions(
        self, *, has_body: bool, has_query: bool, has_path: bool
    ) -> list[tuple[str, str]]:
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
    """Postprocessing hook: the schema says what ``countonme.base.strict_input`` accepts.

    - days (``format: date``) carry the ``YYYY-MM-DD`` ASCII pattern;
    - decimals: see ``DecimalFieldSchema``;
    - free strings never hold NUL, and one of at least 1 character holds a
      non-blank one (DRF trims them); text people read (``VisibleTextField``)
      holds no control or bidi override character, and a visible one;
    - string query parameters are at least 1 character: an empty value is a 400,
      except the few the app sends empty to mean "not given" (``allowEmptyValue``).
    """
    for name, component in result.get("components", {}).get("schemas", {}).items():
        _strict_properties(component, is_input=name.endswith("Request"))
    for path, item in result.get("paths", {}).items():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                _strict_scalar(schema, is_input=True)
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
                _strict_properties(body.get("schema", {}), is_input=True)
    return result


def _strict_properties(schema: dict, *, is_input: bool) -> None:
    for name, prop in list(schema.get("properties", {}).items()):
        schema["properties"][name] = _strict_scalar(prop, is_input=is_input)
    if isinstance(schema.get("items"), dict):
        schema["items"] = _strict_scalar(schema["items"], is_input=is_input)


def _strict_scalar(schema: dict, *, is_input: bool) -> dict:
    if VISIBLE_TEXT_KEY in schema:
        multiline = schema.pop(VISIBLE_TEXT_KEY) == "multiline"
        schema["pattern"] = visible_text_pattern(
            multiline=multiline, required=bool(schema.get("minLength"))
        )
    elif schema.get("format") == "date":
        schema["pattern"] = DAY_PATTERN
    elif (
        is_input
        and schema.get("type") == "string"
        and not {"format", "enum", "pattern"} & schema.keys()
        and not schema.get("readOnly")
    ):
        # DRF refuses NUL in every string and trims them: a required string
        # (minLength ≥ 1) needs a character that is neither NUL nor blank.
        schema["pattern"] = NONBLANK_PATTERN if schema.get("minLength") else NO_NUL_PATTERN
    if "properties" in schema or "items" in schema:
        _strict_properties(schema, is_input=is_input)
    return schema


THREE_PLACES = r"[0-9]+\.[0-9]{3}$"


def decimal_response_schema(minimum: Decimal | None, maximum: Decimal | None) -> dict:
    """A decimal of a response: a string with 3 places, and its range.

    ``minimum``/``maximum`` state the range for people and generators (JSON
    Schema applies them to numbers only); the pattern holds the string to it:
    3 places, never negative from a minimum of 0, and no value above a
    whole-number maximum (``decimal_string_pattern``).
    """
    schema: dict = {"type": "string", "format": "decimal", "pattern": rf"^-?{THREE_PLACES}"}
    if minimum is None:
        return schema
    schema["pattern"] = rf"^{THREE_PLACES}"
    schema["minimum"] = float(minimum)
    if maximum is not None:
        schema["maximum"] = float(maximum)
        in_range = decimal_string_pattern(minimum, maximum)
        if in_range != DECIMAL_PATTERN:
            schema["pattern"] = rf"^(?={THREE_PLACES})" + in_range.removeprefix("^")
    return schema


class DecimalFieldSchema(OpenApiSerializerFieldExtension):
    """The API's decimals: in, a JSON number or a decimal string in range; out, 3 places.

    drf-spectacular documents them as strings whose pattern admits ``""``,
    ``"-"`` and ``"."`` and drops the range. Here the number carries
    ``minimum``/``maximum`` and the string a pattern of exactly the values in
    range (``countonme.base.strict_input.decimal_string_pattern``); a response
    states the field's range too (``decimal_response_schema``).
    """

    target_class = "countonme.base.serializers.RoundedDecimalField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: AutoSchema, direction: str) -> dict:
        field = self.target
        if direction == "response":
            return decimal_response_schema(field.min_value, field.max_value)
        number: dict = {"type": "number"}
        if field.min_value is not None:
            number["minimum"] = float(field.min_value)
        number["maximum"] = (
            float(field.max_value) if field.max_value is not None else 10.0**MAX_WHOLE_DIGITS - 1
        )
        pattern = decimal_string_pattern(field.min_value, field.max_value)
        return {"oneOf": [number, {"type": "string", "format": "decimal", "pattern": pattern}]}


class VisibleTextFieldSchema(OpenApiSerializerFieldExtension):
    """Names, labels, notes and barcodes: the characters ``VisibleTextField`` takes.

    In, the description says the rule and ``describe_strict_input`` writes the
    pattern (it runs after drf-spectacular, which would wrap a blank-allowing
    field's pattern in a ``oneOf`` that ``""`` matches twice).
    """

    target_class = "countonme.base.strict_input.VisibleTextField"

    def map_serializer_field(self, auto_schema: AutoSchema, direction: str) -> dict:
        field = self.target
        schema = auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        if direction == "request":
            schema[VISIBLE_TEXT_KEY] = "multiline" if field.multiline else "line"
            schema["description"] = (
                f"{schema.get('description', '')} Control characters, bidirectional overrides "
                "and unpaired surrogates are refused (400 `invalid_character`); invisible "
                "characters at either end (zero-width spaces, joiners, BOM) are trimmed like "
                "spaces, and text with nothing visible left is blank."
            ).strip()
        return schema
