"""The OpenAPI document's examples sent: the documented requests get the documented answers,
and the documented errors are the API's own words.
"""

import copy
import re
from typing import Any

import pytest
import time_machine
from rest_framework.test import APIClient

from devices.services import device_revoke
from tests.schema_examples import operations, problems

pytestmark = pytest.mark.django_db


# --- the documented requests, sent ---------------------------------------------

EXAMPLE_MOMENT = "2026-03-14T07:31:12Z"
# Set by the server at the time of the call: compared for their presence only.
TIMES = {"created_at", "updated_at", "last_seen_at", "exported_at", "expires_at"}


def without_times(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_times(v) for k, v in value.items() if k not in TIMES}
    if isinstance(value, list):
        return [without_times(item) for item in value]
    return value


class Story:
    """Sends an operation's documented request and returns the answer with the documented one."""

    def __init__(self, schema: dict, client: APIClient) -> None:
        self.schema = schema
        self.client = client
        self.by_id = {op_id: (method, path, op) for op_id, method, path, op in operations(schema)}

    def send(self, operation_id: str, *, query: tuple[str, ...] = (), example: int = 0):
        method, path, operation = self.by_id[operation_id]
        parameters = {p["name"]: p for p in operation.get("parameters", [])}
        url = re.sub(r"\{(\w+)\}", lambda m: str(parameters[m.group(1)]["example"]), path)
        params = {name: parameters[name]["example"] for name in query}
        body = None
        content = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if content is not None:
            body = list(content["examples"].values())[example]["value"]
        if method == "get":
            response = self.client.get(url, params)
        else:
            response = getattr(self.client, method)(url, body, format="json")
        status = next(s for s in operation["responses"] if s.startswith("2"))
        assert response.status_code == int(status), (operation_id, response.content[:500])
        answer = operation["responses"][status].get("content", {}).get("application/json")
        if answer is None:
            return None, None
        assert problems(self.schema, answer["schema"], response.json()) == [], operation_id
        documented = [e["value"] for e in answer.get("examples", {}).values()]
        return response.json(), documented

    def error(self, operation_id: str, status: int, code: str) -> dict:
        """The documented error example of ``operation_id`` and ``status`` with this ``code``."""
        _method, _path, operation = self.by_id[operation_id]
        examples = operation["responses"][str(status)]["content"]["application/json"]["examples"]
        values = [e["value"] for e in examples.values() if e["value"]["errors"][0]["code"] == code]
        assert values, f"{operation_id} documents no {status} {code}"
        return values[0]


def test_the_documented_requests_get_the_documented_answers(schema, starter_catalog):
    with time_machine.travel(EXAMPLE_MOMENT, tick=False):
        run_the_story(Story(schema, APIClient()))


