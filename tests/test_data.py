"""DELETE /v1/data/reset and GET /v1/data/export (docs/api.md §11)."""

from datetime import date

import pytest

from countonme.base.models import device_owned_models
from devices.models import Goal
from devices.services import device_reset_data
from entries.models import BodyWeight, FoodEntry
from products.models import CatalogPortion, CatalogProduct, Portion, Product
from tests.factories import (
    BodyWeightFactory,
    CatalogPortionFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
    ProductFactory,
)

SYNC_KINDS = ("body_weights", "food_entries", "goals", "portions", "products")


def sync_everything(client, cursor: str | None = None) -> tuple[dict[str, list], str]:
    """Every row of every kind a sync from ``cursor`` returns (paged to the end), and the cursor."""
    rows: dict[str, list] = {kind: [] for kind in SYNC_KINDS}
    for _ in range(100):
        page = client.get("/v1/sync/since", {"cursor": cursor or "", "limit": 3}).json()
        for kind in SYNC_KINDS:
            rows[kind] += page[kind]
        cursor = page["cursor"]
        if not page["has_more"]:
            return rows, cursor
    raise AssertionError("sync never finished")


@pytest.mark.django_db
class TestReset:
    @pytest.fixture
    def owned(self, device):
        """Live rows of every kind the device owns, and one old tombstone."""
        product = ProductFactory(device=device)
        portion = PortionFactory(product=product)
        second = PortionFactory(product=product, label="cup", is_default=False)
        entries = [FoodEntryFactory(portion=portion, day=date(2026, 3, 1)) for _ in range(3)]
        FoodEntryFactory(portion=second).delete()
        weight = BodyWeightFactory(device=device, day=date(2026, 3, 1))
        goal = GoalFactory(device=device)
        return {
            "products": {str(product.pk)},
            "portions": {str(portion.pk), str(second.pk)},
            "food_entries": {str(entry.pk) for entry in entries},
            "body_weights": {str(weight.pk)},
            "goals": {str(goal.pk)},
        }

    def test_soft_deletes_every_live_row_of_every_kind_as_tombstones(
        self, device_client, device, owned
    ):
        _, cursor = sync_everything(device_client)
        theirs = FoodEntryFactory()
        catalog = CatalogPortionFactory()

        response = device_client.delete("/v1/data/reset")

        assert response.status_code == 204
        assert response.content == b""
        for model in (Product, Portion, FoodEntry, BodyWeight, Goal):
            assert not model.objects.filter(device=device).exists(), model
        assert FoodEntry.all_objects.filter(device=device).count() == 4  # 3 + the old tombstone
        # The device and its token stay; other devices and the catalog are untouched.
        assert device_client.get("/v1/devices/me").status_code == 200
        assert FoodEntry.objects.filter(pk=theirs.pk).exists()
        assert Product.objects.filter(pk=theirs.product_id).exists()
        assert CatalogPortion.objects.filter(pk=catalog.pk).exists()
        assert CatalogProduct.objects.filter(pk=catalog.product_id).exists()

        # A sync from the last cursor returns exactly those rows, as tombstones.
        rows, _ = sync_everything(device_client, cursor)
        assert {kind: {row["id"] for row in rows[kind]} for kind in SYNC_KINDS} == owned
        assert all(row["deleted_at"] for kind in SYNC_KINDS for row in rows[kind])

    def test_every_list_stats_and_export_is_empty_afterwards(self, device_client, owned):
        assert device_client.delete("/v1/data/reset").status_code == 204

        for path in ("/v1/products", "/v1/food-entries", "/v1/body-weights"):
            response = device_client.get(path)
            assert response.status_code == 200
            assert response.json() == [], path
        assert device_client.get("/v1/goals/current").json() is None
        daily = device_client.get("/v1/stats/daily", {"from": "2026-03-01", "to": "2026-03-01"})
        assert daily.json()["points"] == [
            {"day": "2026-03-01", "totals": daily.json()["points"][0]["totals"]}
        ]
        assert set(daily.json()["points"][0]["totals"].values()) == {"0.000"}
        weight = device_client.get("/v1/stats/weight", {"from": "2026-03-01", "to": "2026-03-31"})
        assert weight.json()["points"] == []
        export = device_client.get("/v1/data/export").json()
        assert export["products"] == []
        assert export["food_entries"] == []
        assert export["body_weights"] == []
        assert export["goal"] is None

    def test_other_devices_keep_everything(self, device_client, other_client, other_device):
        product = ProductFactory(device=other_device)
        portion = PortionFactory(product=product)
        entry = FoodEntryFactory(portion=portion)
        weight = BodyWeightFactory(device=other_device)
        goal = GoalFactory(device=other_device)

        assert device_client.delete("/v1/data/reset").status_code == 204

        for model, row in ((Product, product), (Portion, portion), (FoodEntry, entry)):
            assert model.objects.filter(pk=row.pk).exists()
        assert BodyWeight.objects.filter(pk=weight.pk).exists()
        assert Goal.objects.filter(pk=goal.pk).exists()
        assert len(other_client.get("/v1/food-entries").json()) == 1

    def test_the_service_reports_what_it_deleted(self, device, owned):
        FoodEntryFactory()  # another device's

        counts = device_reset_data(device=device)

        expected = {
            "devices.Goal": 1,
            "entries.BodyWeight": 1,
            "entries.FoodEntry": 3,
            "products.Portion": 2,
            "products.Product": 1,
        }
        assert {label: counts[label] for label in expected} == expected
        # Every device-owned model is covered; the others have no rows here.
        assert set(counts) == {model._meta.label for model in device_owned_models()}
        assert sum(counts.values()) == sum(expected.values())

    def test_a_bounded_number_of_queries_whatever_the_row_count(
        self, device_client, device, django_assert_max_num_queries
    ):
        portion = PortionFactory(product=ProductFactory(device=device))
        FoodEntry.objects.bulk_create(FoodEntryFactory.build_batch(200, portion=portion))
        device_client.get("/v1/devices/me")

        # auth; savepoint + release; lock; one counter bump; one UPDATE per kind (5).
        with django_assert_max_num_queries(10):
            response = device_client.delete("/v1/data/reset")

        assert response.status_code == 204
        assert FoodEntry.all_objects.filter(device=device, deleted_at__isnull=False).count() == 200

    def test_the_app_can_start_again_after_a_reset(self, device_client, device, owned):
        assert device_client.delete("/v1/data/reset").status_code == 204
        # One live goal and one weight per day: the tombstones do not block new rows.
        weight = device_client.post(
            "/v1/body-weights", {"day": "2026-03-01", "weight_kg": "70"}, format="json"
        )
        assert weight.status_code == 201
        goal = device_client.post(
            "/v1/goals/manual",
            {
                "daily_calories_kcal": 2000,
                "protein_percent": 30,
                "carbs_percent": 40,
                "fat_percent": 30,
                "water_ml": 2000,
            },
            format="json",
        )
        assert goal.status_code == 201, goal.content


