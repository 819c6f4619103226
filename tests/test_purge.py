"""manage.py purge_deleted: only tombstones older than the window go, in batches."""

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models.deletion import get_candidate_relations_to_delete
from django.utils import timezone

from countonme.base.models import device_owned_models, references_to
from countonme.sync import purge as purge_service
from devices.models import Device
from entries.models import FoodEntry
from products.models import Portion, Product
from tests.concurrency import race
from tests.conftest import client_for
from tests.factories import (
    BodyWeightFactory,
    DeviceFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
    ProductFactory,
)


def age(row, days: int) -> None:
    """Pretend ``row`` was soft-deleted ``days`` ago."""
    type(row).all_objects.filter(pk=row.pk).update(deleted_at=timezone.now() - timedelta(days=days))


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_deleted", *args, stdout=out)
    return out.getvalue()


def exists(row) -> bool:
    return type(row).all_objects.filter(pk=row.pk).exists()


@pytest.fixture
def rows(device):
    live = PortionFactory(product=ProductFactory(device=device, name="live"))
    old_product = PortionFactory(product=ProductFactory(device=device, name="old")).product
    recent_product = ProductFactory(device=device, name="recent")
    history = ProductFactory(device=device, name="still eaten")
    history_portion = PortionFactory(product=history)
    live_entry = FoodEntryFactory(portion=history_portion)
    old_entry_of_old_product = FoodEntryFactory(portion=Portion.objects.get(product=old_product))
    weight = BodyWeightFactory(device=device)
    for row in (old_product, recent_product, history, old_entry_of_old_product, weight):
        row.delete()
    for row in (old_product, history, old_entry_of_old_product, weight):
        age(row, 40)
    Portion.all_objects.filter(product=old_product).update(
        deleted_at=timezone.now() - timedelta(days=40)
    )
    age(recent_product, 10)
    return {
        "live": live,
        "old_product": old_product,
        "recent_product": recent_product,
        "history": history,
        "live_entry": live_entry,
        "old_entry": old_entry_of_old_product,
        "weight": weight,
    }


@pytest.mark.django_db
class TestPurge:
    def test_only_old_unreferenced_tombstones_go(self, rows):
        output = purge("--older-than", "30d")

        assert not exists(rows["old_entry"])
        assert not exists(rows["old_product"])  # its entry went first, in the same run
        assert not Portion.all_objects.filter(product_id=rows["old_product"].pk).exists()
        assert not exists(rows["weight"])
        assert exists(rows["recent_product"])  # a recent tombstone stays
        assert exists(rows["history"])  # still referenced by a live entry
        assert exists(rows["live"])
        assert exists(rows["live_entry"])
        assert "Removed 4 soft-deleted rows older than 30d." in output
        assert "products.Product: 1 removed" in output

    def test_small_batches_remove_the_same(self, rows):
        purge("--older-than", "30d", "--batch-size", "1")
        assert not exists(rows["old_product"])
        assert exists(rows["recent_product"])

    def test_the_window_defaults_to_the_setting(self, rows, settings):
        settings.SOFT_DELETE_RETENTION_DAYS = 5
        purge()
        assert not exists(rows["recent_product"])

    def test_running_twice_removes_nothing_more(self, rows):
        purge("--older-than", "30d")
        assert "Removed 0 soft-deleted rows" in purge("--older-than", "30d")

    @pytest.mark.parametrize("value", ["30", "thirty days", "-3d", "5y"])
    def test_a_bad_age_is_refused(self, value):
        with pytest.raises(CommandError, match="is not an age"):
            purge(f"--older-than={value}")

    def test_a_client_whose_cursor_predates_an_erased_tombstone_starts_over(self, device, rows):
        client = client_for(device)
        stale_cursor = client.get("/v1/sync/since", {"limit": 1}).json()["cursor"]
        doomed = [rows["old_entry"], rows["old_product"], rows["weight"]]
        versions = [type(row).all_objects.get(pk=row.pk).version for row in doomed]
        versions += Portion.all_objects.filter(product=rows["old_product"]).values_list(
            "version", flat=True
        )
        purge("--older-than", "30d")

        device.refresh_from_db()
        assert device.purged_version == max(versions)
        page = client.get("/v1/sync/since", {"cursor": stale_cursor}).json()
        assert page["reset"] is True
        assert {p["name"] for p in page["products"]} == {"live", "recent", "still eaten"}

        fresh = client.get("/v1/sync/since", {"cursor": page["cursor"]}).json()
        assert fresh["reset"] is False

    def test_other_devices_purged_version_is_untouched(self, rows, other_device):
        purge("--older-than", "30d")
        assert Device.objects.get(pk=other_device.pk).purged_version == 0


def aged_tombstone(row, days: int = 40):
    """Soft-delete ``row`` (if live) and pretend it happened ``days`` ago."""
    type(row).all_objects.filter(pk=row.pk).delete()
    age(row, days)
    return row


