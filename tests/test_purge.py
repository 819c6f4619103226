"""manage.py purge_deleted: only tombstones older than the window go, in batches."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from devices.models import Device
from products.models import Portion
from tests.conftest import client_for
from tests.factories import BodyWeightFactory, FoodEntryFactory, PortionFactory, ProductFactory


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
