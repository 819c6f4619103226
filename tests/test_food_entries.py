"""Food entries (docs/api.md §5): list and filters, create with its snapshot, edit, delete,
scoping.
"""

import uuid
from datetime import date
from decimal import Decimal

import pytest

from entries.models import FoodEntry
from products.models import Portion
from tests.assertions import assert_error, assert_not_found
from tests.entry_bodies import ENTRIES
from tests.entry_bodies import food_entry_body as body
from tests.factories import FoodEntryFactory, PortionFactory, ProductFactory


@pytest.fixture
def portion(device):
    """200 kcal, 10 g protein, 20 g carbs, 5 g fat per 100 g."""
    return PortionFactory(product=ProductFactory(device=device))


def entry_factory(device=None, **kwargs):
    """An entry of ``device`` (a new device when None) with its own product."""
    product = ProductFactory(device=device) if device is not None else ProductFactory()
    return FoodEntryFactory(portion=PortionFactory(product=product), **kwargs)


@pytest.mark.django_db
class TestCreate:
    def test_creates_with_the_nutrition_snapshot(self, device_client, device, portion):
        response = device_client.post(ENTRIES, body(portion, note="after run"), format="json")

        assert response.status_code == 201
        created = response.json()
        assert {
            k: v for k, v in created.items() if k not in ("id", "created_at", "updated_at")
        } == {
            "product_id": str(portion.product_id),
            "portion_id": str(portion.id),
            "day": "2026-03-14",
            "meal_type": "lunch",
            "amount": "50.000",
            "unit": "g",
            "note": "after run",
            "calories": "100.000",
            "protein": "5.000",
            "carbs": "10.000",
            "fat": "2.500",
        }
        stored = FoodEntry.objects.get(pk=created["id"])
        assert (stored.device_id, stored.calories, stored.fat) == (
            device.id,
            Decimal(100),
            Decimal("2.5"),
        )

    @pytest.mark.parametrize(
        ("portion_values", "amount", "unit", "calories"),
        [
            # mass ↔ mass
            ({"base_amount": Decimal(100), "base_unit": "g"}, "0.25", "kg", "500.000"),
            ({"base_amount": Decimal(1), "base_unit": "kg"}, "250", "g", "50.000"),
            ({"base_amount": Decimal(100), "base_unit": "g"}, "500", "mg", "1.000"),
            # volume ↔ volume
            ({"base_amount": Decimal(1), "base_unit": "cup"}, "120", "ml", "100.000"),
            ({"base_amount": Decimal(15), "base_unit": "ml"}, "2", "tbsp", "400.000"),
            ({"base_amount": Decimal(1), "base_unit": "l"}, "3", "tsp", "3.000"),
            # pieces and servings only to themselves
            ({"base_amount": Decimal(1), "base_unit": "pcs"}, "3", "pcs", "600.000"),
            ({"base_amount": Decimal(2), "base_unit": "serving"}, "1", "serving", "100.000"),
            # any mass through the portion's gram weight
            (
                {"base_amount": Decimal(1), "base_unit": "pcs", "gram_weight": Decimal(120)},
                "60",
                "g",
                "100.000",
            ),
            (
                {"base_amount": Decimal(1), "base_unit": "cup", "gram_weight": Decimal(240)},
                "0.024",
                "kg",
                "20.000",
            ),
        ],
    )
    def test_every_conversion_path(
        self, device_client, device, portion_values, amount, unit, calories
    ):
        portion = PortionFactory(
            product=ProductFactory(device=device),
            protein=None,
            carbs=None,
            fat=None,
            **portion_values,
        )
        response = device_client.post(
            ENTRIES, body(portion, amount=amount, unit=unit), format="json"
        )
        assert response.status_code == 201, response.json()
        assert response.json()["calories"] == calories
        # Missing macros count as 0.
        assert (response.json()["protein"], response.json()["fat"]) == ("0.000", "0.000")

    @pytest.mark.parametrize(
        ("portion_values", "unit"),
        [
            ({"base_amount": Decimal(100), "base_unit": "g"}, "ml"),
            ({"base_amount": Decimal(1), "base_unit": "cup"}, "g"),  # no gram weight
            ({"base_amount": Decimal(1), "base_unit": "pcs"}, "serving"),
            ({"base_amount": Decimal(100), "base_unit": "g"}, "pcs"),
            ({"base_amount": Decimal(1), "base_unit": "pcs", "gram_weight": Decimal(50)}, "ml"),
        ],
    )
    def test_an_impossible_conversion_is_400_unit_mismatch(
        self, device_client, device, portion_values, unit
    ):
        portion = PortionFactory(product=ProductFactory(device=device), **portion_values)
        response = device_client.post(ENTRIES, body(portion, unit=unit), format="json")
        assert_error(response, 400, "unit_mismatch", "unit")
        assert not FoodEntry.all_objects.exists()

    @pytest.mark.parametrize(
        ("change", "code", "attr"),
        [
            ({"amount": 0}, "min_value", "amount"),
            ({"amount": -5}, "min_value", "amount"),
            ({"amount": "a lot"}, "invalid", "amount"),
            ({"unit": "oz"}, "invalid_choice", "unit"),
            ({"meal_type": "brunch"}, "invalid_choice", "meal_type"),
            ({"day": "2026-02-30"}, "invalid", "day"),
            ({"day": None}, "null", "day"),
            ({"note": "x" * 501}, "max_length", "note"),
            ({"product_id": "nope"}, "invalid", "product_id"),
        ],
    )
    def test_invalid_input_is_400(self, device_client, portion, change, code, attr):
        assert_error(
            device_client.post(ENTRIES, body(portion, **change), format="json"), 400, code, attr
        )

    def test_missing_fields_are_400(self, device_client):
        response = device_client.post(ENTRIES, {}, format="json")
        assert response.status_code == 400
        assert {e["attr"] for e in response.json()["errors"]} == {
            "product_id",
            "portion_id",
            "day",
            "meal_type",
            "amount",
            "unit",
        }

    def test_another_devices_product_or_portion_is_404(self, device_client, portion):
        foreign = PortionFactory()
        for overrides, attr in (
            ({"product_id": str(foreign.product_id), "portion_id": str(foreign.id)}, "product_id"),
            ({"portion_id": str(foreign.id)}, "portion_id"),
            ({"product_id": str(foreign.product_id)}, "product_id"),
            ({"product_id": str(uuid.uuid4())}, "product_id"),
        ):
            response = device_client.post(ENTRIES, body(portion, **overrides), format="json")
            assert_not_found(response, attr)
        assert not FoodEntry.all_objects.exists()

    def test_deleted_product_or_portion_is_404(self, device_client, device, portion):
        other = PortionFactory(product=ProductFactory(device=device))
        other.delete()
        assert_not_found(device_client.post(ENTRIES, body(other), format="json"), "portion_id")
        portion.product.delete()
        assert_not_found(device_client.post(ENTRIES, body(portion), format="json"), "product_id")

    def test_a_portion_of_another_product_is_404(self, device_client, device, portion):
        elsewhere = PortionFactory(product=ProductFactory(device=device))
        response = device_client.post(
            ENTRIES, body(portion, portion_id=str(elsewhere.id)), format="json"
        )
        assert_not_found(response, "portion_id")

    def test_idempotent_client_ids(self, device_client, device, portion):
        entry_id = str(uuid.uuid4())
        first = device_client.post(ENTRIES, body(portion, id=entry_id), format="json")
        replay = device_client.post(ENTRIES, body(portion, id=entry_id, amount=999), format="json")
        assert (first.status_code, replay.status_code) == (201, 200)
        assert replay.json() == first.json()
        assert FoodEntry.objects.get(pk=entry_id).amount == Decimal(50)

        FoodEntry.objects.get(pk=entry_id).delete()
        restored = device_client.post(
            ENTRIES, body(portion, id=entry_id, amount=100), format="json"
        )
        assert restored.status_code == 201
        assert (restored.json()["amount"], restored.json()["calories"]) == ("100.000", "200.000")
        assert FoodEntry.objects.filter(pk=entry_id).exists()

        assert_error(
            device_client.post(ENTRIES, body(portion, id=str(portion.id)), format="json"),
            409,
            "id_conflict",
        )
        foreign = entry_factory()
        assert_error(
            device_client.post(ENTRIES, body(portion, id=str(foreign.id)), format="json"),
            409,
            "id_conflict",
        )


@pytest.mark.django_db
class TestSnapshot:
    def test_editing_the_portion_never_rewrites_past_days(self, device_client, device):
        portion = PortionFactory(
            product=ProductFactory(device=device), base_amount=Decimal(100), calories=Decimal(200)
        )
        device_client.post(ENTRIES, body(portion, amount=50), format="json")
        assert (
            device_client.get("/v1/stats/day/2026-03-14").json()["totals"]["calories"] == "100.000"
        )

        response = device_client.patch(
            f"/v1/portions/{portion.id}", {"calories": 450}, format="json"
        )
        assert response.status_code == 200
        assert (
            device_client.get("/v1/stats/day/2026-03-14").json()["totals"]["calories"] == "100.000"
        )

        device_client.delete(f"/v1/products/{portion.product_id}")
        assert (
            device_client.get("/v1/stats/day/2026-03-14").json()["totals"]["calories"] == "100.000"
        )
        assert len(device_client.get(ENTRIES).json()) == 1  # the entry stays: it is history


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
