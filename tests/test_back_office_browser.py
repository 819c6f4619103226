"""The support back office in a real browser: Playwright driving Debian's Chromium.

The app is served by pytest-django's ``live_server`` (a thread of this test
process, on a free port), so the test needs nothing but the ``chromium``
package. Never a downloaded browser: Chromium is launched by its path.

Skipped only when Chromium is missing and ``CI`` is unset (``tests.browser``);
in CI a missing browser is a failure. Every page is served with a
Content-Security-Policy stricter than the app's own (no inline style either),
and any violation fails the test.
"""

import uuid

from django.contrib.auth.models import User
from playwright.sync_api import expect
from rest_framework.test import APIClient

from entries.management.commands.seed_demo import seed_device
from products.models import Product
from tests import admin_browser
from tests.admin_browser import PASSWORD, SCREENSHOTS, staff_user

# One Chromium for the module, a strict-CSP tab per test (tests.admin_browser).
browser, page = admin_browser.browser, admin_browser.page
SCREENSHOT = SCREENSHOTS / "back-office-device-page.png"


def support_user() -> User:
    return staff_user("helper", group="support")


def run_action(page, action: str) -> None:
    """Tick the only row of the list and run ``action`` with the "Go" button."""
    page.locator("input[name=_selected_action]").check()
    page.select_option("select[name=action]", action)
    page.get_by_role("button", name="Go").click()


def test_support_finds_a_device_restores_a_product_and_revokes_the_device(page, live_server):
    device_id = uuid.UUID("6b0e5f2a-9c1d-4e7b-8a3f-2d4c6e8f0a1b")
    token = seed_device(device_id, seed=1)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    seed_device(uuid.UUID("6b0e5f2b-0000-4e7b-8a3f-2d4c6e8f0a1b"), seed=2)  # a neighbour
    lost = Product.all_objects.get(device_id=device_id, deleted_at__isnull=False)
    assert lost.name not in [p["name"] for p in api.get("/v1/products").json()]
    first_sync = api.get("/v1/sync/since", {"limit": 1000}).json()
    assert not first_sync["has_more"]
    support_user()

    # Log in.
    page.goto("/admin/")
    page.fill("#id_username", "helper")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()
    expect(page.locator("#user-tools")).to_contain_text("helper")

    # Find the device by the first 8 characters of its id.
    page.goto("/admin/devices/device/")
    page.fill("#searchbar", str(device_id)[:8])
    page.press("#searchbar", "Enter")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    rows.first.locator("th a").click()

    # The device page: goal, weights, the chart of the last 30 days.
    chart = page.locator("svg.calorie-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("rect")).to_have_count(30)
    expect(chart.locator("text", has_text="goal")).to_have_count(1)
    expect(page.locator("#device-weights tbody tr")).to_have_count(10)
    box = chart.bounding_box()
    assert box["width"] > 600
    assert box["height"] > 200
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 20_000

    # Restore the product deleted by mistake, from the device's deleted products.
    page.locator("#device-data").get_by_role("link", name="1 deleted").first.click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text(lost.name)
    run_action(page, "restore")
    expect(page.locator(".messagelist")).to_contain_text("Restored 1 row.")

    assert lost.name in [p["name"] for p in api.get("/v1/products").json()]
    synced = api.get("/v1/sync/since", {"cursor": first_sync["cursor"]}).json()
    assert [(p["name"], p["deleted_at"]) for p in synced["products"]] == [(lost.name, None)]

    # Revoke the device: its next API call is refused.
    page.goto("/admin/devices/device/")
    page.fill("#searchbar", str(device_id)[:8])
    page.press("#searchbar", "Enter")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    run_action(page, "revoke")
    expect(page.locator(".messagelist")).to_contain_text("Revoked 1 device.")
    refused = api.get("/v1/devices/me")
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "device_revoked"
