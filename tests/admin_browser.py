"""What the back office's browser tests share: one Chromium per module, a strict CSP, logins.

Playwright drives Debian's Chromium (``tests.browser``) against pytest-django's
``live_server``. Every HTML page is served with a Content-Security-Policy
stricter than the app's own (no inline style either) and any violation fails
the test. Screenshots go to ``var/screenshots/`` (git-ignored), or to
``SCREENSHOT_DIR`` when set (a CI job's artifact directory).
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from playwright.sync_api import expect, sync_playwright

from tests.browser import CHROMIUM_ARGS, chromium_path

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# SCREENSHOT_DIR moves them (a CI job's artifact directory).
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR") or Path(settings.BASE_DIR) / "var" / "screenshots"
)
PASSWORD = "a-long-password-1"


@pytest.fixture(scope="module")
def browser() -> Iterator:
    executable = chromium_path()
    # Playwright's sync API keeps an event loop in this thread, which Django
    # takes for an async context and refuses ORM calls in; the test's own
    # queries run between browser steps, never concurrently with them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A fresh 1280 px wide tab whose every document carries a strict CSP; violations fail."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url, accept_downloads=True
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    violations: list[str] = []
    tab.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    def with_csp(route) -> None:
        # The policy rides on the HTML documents; assets pass untouched.
        if route.request.resource_type != "document":
            route.continue_()
            return
        response = route.fetch()
        route.fulfill(
            response=response,
            headers={**response.headers, "content-security-policy": STRICT_CSP},
        )

    tab.route("**/*", with_csp)
    yield tab
    context.close()
    assert violations == []


# The staff groups the data migrations make, as (app label, codename) pairs.
GROUP_NAMES = ["support", "support lead"]
_GROUPS: dict[str, list[tuple[str, str]]] = {}


def ensure_staff_groups() -> None:
    """The migrations' staff groups, back after a transactional test's flush removed them.

    The first call reads them (running the groups' data migrations again if a
    flush came first, as tests/test_migrations.py does); later calls rebuild
    them from that reading, which is quick.
    """
    if not _GROUPS:
        if Group.objects.filter(name__in=GROUP_NAMES).count() < len(GROUP_NAMES):
            executor = MigrationExecutor(connection)
            executor.migrate([("entries", "0002_back_office_permissions")])
            executor.loader.build_graph()
            executor.migrate(executor.loader.graph.leaf_nodes())
            ContentType.objects.clear_cache()
        for group in Group.objects.filter(name__in=GROUP_NAMES):
            _GROUPS[group.name] = [
                (permission.content_type.app_label, permission.codename)
                for permission in group.permissions.select_related("content_type")
            ]
        return
    for name, permissions in _GROUPS.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            group.permissions.set(
                [
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                    for app_label, codename in permissions
                ]
            )


def staff_user(username: str, *, group: str | None = None, view_only: bool = False) -> User:
    """A staff account in ``group``, or with every view permission and nothing else."""
    ensure_staff_groups()
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if view_only:
        user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    return user


def log_in(page, username: str) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text(username)


def screenshot(page, name: str) -> Path:
    """A full-page PNG in var/screenshots/ (an artifact), checked to hold a real page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return path


def fits_width(page, width: int = 1280) -> bool:
    """Whether the page needs no horizontal scrolling at ``width`` px."""
    return page.evaluate("document.documentElement.scrollWidth") <= width
