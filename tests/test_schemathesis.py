"""The API against its own OpenAPI document, with Schemathesis, in-process (WSGI).

Every operation of the schema, authenticated as a registered device that holds
data (a product with a portion, a food entry, a goal, a body weight), with
every check named below; the stateful run follows the links Schemathesis
infers between operations (create → read → update → delete) with a second
device for object-level authorization. A failure means the code or the schema
is wrong: fix one of them, never the check.

- CI budget: ``SCHEMATHESIS_MAX_EXAMPLES`` examples per operation (default 10)
  and per stateful run. A longer run: ``SCHEMATHESIS_MAX_EXAMPLES=500``.
- One operation: ``SCHEMATHESIS_OPERATION=products_create pytest tests/test_schemathesis.py``
  (an ``operationId``; see ``/api/schema/``).
- A failure prints the request (as a curl line) and the check that failed;
  Hypothesis keeps the failing example in ``.hypothesis/`` and replays it first.
"""

import os
from datetime import date, timedelta

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as CHECKS_REGISTRY
from schemathesis.checks import load_all_checks

from devices.codes.models import CodeKind
from devices.codes.services import device_code_make
from tests.factories import (
    BodyWeightFactory,
    DeviceFactory,
    FoodEntryFactory,
    GoalFactory,
)

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10"))
ONLY_OPERATION = os.environ.get("SCHEMATHESIS_OPERATION")

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "use_after_free",
    "ignored_auth",
    "unsupported_method",
]

load_all_checks()
CHECK_FUNCTIONS = CHECKS_REGISTRY.get_by_names(CHECKS)

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=MAX_EXAMPLES,
    deterministic=True,
    # The test sends a real device token; a generated (or dropped) Authorization
    # header would only test that random tokens are 401, which ignored_auth does.
    with_security_parameters=False,
)


# --- Rules the schema cannot express -------------------------------------------
#
# JSON Schema has no "these three sum to 100" or "from ≤ to". The operations
# document each rule in their description and answer 400 when it is broken;
# here the *positive* cases (the ones Schemathesis promises are valid) are
# brought within those rules, so positive_data_acceptance tests the rest.
# Negative cases are left alone. Keep this list in step with the descriptions.

SPLIT = {"protein_percent": 30, "carbs_percent": 40, "fat_percent": 30}
PLAUSIBLE_BODY = {"birth_date": "1990-05-15", "height_cm": 175, "current_weight_kg": 75}
WITH_GOAL = {"target_weight_kg": 70, "weight_change_pace": "moderate"}


def _percentages_sum_to_100(body: dict) -> None:
    if any(name in body for name in SPLIT):
        body.update(SPLIT)


def _plausible_body_metrics(body: dict) -> None:
    body.update(PLAUSIBLE_BODY)
    if body.get("weight_goal_type") in ("lose", "gain"):
        body.update({k: body.get(k) or v for k, v in WITH_GOAL.items()})


def _ordered_range(query: dict, max_days: int | None = None) -> None:
    if query.get("from") and query.get("to"):
        first, last = sorted([date.fromisoformat(query["from"]), date.fromisoformat(query["to"])])
        if max_days is not None:
            last = min(last, first + timedelta(days=max_days - 1))
        query["from"], query["to"] = first.isoformat(), last.isoformat()


def _macros_within_100g(body: dict) -> None:
    """Their sum ≤ 100 g, with a ``kcal_100g`` at least what their fat and protein give."""
    macros = [
        name for name in ("protein_100g", "carbs_100g", "fat_100g") if body.get(name) is not None
    ]
    for name in macros:
        body[name] = 10
    if macros:
        body["kcal_100g"] = 150  # 10 g of fat and protein give at least 81.48 kcal


def _within_the_physical_limits(body: dict) -> None:
    """Zero energy and macros, and a weight the unit allows (products.limits).

    A mass portion weighs its mass (gram_weight left out, at least 0.001 g); a
    volume's weight is left to the densest food; an amount alone is grams.
    """
    values = ("calories", "protein", "carbs", "fat", "base_amount", "base_unit", "gram_weight")
    if not any(name in body for name in values):
        return
    if "base_amount" in body and "base_unit" not in body:
        body["base_unit"] = "g"
    if body.get("base_unit") not in ("pcs", "serving"):
        body.pop("gram_weight", None)
    if body.get("base_unit") == "mg" and isinstance(body.get("base_amount"), int | float):
        body["base_amount"] = max(body["base_amount"], 1)
    elif body.get("base_unit") == "mg":
        body["base_amount"] = 1
    # Every value, posted or stored: a PATCH is checked merged with the stored portion.
    body.update(calories=0, protein=0, carbs=0, fat=0)


# Any id will do: an unknown one is 404, which the checks accept.
SOME_ID = "00000000-0000-4000-8000-000000000000"


