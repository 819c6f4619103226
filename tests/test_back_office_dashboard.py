"""The back office's index, activity page and frame in Chromium (issue 24).

A support lead: the dashboard's figures, the device search by id prefix,
the activity page and its filters. Support: no activity page (the 403
page), changelists that fit 1280 px, a read-only catalog, the zone named.
A view-only user: the same pages, nothing to press. Screenshots in
``var/screenshots/``.
"""

import uuid

from django.utils import timezone
from playwright.sync_api import expect

from entries.management.commands.seed_demo import seed_device
from tests import admin_browser
from tests.admin_browser import fits_width, log_in, screenshot, staff_user
from tests.factories import CatalogPortionFactory, CatalogProductFactory

browser, page = admin_browser.browser, admin_browser.page
DEVICE_ID = uuid.UUID("8d2e5f2a-9c1d-4e7b-8a3f-2d4c6e8f0a1b")
CHANGELISTS = [
    "devices/device",
    "devices/goal",
    "products/product",
    "products/portion",
    "products/catalogproduct",
    "entries/foodentry",
    "entries/bodyweight",
]


def test_a_support_lead_reads_the_dashboard_finds_a_device_and_the_activity(page):
    seed_device(DEVICE_ID, seed=4)
    seed_device(uuid.UUID("8d2f0000-0000-4e7b-8a3f-2d4c6e8f0a1b"), seed=5)
    staff_user("lead", group="support lead")
    staff_user("helper", group="support")
    log_in(page, "helper")
    page.goto(f"/admin/devices/device/{DEVICE_ID}/tool/revoke/")
    page.get_by_role("button", name="Yes, revoke").click()
    expect(page.locator(".messagelist")).to_contain_text("Revoked 1 device.")
    page.get_by_role("button", name="Log out").click()

    log_in(page, "lead")
    page.goto("/admin/")
    active = page.locator("#dashboard-active .figure")
    expect(active).to_have_count(3)
    expect(active.nth(0)).to_contain_text("2devices active in the last day")
    today = page.locator("#dashboard-today")
    expect(today).to_contain_text("2registrations")
    expect(today).to_contain_text("1revocation")
    expect(today).to_contain_text("0erasures")
    expect(page.get_by_role("link", name="View site")).to_have_count(0)
    expect(page.locator("#time-zone")).to_have_text("Times in UTC")
    screenshot(page, "dashboard")

    # The seeded devices are "used": the activity filter finds them.
    active.nth(1).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    expect(page.locator("#result_list")).to_contain_text("revoked")
    expect(page.locator("#result_list")).to_contain_text("active")

    # Search by the id's first characters, from the dashboard.
    page.goto("/admin/")
    page.fill("#dashboard-q", str(DEVICE_ID)[:6])
    page.get_by_role("button", name="Search devices").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)

    # The activity page: every staff member's actions, filtered by user.
    page.goto(f"/admin/devices/device/{DEVICE_ID}/change/")
    page.fill("#note-text", "Checked the revocation")
    page.get_by_role("button", name="Add note").click()
    page.goto("/admin/")
    page.locator("#dashboard-activity").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Note: Checked the revocation")
    expect(rows.nth(1)).to_contain_text("Revoked: its token now gets 403 device_revoked")
    expect(rows.nth(1)).to_contain_text("helper")
    filters = page.locator("#changelist-filter")
    filters.get_by_role("link", name="helper").click()
    filters.get_by_role("link", name="Change", exact=True).click()
    filters.get_by_role("link", name=f"{timezone.localdate():%a %d %b}").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    assert "user__id__exact=" in page.url
    assert "action_time__date=" in page.url
    filters.get_by_role("link", name="Deletion").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(0)
    screenshot(page, "activity")


def test_support_pages_fit_1280_px_and_the_catalog_and_activity_are_closed(page):
    seed_device(DEVICE_ID, seed=4)
    food = CatalogProductFactory(name="Bananas, raw")
    CatalogPortionFactory(product=food)
    staff_user("helper", group="support")
    log_in(page, "helper")
    expect(page.locator("#dashboard-activity")).to_have_count(0)
    for changelist in CHANGELISTS:
        page.goto(f"/admin/{changelist}/")
        expect(page.locator("#changelist")).to_be_visible()
        assert fits_width(page), changelist
    screenshot(page, "food-entries-1280")

    page.goto(f"/admin/products/catalogproduct/{food.pk}/change/")
    expect(page.locator("#content")).to_contain_text("Bananas, raw")
    expect(page.locator("input[name=name]")).to_have_count(0)
    expect(page.locator("input[type=submit]")).to_have_count(0)

    response = page.goto("/admin/admin/logentry/")
    assert response.status == 403
    expect(page.locator("#content h1")).to_have_text("Permission denied")
    response = page.goto("/admin/no-such-page/")
    assert response.status == 404
    expect(page.locator("#content h1")).to_have_text("Page not found")
    screenshot(page, "admin-404")


def test_a_view_only_user_reads_the_dashboard_but_may_change_nothing(page):
    seed_device(DEVICE_ID, seed=4)
    staff_user("viewer", view_only=True)
    log_in(page, "viewer")
    expect(page.locator("#dashboard-active .figure")).to_have_count(3)
    expect(page.locator("#dashboard-activity")).to_have_count(0)
    page.goto("/admin/products/product/")
    expect(page.locator("select[name=action]")).to_have_count(0)  # no action to run
    page.goto("/admin/devices/device/")
    expect(page.locator("select[name=action]")).to_have_count(0)
    assert page.goto("/admin/admin/logentry/").status == 403
    screenshot(page, "dashboard-view-only")
