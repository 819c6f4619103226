"""The support back office: devices can be found, revoked and erased by staff."""

import pytest
from django.contrib.auth.models import User

from devices.models import Device
from entries.models import FoodEntry
from products.models import Product
from tests.factories import FoodEntryFactory, PortionFactory, ProductFactory


@pytest.fixture
def staff_client(client, db):
    User.objects.create_superuser("support", "support@example.org", "a-long-password-1")
    client.login(username="support", password="a-long-password-1")
    return client


def test_the_login_page_renders_with_its_stylesheet(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b'href="/static/admin/css/base.css"' in response.content


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get("/admin/devices/device/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_finds_a_device_by_id(staff_client, device, other_device):
    response = staff_client.get("/admin/devices/device/", {"q": str(device.id)})
    assert response.status_code == 200
    assert str(device.id).encode() in response.content
    assert str(other_device.id).encode() not in response.content
    assert (
        b"token_hash" not in staff_client.get(f"/admin/devices/device/{device.id}/change/").content
    )


def test_staff_revokes_and_the_device_gets_403(staff_client, device, device_client):
    response = staff_client.post(
        "/admin/devices/device/",
        {"action": "revoke", "_selected_action": [str(device.id)]},
    )
    assert response.status_code == 302
    assert Device.objects.get(pk=device.pk).revoked_at is not None
    assert device_client.get("/v1/devices/me").json()["errors"][0]["code"] == "device_revoked"


def test_deleting_a_device_in_the_admin_erases_its_rows(staff_client, device):
    FoodEntryFactory(portion=PortionFactory(product=ProductFactory(device=device)))
    confirmation = staff_client.get(f"/admin/devices/device/{device.id}/delete/")
    assert confirmation.status_code == 200
    assert b"1 food entry" in confirmation.content
    assert b"Cannot delete" not in confirmation.content
    response = staff_client.post(f"/admin/devices/device/{device.id}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Device.objects.filter(pk=device.pk).exists()
    assert not Product.all_objects.filter(device_id=device.pk).exists()
    assert not FoodEntry.all_objects.filter(device_id=device.pk).exists()


def test_bulk_delete_in_the_admin_erases_devices_with_entries(staff_client, device, other_device):
    for owner in (device, other_device):
        FoodEntryFactory(portion=PortionFactory(product=ProductFactory(device=owner)))
    response = staff_client.post(
        "/admin/devices/device/",
        {"action": "erase", "_selected_action": [str(device.id)], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Device.objects.filter(pk=device.pk).exists()
    assert Device.objects.filter(pk=other_device.pk).exists()
    assert FoodEntry.objects.filter(device=other_device).count() == 1
