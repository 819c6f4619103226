"""Shared fixtures: API clients bound to registered devices, clean throttle counters.

Tests marked ``postgres`` (races, EXPLAIN, full-text search) are deselected
when the suite runs on SQLite, tests marked ``redis`` when ``REDIS_URL`` is
unset; the PostgreSQL pass of CI sets both and runs everything.
"""

import os
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from countonme.base.throttle_counters import throttle_counters
from products.models import CatalogProduct
from tests.back_office import staff_client
from tests.factories import (
    CatalogPortionFactory,
    CatalogProductFactory,
    DeviceFactory,
    PortionFactory,
    ProductFactory,
)

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect (not skip) what this run cannot serve, so a skip always means a problem."""
    missing = {"postgres": not ON_POSTGRES, "redis": not os.environ.get("REDIS_URL")}
    unservable = [marker for marker, absent in missing.items() if absent]
    deselected = [item for item in items if any(item.get_closest_marker(m) for m in unservable)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item not in deselected]


@pytest.fixture(scope="session", autouse=True)
def _private_throttle_counters(tmp_path_factory: pytest.TempPathFactory):
    """Keep the tests' throttle counters apart from a dev server's."""
    path = tmp_path_factory.mktemp("throttle") / "throttle.sqlite3"
    with override_settings(THROTTLE_COUNTERS_PATH=path):
        yield


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Staff logins in the admin tests need no slow, secure hash."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _clear_throttles() -> None:
    """Each test starts with untouched throttle budgets."""
    throttle_counters().clear()


@pytest.fixture
def api_client() -> APIClient:
    """An unauthenticated client."""
    return APIClient()


def client_for(device) -> APIClient:
    """A client that sends ``device``'s bearer token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {device.token}")
    client.device = device
    return client


@pytest.fixture
def device(db):
    """A registered device (``device.token`` holds its bearer token)."""
    return DeviceFactory()


@pytest.fixture
def used_device(db):
    """A device that has made authenticated requests: its id alone gets no token."""
    return DeviceFactory(last_seen_at=timezone.now() - timedelta(days=3))


@pytest.fixture
def device_client(device) -> APIClient:
    """A client authenticated as ``device``."""
    return client_for(device)


@pytest.fixture
def other_device(db):
    """A second device, whose rows ``device`` must never see."""
    return DeviceFactory()


@pytest.fixture
def other_client(other_device) -> APIClient:
    """A client authenticated as ``other_device``."""
    return client_for(other_device)


@pytest.fixture
def banana_catalog(db):
    """A catalog banana: its default "100 g" (89 kcal) and "1 medium" (118 g, 105.02 kcal).

    ``(food, default, medium)``.
    """
    banana = CatalogProductFactory(
        name="Bananas, raw",
        kcal_100g=Decimal(89),
        protein_100g=Decimal("1.09"),
        carbs_100g=Decimal("22.84"),
        fat_100g=Decimal("0.33"),
    )
    default = CatalogPortionFactory(product=banana)
    medium = CatalogPortionFactory(
        product=banana,
        label="1 medium",
        base_amount=Decimal(1),
        base_unit="pcs",
        gram_weight=Decimal(118),
        calories=Decimal("105.02"),
        protein=Decimal("1.286"),
        carbs=Decimal("26.951"),
        fat=Decimal("0.389"),
        is_default=False,
    )
    return banana, default, medium


@pytest.fixture(scope="module")
def starter_catalog(django_db_setup, django_db_blocker):
    """The starter catalog (SR28, 8,789 foods), loaded once for the module that asks, then removed.

    A few seconds; the rest of the suite keeps its empty catalog.
    """
    with django_db_blocker.unblock():
        call_command("load_starter_catalog", stdout=StringIO())
        yield
        CatalogProduct.objects.all().delete()


@pytest.fixture
def used_client(used_device):
    """A client authenticated as ``used_device``."""
    return client_for(used_device)


@pytest.fixture
def portion(device):
    """A portion of a product of ``device``: 200 kcal, 10 g protein, 20/5 g carbs/fat per 100 g."""
    return PortionFactory(product=ProductFactory(device=device))


@pytest.fixture
def admin_client(client, db):
    """A superuser in the admin (in place of pytest-django's, through the same helper)."""
    return staff_client(client, "admin", superuser=True)


@pytest.fixture
def support_client(client, db):
    """Staff in the migration-made ``support`` group."""
    return staff_client(client, "helper", group="support")


@pytest.fixture
def viewer_client(client, db):
    """Staff with every view permission and nothing else."""
    client = staff_client(client, "viewer")
    client.user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    return client


@pytest.fixture
def product(device):
    """A product of ``device`` (no portion of its own)."""
    return ProductFactory(device=device)


@pytest.fixture(scope="session")
def schema(django_db_setup, django_db_blocker) -> dict:
    """The OpenAPI document as served (JSON), read once per run."""
    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/?format=json").json()
