"""The back office around the pages (issue 24): dashboard, activity, errors, zone, wording.

Django's test client; the browser modules click the same as support staff.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from countonme.base.errors import server_error
from devices.models import Device
from entries.management.commands.seed_demo import DEMO_NAMESPACE
from products.services import product_delete
from tests.back_office import staff_client
from tests.factories import DeviceFactory, FoodEntryFactory, ProductFactory

ACTIVITY = "/admin/admin/logentry/"


@pytest.fixture
def lead_client(db):
    # Its own client: the other staff fixtures share pytest-django's ``client``.
    return staff_client(Client(), "lead", group="support lead")


def test_the_dashboard_counts_activity_and_today(support_client):
    now = timezone.now()
    DeviceFactory(last_seen_at=now - timedelta(hours=2))
    DeviceFactory(last_seen_at=now - timedelta(days=3), revoked_at=now)
    DeviceFactory(last_seen_at=now - timedelta(days=20), created_at=now - timedelta(days=40))
    FoodEntryFactory()  # its device is registered today too
    page = support_client.get("/admin/")
    assert page.status_code == 200
    dashboard = page.context["dashboard"]
    assert [count for _, count, _ in dashboard["active"]] == [1, 2, 3]
    assert dashboard["active"][0][0] == "device active in the last day"
    today = {label: count for label, count, _ in dashboard["today"]}
    assert today == {
        "registrations": 3,
        "revocation": 1,
        "erasures": 0,
        "food entry logged": 1,
    }
    assert dashboard["activity_url"] is None  # support is not a lead
    links = {label: url for label, _, url in dashboard["today"]}
    assert links["erasures"] is None
    html = page.content.decode()
    assert 'href="None"' not in html
    assert '<span class="figure"><strong>0</strong>erasures</span>' in html
    revoked_today = support_client.get(links["revocation"])
    assert len(revoked_today.context["cl"].result_list) == 1  # the figure's device
    assert 'id="dashboard-q"' in html
    assert "View site" not in html
    listed = support_client.get("/admin/devices/device/?active=1")
    assert len(listed.context["cl"].result_list) == 1


def test_only_a_support_lead_sees_the_activity_page(support_client, lead_client):
    viewer_client = staff_client(Client(), "viewer")
    viewer_client.user.user_permissions.add(
        *Permission.objects.filter(codename__startswith="view_")
    )
    device = DeviceFactory()
    support_client.post(f"/admin/devices/device/{device.pk}/tool/revoke/")
    for refused_client in (support_client, viewer_client):
        refused = refused_client.get(ACTIVITY)
        assert refused.status_code == 403
        assert refused["Content-Type"].startswith("text/html")
    assert lead_client.get("/admin/").context["dashboard"]["activity_url"] == ACTIVITY
    listed = lead_client.get(ACTIVITY)
    assert listed.status_code == 200
    assert [entry.change_message for entry in listed.context["cl"].result_list] == [
        "Revoked: its token now gets 403 device_revoked"
    ]


def test_the_activity_page_filters_by_user_action_and_day(lead_client, support_client):
    device = DeviceFactory()
    support_client.post(f"/admin/devices/device/{device.pk}/tool/revoke/")
    lead_client.post(f"/admin/devices/device/{device.pk}/notes/add/", {"text": "called"})
    old = LogEntry.objects.get(change_message="Note: called")
    LogEntry.objects.filter(pk=old.pk).update(action_time=timezone.now() - timedelta(days=3))
    helper = support_client.user

    def messages(query: str) -> list[str]:
        listed = lead_client.get(f"{ACTIVITY}?{query}")
        assert listed.status_code == 200, listed.content[:500]
        return [entry.change_message for entry in listed.context["cl"].result_list]

    assert messages(f"user__id__exact={helper.pk}") == [
        "Revoked: its token now gets 403 device_revoked"
    ]
    assert messages(f"action_flag__exact={DELETION}") == []
    assert len(messages(f"action_flag__exact={CHANGE}")) == 2
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert messages(f"action_time__date={today}") == [
        "Revoked: its token now gets 403 device_revoked"
    ]
    assert messages("action_time__date=not-a-day") == []


def test_admin_errors_are_html_pages_and_the_api_keeps_json(support_client, device):
    missing = support_client.get("/admin/no/such/page/")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("text/html")
    assert "Page not found" in missing.content.decode()
    api = support_client.get("/v1/no-such-thing")
    assert api.status_code == 404
    assert api.json()["errors"][0]["code"] == "not_found"


def test_times_are_shown_in_the_configured_zone_and_the_zone_is_named(
    support_client, device, settings
):
    settings.ADMIN_TIME_ZONE = "Europe/Paris"
    Device.objects.filter(pk=device.pk).update(created_at=datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    html = support_client.get(f"/admin/devices/device/{device.pk}/change/").content.decode()
    assert "Times in Europe/Paris" in html
    assert "July 1, 2026, 2 p.m." in html  # 12:00 UTC is 14:00 in Paris in summer


def test_statuses_are_words_and_deleted_counts_cover_every_kind(support_client, device):
    product = ProductFactory(device=device, name="Gone")
    product_delete(product=product)
    listed = support_client.get("/admin/products/product/").content.decode()
    assert '<span class="badge badge-off">deleted</span>' in listed
    assert 'alt="True"' not in listed
    devices = support_client.get("/admin/devices/device/").content.decode()
    assert '<span class="badge badge-ok">active</span>' in devices
    counts = support_client.get(f"/admin/devices/device/{device.pk}/change/").context["row_counts"]
    assert {kind["label"]: (kind["live"], kind["deleted"]) for kind in counts} == {
        "Products": (0, 1),
        "Portions": (0, 0),
        "Food entries": (0, 0),
        "Body weights": (0, 0),
        "Goals": (0, 0),
    }
    product_page = support_client.get(f"/admin/products/product/{product.pk}/change/")
    assert f'href="/admin/devices/device/{device.pk}/change/"' in product_page.content.decode()


def test_delete_says_soft_delete(admin_client, device):
    product = ProductFactory(device=device)
    page = admin_client.get(f"/admin/products/product/{product.pk}/delete/").content.decode()
    assert "Soft delete:" in page
    listed = admin_client.get("/admin/products/product/").content.decode()
    assert "Soft-delete the selected products (restorable, synced)" in listed


def test_seed_demo_devices_are_used_and_active_and_their_tokens_work(support_client, client):
    call_command("seed_demo", devices=1, stdout=open("/dev/null", "w"))  # noqa: SIM115
    device = Device.objects.get()
    assert device.last_seen_at is not None
    assert device.pk.version == 5
    assert DEMO_NAMESPACE
    listed = support_client.get("/admin/devices/device/?active=7")
    assert list(listed.context["cl"].result_list) == [device]


def test_support_lead_group_exists_beside_support(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {"support", "support lead"}


def test_every_dashboard_link_opens_its_rows(lead_client):
    DeviceFactory(last_seen_at=timezone.now())
    dashboard = lead_client.get("/admin/").context["dashboard"]
    urls = [url for _, _, url in dashboard["active"] + dashboard["today"]]
    for url in urls:
        response = lead_client.get(url)
        assert response.status_code == 200, url
        assert "cl" in response.context, url  # a changelist, not Django's "?e=1" redirect


def test_an_admin_server_error_is_an_html_page(rf):
    page = server_error(rf.get("/admin/devices/device/"))
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")
    assert b"Server error" in page.content
    api = server_error(rf.get("/v1/products"))
    assert api.status_code == 500
    assert api["Content-Type"] == "application/json"
