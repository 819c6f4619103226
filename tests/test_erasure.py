"""DELETE /v1/devices/me: erasure of the device and all its rows, in bounded queries."""

import threading
import uuid
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from countonme.base.models import device_owned_models
from devices.models import Device, Goal
from entries.models import BodyWeight, FoodEntry
from products.models import Portion, Product
from tests.conftest import client_for
from tests.factories import (
    BodyWeightFactory,
    DeviceFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
    ProductFactory,
)


def rows_of(device_id) -> dict[str, int]:
    return {
        m._meta.label: m.all_objects.filter(device_id=device_id).count()
        for m in device_owned_models()
    }


def populate(device, products: int) -> None:
    """``products`` products with two portions each, four entries per product, weights, goals."""
    product_rows = Product.objects.bulk_create(ProductFactory.build_batch(products, device=device))
    portions = Portion.objects.bulk_create(
        [
            PortionFactory.build(product=p, device=device, id=uuid.uuid4(), is_default=index == 0)
            for p in product_rows
            for index in range(2)
        ]
    )
    FoodEntry.objects.bulk_create(
        [
            FoodEntryFactory.build(portion=portion, device=device)
            for portion in portions
            for _ in range(2)
        ]
    )
    BodyWeight.objects.bulk_create(
        [
            BodyWeightFactory.build(device=device, day=date(2020, 1, 1) + timedelta(days=i))
            for i in range(300)
        ]
    )
    GoalFactory(device=device).delete()
    GoalFactory(device=device)
    Product.objects.filter(device=device)[:1].get().delete()  # a tombstone too


@pytest.mark.django_db
def test_erases_thousands_of_rows_in_bounded_queries_and_leaves_nothing(
    device_client, device, other_device, django_assert_max_num_queries
):
    populate(device, products=500)
    PortionFactory(product=ProductFactory(device=other_device))
    BodyWeightFactory(device=other_device)
    before = rows_of(device.id)
    assert sum(before.values()) > 3500
    device_client.get("/v1/devices/me")

    with django_assert_max_num_queries(15):
        response = device_client.delete("/v1/devices/me")

    assert response.status_code == 204
    assert not Device.objects.filter(pk=device.id).exists()
    assert rows_of(device.id) == dict.fromkeys(before, 0)
    assert rows_of(other_device.id)["products.Product"] == 1
    assert rows_of(other_device.id)["entries.BodyWeight"] == 1


@pytest.mark.django_db
def test_the_token_stops_working_and_the_id_can_register_again(device_client, device):
    GoalFactory(device=device)
    assert device_client.delete("/v1/devices/me").status_code == 204

    assert device_client.get("/v1/devices/me").status_code == 401
    again = APIClient().post("/v1/devices/register", {"device_id": str(device.id)}, format="json")
    assert again.status_code == 201
    assert not Goal.all_objects.filter(device_id=device.id).exists()
    token = again.json()["device_token"]
    assert APIClient().get("/v1/goals/current", HTTP_AUTHORIZATION=f"Bearer {token}").json() is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_erasure_waits_for_a_write_in_flight_and_then_removes_it_too():
    device = DeviceFactory()
    client = client_for(device)
    client.get("/v1/devices/me")  # last_seen_at recorded: the DELETE below writes only under lock
    written, release = threading.Event(), threading.Event()
    statuses: list[int] = []

    def write() -> None:
        try:
            with transaction.atomic():
                Product(device=device, name="In flight").save()
                written.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def erase() -> None:
        try:
            statuses.append(client.delete("/v1/devices/me").status_code)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    assert written.wait(timeout=30)
    eraser = threading.Thread(target=erase)
    eraser.start()
    eraser.join(timeout=0.5)  # it waits for the writer's lock
    release.set()
    writer.join()
    eraser.join()

    assert statuses == [204]
    assert not Device.objects.filter(pk=device.pk).exists()
    assert not Product.all_objects.filter(device_id=device.pk).exists()
    assert client.post("/v1/products", {"name": "after"}, format="json").status_code == 401