@pytest.mark.django_db
class TestExport:
    def test_every_live_row_in_its_usual_shape_as_an_attachment(self, device_client, device):
        product = ProductFactory(device=device, name="Oats")
        portion = PortionFactory(product=product)
        PortionFactory(product=product, label="gone", is_default=False).delete()
        ProductFactory(device=device, name="Deleted").delete()
        entry = FoodEntryFactory(portion=portion)
        FoodEntryFactory(portion=portion).delete()
        weight = BodyWeightFactory(device=device)
        goal = GoalFactory(device=device)
        FoodEntryFactory()  # another device's

        response = device_client.get("/v1/data/export")

        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="countonme-export-')
        document = response.json()
        assert set(document) == {
            "exported_at",
            "device",
            "products",
            "food_entries",
            "body_weights",
            "goal",
        }
        assert document["device"]["device_id"] == str(device.id)
        assert [p["name"] for p in document["products"]] == ["Oats"]
        exported_product = document["products"][0]
        assert exported_product == {
            **device_client.get(f"/v1/products/{product.id}").json(),
            "deleted_at": None,
            "portions": [
                {**row, "deleted_at": None}
                for row in device_client.get(f"/v1/products/{product.id}/portions").json()
            ],
        }
        assert document["food_entries"] == [
            device_client.get(f"/v1/food-entries/{entry.id}").json()
        ]
        assert document["body_weights"] == [
            device_client.get(f"/v1/body-weights/{weight.id}").json()
        ]
        assert document["goal"] == device_client.get(f"/v1/goals/{goal.id}").json()

    def test_an_empty_device(self, device_client, device):
        document = device_client.get("/v1/data/export").json()
        assert (document["products"], document["food_entries"], document["body_weights"]) == (
            [],
            [],
            [],
        )
        assert document["goal"] is None

    @pytest.mark.parametrize("scale", [1, 40])
    def test_constant_number_of_queries(
        self, device_client, device, scale, django_assert_max_num_queries
    ):
        for _ in range(scale):
            portion = PortionFactory(product=ProductFactory(device=device))
            PortionFactory(product=portion.product, is_default=False, label="slice")
            FoodEntryFactory.create_batch(3, portion=portion)
            BodyWeightFactory(device=device)
        GoalFactory(device=device)
        device_client.get("/v1/devices/me")
        with django_assert_max_num_queries(8):
            document = device_client.get("/v1/data/export").json()
        assert len(document["products"]) == scale
        assert len(document["food_entries"]) == 3 * scale
