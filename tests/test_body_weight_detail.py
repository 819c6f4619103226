"""Body weights (docs/api.md §8): read, patch, delete by id; other devices; replays; races."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from entries.models import BodyWeight
from tests.assertions import error_codes
from tests.body_weight_bodies import LIST, as_response, detail
from tests.concurrency import race
from tests.conftest import client_for
from tests.factories import BodyWeightFactory, DeviceFactory, GoalFactory


@pytest.mark.django_db
class TestReadUpdateDelete:
    def test_retrieve(self, device_client, device):
        weight = BodyWeightFactory(device=device)
        response = device_client.get(detail(weight.id))
        assert response.status_code == 200
        assert response.json() == as_response(weight)

    def test_patch_changes_the_weight_only(self, device_client, device):
        weight = BodyWeightFactory(device=device, day=date(2026, 3, 14))
        response = device_client.patch(
            detail(weight.id), {"weight_kg": "79.25", "day": "2026-03-15"}, format="json"
        )

        assert response.status_code == 200
        assert response.json()["weight_kg"] == "79.250"
        assert response.json()["day"] == "2026-03-14"
        assert response.json() == as_response(weight)
        assert (weight.day, weight.weight_kg) == (date(2026, 3, 14), Decimal("79.25"))

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ({"weight_kg": 0}, [("min_value", "weight_kg")]),
            ({"weight_kg": 1001}, [("max_value", "weight_kg")]),
        ],
    )
    def test_patch_validation(self, device_client, device, body, expected):
        weight = BodyWeightFactory(device=device)
        response = device_client.patch(detail(weight.id), body, format="json")
        assert response.status_code == 400
        assert error_codes(response) == expected
        weight.refresh_from_db()
        assert weight.weight_kg == Decimal("80")

    def test_put_is_not_allowed(self, device_client, device):
        weight = BodyWeightFactory(device=device)
        response = device_client.put(
            detail(weight.id), {"day": "2026-03-14", "weight_kg": 70}, format="json"
        )
        assert response.status_code == 405
        assert error_codes(response) == [("method_not_allowed", None)]

    def test_delete_is_soft(self, device_client, device):
        weight = BodyWeightFactory(device=device)
        response = device_client.delete(detail(weight.id))

        assert response.status_code == 204
        assert response.content == b""
        assert BodyWeight.all_objects.get(pk=weight.id).deleted_at is not None
        assert device_client.get(detail(weight.id)).status_code == 404
        assert device_client.get(LIST).json() == []
        # The app's replay of the delete changes nothing (tests/test_replayed_writes.py).
        assert device_client.delete(detail(weight.id)).status_code == 204

    @pytest.mark.parametrize("path", [f"{LIST}/not-a-uuid", f"{LIST}/", f"{LIST}/{uuid.uuid4()}"])
    def test_unknown_paths_and_ids_are_404(self, device_client, path):
        response = device_client.get(path)
        assert response.status_code == 404
        assert error_codes(response) == [("not_found", None)]


@pytest.mark.django_db
class TestOtherDevice:
    @pytest.mark.parametrize(
        ("method", "body"), [("get", None), ("patch", {"weight_kg": 1}), ("delete", None)]
    )
    def test_another_devices_weight_is_404_like_an_unknown_id(
        self, device_client, other_device, method, body
    ):
        theirs = BodyWeightFactory(device=other_device)
        call = getattr(device_client, method)

        response = call(detail(theirs.id), body, format="json")
        unknown = call(detail(uuid.uuid4()), body, format="json")

        assert response.status_code == 404
        assert response.json() == unknown.json()
        stored = BodyWeight.objects.get(pk=theirs.id)
        assert (stored.weight_kg, stored.version) == (Decimal("80"), theirs.version)


@pytest.mark.django_db
class TestIdempotentCreates:
    def test_replaying_an_id_returns_the_stored_row_unchanged(self, device_client, device):
        body = {"id": str(uuid.uuid4()), "day": "2026-03-14", "weight_kg": 80}
        first = device_client.post(LIST, body, format="json")
        version = BodyWeight.objects.get().version

        replay = device_client.post(LIST, {**body, "weight_kg": 90}, format="json")

        assert (first.status_code, replay.status_code) == (201, 200)
        assert replay.json() == first.json()
        stored = BodyWeight.objects.get()
        assert (stored.weight_kg, stored.version) == (Decimal("80"), version)

    def test_the_id_of_a_deleted_weight_restores_it_with_the_posted_fields(
        self, device_client, device
    ):
        weight = BodyWeightFactory(device=device, day=date(2026, 3, 14))
        weight.delete()

        response = device_client.post(
            LIST, {"id": str(weight.id), "day": "2026-03-20", "weight_kg": "77.7"}, format="json"
        )

        assert response.status_code == 201
        assert response.json() == as_response(weight)
        assert (weight.day, weight.weight_kg, weight.deleted_at) == (
            date(2026, 3, 20),
            Decimal("77.7"),
            None,
        )

    def test_restoring_onto_a_taken_day_is_409_duplicate_day(self, device_client, device):
        weight = BodyWeightFactory(device=device, day=date(2026, 3, 14))
        weight.delete()
        BodyWeightFactory(device=device, day=date(2026, 3, 20))

        response = device_client.post(
            LIST, {"id": str(weight.id), "day": "2026-03-20", "weight_kg": 70}, format="json"
        )

        assert response.status_code == 409
        assert error_codes(response) == [("duplicate_day", None)]
        weight.refresh_from_db()
        assert (weight.day, weight.deleted_at is not None) == (date(2026, 3, 14), True)

    @pytest.mark.parametrize("deleted", [False, True])
    def test_another_devices_id_is_409(self, device_client, other_device, deleted):
        theirs = BodyWeightFactory(device=other_device)
        if deleted:
            theirs.delete()
        response = device_client.post(
            LIST, {"id": str(theirs.id), "day": "2026-03-14", "weight_kg": 70}, format="json"
        )
        assert response.status_code == 409
        assert error_codes(response) == [("id_conflict", None)]
        assert BodyWeight.all_objects.get(pk=theirs.id).device_id == other_device.id

    def test_an_id_of_another_kind_is_409(self, device_client, device):
        goal = GoalFactory(device=device)
        response = device_client.post(
            LIST, {"id": str(goal.id), "day": "2026-03-14", "weight_kg": 70}, format="json"
        )
        assert response.status_code == 409
        assert error_codes(response) == [("id_conflict", None)]
        assert not BodyWeight.all_objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", LIST),
        ("post", LIST),
        ("get", detail("00000000-0000-4000-8000-000000000000")),
        ("patch", detail("00000000-0000-4000-8000-000000000000")),
        ("delete", detail("00000000-0000-4000-8000-000000000000")),
    ],
)
def test_every_route_needs_a_device_token(api_client, method, path):
    response = getattr(api_client, method)(path, {}, format="json")
    assert response.status_code == 401
    assert error_codes(response) == [("not_authenticated", None)]


# --- PostgreSQL ----------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_for_one_day_give_one_201_and_409s():
    device = DeviceFactory()
    contenders = 4

    def post(weight: int):
        return lambda: client_for(device).post(
            LIST, {"day": "2026-03-14", "weight_kg": weight}, format="json"
        )

    responses = race(*[post(70 + n) for n in range(contenders)])

    assert sorted(r.status_code for r in responses) == [201] + [409] * (contenders - 1)
    for response in responses:
        if response.status_code == 409:
            assert error_codes(response) == [("duplicate_day", None)]
    assert BodyWeight.all_objects.filter(device=device).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_list_reads_the_live_day_index(device_client, device):
    others = [DeviceFactory() for _ in range(20)]
    BodyWeight.objects.bulk_create(
        BodyWeightFactory.build(device=owner, day=date(2024, 1, 1) + timedelta(days=n))
        for owner in [device, *others]
        for n in range(200)
    )
    with connection.cursor() as cursor:
        cursor.execute('ANALYZE "entries_bodyweight"')
    with CaptureQueriesContext(connection) as queries:
        assert (
            device_client.get(LIST, {"from": "2024-03-01", "to": "2024-03-31"}).status_code == 200
        )
    (sql,) = [q["sql"] for q in queries if 'FROM "entries_bodyweight"' in q["sql"]]

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "bodyweight_one_live_per_day" in plan, plan
    assert "Seq Scan" not in plan, plan
