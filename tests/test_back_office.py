"""The support back office (issue 12): search, device page, actions, permissions, budgets."""

import json
import re
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from countonme.base.admin import uuid_prefix_range
from devices.models import Device, Goal
from entries.calorie_chart import calorie_chart_svg
from entries.models import BodyWeight, FoodEntry
from products.models import CatalogProduct, Portion, Product
from products.services import product_delete
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

DEVICES = "/admin/devices/device/"
PRODUCTS = "/admin/products/product/"
PORTIONS = "/admin/products/portion/"
ENTRIES = "/admin/entries/foodentry/"
WEIGHTS = "/admin/entries/bodyweight/"
GOALS = "/admin/devices/goal/"

# Every custom action, the page it is on, and the permission it needs.
ACTIONS = [
    (DEVICES, "revoke", "revoke_device"),
    (DEVICES, "unrevoke", "revoke_device"),
    (DEVICES, "allow_repairing", "allow_repairing_device"),
    (DEVICES, "revoke_codes", "revoke_devicecode"),
    (DEVICES, "export", "export_device"),
    (DEVICES, "erase", "erase_device"),
    (PRODUCTS, "restore", "restore_product"),
    (PORTIONS, "restore", "restore_portion"),
    (ENTRIES, "restore", "restore_foodentry"),
    (WEIGHTS, "restore", "restore_bodyweight"),
    (GOALS, "restore", "restore_goal"),
]


def staff_client(client, username: str, *, superuser: bool = False, group: str | None = None):
    user = User.objects.create_user(username, password="a-long-password-1", is_staff=True)
    if superuser:
        user.is_superuser = True
        user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def admin_client(client, db):
    return staff_client(client, "boss", superuser=True)


@pytest.fixture
def support_client(client, db):
    return staff_client(client, "helper", group="support")


@pytest.fixture
def viewer_client(client, db):
    """Staff with every view permission and nothing else."""
    client = staff_client(client, "viewer")
    client.user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    return client