@pytest.mark.django_db
class TestReferences:
    def test_every_reference_counts_hidden_ones_included(self):
        for model in device_owned_models():
            assert {(r.related_model, r.field.name) for r in references_to(model)} == {
                (r.related_model, r.field.name)
                for r in get_candidate_relations_to_delete(model._meta)
            }, model
        # The ones _meta.related_objects leaves out (related_name="+").
        assert (FoodEntry, "portion") in {
            (r.related_model, r.field.name) for r in references_to(Portion)
        }
        assert (FoodEntry, "product") in {
            (r.related_model, r.field.name) for r in references_to(Product)
        }

    def test_the_issues_case_a_deleted_product_with_an_entry(self, device):
        client = client_for(device)
        product = client.post("/v1/products", {"name": "Oats", "kcal_100g": 380}, format="json")
        assert product.status_code == 201
        portion_id = str(Portion.objects.get(product_id=product.json()["id"]).pk)
        entry = client.post(
            "/v1/food-entries",
            {
                "product_id": product.json()["id"],
                "portion_id": portion_id,
                "day": "2026-03-01",
                "meal_type": "breakfast",
                "amount": "50",
                "unit": "g",
            },
            format="json",
        )
        assert entry.status_code == 201, entry.content
        assert client.delete(f"/v1/products/{product.json()['id']}").status_code == 204

        for _ in range(2):  # and every later run
            output = purge("--older-than", "0d")
            assert "Removed 0 soft-deleted rows" in output
        assert Product.all_objects.filter(pk=product.json()["id"]).exists()
        assert Portion.all_objects.filter(pk=portion_id).exists()
        assert client.get(f"/v1/food-entries/{entry.json()['id']}").status_code == 200

        # Once the entry is gone too, all three go in one run.
        assert client.delete(f"/v1/food-entries/{entry.json()['id']}").status_code == 204
        output = purge("--older-than", "0d")
        assert "Removed 3 soft-deleted rows" in output
        assert not Product.all_objects.filter(pk=product.json()["id"]).exists()
        assert not Portion.all_objects.filter(pk=portion_id).exists()

    def test_old_tombstones_of_every_kind_with_and_without_references(self, device):
        free_product = aged_tombstone(ProductFactory(device=device, name="free"))
        free_portion = aged_tombstone(
            PortionFactory(product=ProductFactory(device=device, name="keeps a live product"))
        )
        # A product referenced only by its own deleted portion, which an entry uses.
        used_product = ProductFactory(device=device, name="used")
        used_portion = PortionFactory(product=used_product)
        live_entry = FoodEntryFactory(portion=used_portion)
        aged_tombstone(used_portion)
        aged_tombstone(used_product)
        # A product referenced only by an entry (through FoodEntry.product, hidden).
        history_product = ProductFactory(device=device, name="history")
        history_portion = PortionFactory(product=history_product)
        deleted_entry_of_history = aged_tombstone(FoodEntryFactory(portion=history_portion), 1)
        aged_tombstone(history_portion)
        aged_tombstone(history_product)
        old_entry = aged_tombstone(FoodEntryFactory(portion=PortionFactory()))
        goal = aged_tombstone(GoalFactory(device=device))
        weight = aged_tombstone(BodyWeightFactory(device=device))
        every_kind = {type(row) for row in (free_product, free_portion, old_entry, goal, weight)}
        assert every_kind == set(device_owned_models()), (
            "A new device-owned model: age rows of it here, with and without references."
        )

        output = purge("--older-than", "30d")

        for gone in (free_product, free_portion, old_entry, goal, weight):
            assert not exists(gone), gone
        for kept in (used_product, used_portion, live_entry):
            assert exists(kept), kept
        # A recent deleted entry still holds its portion and product.
        for kept in (deleted_entry_of_history, history_portion, history_product):
            assert exists(kept), kept
        assert "Removed 5 soft-deleted rows older than 30d." in output


@pytest.mark.django_db(transaction=True)
def test_a_batch_that_trips_a_foreign_key_is_left_for_the_next_run(monkeypatch):
    # As if a reference appeared between the purge's check and its DELETE.
    portion = PortionFactory()
    FoodEntryFactory(portion=portion)
    aged_tombstone(portion)
    weight = aged_tombstone(BodyWeightFactory())
    monkeypatch.setattr(purge_service, "references_to", lambda model: [])

    out, err = StringIO(), StringIO()
    call_command("purge_deleted", "--older-than", "30d", stdout=out, stderr=err)

    assert exists(portion)
    assert not exists(weight)  # the other kinds still go
    assert "products.Portion: a batch is still referenced" in err.getvalue()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_purges_at_once_erase_each_row_once_and_never_fail():
    # Many devices in every batch, so the two runs meet on the same device rows.
    devices = DeviceFactory.create_batch(12)
    doomed = []
    for index in range(80):
        device = devices[index % len(devices)]
        product = ProductFactory(device=device, name=f"old {index}")
        doomed += [PortionFactory(product=product), product, BodyWeightFactory(device=device)]
        doomed.append(
            FoodEntryFactory(portion=PortionFactory(product=ProductFactory(device=device)))
        )
    for row in doomed:
        aged_tombstone(row)
    expected = Counter(type(row)._meta.label for row in doomed)

    def run() -> dict[str, int]:
        return purge_service.purge_deleted(older_than=timedelta(days=30), batch_size=7)

    first, second = race(run, run)

    assert Counter(first) + Counter(second) == expected
    assert not any(exists(row) for row in doomed)
