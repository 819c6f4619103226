"""The admin and the API docs in Chromium, under their Content-Security-Policy.

Served by gunicorn as in production; a page "breaks" when the browser logs an
error (a CSP refusal is one), a script throws, a request fails, or anything is
requested from outside the server. Needs Debian's ``chromium`` (``.ci/run``
installs it); Playwright drives it, no browser download.
"""

import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser import CHROMIUM_ARGS, chromium_path
from tests.serving import Instance, gunicorn_instance

STAFF_PASSWORD = "a-long-browser-test-password-1"


@pytest.fixture(scope="module")
def instance(tmp_path_factory) -> Instance:
    """An instance with a staff user and a device holding a product, a portion and an entry."""
    with gunicorn_instance(tmp_path_factory.mktemp("var")) as served:
        served.env["DJANGO_SUPERUSER_PASSWORD"] = STAFF_PASSWORD
        served.manage("createsuperuser", "--noinput", "--username", "support", "--email", "s@x.org")
        served.manage("shell", "-c", _SEED)
        yield served


# Rows for the admin's change pages, made through the services the API uses.
_SEED = """
from tests.factories import DeviceFactory, FoodEntryFactory
FoodEntryFactory(device=DeviceFactory())
"""


@pytest.fixture(scope="module")
def browser() -> Browser:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class PageWatch:
    """What went wrong while a page loaded: console errors, script errors, outside requests."""

    def __init__(self, page: Page, origin: str) -> None:
        self.problems: list[str] = []
        page.on(
            "console",
            lambda msg: msg.type == "error" and self.problems.append(f"console: {msg.text}"),
        )
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on(
            "response",
            lambda res: res.status >= 400 and self.problems.append(f"{res.status}: {res.url}"),
        )
        page.on(
            "requestfailed",
            lambda req: self.problems.append(f"failed: {req.url} {req.failure}"),
        )
        page.on(
            "request",
            lambda req: (
                not req.url.startswith((origin, "data:", "blob:"))
                and self.problems.append(f"outside request: {req.url}")
            ),
        )


def visit(page: Page, url: str) -> None:
    """Loads ``url`` (200, with a CSP) and waits for the network to settle."""
    response = page.goto(url, wait_until="networkidle")
    assert response is not None
    assert response.status == 200, url
    assert response.headers["content-security-policy"], url
    page.wait_for_timeout(300)  # late errors (workers, lazy images)


def test_swagger_ui_renders_every_operation(browser, instance):
    page = browser.new_page()
    watch = PageWatch(page, instance.url)
    visit(page, f"{instance.url}/api/docs/")
    page.wait_for_selector(".opblock", timeout=15_000)
    schema_text = page.evaluate("() => fetch('/api/schema/?format=json').then(r => r.text())")
    schema = json.loads(schema_text)
    operations = sum(
        1 for item in schema["paths"].values() for method in item if method != "parameters"
    )
    assert page.locator(".opblock").count() == operations
    assert watch.problems == []


def test_redoc_renders_with_named_menu_entries(browser, instance):
    page = browser.new_page()
    watch = PageWatch(page, instance.url)
    visit(page, f"{instance.url}/api/redoc/")
    page.wait_for_selector("text=Register a device", state="attached", timeout=15_000)
    assert page.get_by_text("devices_me_erase").count() == 0  # a summary, not the raw id
    assert watch.problems == []


def test_admin_pages_work_under_the_csp(browser, instance):
    page = browser.new_page()
    origin = instance.url
    watch = PageWatch(page, origin)
    visit(page, f"{origin}/admin/login/")
    page.fill("#id_username", "support")
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{origin}/admin/")

    # Every changelist linked from the index, each first row's change page and
    # that object's own pages (history, and any page the admin adds under it).
    changelists = sorted(set(_admin_links(page, r"^/admin/\w+/\w+/$")))
    assert changelists
    visited = []
    for changelist in changelists:
        visit(page, origin + changelist)
        visited.append(changelist)
        rows = _admin_links(page, rf"^{re.escape(changelist)}[^/]+/change/$")
        if not rows:
            continue
        change_page = rows[0]
        visit(page, origin + change_page)
        visited.append(change_page)
        object_prefix = change_page.removesuffix("change/")
        for sub_page in sorted(set(_admin_links(page, rf"^{re.escape(object_prefix)}\w[\w-]*/$"))):
            if sub_page != change_page:
                visit(page, origin + sub_page)
                visited.append(sub_page)
    assert any("/devices/device/" in url and url.endswith("/change/") for url in visited)
    assert watch.problems == [], visited


def _admin_links(page: Page, pattern: str) -> list[str]:
    # getAttribute, not .href: an SVG link's href (the device page's chart bars) is an object.
    hrefs = page.eval_on_selector_all(
        "a[href]", "links => links.map(a => new URL(a.getAttribute('href'), a.baseURI).href)"
    )
    paths = [urlsplit(href).path for href in hrefs]
    return [path for path in paths if re.match(pattern, path)]
