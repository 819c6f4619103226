"""Food entries (docs/api.md §5): the day list and its filters; read, edit, delete by id."""

from datetime import date
from decimal import Decimal

import pytest

from entries.models import FoodEntry
from products.models import Portion
from tests.assertions import assert_error, assert_not_found
from tests.entry_bodies import ENTRIES
from tests.entry_bodies import food_entry_body as body
from tests.factories import FoodEntryFactory, PortionFactory, ProductFactory, entry_factory


@pytest.mark.django_db
class TestList:
    def test_newest_day_first_then_newest_first(self, device_client, device, portion):
        older = FoodEntryFactory(portion=portion, day=date(2026, 3, 13))
        first = FoodEntryFactory(portion=portion, day=date(2026, 3, 14))
        second = FoodEntryFactory(portion=portion, day=date(2026, 3, 14))
        FoodEntryFactory(portion=portion).delete()
        entry_factory()  # another device's
        ids = [e["id"] for e in device_client.get(ENTRIES).json()]
        assert ids == [str(second.id), str(first.id), str(older.id)]

    def test_filters(self, device_client, device, portion):
        other_product = PortionFactory(product=ProductFactory(device=device))
        FoodEntryFactory(portion=portion, day=date(2026, 3, 1), meal_type="breakfast")
        FoodEntryFactory(portion=portion, day=date(2026, 3, 2), meal_type="dinner")
        FoodEntryFactory(portion=other_product, day=date(2026, 3, 3), meal_type="dinner")

        def days(**params) -> list[str]:
            response = device_client.get(ENTRIES, params)
            assert response.status_code == 200
            return [e["day"] for e in response.json()]

        assert days(day="2026-03-02") == ["2026-03-02"]
        assert days(date="2026-03-02") == ["2026-03-02"]
        assert days(**{"from": "2026-03-02"}) == ["2026-03-03", "2026-03-02"]
        assert days(to="2026-03-02") == ["2026-03-02", "2026-03-01"]
        assert days(**{"from": "2026-03-01", "to": "2026-03-01"}) == ["2026-03-01"]
        assert days(meal_type="dinner") == ["2026-03-03", "2026-03-02"]
        assert days(product_id=str(other_product.product_id)) == ["2026-03-03"]

    @pytest.mark.parametrize(
        ("param", "value"),
        [
            ("day", "2026-13-01"),
            ("date", "yesterday"),
            ("from", "2026-02-30"),
            ("to", "x"),
            ("meal_type", "brunch"),
            ("product_id", "nope"),
        ],
    )
    def test_bad_filters_are_400(self, device_client, param, value):
        response = device_client.get(ENTRIES, {param: value})
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"] == param

    @pytest.mark.parametrize("count", [1, 500])
    def test_query_budget(
        self, device_client, device, portion, count, django_assert_max_num_queries
    ):
        FoodEntry.objects.bulk_create(FoodEntryFactory.build_batch(count, portion=portion))
        device_client.get("/v1/devices/me")
        with django_assert_max_num_queries(3):
            assert len(device_client.get(ENTRIES).json()) == count


