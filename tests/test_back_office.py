"""The support back office (issue 12): search, lists, the device page, demo data, the catalog."""

import re
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from countonme.base.admin import uuid_prefix_range
from devices.models import Device, Goal
from entries.calorie_chart import calorie_chart_svg
from entries.models import BodyWeight, FoodEntry
from products.models import CatalogProduct, Product
from products.services import product_delete
from tests.back_office import (
    DEVICES,
    ENTRIES,
    PRODUCTS,
)
from tests.factories import (
    BodyWeightFactory,
    CatalogPortionFactory,
    CatalogProductFactory,
    DeviceFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
    ProductFactory,
)

# --- Search ---------------------------------------------------------------------------


def test_id_prefix_ranges_cover_exactly_the_ids_that_start_with_it():
    low, high = uuid_prefix_range(" 3F1C2B9E-7d ")
    assert low == uuid.UUID("3f1c2b9e-7d00-0000-0000-000000000000")
    assert high == uuid.UUID("3f1c2b9e-7dff-ffff-ffff-ffffffffffff")
    assert uuid_prefix_range("abc") is None  # too short to be an id
    assert uuid_prefix_range("banana") is None


@pytest.mark.parametrize(
    "term",
    [
        lambda d: str(d.id)[:8],
        lambda d: str(d.id)[:8].upper(),
        lambda d: str(d.id)[:13],
        lambda d: d.id.hex[:12],
        lambda d: str(d.id),
        lambda d: d.id.hex.upper(),
    ],
    ids=["8 chars", "upper case", "with a dash", "no dashes", "full id", "full hex upper"],
)
def test_support_finds_a_device_by_its_id_or_leading_part(support_client, term):
    wanted = DeviceFactory(id=uuid.UUID("3f1c2b9e-7d4a-4c1e-9b8f-2a6d5e4c3b21"))
    neighbour = DeviceFactory(id=uuid.UUID("3f1c2b9f-0000-4c1e-9b8f-2a6d5e4c3b21"))
    response = support_client.get(DEVICES, {"q": term(wanted)})
    assert response.status_code == 200
    assert str(wanted.id) in response.content.decode()
    assert str(neighbour.id) not in response.content.decode()
    assert list(response.context["cl"].result_list) == [wanted]


