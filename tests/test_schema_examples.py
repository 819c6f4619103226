"""The OpenAPI document's examples: each valid against its schema, and each what the API says.

The first tests read the document as served: every request body, response and
parameter example validates against the schema it illustrates; every
operation shows a success answer, its request body and every error it lists;
an error example's ``type`` is the one of its status. The story test sends the
documented requests to the API, as a registered device on the example day, and
compares the answers with the documented ones.
"""

import pytest

from countonme.base.errors import error_type
from tests.schema_examples import documented_examples, operations, problems

pytestmark = pytest.mark.django_db


def test_every_example_is_valid_against_its_schema(schema):
    examples = list(documented_examples(schema))
    assert len(examples) > 200
    invalid = {
        where: found for where, node, value in examples if (found := problems(schema, node, value))
    }
    assert invalid == {}


def test_the_validation_catches_a_wrong_example(schema):
    """The check above is not vacuous: a decimal as a number, a null name, a bad day fail."""
    node = {"$ref": "#/components/schemas/FoodEntry"}
    good = schema["paths"]["/v1/food-entries/{id}"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["examples"]
    entry = next(iter(good.values()))["value"]
    assert problems(schema, node, entry) == []
    for field, wrong in (("calories", 233.4), ("meal_type", "brunch"), ("day", "14/03/2026")):
        assert problems(schema, node, {**entry, field: wrong}) != [], field


def test_every_operation_shows_its_request_its_answer_and_its_errors(schema):
    missing = []
    for operation_id, _method, _path, operation in operations(schema):
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body is not None and not body.get("examples"):
            missing.append(f"{operation_id}: request body")
        successes = {
            status: response
            for status, response in operation["responses"].items()
            if status.startswith("2")
        }
        with_content = [r for r in successes.values() if "content" in r]
        if with_content and not any(
            content.get("examples")
            for response in with_content
            for content in response["content"].values()
        ):
            missing.append(f"{operation_id}: success answer")
        for status, response in operation["responses"].items():
            if status[0] in "45" and not response["content"]["application/json"].get("examples"):
                missing.append(f"{operation_id}: {status}")
        for parameter in operation.get("parameters", []):
            if "example" not in parameter and "examples" not in parameter:
                missing.append(f"{operation_id}: parameter {parameter['name']}")
    assert missing == []


# The codes an error of each status can carry here (docs/api.md §1, "Errors").
CODES_BY_STATUS = {
    401: {"not_authenticated", "authentication_failed"},
    403: {"device_revoked"},
    404: {"not_found"},
    409: {"id_conflict", "device_exists", "duplicate_day", "default_required", "barcode_taken"},
    411: {"length_required"},
    413: {"payload_too_large"},
    429: {"throttled"},
    503: {"service_unavailable"},
}


def test_every_error_example_has_the_type_and_codes_of_its_status(schema):
    wrong = []
    seen_statuses = set()
    for operation_id, _method, _path, operation in operations(schema):
        for status, response in operation["responses"].items():
            if status[0] not in "45":
                continue
            for name, example in response["content"]["application/json"]["examples"].items():
                value, code = example["value"], int(status)
                seen_statuses.add(code)
                codes = {error["code"] for error in value["errors"]}
                if value["type"] != error_type(code):
                    wrong.append(f"{operation_id} {status} {name}: type {value['type']}")
                allowed = CODES_BY_STATUS.get(code)
                if allowed is not None and not codes <= allowed:
                    wrong.append(f"{operation_id} {status} {name}: codes {codes}")
    assert wrong == []
    assert seen_statuses >= {400, 401, 403, 404, 409, 411, 413, 429, 503}


def test_every_401_shows_both_reasons(schema):
    for operation_id, _method, _path, operation in operations(schema):
        if "401" in operation["responses"]:
            examples = operation["responses"]["401"]["content"]["application/json"]["examples"]
            codes = {example["value"]["errors"][0]["code"] for example in examples.values()}
            assert codes == {"not_authenticated", "authentication_failed"}, operation_id
