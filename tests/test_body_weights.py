"""Body weights (docs/api.md §8): list by day, create, one live weight per day, services."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from entries.body_weights import services
from entries.models import BodyWeight
from tests.assertions import assert_error, error_codes
from tests.body_weight_bodies import LIST, as_response
from tests.factories import BodyWeightFactory


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
        ],
    )
    def test_from_and_to_are_inclusive(self, device_client, device, params, days):
        for day in (5, 1, 4, 2, 3):
            BodyWeightFactory(device=device, day=date(2026, 3, day))

        response = device_client.get(LIST, params)

        assert response.status_code == 200
        assert [row["day"] for row in response.json()] == [f"2026-03-{d:02d}" for d in days]

    def test_to_before_from_is_the_stats_400(self, device_client, device):
        BodyWeightFactory(device=device, day=date(2026, 3, 3))
        response = device_client.get(LIST, {"from": "2026-03-04", "to": "2026-03-02"})
        body = assert_error(response, 400, "invalid", "to")
        assert body["errors"][0]["detail"] == "Must not be before `from`."

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