def _one_food_per_entry(body: dict) -> None:
    """Each batch entry names the device's food or a catalog food: one whole pair, not both."""
    for entry in body.get("entries") or []:
        if not isinstance(entry, dict):
            continue
        catalog = ("catalog_product_id", "catalog_portion_id")
        device = ("product_id", "portion_id")
        if all(name in entry for name in catalog) and not any(name in entry for name in device):
            continue
        for name in catalog:
            entry.pop(name, None)
        for name in device:
            entry.setdefault(name, SOME_ID)


BODY_RULES = {
    "food_entries_batch": [_one_food_per_entry],
    "goals_save_manual": [_percentages_sum_to_100],
    "goals_save_calculated": [_percentages_sum_to_100, _plausible_body_metrics],
    "goals_calculate": [_plausible_body_metrics],
    "goals_partial_update": [_percentages_sum_to_100],
    "products_create": [_macros_within_100g],
    "product_portions_create": [_within_the_physical_limits],
    "portions_update": [_within_the_physical_limits],
}
QUERY_RULES = {
    "stats_daily": lambda query: _ordered_range(query, max_days=366),
    "stats_weight": _ordered_range,
    "body_weights_list": _ordered_range,
    "food_entries_list": _ordered_range,
    # The cursor is opaque: only one the server gave is valid (else 400).
    "sync_since": lambda query: query.pop("cursor", None),
}


@schema.hook
def map_case(context, case):
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return case
    operation_id = case.operation.definition.raw.get("operationId")
    if isinstance(case.body, dict):
        for rule in BODY_RULES.get(operation_id, []):
            rule(case.body)
    if isinstance(case.query, dict) and operation_id in QUERY_RULES:
        QUERY_RULES[operation_id](case.query)
    return case


@schemathesis.hook
def before_call(context, case, **kwargs):
    """A claimed code is valid only if the server made it, and only once: a fresh one each call.

    Here rather than in ``map_case``: making a code writes to the database, which
    the collection of the cases (where ``map_case`` may run) may not touch.
    """
    operation_id = case.operation.definition.raw.get("operationId")
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if operation_id == "devices_claim" and positive and isinstance(case.body, dict):
        case.body["code"] = device_code_make(device=DeviceFactory(), kind=CodeKind.TRANSFER).code


def device_holding_data():
    """A registered device with one row of every kind (the ids the fuzzer can hit)."""
    device = DeviceFactory()
    entry = FoodEntryFactory(device=device)
    GoalFactory(device=device)
    BodyWeightFactory(device=device)
    return device, entry


# The second device of the object-level check; set per test by the fixtures.
OTHER_DEVICE: dict[str, str] = {}
# Object ids in these paths are global (the catalog) or not objects (a day).
SHARED_PATHS = ("/v1/catalog/", "/v1/stats/")


def other_device_gets_404(ctx, response, case):
    """Object-level authorization: a read of the device's object replayed by another is a 404.

    Schemathesis's own ``object_level_authorization`` needs a WFC identities
    document and its engine; this is the same probe for the pytest runner.
    """
    if (
        case.method != "GET"
        or not case.path_parameters
        or not 200 <= response.status_code < 300
        or case.operation.path.startswith(SHARED_PATHS)
    ):
        return None
    foreign = case.call(headers={"Authorization": f"Bearer {OTHER_DEVICE['token']}"})
    assert foreign.status_code == 404, (
        f"{case.method} {case.formatted_path}: another device got {foreign.status_code}, "
        f"not 404: {foreign.text[:300]}"
    )
    return None


@pytest.fixture(autouse=True)
def _requests_keep_the_test_connection():
    """What Django's test client does: a request's end must not close the test's connection.

    Schemathesis calls the WSGI app directly, so Django's ``request_finished``
    would close the connection that holds the test's transaction (PostgreSQL).
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def device_token(db) -> str:
    device, _ = device_holding_data()
    other, _ = device_holding_data()
    OTHER_DEVICE["token"] = other.token
    return device.token


# One operation when asked; the stateful run needs them all (links join them).
operations = schema.include(operation_id=ONLY_OPERATION) if ONLY_OPERATION else schema
StatefulMachine = schema.as_state_machine()


@operations.parametrize()
@hypothesis.settings(
    suppress_health_check=[
        # The device and its rows are made once per operation, not per example.
        hypothesis.HealthCheck.function_scoped_fixture,
        hypothesis.HealthCheck.too_slow,
        hypothesis.HealthCheck.filter_too_much,
    ],
    deadline=None,
)
def test_every_operation(case, device_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {device_token}"},
        checks=CHECK_FUNCTIONS,
        additional_checks=[other_device_gets_404],
    )


@pytest.mark.django_db(transaction=False)
def test_stateful_links(device_token):
    """Create → read → update → delete along the links Schemathesis infers from the schema."""

    class Machine(StatefulMachine):
        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Bearer {device_token}"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response,
                checks=CHECK_FUNCTIONS,
                additional_checks=[other_device_gets_404],
                headers=kwargs.get("headers"),
                recorder=self.recorder,
            )

    Machine.run(
        settings=hypothesis.settings(
            max_examples=MAX_EXAMPLES,
            stateful_step_count=10,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
    )
