"""GET /v1/sync/since (docs/api.md §9): full and incremental sync, paging."""

from datetime import date, timedelta

import pytest

from entries.models import FoodEntry
from products.models import Product
from tests.factories import (
    BodyWeightFactory,
    DeviceFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
    ProductFactory,
)
from tests.sync.calls import (
    KINDS,
    ids,
    sync,
    sync_all,
)


@pytest.mark.django_db
class TestFullSync:
    def test_an_empty_device(self, device_client):
        page = sync(device_client)
        assert page == {
            "cursor": page["cursor"],
            "has_more": False,
            "reset": False,
            **{kind: [] for kind in KINDS},
        }
        again = sync(device_client, page["cursor"])
        assert again["cursor"] == page["cursor"]

    def test_everything_with_full_response_fields_and_tombstones(self, device_client, everything):
        page = sync(device_client)
        assert page["has_more"] is False
        entry_id = everything["entry"].id
        assert page["food_entries"] == [
            {**device_client.get(f"/v1/food-entries/{entry_id}").json(), "deleted_at": None}
        ]
        goal_id = everything["goal"].id
        assert page["goals"] == [
            {**device_client.get(f"/v1/goals/{goal_id}").json(), "deleted_at": None}
        ]
        weight_id = everything["weight"].id
        assert page["body_weights"] == [
            {**device_client.get(f"/v1/body-weights/{weight_id}").json(), "deleted_at": None}
        ]
        portion_id = everything["portion"].id
        assert page["portions"] == [
            {**device_client.get(f"/v1/portions/{portion_id}").json(), "deleted_at": None}
        ]
        products = {p["name"]: p for p in page["products"]}
        assert products["Oats"]["kcal_100g"] == "200.000"
        assert products["Oats"]["deleted_at"] is None
        tombstone = products["Gone"]
        assert tombstone["deleted_at"] is not None
        assert set(tombstone) == {
            "id",
            "name",
            "barcode",
            "kcal_100g",
            "created_at",
            "updated_at",
            "deleted_at",
        }

    def test_rows_of_other_devices_never_appear(self, device_client, everything):
        other = DeviceFactory()
        PortionFactory(product=ProductFactory(device=other))
        BodyWeightFactory(device=other)
        GoalFactory(device=other)
        seen, _ = sync_all(device_client)
        mine = {str(everything[k].id) for k in ("portion", "entry", "weight", "goal", "gone")}
        mine.add(str(everything["portion"].product_id))
        assert {row_id for _, row_id in seen} == mine


@pytest.mark.django_db
class TestIncrementalSync:
    def test_create_update_delete_restore_each_show_up_once(self, device_client, device):
        _, cursor = sync_all(device_client)

        product = ProductFactory(device=device, name="New")
        page = sync(device_client, cursor)
        assert [p["name"] for p in page["products"]] == ["New"]
        cursor = page["cursor"]
        assert ids(sync(device_client, cursor)) == set()

        device_client.patch(f"/v1/products/{product.id}", {"name": "Renamed"}, format="json")
        page = sync(device_client, cursor)
        assert [(p["name"], p["deleted_at"]) for p in page["products"]] == [("Renamed", None)]
        cursor = page["cursor"]

        device_client.delete(f"/v1/products/{product.id}")
        page = sync(device_client, cursor)
        assert [p["id"] for p in page["products"]] == [str(product.id)]
        assert page["products"][0]["deleted_at"] is not None
        cursor = page["cursor"]

        response = device_client.post(
            "/v1/products", {"id": str(product.id), "name": "Back"}, format="json"
        )
        assert response.status_code == 201
        page = sync(device_client, cursor)
        assert [(p["name"], p["deleted_at"]) for p in page["products"]] == [("Back", None)]

    def test_an_unchanged_device_gets_an_empty_page_with_the_same_cursor(
        self, device_client, everything
    ):
        _, cursor = sync_all(device_client)
        page = sync(device_client, cursor)
        assert ids(page) == set()
        assert page["cursor"] == cursor
        assert page["has_more"] is False


@pytest.mark.django_db
class TestPaging:
    def test_a_small_limit_returns_every_row_of_mixed_kinds_exactly_once(
        self, device_client, device
    ):
        expected = set()
        for index in range(7):
            portion = PortionFactory(product=ProductFactory(device=device))
            entry = FoodEntryFactory(portion=portion)
            weight = BodyWeightFactory(device=device, day=date(2026, 1, 1) + timedelta(days=index))
            expected |= {
                ("products", str(portion.product_id)),
                ("portions", str(portion.id)),
                ("food_entries", str(entry.id)),
                ("body_weights", str(weight.id)),
            }
        goal = GoalFactory(device=device)
        expected.add(("goals", str(goal.id)))

        seen, _ = sync_all(device_client, limit=3)

        assert len(seen) == len(expected) == 29
        assert set(seen) == expected

    def test_rows_stamped_with_one_version_by_a_bulk_write_page_without_loss(
        self, device_client, device
    ):
        portion = PortionFactory(product=ProductFactory(device=device))
        FoodEntry.objects.bulk_create(FoodEntryFactory.build_batch(50, portion=portion))
        _, cursor = sync_all(device_client)

        assert device_client.delete("/v1/data/reset").status_code == 204
        versions = {
            *FoodEntry.all_objects.filter(device=device).values_list("version", flat=True),
            *Product.all_objects.filter(device=device).values_list("version", flat=True),
        }
        assert len(versions) == 1  # one version for the 52 tombstones of three kinds

        seen, _ = sync_all(device_client, cursor, limit=7)
        assert len(seen) == 52
        assert [kind for kind, _ in seen].count("food_entries") == 50
        assert {kind for kind, _ in seen} == {"food_entries", "portions", "products"}
        assert len(set(seen)) == 52

    def test_has_more_and_the_limit_of_all_kinds_together(self, device_client, device):
        for _ in range(3):
            PortionFactory(product=ProductFactory(device=device))
        first = sync(device_client, limit=4)
        assert sum(len(first[kind]) for kind in KINDS) == 4
        assert first["has_more"] is True
        second = sync(device_client, first["cursor"], limit=4)
        assert sum(len(second[kind]) for kind in KINDS) == 2
        assert second["has_more"] is False

    @pytest.mark.parametrize("limit", [5, 1000])
    def test_a_page_costs_a_constant_number_of_queries(
        self, device_client, device, limit, django_assert_max_num_queries
    ):
        for index in range(40):
            portion = PortionFactory(product=ProductFactory(device=device))
            FoodEntryFactory.create_batch(3, portion=portion)
            BodyWeightFactory(device=device, day=date(2025, 1, 1) + timedelta(days=index))
        GoalFactory(device=device)
        device_client.get("/v1/devices/me")
        with django_assert_max_num_queries(7):
            page = sync(device_client, limit=limit)
        # 40 products, 40 portions, 120 entries, 40 weights and a goal.
        assert sum(len(page[kind]) for kind in KINDS) == min(limit, 241)
