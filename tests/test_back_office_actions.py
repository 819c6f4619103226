"""The support back office (issue 12): its actions and who may run them."""

import json
from datetime import date, timedelta

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.utils import timezone

from devices.models import Device, Goal
from entries.models import BodyWeight, FoodEntry
from products.models import CatalogProduct, Portion, Product
from products.services import product_delete
from tests.back_office import (
    ACTIONS,
    DEVICES,
    ENTRIES,
    GOALS,
    PORTIONS,
    PRODUCTS,
    WEIGHTS,
    history,
    messages_of,
    run_action,
)
from tests.factories import (
    BodyWeightFactory,
    CatalogProductFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
    ProductFactory,
)

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