def test_a_term_that_is_not_an_id_finds_no_device(support_client, device):
    response = support_client.get(DEVICES, {"q": "banana"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_rows_are_found_by_their_devices_id(support_client, device, other_device):
    mine = ProductFactory(device=device, name="Oats")
    ProductFactory(device=other_device, name="Oats too")
    response = support_client.get(PRODUCTS, {"q": str(device.id)[:8]})
    assert list(response.context["cl"].result_list) == [mine]
    response = support_client.get(PRODUCTS, {"q": "oats"})
    assert len(response.context["cl"].result_list) == 2


def test_a_barcode_is_found_in_any_of_its_gtin_forms(support_client, device):
    scanned = ProductFactory(device=device, name="Cola", barcode="0012345678905")
    ProductFactory(device=device, name="Water", barcode="4006381333931")
    response = support_client.get(PRODUCTS, {"q": "012345678905"})  # the UPC-A form
    assert list(response.context["cl"].result_list) == [scanned]


# --- Lists and filters ----------------------------------------------------------------


def test_device_list_counts_live_products_and_entries(support_client, device):
    entry = FoodEntryFactory(portion=PortionFactory(product=ProductFactory(device=device)))
    ProductFactory(device=device).delete()
    FoodEntryFactory(portion=entry.portion).delete()
    response = support_client.get(DEVICES)
    (row,) = response.context["cl"].result_list
    assert (row.product_count, row.entry_count) == (1, 1)


def test_device_filters_revoked_and_recent_activity(support_client):
    now = timezone.now()
    recent = DeviceFactory(last_seen_at=now - timedelta(days=2))
    monthly = DeviceFactory(last_seen_at=now - timedelta(days=20))
    idle = DeviceFactory(last_seen_at=now - timedelta(days=90), revoked_at=now)

    def listed(**params) -> set:
        return set(support_client.get(DEVICES, params).context["cl"].result_list)

    assert listed(active="7") == {recent}
    assert listed(active="30") == {recent, monthly}
    assert listed(active="idle") == {idle}
    assert listed(revoked="yes") == {idle}
    assert listed(revoked="no") == {recent, monthly}


def test_deleted_rows_are_listed_marked_and_filterable(support_client, device):
    live = ProductFactory(device=device, name="Live one")
    gone = ProductFactory(device=device, name="Gone one")
    product_delete(product=gone)
    everything = support_client.get(PRODUCTS)
    assert set(everything.context["cl"].result_list) == {live, gone}
    assert '<span class="badge badge-off">deleted</span>' in everything.content.decode()
    assert list(support_client.get(PRODUCTS, {"status": "deleted"}).context["cl"].result_list) == [
        gone
    ]
    assert list(support_client.get(PRODUCTS, {"status": "live"}).context["cl"].result_list) == [
        live
    ]


@pytest.mark.parametrize(
    ("page", "make_rows"),
    [
        (DEVICES, lambda n: [FoodEntryFactory().device for _ in range(n)]),
        (PRODUCTS, lambda n: [PortionFactory().product for _ in range(n)]),
        (ENTRIES, lambda n: [FoodEntryFactory() for _ in range(n)]),
    ],
    ids=["devices", "products", "entries"],
)
def test_changelists_run_a_constant_number_of_queries(admin_client, page, make_rows):
    def queries_for_a_page_of(n: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(page)
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == n
        return len(captured)

    make_rows(2)
    small = queries_for_a_page_of(2)
    make_rows(23)
    assert queries_for_a_page_of(25) == small
    assert small <= 12


# --- The device page ------------------------------------------------------------------


def test_the_device_page_shows_goal_weights_and_the_calorie_chart(support_client, device):
    GoalFactory(device=device, manual=True)
    BodyWeightFactory(device=device, day=date(2026, 1, 5), weight_kg=Decimal("81.200"))
    today = timezone.localdate()
    portion = PortionFactory(product=ProductFactory(device=device))
    FoodEntryFactory(portion=portion, day=today, calories=Decimal(2500))
    FoodEntryFactory(portion=portion, day=today - timedelta(days=3), calories=Decimal(1500))
    FoodEntryFactory(portion=portion, day=today - timedelta(days=40), calories=Decimal(900))

    response = support_client.get(f"{DEVICES}{device.id}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "2,000 kcal" in page  # the goal
    assert "81.2 kg" in page
    svg = re.search(r"<svg[^>]*calorie-chart.*?</svg>", page, re.S).group(0)
    assert svg.count("<rect") == 30
    assert "goal 2,000 kcal" in svg
    assert f"{today:%a %d %b}: 2,500 kcal" in svg
    assert "style=" not in svg
    assert "2 days logged, 2,000 kcal a day on average; 1 day over the goal" in page
    # Nothing a strict Content-Security-Policy would block: scripts are files.
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "<style" not in page
    assert device.token_hash not in page


def test_the_chart_marks_days_over_the_goal_in_red():
    days = [(date(2026, 3, 1), Decimal(1500)), (date(2026, 3, 2), Decimal(2600))]
    svg = str(calorie_chart_svg(days, 2000))
    assert svg.count('fill="#79aec8"') == 1
    assert svg.count('fill="#ba2121"') == 1
    assert "stroke-dasharray" in svg
    assert "stroke-dasharray" not in str(calorie_chart_svg(days, None))


# --- Demo data ------------------------------------------------------------------------


def test_seed_demo_creates_a_living_admin_and_is_safe_to_repeat(db):
    call_command("seed_demo", devices=2, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Device.objects.count() == 2
    device = Device.objects.first()
    assert Goal.objects.filter(device=device).count() == 1
    assert FoodEntry.objects.filter(device=device).count() >= 60
    assert BodyWeight.objects.filter(device=device).count() == 10
    assert Product.all_objects.filter(device=device, deleted_at__isnull=False).count() == 1
    assert {e.meal_type for e in FoodEntry.objects.filter(device=device)} >= {
        "breakfast",
        "lunch",
        "dinner",
        "snacks",
    }
    counts = FoodEntry.all_objects.count()
    call_command("seed_demo", devices=2, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert FoodEntry.all_objects.count() == counts


def test_the_old_body_weight_admin_pages_redirect_to_their_new_home(admin_client):
    """Body weights moved from devices to entries: bookmarks keep working."""
    weight = BodyWeightFactory()
    old = f"/admin/devices/bodyweight/{weight.pk}/change/?_changelist_filters=q%3Dx"
    response = admin_client.get(old)
    assert response.status_code == 302
    assert response["Location"] == (
        f"/admin/entries/bodyweight/{weight.pk}/change/?_changelist_filters=q%3Dx"
    )
    assert admin_client.get(response["Location"]).status_code == 200
    listing = admin_client.get("/admin/devices/bodyweight/")
    assert (listing.status_code, listing["Location"]) == (302, "/admin/entries/bodyweight/")


# --- the catalog is read-only for everyone: it is imported ---------------------------


def test_the_catalog_is_read_only_even_for_a_superuser(admin_client):
    food = CatalogProductFactory(name="Bananas, raw")
    portion = CatalogPortionFactory(product=food)
    url = f"/admin/products/catalogproduct/{food.id}/change/"

    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()  # no input: read-only fields
    refused = admin_client.post(url, {"name": "Changed", "kcal_100g": "1"})
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith("text/html")
    assert admin_client.post(f"{url[:-7]}delete/", {"post": "yes"}).status_code == 403
    assert admin_client.get("/admin/products/catalogproduct/add/").status_code == 403
    food.refresh_from_db()
    portion.refresh_from_db()
    assert (food.name, CatalogProduct.objects.count()) == ("Bananas, raw", 1)


@pytest.mark.parametrize(
    ("day", "shown", "hidden"),
    [("0001-01-01", "next day", "previous day"), ("9999-12-31", "previous day", "next day")],
)
def test_the_device_page_at_the_ends_of_the_calendar_has_no_link_beyond(
    support_client, device, day, shown, hidden
):
    response = support_client.get(f"{DEVICES}{device.id}/change/?day={day}")
    assert response.status_code == 200
    page = response.content.decode()
    assert shown in page
    assert hidden not in page
    assert response.context["day_links"][hidden.split()[0]] is False
