"""Sessions, auth and messages run for the admin, not on the device API; CSRF runs everywhere."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from countonme.ops.middleware import is_api_path

PASSWORD = "a-long-password-1"


@pytest.fixture
def staff(db):
    return User.objects.create_superuser("support", "support@example.org", PASSWORD)


def csrf_token(page: bytes) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()


@pytest.mark.parametrize(
    ("path", "api"),
    [
        ("/v1/products", True),
        ("/v1/stats/day/2025-01-01", True),
        ("/health", True),
        ("/health/ready", True),
        ("/admin/", False),
        ("/admin/login/", False),
        ("/api/docs/", False),
        ("/v1", False),
        ("/healthz", False),
    ],
)
def test_which_paths_are_the_api(path, api):
    assert is_api_path(path) is api


class TestAdminKeepsTheBrowserStack:
    def test_login_without_the_csrf_token_is_refused(self, staff):
        browser = Client(enforce_csrf_checks=True)
        browser.get("/admin/login/")  # sets the CSRF cookie
        response = browser.post(
            "/admin/login/?next=/admin/", {"username": "support", "password": PASSWORD}
        )
        assert response.status_code == 403
        assert "_auth_user_id" not in browser.session

    def test_login_with_the_token_opens_a_session_and_messages_show(self, staff, device):
        browser = Client(enforce_csrf_checks=True)
        page = browser.get("/admin/login/")
        assert "csrftoken" in page.cookies
        response = browser.post(
            "/admin/login/?next=/admin/",
            {
                "username": "support",
                "password": PASSWORD,
                "csrfmiddlewaretoken": csrf_token(page.content),
            },
        )
        assert response.status_code == 302
        assert browser.session["_auth_user_id"] == str(staff.pk)
        assert browser.get("/admin/").status_code == 200

        changelist = browser.get("/admin/devices/device/")
        revoked = browser.post(
            "/admin/devices/device/",
            {
                "action": "revoke",
                "_selected_action": [str(device.id)],
                "csrfmiddlewaretoken": csrf_token(changelist.content),
            },
            follow=True,
        )
        assert revoked.status_code == 200
        assert [str(m) for m in revoked.context["messages"]]  # the action's message, shown


class TestTheApiSkipsIt:
    def test_no_cookie_and_no_session_read_even_with_a_staff_session(
        self, staff, device_client, django_assert_num_queries
    ):
        device_client.force_login(staff)  # a session cookie the API must ignore
        with django_assert_num_queries(3):  # token, products, default portions: no session
            response = device_client.get("/v1/products")
        assert response.status_code == 200
        assert response.cookies == {} or all(not c.value for c in response.cookies.values())
        assert "Cookie" not in response.get("Vary", "")

    def test_a_post_needs_no_csrf_token(self, device):
        app = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {device.token}")
        response = app.post("/v1/products", {"name": "Oats"}, content_type="application/json")
        assert response.status_code == 201