def run_action(client, page: str, action: str, rows, **extra):
    ids = [str(row.pk) for row in rows]
    return client.post(page, {"action": action, "_selected_action": ids, **extra})


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def history(obj) -> list[tuple[int, str]]:
    return list(
        LogEntry.objects.filter(object_id=str(obj.pk))
        .order_by("action_time")
        .values_list("action_flag", "change_message")
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


# --- Actions --------------------------------------------------------------------------


def test_restoring_a_product_brings_it_back_to_the_api_and_to_sync(
    support_client, device, device_client
):
    product = ProductFactory(device=device, name="Granola")
    PortionFactory(product=product)
    cursor = device_client.get("/v1/sync/since").json()["cursor"]
    product_delete(product=product)
    assert device_client.get("/v1/products").json() == []
    cursor = device_client.get("/v1/sync/since", {"cursor": cursor}).json()["cursor"]

    response = run_action(support_client, PRODUCTS, "restore", [product])
    assert response.status_code == 302
    listed = device_client.get("/v1/products").json()
    assert [(p["id"], p["kcal_100g"]) for p in listed] == [(str(product.id), "200.000")]
    synced = device_client.get("/v1/sync/since", {"cursor": cursor}).json()
    assert [(p["id"], p["deleted_at"]) for p in synced["products"]] == [(str(product.id), None)]
    assert len(synced["portions"]) == 1
    assert history(product) == [(CHANGE, "Restored (soft delete undone; the app syncs it back)")]


def test_a_portion_deleted_on_its_own_stays_deleted_when_its_product_comes_back(
    admin_client, device
):
    product = ProductFactory(device=device)
    kept = PortionFactory(product=product, is_default=True)
    dropped = PortionFactory(product=product, label="1 cup", is_default=False)
    dropped.delete()
    Portion.all_objects.filter(pk=dropped.pk).update(deleted_at=timezone.now() - timedelta(days=1))
    product_delete(product=product)
    run_action(admin_client, PRODUCTS, "restore", [product])
    assert set(Portion.objects.filter(product=product)) == {kept}


def test_a_portion_of_a_deleted_product_is_not_restored(admin_client, device):
    portion = PortionFactory(product=ProductFactory(device=device))
    product_delete(product=portion.product)
    response = run_action(admin_client, PORTIONS, "restore", [portion])
    assert any("restore the product first" in m for m in messages_of(response))
    assert Portion.all_objects.get(pk=portion.pk).is_deleted


def test_restoring_entries_weights_and_goals(admin_client, device):
    entry = FoodEntryFactory(portion=PortionFactory(product=ProductFactory(device=device)))
    entry.delete()
    old_goal = GoalFactory(device=device, manual=True)
    old_goal.delete()
    current_goal = GoalFactory(device=device)
    weight = BodyWeightFactory(device=device, day=date(2026, 2, 1))
    weight.delete()

    run_action(admin_client, ENTRIES, "restore", [entry])
    run_action(admin_client, GOALS, "restore", [old_goal])
    run_action(admin_client, WEIGHTS, "restore", [weight])

    assert FoodEntry.objects.filter(pk=entry.pk).exists()
    assert list(Goal.objects.filter(device=device)) == [old_goal]
    assert Goal.all_objects.get(pk=current_goal.pk).is_deleted
    assert BodyWeight.objects.filter(pk=weight.pk).exists()


def test_a_weight_is_not_restored_onto_a_day_that_has_one(admin_client, device):
    old = BodyWeightFactory(device=device, day=date(2026, 2, 1))
    old.delete()
    BodyWeightFactory(device=device, day=date(2026, 2, 1))
    response = run_action(admin_client, WEIGHTS, "restore", [old])
    assert response.status_code == 302
    assert any("was not restored" in m for m in messages_of(response))
    assert BodyWeight.all_objects.get(pk=old.pk).is_deleted
    assert history(old) == []


def test_the_delete_button_soft_deletes_with_a_new_version(admin_client, device):
    product = PortionFactory(product=ProductFactory(device=device)).product
    FoodEntryFactory(portion=product.portions.get())  # entries keep it; no "protected" refusal
    version = product.version
    confirmation = admin_client.get(f"{PRODUCTS}{product.id}/delete/")
    assert confirmation.status_code == 200
    assert "Cannot delete" not in confirmation.content.decode()
    admin_client.post(f"{PRODUCTS}{product.id}/delete/", {"post": "yes"})
    stored = Product.all_objects.get(pk=product.pk)
    assert stored.is_deleted
    assert stored.version > version
    assert Portion.all_objects.get(product=product).is_deleted


def test_revoke_and_unrevoke_go_through_the_api_gate_and_the_history(
    support_client, device, device_client
):
    run_action(support_client, DEVICES, "revoke", [device])
    response = device_client.get("/v1/devices/me")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "device_revoked"
    run_action(support_client, DEVICES, "unrevoke", [device])
    assert device_client.get("/v1/devices/me").status_code == 200
    assert history(device) == [
        (CHANGE, "Revoked: its token now gets 403 device_revoked"),
        (CHANGE, "Un-revoked: its token works again"),
    ]


def test_allowing_re_pairing_lets_the_app_register_once_without_a_token(
    support_client, device, device_client, api_client
):
    assert device_client.get("/v1/devices/me").status_code == 200  # the device is in use
    register = {"device_id": str(device.id)}
    assert api_client.post("/v1/devices/register", register, format="json").status_code == 409
    response = run_action(support_client, DEVICES, "allow_repairing", [device])
    assert response.status_code == 302
    until = Device.objects.get(pk=device.pk).repairing_allowed_until
    assert timedelta(hours=23) < until - timezone.now() <= timedelta(hours=24)
    repaired = api_client.post("/v1/devices/register", register, format="json")
    assert repaired.status_code == 200
    assert repaired.json()["device_token"].startswith(f"{device.id}.")
    assert api_client.post("/v1/devices/register", register, format="json").status_code == 409
    ((_flag, message),) = history(device)
    assert message.startswith("Allowed re-pairing until ")


def test_export_downloads_the_same_document_as_the_api(support_client, device, device_client):
    FoodEntryFactory(portion=PortionFactory(product=ProductFactory(device=device)))
    GoalFactory(device=device)
    from_api = device_client.get("/v1/data/export").json()
    response = run_action(support_client, DEVICES, "export", [device])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="countonme-export-')
    downloaded = json.loads(response.content)
    del downloaded["exported_at"], from_api["exported_at"]
    assert downloaded == from_api
    assert len(downloaded["food_entries"]) == 1
    assert history(device)[0][1].startswith("Exported its data")


def test_export_wants_exactly_one_device(support_client, device, other_device):
    response = run_action(support_client, DEVICES, "export", [device, other_device])
    assert response.status_code == 302
    assert "Select exactly one device to export." in messages_of(response)


def test_erase_asks_first_then_erases_everything(admin_client, device, other_device):
    FoodEntryFactory(portion=PortionFactory(product=ProductFactory(device=device)))
    FoodEntryFactory(portion=PortionFactory(product=ProductFactory(device=other_device)))
    confirmation = run_action(admin_client, DEVICES, "erase", [device])
    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    assert "1 food entry" in page
    assert Device.objects.filter(pk=device.pk).exists()

    response = run_action(admin_client, DEVICES, "erase", [device], post="yes")
    assert response.status_code == 302
    assert not Device.objects.filter(pk=device.pk).exists()
    assert not FoodEntry.all_objects.filter(device_id=device.pk).exists()
    assert FoodEntry.objects.filter(device=other_device).count() == 1
    ((flag, message),) = history(device)
    assert flag == DELETION
    assert "1 food entry" in message


# --- Permissions ----------------------------------------------------------------------


@pytest.mark.parametrize(("page", "action", "permission"), ACTIONS)
def test_a_view_only_user_cannot_run_any_action(viewer_client, device, page, action, permission):
    product = ProductFactory(device=device)
    portion = PortionFactory(product=product)
    entry = FoodEntryFactory(portion=portion)
    weight = BodyWeightFactory(device=device)
    goal = GoalFactory(device=device)
    rows = {
        DEVICES: device,
        PRODUCTS: product,
        PORTIONS: portion,
        ENTRIES: entry,
        WEIGHTS: weight,
        GOALS: goal,
    }
    row = rows[page]
    if page == PRODUCTS:
        product_delete(product=product)
    elif page != DEVICES:
        row.delete()
    if action == "unrevoke":
        Device.objects.filter(pk=device.pk).update(revoked_at=timezone.now())
    before = type(row).all_objects.filter(pk=row.pk).values().get() if page != DEVICES else None
    device_before = Device.objects.filter(pk=device.pk).values().get()

    listing = viewer_client.get(page)
    assert listing.status_code == 200
    assert f'value="{action}"' not in listing.content.decode()
    response = run_action(viewer_client, page, action, [row], post="yes")

    # The list again (no action is offered to run): no download, no confirmation page.
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert "are you sure" not in response.content.decode().lower()
    assert Device.objects.filter(pk=device.pk).values().get() == device_before
    if before is not None:
        assert type(row).all_objects.filter(pk=row.pk).values().get() == before
    assert not LogEntry.objects.exists()
    assert not viewer_client.user.has_perm(f"{page.split('/')[2]}.{permission}")


def test_the_support_group_may_restore_revoke_and_export_but_not_erase_or_edit(
    support_client, device
):
    listing = support_client.get(DEVICES).content.decode()
    for action in ("revoke", "unrevoke", "allow_repairing", "revoke_codes", "export"):
        assert f'value="{action}"' in listing
    assert 'value="erase"' not in listing
    assert support_client.get(f"{DEVICES}{device.id}/delete/").status_code == 403
    response = run_action(support_client, DEVICES, "erase", [device], post="yes")
    assert response.status_code == 302
    assert Device.objects.filter(pk=device.pk).exists()

    product = ProductFactory(device=device)
    assert support_client.get(f"{PRODUCTS}{product.id}/delete/").status_code == 403
    assert 'value="restore"' in support_client.get(PRODUCTS).content.decode()

    food = CatalogProductFactory(name="Apple")
    page = support_client.get(f"/admin/products/catalogproduct/{food.id}/change/")
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()  # read-only
    support_client.post(f"/admin/products/catalogproduct/{food.id}/change/", {"name": "Pear"})
    assert CatalogProduct.objects.get(pk=food.pk).name == "Apple"


def test_every_page_answers_support(support_client, device):
    entry = FoodEntryFactory(portion=PortionFactory(product=ProductFactory(device=device)))
    BodyWeightFactory(device=device)
    GoalFactory(device=device)
    CatalogProductFactory()
    for page in (DEVICES, PRODUCTS, PORTIONS, ENTRIES, WEIGHTS, GOALS):
        assert support_client.get(page).status_code == 200, page
    assert support_client.get("/admin/products/catalogproduct/").status_code == 200
    assert support_client.get(f"{ENTRIES}{entry.id}/change/").status_code == 200
    assert support_client.get(f"{PRODUCTS}{entry.product_id}/change/").status_code == 200
    assert support_client.get(ENTRIES, {"day__year": "2026"}).status_code == 200


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