def run_the_story(story: Story) -> None:
    """One device's morning, told in order: each step needs the ones before."""
    anonymous = APIClient()
    answer, documented = story.send("devices_register")
    assert answer["device_id"] == documented[0]["device_id"]
    assert answer["device_token"].startswith(answer["device_id"] + ".")
    story.client.credentials(HTTP_AUTHORIZATION=f"Bearer {answer['device_token']}")
    token = answer["device_token"]

    # Errors before anything: the documented 401s, word for word.
    assert anonymous.get("/v1/devices/me").json() == story.error(
        "devices_me", 401, "not_authenticated"
    )
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION=f"Bearer {token[:-4]}abcd")
    assert wrong.get("/v1/devices/me").json() == story.error(
        "devices_me", 401, "authentication_failed"
    )
    again = anonymous.post(
        "/v1/devices/register", {"device_id": answer["device_id"]}, format="json"
    )
    assert again.status_code == 200  # never used yet: the shipping app's recovery case
    story.client.credentials(HTTP_AUTHORIZATION=f"Bearer {again.json()['device_token']}")
    answer, documented = story.send("devices_me")
    assert without_times(answer) == without_times(documented[0])
    conflict = anonymous.post(
        "/v1/devices/register", {"device_id": answer["device_id"]}, format="json"
    )
    assert conflict.json() == story.error("devices_register", 409, "device_exists")

    # A product, its portions, an entry: the documented answers, times aside.
    for operation_id in ("products_create", "product_portions_create", "food_entries_create"):
        answer, documented = story.send(operation_id)
        assert without_times(answer) == without_times(documented[0]), operation_id
    answer, documented = story.send("product_portions_list")
    assert without_times(answer[0]) | {"id": None} == without_times(documented[0][0]) | {
        "id": None
    }  # the default portion's id is the server's
    for operation_id in ("products_retrieve", "portions_retrieve", "food_entries_retrieve"):
        answer, documented = story.send(operation_id)
        assert without_times(answer) == without_times(documented[0]), operation_id
    answer, documented = story.send("products_check_name", query=("name",))
    assert answer == documented[0]
    answer, documented = story.send("food_entries_list", query=("day", "meal_type"))
    assert without_times(answer) == without_times(documented[0])

    pieces = story_body(story, "food_entries_create") | {"amount": 1, "unit": "pcs"}
    del pieces["id"]
    mismatch = story.client.post("/v1/food-entries", pieces, format="json")
    assert mismatch.json() == story.error("food_entries_create", 400, "unit_mismatch")
    assert story.client.get("/v1/stats/day/2026-02-30").json() == story.error(
        "stats_day", 400, "invalid"
    )

    # Goals: the plan, a manual goal, then the calculated one that stays.
    for operation_id in ("goals_calculate", "goals_save_manual", "goals_save_calculated"):
        answer, documented = story.send(operation_id)
        assert without_times(answer) == without_times(documented[0]), operation_id
    answer, documented = story.send("goals_current")
    assert without_times(answer) == without_times(documented[0])

    # The day as the app reads it, a body weight, stats.
    answer, documented = story.send("stats_day")
    assert answer == documented[0]
    answer, documented = story.send("stats_daily", query=("from", "to"))
    assert answer == documented[0]
    for operation_id in ("body_weights_create", "body_weights_retrieve"):
        answer, documented = story.send(operation_id)
        assert without_times(answer) == without_times(documented[0]), operation_id
    duplicate = story.client.post(
        "/v1/body-weights", {"day": "2026-03-14", "weight_kg": 71.9}, format="json"
    )
    assert duplicate.json() == story.error("body_weights_create", 409, "duplicate_day")
    story.client.post("/v1/body-weights", {"day": "2026-03-09", "weight_kg": 72.9}, format="json")
    answer, documented = story.send("stats_weight", query=("from", "to"))
    assert answer == documented[0]

    # The catalog's oats, searched and read; a quick add and its batch.
    answer, documented = story.send("catalog_products_list", query=("search", "limit"))
    assert answer[0] == documented[0][0]
    answer, documented = story.send("catalog_products_retrieve")
    assert answer == documented[0]
    answer, documented = story.send("products_search", query=("q", "limit"))
    assert answer == documented[0]
    rolled_oats = story.client.get("/v1/products/search", {"q": "rolled oats"}).json()
    assert rolled_oats == documented[1]
    answer, documented = story.send("quick_add_parse")
    assert answer == documented[0]
    answer, documented = story.send("food_entries_batch")
    assert without_times(answer[0]) == without_times(documented[0][0])
    copied = {"product_id": None, "portion_id": None}  # the device's new copy of the food
    assert without_times(answer[1]) | copied == without_times(documented[0][1]) | copied

    # Changes: each documented PATCH/PUT, then the documented answer.
    for operation_id in (
        "food_entries_update",
        "body_weights_partial_update",
        "goals_partial_update",
        "portions_update",
        "products_update",
        "products_replace",
    ):
        answer, documented = story.send(operation_id)
        assert without_times(answer) == without_times(documented[0]), operation_id
    undefault = story.client.patch(
        "/v1/portions/" + answer_id(story, "portions_update"), {"is_default": False}, format="json"
    )
    assert undefault.json() == story.error("portions_update", 409, "default_required")

    # Reads of the whole account, codes, and the claim of one.
    for operation_id in ("data_export", "sync_since", "devices_me_recovery_code"):
        story.send(operation_id)
    answer, _ = story.send("devices_me_transfer_code")
    claimed = anonymous.post("/v1/devices/claim", {"code": answer["code"]}, format="json")
    assert claimed.status_code == 200
    invalid = anonymous.post("/v1/devices/claim", {"code": answer["code"]}, format="json")
    assert invalid.json() == story.error("devices_claim", 400, "invalid_code")
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {claimed.json()['device_token']}")
    missing = other.get("/v1/food-entries/7d2c4e6a-8b0f-4a1c-9e3d-5f7b9d1a3c5e")
    assert missing.json() == story.error("food_entries_retrieve", 404, "not_found")


