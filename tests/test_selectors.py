"""Selectors called directly: the weight points, the export and its products."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from entries.selectors import export_document, weight_points
from products.selectors import product_list_with_portions
from products.services import product_delete
from tests.factories import (
    BodyWeightFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


class TestWeightPoints:
    def test_live_weights_of_the_device_within_the_days_by_day(self, device, other_device):
        BodyWeightFactory(device=device, day=date(2026, 3, 3), weight_kg=Decimal("79.4"))
        BodyWeightFactory(device=device, day=date(2026, 3, 1), weight_kg=Decimal("80.2"))
        BodyWeightFactory(device=device, day=date(2026, 3, 2)).delete()
        BodyWeightFactory(device=device, day=date(2026, 2, 28))
        BodyWeightFactory(device=device, day=date(2026, 3, 4))
        BodyWeightFactory(device=other_device, day=date(2026, 3, 2))

        points = weight_points(device=device, first=date(2026, 3, 1), last=date(2026, 3, 3))

        assert points == [
            {"day": date(2026, 3, 1), "weight_kg": Decimal("80.200")},
            {"day": date(2026, 3, 3), "weight_kg": Decimal("79.400")},
        ]

    def test_no_weights_is_no_points_in_one_query(self, device, django_assert_num_queries):
        with django_assert_num_queries(1):
            assert (
                weight_points(device=device, first=date(2026, 1, 1), last=date(2026, 12, 31)) == []
            )


class TestProductListWithPortions:
    def test_live_products_by_name_with_live_portions_default_first(self, device, other_device):
        banana = ProductFactory(device=device, name="banana")
        PortionFactory(
            product=banana, label="1 pcs", base_unit="pcs", base_amount=1, is_default=False
        )
        PortionFactory(product=banana, label="100 g", calories=Decimal("89"))
        PortionFactory(product=banana, label="gone", is_default=False).delete()
        ProductFactory(device=device, name="Apple")
        ProductFactory(device=device, name="deleted").delete()
        ProductFactory(device=other_device, name="Another's")

        products = product_list_with_portions(device=device)

        assert [p.name for p in products] == ["Apple", "banana"]
        assert [p.label for p in products[1].portions.all()] == ["100 g", "1 pcs"]

    def test_kcal_per_100g_reads_the_loaded_default_without_a_query(
        self, device, django_assert_num_queries
    ):
        banana = ProductFactory(device=device, name="banana")
        PortionFactory(product=banana, label="100 g", calories=Decimal("89"))
        ProductFactory(device=device, name="no portions")

        with django_assert_num_queries(2):
            products = product_list_with_portions(device=device)
            kcal = [p.default_per_100g("calories") for p in products]

        assert kcal == [Decimal("89"), None]


class TestExportDocument:
    def test_every_live_row_of_the_device_in_five_queries(
        self, device, other_device, django_assert_num_queries
    ):
        portion = PortionFactory(product=ProductFactory(device=device))
        FoodEntryFactory(device=device, product=portion.product, portion=portion)
        weight = BodyWeightFactory(device=device)
        BodyWeightFactory(device=device, day=date(2020, 1, 1)).delete()
        BodyWeightFactory(device=other_device)
        goal = GoalFactory(device=device)
        now = datetime(2026, 3, 1, 12, tzinfo=UTC)

        with django_assert_num_queries(5):
            document = export_document(device=device, now=now)

        assert document["exported_at"] == "2026-03-01T12:00:00Z"
        assert document["device"]["device_id"] == str(device.pk)
        assert [p["id"] for p in document["products"]] == [str(portion.product_id)]
        assert [p["id"] for p in document["products"][0]["portions"]] == [str(portion.pk)]
        assert len(document["food_entries"]) == 1
        assert [w["id"] for w in document["body_weights"]] == [str(weight.pk)]
        assert document["goal"]["id"] == str(goal.pk)

    def test_deleted_products_and_portions_the_entries_name_come_in_the_same_five_queries(
        self, device, django_assert_num_queries
    ):
        kept = PortionFactory(product=ProductFactory(device=device, name="Oats"))
        gone = PortionFactory(product=kept.product, label="1 bowl", is_default=False)
        lasagne = PortionFactory(product=ProductFactory(device=device, name="Lasagne"))
        PortionFactory(product=lasagne.product, label="unused", is_default=False)
        FoodEntryFactory(portion=gone)
        FoodEntryFactory(portion=lasagne)
        gone.delete()
        product_delete(product=lasagne.product)
        ProductFactory(device=device, name="Deleted, never eaten").delete()

        with django_assert_num_queries(5):
            document = export_document(device=device)

        names = [(p["name"], p["deleted_at"] is not None) for p in document["products"]]
        assert names == [("Lasagne", True), ("Oats", False)]
        lasagne_portions, oats_portions = (p["portions"] for p in document["products"])
        assert [(p["label"], p["deleted_at"] is not None) for p in lasagne_portions] == [
            ("100 g", True)
        ]
        assert [(p["label"], p["deleted_at"] is not None) for p in oats_portions] == [
            ("100 g", False),
            ("1 bowl", True),
        ]
        # The kcal_100g of the deleted product reads the default deleted with it.
        assert document["products"][0]["kcal_100g"] == "200.000"
