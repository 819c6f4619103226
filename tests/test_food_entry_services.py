"""entries.services: food entry writes called directly, their snapshot and their errors."""

from datetime import date
from decimal import Decimal

import pytest

from entries.models import FoodEntry
from entries.services import (
    EntryUnitMismatch,
    PortionNotOfProduct,
    SnapshotTooLarge,
    food_entry_create,
    food_entry_update,
)
from products import units
from tests.factories import FoodEntryFactory, PortionFactory, ProductFactory


def create(of, **changes) -> FoodEntry:
    fields = {
        "device": of.device,
        "product": of.product,
        "portion": of,
        "day": date(2026, 3, 14),
        "meal_type": "lunch",
        "amount": Decimal(150),
        "unit": "g",
        **changes,
    }
    return food_entry_create(**fields)


def snapshot(entry: FoodEntry) -> tuple[Decimal, ...]:
    stored = FoodEntry.all_objects.get(pk=entry.pk)
    return stored.calories, stored.protein, stored.carbs, stored.fat


@pytest.mark.django_db
class TestFoodEntryCreate:
    def test_stores_the_nutrition_of_the_amount(self, portion):
        entry = create(portion, amount=Decimal("0.2"), unit="kg", note="after a run")

        assert snapshot(entry) == (Decimal(400), Decimal(20), Decimal(40), Decimal(10))
        assert FoodEntry.objects.get(pk=entry.pk).note == "after a run"

    def test_a_unit_that_does_not_convert_is_the_apis_unit_mismatch(self, portion):
        with pytest.raises(EntryUnitMismatch) as raised:
            create(portion, unit="ml")

        error = raised.value
        assert isinstance(error, units.UnitMismatch)
        assert error.get_codes() == {"unit": ["unit_mismatch"]}
        assert str(error.detail["unit"][0]) == (
            "Cannot convert ml to g. The portion is measured in g."
        )
        assert not FoodEntry.all_objects.exists()

    def test_an_amount_too_large_for_the_snapshot_is_max_value(self, portion):
        with pytest.raises(SnapshotTooLarge) as raised:
            create(portion, amount=Decimal(10) ** 11)

        assert raised.value.get_codes() == {"amount": ["max_value"]}
        assert not FoodEntry.all_objects.exists()

    def test_a_portion_of_another_product_is_not_found(self, device, portion):
        elsewhere = PortionFactory(product=ProductFactory(device=device))

        with pytest.raises(PortionNotOfProduct) as raised:
            create(portion, portion=elsewhere)

        assert raised.value.status_code == 404
        assert raised.value.get_codes() == {"portion_id": ["not_found"]}


@pytest.mark.django_db
class TestFoodEntryUpdate:
    def test_a_new_amount_takes_a_new_snapshot(self, portion):
        entry = create(portion)

        food_entry_update(entry=entry, amount=Decimal(50))

        assert snapshot(entry) == (Decimal(100), Decimal(5), Decimal(10), Decimal("2.5"))

    def test_the_note_alone_keeps_the_snapshot_and_none_clears_it(self, portion):
        entry = create(portion, note="first")
        # A snapshot of the past: the portion's values changed since.
        portion.calories = Decimal(999)
        portion.save()

        food_entry_update(entry=FoodEntry.objects.get(pk=entry.pk), day=date(2026, 3, 15))
        assert snapshot(entry)[0] == Decimal(300)
        assert FoodEntry.objects.get(pk=entry.pk).note == "first"

        food_entry_update(entry=FoodEntry.objects.get(pk=entry.pk), note=None)
        stored = FoodEntry.objects.get(pk=entry.pk)
        assert (stored.note, stored.day, stored.calories) == (None, date(2026, 3, 15), 300)

    def test_another_portion_of_the_product_is_allowed_one_of_another_product_is_not(
        self, device, portion
    ):
        entry = create(portion)
        piece = PortionFactory(
            product=portion.product,
            label="1 piece",
            base_amount=1,
            base_unit="pcs",
            calories=Decimal(50),
            is_default=False,
        )
        food_entry_update(entry=entry, portion=piece, amount=Decimal(2), unit="pcs")
        assert snapshot(entry)[0] == Decimal(100)

        with pytest.raises(PortionNotOfProduct):
            food_entry_update(
                entry=entry, portion=PortionFactory(product=ProductFactory(device=device))
            )


@pytest.mark.django_db
def test_a_restore_takes_the_posted_fields_and_a_fresh_snapshot(portion):
    entry = FoodEntryFactory(portion=portion, note="old")
    entry.delete()
    version = FoodEntry.all_objects.get(pk=entry.pk).version

    food_entry_create(
        device=portion.device,
        entry=FoodEntry.all_objects.get(pk=entry.pk),
        product=portion.product,
        portion=portion,
        day=date(2026, 3, 16),
        meal_type="dinner",
        amount=Decimal(200),
        unit="g",
    )

    stored = FoodEntry.objects.get(pk=entry.pk)
    assert (stored.day, stored.meal_type, stored.note, stored.calories) == (
        date(2026, 3, 16),
        "dinner",
        None,
        Decimal(400),
    )
    assert stored.version > version
