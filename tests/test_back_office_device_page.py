"""The device page in Chromium (issue 24): its buttons, a day as the app shows it, notes.

As a support-group user, then as a view-only user who sees no button and
gets the 403 page for a button's URL. One browser for the module
(``tests.admin_browser``); screenshots in ``var/screenshots/``.
"""

import uuid
from datetime import timedelta

from django.contrib.admin.models import LogEntry
from django.utils import timezone
from playwright.sync_api import expect
from rest_framework.test import APIClient

from devices.models import Device, DeviceNote
from entries.management.commands.seed_demo import seed_device
from entries.models import FoodEntry
from tests import admin_browser
from tests.admin_browser import log_in, screenshot, staff_user

browser, page = admin_browser.browser, admin_browser.page
DEVICE_ID = uuid.UUID("7c1e5f2a-9c1d-4e7b-8a3f-2d4c6e8f0a1b")


def device_page(page) -> None:
    page.goto(f"/admin/devices/device/{DEVICE_ID}/change/")
    expect(page.locator("#device-data")).to_be_visible()


def press(page, button: str, confirm: str) -> None:
    """A button of the device page, then its confirmation page's button."""
    page.locator("#content .object-tools").get_by_role("link", name=button).click()
    expect(page.locator("#tool-question")).to_be_visible()
    page.get_by_role("button", name=confirm).click()


def test_support_uses_the_buttons_of_the_device_page(page):
    token = seed_device(DEVICE_ID, seed=3)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    staff_user("helper", group="support")
    log_in(page, "helper")
    device_page(page)
    tools = page.locator("#content .object-tools")
    expect(tools.get_by_role("link", name="Erase")).to_have_count(0)  # superusers only
    expect(tools.get_by_role("link", name="Revoke codes")).to_have_count(0)  # no code

    # Revoke asks first; "No" changes nothing.
    tools.get_by_role("link", name="Revoke", exact=True).click()
    expect(page.locator("#tool-question")).to_contain_text("Lock this device out?")
    screenshot(page, "device-page-revoke-confirmation")
    page.get_by_role("link", name="No, take me back").click()
    assert Device.objects.get(pk=DEVICE_ID).revoked_at is None

    press(page, "Revoke", "Yes, revoke")
    expect(page.locator(".messagelist")).to_contain_text("Revoked 1 device.")
    assert api.get("/v1/devices/me").status_code == 403
    press(page, "Un-revoke", "Yes, un-revoke")
    expect(page.locator(".messagelist")).to_contain_text("Un-revoked 1 device.")
    assert api.get("/v1/devices/me").status_code == 200

    press(page, "Allow re-pairing", "Yes, allow re-pairing")
    expect(page.locator(".messagelist")).to_contain_text(f"{DEVICE_ID} may register again")
    assert Device.objects.get(pk=DEVICE_ID).repairing_allowed_until is not None

    # Export: the file name is announced, carries the id, and a message confirms.
    page.locator("#content .object-tools").get_by_role("link", name="Export data").click()
    expect(page.locator("#export-name")).to_contain_text(f"countonme-export-{DEVICE_ID}-")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename.startswith(f"countonme-export-{DEVICE_ID}-")
    device_page(page)
    expect(page.locator(".messagelist")).to_contain_text(f"Exported the data of {DEVICE_ID}")
    logged = LogEntry.objects.filter(object_id=str(DEVICE_ID)).values_list(
        "change_message", flat=True
    )
    assert len(logged) == 4
    screenshot(page, "device-page-buttons")


def test_support_reads_a_day_and_follows_the_chart_and_the_rows(page):
    seed_device(DEVICE_ID, seed=3)
    staff_user("helper", group="support")
    log_in(page, "helper")
    device_page(page)

    # Every bar with calories shows its value as text, no hover needed.
    logged_days = FoodEntry.objects.filter(device_id=DEVICE_ID).values("day").distinct().count()
    values = page.locator("svg.calorie-chart text.bar-value")
    expect(values).to_have_count(logged_days)
    expect(values.first).to_be_visible()

    # A bar opens its day: entries by meal, totals against the goal.
    day = timezone.localdate() - timedelta(days=2)
    entries = FoodEntry.objects.filter(device_id=DEVICE_ID, day=day)
    page.locator(f'svg.calorie-chart a[href*="day={day:%Y-%m-%d}"]').click()
    expect(page.locator("#device-day h2")).to_contain_text(f"{day:%B %Y}")
    expect(page.locator("#device-day tr.entry")).to_have_count(entries.count())
    expect(page.locator("#device-day tbody.meal th").first).to_have_text("Breakfast")
    expect(page.locator("#day-goal tbody tr")).to_have_count(4)
    expect(page.locator("#day-goal")).to_contain_text("Energy")
    total = round(sum(entry.calories for entry in entries))
    expect(page.locator("#day-total")).to_contain_text(f"{total:,} kcal")
    screenshot(page, "device-page-day")

    # The picker shows another day; an entry's link opens its row.
    other = timezone.localdate() - timedelta(days=5)
    page.fill("#day-picker", f"{other:%Y-%m-%d}")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#device-day h2")).to_contain_text(f"{other.day} {other:%B %Y}")
    first = page.locator("#device-day tr.entry a").first
    name = first.inner_text()
    first.click()
    expect(page.locator("#content h1")).to_contain_text("View food entry")
    expect(page.locator("#content")).to_contain_text(name)


def test_support_writes_a_note_seen_on_the_page_and_in_the_history(page):
    seed_device(DEVICE_ID, seed=3)
    staff_user("helper", group="support")
    log_in(page, "helper")
    device_page(page)
    page.fill("#note-text", "User called, re-pair granted, ticket #123")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".messagelist")).to_contain_text("Note added.")
    note = page.locator("#device-notes .device-note").first
    expect(note).to_contain_text("User called, re-pair granted, ticket #123")
    expect(note).to_contain_text("helper")
    assert DeviceNote.objects.get().author.username == "helper"
    page.locator("#content .object-tools").get_by_role("link", name="History").click()
    expect(page.locator("#change-history")).to_contain_text(
        "Note: User called, re-pair granted, ticket #123"
    )


def test_a_view_only_user_sees_no_button_and_gets_the_403_page(page):
    seed_device(DEVICE_ID, seed=3)
    staff_user("viewer", view_only=True)
    log_in(page, "viewer")
    device_page(page)
    expect(page.locator("a.device-tool")).to_have_count(0)
    expect(page.locator("#note-form")).to_have_count(0)
    expect(page.locator("#device-day")).to_be_visible()  # reading is allowed
    screenshot(page, "device-page-view-only")
    for name in ["revoke", "export", "allow_repairing"]:
        response = page.goto(f"/admin/devices/device/{DEVICE_ID}/tool/{name}/")
        assert response.status == 403
        expect(page.locator("#content h1")).to_have_text("Permission denied")
    screenshot(page, "device-page-403")
    assert Device.objects.get(pk=DEVICE_ID).revoked_at is None