def story_body(story: Story, operation_id: str) -> dict:
    _method, _path, operation = story.by_id[operation_id]
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    return copy.deepcopy(next(iter(examples.values()))["value"])


def answer_id(story: Story, operation_id: str) -> str:
    _method, _path, operation = story.by_id[operation_id]
    return next(p["example"] for p in operation["parameters"] if p["name"] == "id")


def test_the_documented_errors_are_the_apis_words(
    schema, starter_catalog, device, device_client, other_client
):
    """Each error example the apps document, provoked for real: the same body, word for word."""
    story = Story(schema, device_client)
    post = device_client.post

    answer = device_client.generic("POST", "/v1/products", "oats", content_type="application/json")
    assert answer.json() == story.error("products_create", 400, "parse_error")
    assert device_client.get("/v1/products?limit=").json() == story.error(
        "products_list", 400, "blank"
    )
    too_large = device_client.generic(
        "POST", "/v1/products", "{}", content_type="application/json", CONTENT_LENGTH="2000000"
    )
    assert too_large.json() == story.error("products_create", 413, "payload_too_large")
    chunked = device_client.generic(
        "POST",
        "/v1/products",
        "{}",
        content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert chunked.json() == story.error("products_create", 411, "length_required")
    assert device_client.get("/v1/sync/since?cursor=oats").json() == story.error(
        "sync_since", 400, "invalid"
    )

    oats = post("/v1/products", {"name": "Rolled oats", "barcode": "5000168001142"}, format="json")
    muesli = post("/v1/products", {"name": "Muesli", "barcode": "5010029000061"}, format="json")
    taken = device_client.patch(
        f"/v1/products/{muesli.json()['id']}", {"barcode": "5000168001142"}, format="json"
    )
    assert taken.json() == story.error("products_update", 409, "barcode_taken")
    theirs = other_client.post("/v1/products", {"name": "Granola"}, format="json").json()
    conflict = post("/v1/products", {"id": theirs["id"], "name": "Granola"}, format="json")
    assert conflict.json() == story.error("products_create", 409, "id_conflict")

    portion = post(
        f"/v1/products/{oats.json()['id']}/portions",
        {"label": "100 g", "base_amount": 100, "base_unit": "g", "calories": 389},
        format="json",
    ).json()
    entry = {
        "product_id": oats.json()["id"],
        "portion_id": portion["id"],
        "day": "2026-03-14",
        "meal_type": "breakfast",
        "unit": "g",
    }
    no_amount = post("/v1/food-entries/batch", {"entries": [entry]}, format="json")
    assert no_amount.json() == story.error("food_entries_batch", 400, "required")
    unknown_portion = {
        **{k: v for k, v in entry.items() if not k.endswith("_id")},
        "amount": 1,
        "catalog_product_id": "f3342baf-e0c7-5f8e-a660-a2386762401a",
        "catalog_portion_id": "7d2c4e6a-8b0f-4a1c-9e3d-5f7b9d1a3c5e",
    }
    batch = {"entries": [{**entry, "amount": 60}, unknown_portion]}
    not_found = post("/v1/food-entries/batch", batch, format="json")
    assert not_found.json() == story.error("food_entries_batch", 404, "not_found")

    manual = {
        "daily_calories_kcal": 2000,
        "protein_percent": 30,
        "carbs_percent": 40,
        "fat_percent": 40,
        "water_ml": 2000,
    }
    sum_110 = post("/v1/goals/manual", manual, format="json")
    assert sum_110.json() == story.error("goals_save_manual", 400, "percent_sum")
    giant = {
        "gender": "male",
        "birth_date": "1990-05-20",
        "height_cm": 1,
        "current_weight_kg": 500,
        "activity_level": "sedentary",
        "weight_goal_type": "maintain",
    }
    implausible = post("/v1/goals/calculate", giant, format="json")
    assert implausible.json() == story.error("goals_calculate", 400, "implausible_metrics")

    device_revoke(device=device)
    revoked = device_client.get("/v1/devices/me")
    assert revoked.json() == story.error("devices_me", 403, "device_revoked")
    again = APIClient().post("/v1/devices/register", {"device_id": str(device.pk)}, format="json")
    assert again.json() == story.error("devices_register", 403, "device_revoked")
