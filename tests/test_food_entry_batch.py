"""``POST /v1/food-entries/batch``: up to 50 creates, all or nothing, idempotent per id."""

import uuid
from datetime import date
from decimal import Decimal

import pytest

from entries.models import FoodEntry
from entries.services import SnapshotTooLarge, food_entry_create
from products import units
from tests.assertions import assert_error, assert_not_found
from tests.entry_bodies import food_entry_body
from tests.factories import FoodEntryFactory, PortionFactory, ProductFactory

BATCH = "/v1/food-entries/batch"


@pytest.fixture
def egg(device):
    """One egg (a piece) of 50 g: 72 kcal."""
    return PortionFactory(
        product=ProductFactory(device=device, name="Egg"),
        label="1 large",
        base_amount=Decimal(1),
        base_unit="pcs",
        gram_weight=Decimal(50),
        calories=Decimal(72),
        protein=Decimal("6.3"),
        carbs=Decimal("0.4"),
        fat=Decimal("4.8"),
    )


def entry(portion, **overrides) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "product_id": str(portion.product_id),
        "portion_id": str(portion.id),
        "day": "2026-03-14",
        "meal_type": "breakfast",
        "amount": "50",
        "unit": "g",
        **overrides,
    }


@pytest.mark.django_db
class TestBatch:
    def test_stores_every_entry_with_its_snapshot_in_order(
        self, device_client, device, portion, egg
    ):
        bodies = [entry(egg, amount="2", unit="pcs"), entry(portion), entry(egg, unit="g")]

        response = device_client.post(BATCH, {"entries": bodies}, format="json")

        assert response.status_code == 201, response.content
        stored = response.json()
        assert [row["id"] for row in stored] == [body["id"] for body in bodies]
        assert [(row["amount"], row["unit"], row["calories"], row["fat"]) for row in stored] == [
            ("2.000", "pcs", "144.000", "9.600"),
            ("50.000", "g", "100.000", "2.500"),
            ("50.000", "g", "72.000", "4.800"),  # 50 g of a 50 g egg, through gram_weight
        ]
        rows = FoodEntry.objects.filter(device=device).order_by("calories")
        assert [(row.meal_type, row.calories) for row in rows] == [
            ("breakfast", Decimal(72)),
            ("breakfast", Decimal(100)),
            ("breakfast", Decimal(144)),
        ]
        # One write of the device: the rows carry versions of this device, in order.
        versions = [FoodEntry.objects.get(pk=body["id"]).version for body in bodies]
        assert versions == sorted(versions)

    def test_one_bad_entry_stores_nothing_and_names_the_entry(self, device_client, portion, egg):
        bodies = [entry(portion), entry(egg, unit="ml")]

        response = device_client.post(BATCH, {"entries": bodies}, format="json")

        assert_error(response, 400, "unit_mismatch", "entries.1.unit")
        assert not FoodEntry.all_objects.exists()

    def test_another_devices_portion_is_404_and_stores_nothing(
        self, device_client, portion, other_device
    ):
        foreign = PortionFactory(product=ProductFactory(device=other_device))

        response = device_client.post(
            BATCH, {"entries": [entry(portion), entry(foreign)]}, format="json"
        )

        assert_not_found(response, "entries.1.product_id")
        assert not FoodEntry.all_objects.exists()

    def test_replay_returns_the_stored_rows_and_changes_nothing(
        self, device_client, device, portion
    ):
        bodies = [entry(portion), entry(portion, amount="80")]
        first = device_client.post(BATCH, {"entries": bodies}, format="json")
        version = FoodEntry.objects.get(pk=bodies[0]["id"]).version

        again = device_client.post(
            BATCH, {"entries": [*bodies, entry(portion, amount="10")]}, format="json"
        )

        assert again.status_code == 201
        assert again.json()[:2] == first.json()
        assert again.json()[2]["calories"] == "20.000"
        assert FoodEntry.objects.filter(device=device).count() == 3
        assert FoodEntry.objects.get(pk=bodies[0]["id"]).version == version

    def test_a_deleted_entrys_id_restores_it_with_the_posted_fields(
        self, device_client, device, portion
    ):
        deleted = FoodEntryFactory(portion=portion, amount=Decimal(10))
        deleted.delete()

        response = device_client.post(
            BATCH, {"entries": [entry(portion, id=str(deleted.id), amount="150")]}, format="json"
        )

        assert response.status_code == 201
        assert response.json()[0]["calories"] == "300.000"
        restored = FoodEntry.objects.get(pk=deleted.id)
        assert (restored.amount, restored.calories) == (Decimal(150), Decimal(300))

    def test_an_id_of_another_device_is_409_and_stores_nothing(
        self, device_client, portion, other_device
    ):
        theirs = FoodEntryFactory(
            portion=PortionFactory(product=ProductFactory(device=other_device))
        )

        response = device_client.post(
            BATCH, {"entries": [entry(portion), entry(portion, id=str(theirs.id))]}, format="json"
        )

        assert_error(response, 409, "id_conflict", "entries.1")
        assert FoodEntry.all_objects.count() == 1  # theirs only

    @pytest.mark.parametrize(
        ("payload", "attr", "code"),
        [
            ({}, "entries", "required"),
            ({"entries": []}, "entries", "min_length"),
            ({"entries": "x"}, "entries", "not_a_list"),
            ({"entries": ["x"]}, "entries.0", "not_a_dict"),
        ],
    )
    def test_malformed_batches_are_400(self, device_client, payload, attr, code):
        assert_error(device_client.post(BATCH, payload, format="json"), 400, code, attr)

    def test_at_most_fifty_entries(self, device_client, portion):
        too_many = {"entries": [entry(portion) for _ in range(51)]}

        assert_error(
            device_client.post(BATCH, too_many, format="json"), 400, "max_length", "entries"
        )
        assert not FoodEntry.all_objects.exists()

    def test_fifty_entries_in_a_bounded_number_of_queries(
        self, device_client, portion, django_assert_max_num_queries
    ):
        fifty = {"entries": [entry(portion) for _ in range(50)]}

        # Per entry: the id's owner, product, portion, version bump, insert and the two
        # savepoints (the insert's, so an id taken meanwhile is a 409; the service's).
        with django_assert_max_num_queries(50 * 9 + 10):
            response = device_client.post(BATCH, fifty, format="json")

        assert response.status_code == 201
        assert len(response.json()) == 50

    def test_needs_a_device(self, api_client, portion):
        response = api_client.post(BATCH, {"entries": [entry(portion)]}, format="json")

        assert_error(response, 401, "not_authenticated")


