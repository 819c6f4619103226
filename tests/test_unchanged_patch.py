"""A PATCH (or PUT) that changes nothing writes nothing: no ``updated_at``, no sync version.

A field a PATCH ignores (a body weight's ``day``, docs/api.md §8), an empty
body, or the values the row already holds: 200 with the row as stored, and
the row, its version and the device's change counter untouched, so a sync
does not hand the row out again as changed.
"""

from decimal import Decimal

import pytest

from devices.models import Device
from tests.factories import (
    BodyWeightFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
    ProductFactory,
)


def _product(device):
    row = ProductFactory(device=device, name="Oats", barcode="5000168001142")
    return row, f"/v1/products/{row.id}", {"name": "Oats", "barcode": "5000168001142"}


def _portion(device):
    row = PortionFactory(product=ProductFactory(device=device))
    same = {"label": row.label, "calories": str(row.calories), "is_default": row.is_default}
    return row, f"/v1/portions/{row.id}", same


def _entry(device):
    row = FoodEntryFactory(portion=PortionFactory(product=ProductFactory(device=device)))
    same = {"meal_type": row.meal_type, "amount": str(row.amount), "day": str(row.day)}
    return row, f"/v1/food-entries/{row.id}", same


def _goal(device):
    row = GoalFactory(device=device)
    return row, f"/v1/goals/{row.id}", {"water_ml": row.water_ml, "fat_percent": row.fat_percent}


def _weight(device):
    row = BodyWeightFactory(device=device, weight_kg=Decimal("80.5"))
    return row, f"/v1/body-weights/{row.id}", {"weight_kg": "80.500"}


ROWS = [_product, _portion, _entry, _goal, _weight]


def _state(row) -> tuple:
    stored = type(row).all_objects.get(pk=row.pk)
    return stored.updated_at, stored.version, Device.objects.get(pk=row.device_id).last_version


@pytest.mark.django_db
@pytest.mark.parametrize("make", ROWS, ids=lambda make: make.__name__.strip("_"))
@pytest.mark.parametrize("body", ["empty", "ignored", "same"])
def test_a_patch_that_changes_nothing_writes_nothing(device_client, device, make, body):
    row, url, same = make(device)
    before = _state(row)
    shown = device_client.get(url).json()
    ignored = {"version": 99, "created_at": "2020-01-01T00:00:00Z"}
    sent = {"empty": {}, "ignored": ignored, "same": same}[body]

    response = device_client.patch(url, sent, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == shown
    assert _state(row) == before


@pytest.mark.django_db
def test_a_body_weight_patch_of_only_day_keeps_the_day_and_the_row(device_client, device):
    weight = BodyWeightFactory(device=device, weight_kg=Decimal("80.5"))
    before = _state(weight)
    response = device_client.patch(
        f"/v1/body-weights/{weight.id}", {"day": "2020-01-01"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["day"] == str(weight.day)
    assert response.json()["updated_at"] == weight.updated_at.isoformat().replace("+00:00", "Z")
    assert _state(weight) == before


@pytest.mark.django_db
@pytest.mark.parametrize("make", ROWS, ids=lambda make: make.__name__.strip("_"))
def test_a_patch_that_changes_a_value_still_writes_it(device_client, device, make):
    row, url, _same = make(device)
    updated_at, version, counter = _state(row)
    change = {
        _product: {"name": "Porridge oats"},
        _portion: {"label": "A bowl"},
        _entry: {"note": "with milk"},
        _goal: {"water_ml": 1500},
        _weight: {"weight_kg": "79.000"},
    }[make]

    response = device_client.patch(url, change, format="json")

    assert response.status_code == 200, response.content
    for name, value in change.items():
        assert response.json()[name] == value
    now_updated_at, now_version, now_counter = _state(row)
    assert now_updated_at > updated_at
    assert now_version > version
    # A portion's write may stamp its product too (its kcal_100g): the counter is at least it.
    assert now_counter >= now_version > counter


@pytest.mark.django_db
def test_another_devices_row_is_still_404(device_client, other_device):
    weight = BodyWeightFactory(device=other_device)
    response = device_client.patch(f"/v1/body-weights/{weight.id}", {}, format="json")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