@pytest.mark.django_db
class TestDetail:
    @pytest.mark.parametrize("method", ["get", "patch", "delete"])
    def test_another_devices_entry_is_404(self, device_client, method):
        foreign = entry_factory()
        response = getattr(device_client, method)(
            f"{ENTRIES}/{foreign.id}", {"amount": 1}, format="json"
        )
        assert_not_found(response)
        foreign.refresh_from_db()
        assert (foreign.amount, foreign.deleted_at) == (Decimal(50), None)

    def test_put_is_not_offered(self, device_client, device):
        entry = entry_factory(device)
        assert_error(
            device_client.put(f"{ENTRIES}/{entry.id}", {}, format="json"), 405, "method_not_allowed"
        )

    def test_patch_amount_recomputes_the_snapshot(self, device_client, device, portion):
        entry = FoodEntryFactory(portion=portion)
        response = device_client.patch(f"{ENTRIES}/{entry.id}", {"amount": "150"}, format="json")
        assert response.status_code == 200
        assert (response.json()["amount"], response.json()["calories"]) == ("150.000", "300.000")
        entry.refresh_from_db()
        assert entry.calories == Decimal(300)

    def test_patch_portion_recomputes_from_the_new_portion(self, device_client, device, portion):
        slice_ = PortionFactory(
            product=portion.product,
            is_default=False,
            label="slice",
            base_amount=Decimal(1),
            base_unit="pcs",
            gram_weight=Decimal(25),
            calories=Decimal(60),
            protein=Decimal(2),
            carbs=Decimal(11),
            fat=Decimal(1),
        )
        entry = FoodEntryFactory(portion=portion)
        response = device_client.patch(
            f"{ENTRIES}/{entry.id}",
            {"portion_id": str(slice_.id), "unit": "pcs", "amount": 2},
            format="json",
        )
        assert response.status_code == 200
        assert (response.json()["portion_id"], response.json()["calories"]) == (
            str(slice_.id),
            "120.000",
        )

    def test_patch_unit_mismatch_is_400_and_changes_nothing(self, device_client, device, portion):
        entry = FoodEntryFactory(portion=portion)
        assert_error(
            device_client.patch(f"{ENTRIES}/{entry.id}", {"unit": "ml"}, format="json"),
            400,
            "unit_mismatch",
            "unit",
        )
        entry.refresh_from_db()
        assert entry.unit == "g"

    def test_patch_meal_day_and_note_keep_the_snapshot(self, device_client, device, portion):
        entry = FoodEntryFactory(portion=portion)
        Portion.objects.filter(pk=portion.pk).update(calories=Decimal(999))
        response = device_client.patch(
            f"{ENTRIES}/{entry.id}",
            {"meal_type": "dinner", "day": "2026-03-15", "note": "moved"},
            format="json",
        )
        assert response.status_code == 200
        assert (response.json()["meal_type"], response.json()["day"], response.json()["note"]) == (
            "dinner",
            "2026-03-15",
            "moved",
        )
        assert response.json()["calories"] == "100.000"

    def test_patch_to_a_portion_of_another_product_or_device_is_404(
        self, device_client, device, portion
    ):
        entry = FoodEntryFactory(portion=portion)
        mine_elsewhere = PortionFactory(product=ProductFactory(device=device))
        for other in (mine_elsewhere, PortionFactory()):
            assert_not_found(
                device_client.patch(
                    f"{ENTRIES}/{entry.id}", {"portion_id": str(other.id)}, format="json"
                ),
                "portion_id",
            )
        entry.refresh_from_db()
        assert entry.portion_id == portion.id

    def test_patch_cannot_move_an_entry_to_another_product(self, device_client, device, portion):
        entry = FoodEntryFactory(portion=portion)
        other = ProductFactory(device=device)
        response = device_client.patch(
            f"{ENTRIES}/{entry.id}", {"product_id": str(other.id)}, format="json"
        )
        assert response.status_code == 200
        entry.refresh_from_db()
        assert entry.product_id == portion.product_id

    def test_delete_is_soft(self, device_client, device, portion):
        entry = FoodEntryFactory(portion=portion)
        assert device_client.delete(f"{ENTRIES}/{entry.id}").status_code == 204
        assert FoodEntry.all_objects.get(pk=entry.pk).deleted_at is not None
        assert_not_found(device_client.get(f"{ENTRIES}/{entry.id}"))


@pytest.mark.django_db
class TestHugeValues:
    def test_a_snapshot_too_large_to_store_is_400_not_500(self, device_client, device):
        # Pure fat (9 kcal/g, the most a portion may hold): a million kg is 9e9 kcal.
        portion = PortionFactory(
            product=ProductFactory(device=device),
            base_amount=Decimal(1),
            base_unit="g",
            calories=Decimal(9),
            protein=None,
            carbs=None,
            fat=Decimal(1),
        )
        response = device_client.post(
            ENTRIES, body(portion, amount=1_000_000, unit="kg"), format="json"
        )
        assert_error(response, 400, "max_value", "amount")
        assert not FoodEntry.all_objects.exists()

    def test_a_portion_beyond_the_physical_limits_is_never_logged(self, device_client, device):
        # Stored before the limits held: 1,000,000 kcal in 1 mg. Logging it is a 400
        # naming the portion, not an entry of billions of kcal.
        portion = PortionFactory(
            product=ProductFactory(device=device),
            base_amount=Decimal(1),
            base_unit="mg",
            calories=Decimal(1_000_000),
            protein=None,
            carbs=None,
            fat=None,
        )
        response = device_client.post(ENTRIES, body(portion, amount=1, unit="mg"), format="json")
        body_ = assert_error(response, 400, "energy_above_limit", "portion_id")
        assert "physical limit" in body_["errors"][0]["detail"]
        assert not FoodEntry.all_objects.exists()

    def test_an_amount_above_the_limit_is_400(self, device_client, portion):
        response = device_client.post(ENTRIES, body(portion, amount=1_000_001), format="json")
        assert_error(response, 400, "max_value", "amount")

    def test_day_totals_wider_than_one_entry_still_render(self, device_client, device, portion):
        for _ in range(20):
            FoodEntryFactory(portion=portion, calories=Decimal("99999999.999"))
        for url in ("/v1/stats/day/2026-03-14", "/v1/stats/daily?from=2026-03-14&to=2026-03-14"):
            response = device_client.get(url)
            assert response.status_code == 200
        assert response.json()["points"][0]["totals"]["calories"] == "1999999999.980"