@pytest.mark.django_db
class TestFoodEntryCreateService:
    def test_stores_the_snapshot(self, device, egg):
        created = food_entry_create(
            device=device,
            product=egg.product,
            portion=egg,
            day=date(2026, 3, 14),
            meal_type="lunch",
            amount=Decimal(100),
            unit="g",
        )

        stored = FoodEntry.objects.get(pk=created.pk)
        assert (stored.calories, stored.protein, stored.version) == (
            Decimal(144),
            Decimal("12.6"),
            created.version,
        )

    def test_refuses_units_that_do_not_convert_and_oversized_amounts(self, device, egg):
        common = {
            "device": device,
            "product": egg.product,
            "portion": egg,
            "day": date(2026, 3, 14),
            "meal_type": "lunch",
        }
        with pytest.raises(units.UnitMismatch):
            food_entry_create(**common, amount=Decimal(1), unit="ml")
        with pytest.raises(SnapshotTooLarge):
            food_entry_create(**common, amount=Decimal(1_000_000_000), unit="pcs")
        assert not FoodEntry.all_objects.exists()


@pytest.mark.django_db
def test_an_id_given_twice_in_one_batch_is_400_and_stores_nothing(device_client, portion):
    """The second body would be answered as the first one's replay and silently dropped."""
    entry_id = str(uuid.uuid4())
    first = {**food_entry_body(portion), "id": entry_id, "amount": "50"}
    second = {**food_entry_body(portion), "id": entry_id.upper(), "amount": "80"}
    response = device_client.post(BATCH, {"entries": [first, second]}, format="json")
    body = assert_error(response, 400, "repeated", "entries.1.id")
    assert "entries.0" in body["errors"][0]["detail"]
    assert not FoodEntry.all_objects.exists()
