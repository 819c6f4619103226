"""DELETE /v1/data/reset and GET /v1/data/export (API.md §11)."""

import pytest

from entries.models import FoodEntry
from tests.factories import (
    BodyWeightFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
    ProductFactory,
)


@pytest.mark.django_db
class TestReset:
    def test_soft_deletes_every_entry_of_the_device_only(
        self, device_client, device, django_assert_max_num_queries
    ):
        portion = PortionFactory(product=ProductFactory(device=device))
        FoodEntry.objects.bulk_create(FoodEntryFactory.build_batch(200, portion=portion))
        theirs = FoodEntryFactory()
        device_client.get("/v1/devices/me")

        # auth; savepoint + release (the test runs in a transaction); lock; then the
        # stamped bulk soft delete: find devices, bump counter, one UPDATE of the rows.
        with django_assert_max_num_queries(7):
            response = device_client.delete("/v1/data/reset")

        assert response.status_code == 204
        assert not FoodEntry.objects.filter(device=device).exists()
        assert FoodEntry.all_objects.filter(device=device, deleted_at__isnull=False).count() == 200
        assert FoodEntry.objects.filter(pk=theirs.pk).exists()
        assert device_client.get("/v1/food-entries").json() == []
        # Products and portions are not part of the diary: they stay.
        assert len(device_client.get("/v1/products").json()) == 1


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
            "portions": device_client.get(f"/v1/products/{product.id}/portions").json(),
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
