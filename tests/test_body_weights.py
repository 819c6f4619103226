"""Body weights (docs/api.md §8): list by day, one live weight per day, read, patch, delete."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from entries.body_weights import services
from entries.models import BodyWeight
from tests.assertions import error_codes
from tests.concurrency import race
from tests.conftest import client_for
from tests.factories import BodyWeightFactory, DeviceFactory, GoalFactory

LIST = "/v1/body-weights"


def detail(weight_id) -> str:
    return f"{LIST}/{weight_id}"


def as_response(weight: BodyWeight) -> dict:
    """The BodyWeightResponse of a stored row."""
    weight.refresh_from_db()
    return {
        "id": str(weight.id),
        "day": weight.day.isoformat(),
        "weight_kg": f"{weight.weight_kg:.3f}",
        "created_at": weight.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": weight.updated_at.isoformat().replace("+00:00", "Z"),
    }


@pytest.mark.django_db
class TestList:
    def test_live_weights_of_the_device_ordered_by_day(self, device_client, device, other_device):
        late = BodyWeightFactory(device=device, day=date(2026, 3, 3), weight_kg=Decimal("79.1"))
        early = BodyWeightFactory(device=device, day=date(2026, 3, 1), weight_kg=Decimal("80"))
        BodyWeightFactory(device=device, day=date(2026, 3, 2)).delete()
        BodyWeightFactory(device=other_device, day=date(2026, 3, 2))

        response = device_client.get(LIST)

        assert response.status_code == 200
        assert response.json() == [as_response(early), as_response(late)]
        assert response.json()[0]["weight_kg"] == "80.000"

    @pytest.mark.parametrize(
        ("params", "days"),
        [
            ({"from": "2026-03-02", "to": "2026-03-04"}, [2, 3, 4]),
            ({"from": "2026-03-04"}, [4, 5]),
            ({"to": "2026-03-01"}, [1]),
            ({"from": "2026-03-03", "to": "2026-03-03"}, [3]),
            ({"from": "2026-03-04", "to": "2026-03-02"}, []),
        ],
    )
    def test_from_and_to_are_inclusive(self, device_client, device, params, days):
        for day in (5, 1, 4, 2, 3):
            BodyWeightFactory(device=device, day=date(2026, 3, day))

        response = device_client.get(LIST, params)

        assert response.status_code == 200
        assert [row["day"] for row in response.json()] == [f"2026-03-{d:02d}" for d in days]

    @pytest.mark.parametrize(
        ("params", "attr"),
        [({"from": "yesterday"}, "from"), ({"to": "2026-02-30"}, "to"), ({"from": "2026"}, "from")],
    )
    def test_bad_dates_are_400(self, device_client, params, attr):
        response = device_client.get(LIST, params)
        assert response.status_code == 400
        assert error_codes(response) == [("invalid", attr)]

    def test_pages_carry_a_next_link(self, device_client, device):
        for day in range(1, 4):
            BodyWeightFactory(device=device, day=date(2026, 3, day))

        first = device_client.get(LIST, {"limit": 2})
        assert [row["day"] for row in first.json()] == ["2026-03-01", "2026-03-02"]
        assert first["Link"].endswith('rel="next"')
        assert "offset=2" in first["Link"]
        last = device_client.get(LIST, {"limit": 2, "offset": 2})
        assert [row["day"] for row in last.json()] == ["2026-03-03"]
        assert "Link" not in last

    @pytest.mark.parametrize("rows", [1, 300])
    def test_query_budget(self, device_client, device, django_assert_max_num_queries, rows):
        BodyWeight.objects.bulk_create(
            BodyWeightFactory.build(device=device, day=date(2025, 1, 1) + timedelta(days=n))
            for n in range(rows)
        )
        # Device lookup, last_seen_at refresh, one page of rows; no COUNT(*).
        with django_assert_max_num_queries(3) as queries:
            response = device_client.get(LIST)
        assert len(response.json()) == rows
        assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


@pytest.mark.django_db
class TestCreate:
    @pytest.mark.parametrize("weight", [72.5, "72.5", "72.500", 72])
    def test_records_a_weight(self, device_client, device, weight):
        response = device_client.post(
            LIST, {"day": "2026-03-14", "weight_kg": weight}, format="json"
        )

        assert response.status_code == 201
        stored = BodyWeight.objects.get(device=device)
        assert response.json() == as_response(stored)
        assert (stored.day, stored.weight_kg) == (date(2026, 3, 14), Decimal(str(weight)))

    def test_with_a_client_id(self, device_client, device):
        weight_id = str(uuid.uuid4())
        response = device_client.post(
            LIST, {"id": weight_id, "day": "2026-03-14", "weight_kg": 80}, format="json"
        )
        assert response.status_code == 201
        assert response.json()["id"] == weight_id
        assert BodyWeight.objects.get(pk=weight_id).device_id == device.id

    def test_upper_limit_is_inclusive(self, device_client):
        response = device_client.post(
            LIST, {"day": "2026-03-14", "weight_kg": "1000"}, format="json"
        )
        assert response.status_code == 201
        assert response.json()["weight_kg"] == "1000.000"

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ({"day": "2026-03-14", "weight_kg": 0}, [("min_value", "weight_kg")]),
            ({"day": "2026-03-14", "weight_kg": "-1"}, [("min_value", "weight_kg")]),
            ({"day": "2026-03-14", "weight_kg": "1000.001"}, [("max_value", "weight_kg")]),
            ({"day": "2026-03-14", "weight_kg": "heavy"}, [("invalid", "weight_kg")]),
            ({"day": "2026-03-14", "weight_kg": None}, [("null", "weight_kg")]),
            ({"day": "2026-03-14"}, [("required", "weight_kg")]),
            ({"weight_kg": 80}, [("required", "day")]),
            ({"day": "14/03/2026", "weight_kg": 80}, [("invalid", "day")]),
        ],
    )
    def test_invalid_body_is_400(self, device_client, body, expected):
        response = device_client.post(LIST, body, format="json")
        assert response.status_code == 400
        assert error_codes(response) == expected
        assert not BodyWeight.all_objects.exists()

    def test_a_second_weight_on_a_day_is_409_duplicate_day(self, device_client, device):
        existing = BodyWeightFactory(device=device, day=date(2026, 3, 14))
        new_id = str(uuid.uuid4())

        response = device_client.post(
            LIST, {"id": new_id, "day": "2026-03-14", "weight_kg": 70}, format="json"
        )

        assert response.status_code == 409
        assert error_codes(response) == [("duplicate_day", None)]
        assert list(BodyWeight.all_objects.all()) == [existing]
        assert existing.weight_kg == BodyWeight.objects.get().weight_kg

    def test_a_deleted_weight_frees_its_day(self, device_client, device):
        BodyWeightFactory(device=device, day=date(2026, 3, 14)).delete()
        response = device_client.post(LIST, {"day": "2026-03-14", "weight_kg": 70}, format="json")
        assert response.status_code == 201
        assert BodyWeight.objects.get().weight_kg == Decimal("70")

    def test_another_devices_weight_does_not_take_the_day(self, device_client, other_device):
        BodyWeightFactory(device=other_device, day=date(2026, 3, 14))
        response = device_client.post(LIST, {"day": "2026-03-14", "weight_kg": 70}, format="json")
        assert response.status_code == 201

    def test_server_fields_in_the_body_are_ignored(self, device_client, device, other_device):
        response = device_client.post(
            LIST,
            {
                "day": "2026-03-14",
                "weight_kg": 70,
                "device_id": str(other_device.id),
                "deleted_at": "2026-01-01T00:00:00Z",
                "created_at": "2000-01-01T00:00:00Z",
                "version": 42,
            },
            format="json",
        )
        assert response.status_code == 201
        stored = BodyWeight.objects.get()
        assert (stored.device_id, stored.deleted_at) == (device.id, None)
        assert stored.created_at.year != 2000
        assert stored.version != 42


@pytest.mark.django_db
class TestConstraints:
    def test_the_database_allows_one_live_weight_per_day(self, device):
        first = BodyWeightFactory(device=device, day=date(2026, 3, 14))
        with pytest.raises(IntegrityError), transaction.atomic():
            BodyWeightFactory(device=device, day=date(2026, 3, 14))
        first.delete()
        second = BodyWeightFactory(device=device, day=date(2026, 3, 14))
        assert list(BodyWeight.objects.all()) == [second]

    @pytest.mark.parametrize("weight", [Decimal("0"), Decimal("1000.001")])
    def test_the_database_refuses_weights_out_of_range(self, device, weight):
        with pytest.raises(IntegrityError), transaction.atomic():
            BodyWeightFactory(device=device, weight_kg=weight)

    def test_a_writer_that_skipped_the_day_check_still_gets_duplicate_day(self, device):
        # What a request racing past the check would hit: the unique index.
        BodyWeightFactory(device=device, day=date(2026, 3, 14))
        intruder = BodyWeight(device=device, day=date(2026, 3, 14), weight_kg=Decimal("70"))
        with pytest.raises(services.DuplicateDay):
            services._save_weight(intruder, force_insert=True)
        assert BodyWeight.all_objects.count() == 1


@pytest.mark.django_db
class TestServices:
    """``entries.body_weights.services`` called directly, as the admin and seed_demo do."""

    def test_create_stores_the_weight_with_the_chosen_id(self, device):
        weight_id = uuid.uuid4()
        weight = services.body_weight_create(
            device=device,
            day=date(2026, 3, 14),
            weight_kg=Decimal("72.5"),
            id=weight_id,
        )
        stored = BodyWeight.objects.get(pk=weight_id)
        assert (stored.device_id, stored.day, stored.weight_kg) == (
            device.pk,
            date(2026, 3, 14),
            Decimal("72.500"),
        )
        assert stored.version == weight.version > 0

    def test_create_on_a_day_with_a_live_weight_is_duplicate_day(self, device):
        BodyWeightFactory(device=device, day=date(2026, 3, 14))
        with pytest.raises(services.DuplicateDay):
            services.body_weight_create(device=device, day=date(2026, 3, 14), weight_kg=Decimal(70))
        assert BodyWeight.all_objects.count() == 1

    def test_restore_brings_the_row_back_with_the_new_values(self, device):
        weight = BodyWeightFactory(device=device, day=date(2026, 3, 14))
        weight.delete()
        services.body_weight_restore(
            body_weight=weight, day=date(2026, 3, 15), weight_kg=Decimal(71)
        )
        stored = BodyWeight.objects.get(pk=weight.pk)
        assert (stored.day, stored.weight_kg) == (date(2026, 3, 15), Decimal("71.000"))

    def test_update_changes_the_weight_and_keeps_the_day(self, device):
        weight = BodyWeightFactory(device=device, day=date(2026, 3, 14))
        version = weight.version
        services.body_weight_update(body_weight=weight, weight_kg=Decimal("69.9"))
        stored = BodyWeight.objects.get(pk=weight.pk)
        assert (stored.day, stored.weight_kg) == (date(2026, 3, 14), Decimal("69.900"))
        assert stored.version > version

    def test_restore_onto_a_taken_day_is_duplicate_day_and_stays_deleted(self, device):
        weight = BodyWeightFactory(device=device, day=date(2026, 3, 14))
        weight.delete()
        BodyWeightFactory(device=device, day=date(2026, 3, 15))
        with pytest.raises(services.DuplicateDay):
            services.body_weight_restore(
                body_weight=weight, day=date(2026, 3, 15), weight_kg=Decimal(71)
            )
        assert BodyWeight.all_objects.get(pk=weight.pk).is_deleted


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
