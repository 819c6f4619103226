"""The soft-delete base and change stamping (countonme.base.models)."""

import pytest
from django.db import IntegrityError, transaction

from devices.models import Device
from products.models import Portion, Product
from tests.factories import DeviceFactory, PortionFactory, ProductFactory


def counter(device) -> int:
    return Device.objects.values_list("last_version", flat=True).get(pk=device.pk)


@pytest.mark.django_db
class TestManagers:
    def test_objects_hides_deleted_rows_all_objects_keeps_them(self):
        live, gone = ProductFactory.create_batch(2)
        gone.delete()
        assert list(Product.objects.all()) == [live]
        assert set(Product.all_objects.all()) == {live, gone}
        assert Product._default_manager is Product.objects

    def test_instance_delete_is_soft_and_restore_undoes_it(self):
        product = ProductFactory()
        product.delete()
        stored = Product.all_objects.get(pk=product.pk)
        assert stored.deleted_at is not None
        assert stored.is_deleted
        stored.restore()
        assert Product.objects.get(pk=product.pk).deleted_at is None

    def test_queryset_delete_is_a_single_update(self, django_assert_num_queries):
        device = DeviceFactory()
        ProductFactory.create_batch(50, device=device)
        # Find the devices, bump their counter, UPDATE the rows: 3 whatever the row count.
        with django_assert_num_queries(3):
            count, per_model = Product.objects.filter(device=device).delete()
        assert count == 50
        assert per_model == {"products.Product": 50}
        assert Product.objects.count() == 0
        assert Product.all_objects.filter(deleted_at__isnull=False).count() == 50

    def test_queryset_restore(self):
        products = ProductFactory.create_batch(3)
        Product.objects.all().delete()
        assert Product.all_objects.all().restore() == 3
        assert set(Product.objects.all()) == set(products)

    def test_hard_delete_erases(self):
        portion = PortionFactory()
        portion.product.hard_delete()
        assert not Product.all_objects.exists()
        assert not Portion.all_objects.exists()

    def test_reverse_related_manager_shows_live_rows_only(self):
        kept = PortionFactory()
        dropped = PortionFactory(product=kept.product, is_default=False, label="slice")
        dropped.delete()
        assert list(kept.product.portions.all()) == [kept]

    def test_uniqueness_holds_among_live_rows_only(self):
        first = PortionFactory(is_default=True)
        with pytest.raises(IntegrityError), transaction.atomic():
            PortionFactory(product=first.product, is_default=True)
        first.delete()
        second = PortionFactory(product=first.product, is_default=True)
        assert Portion.objects.get(product=first.product, is_default=True) == second


@pytest.mark.django_db
class TestVersionStamping:
    def test_every_write_takes_the_next_version_of_its_device(self):
        product = ProductFactory()
        device = product.device
        assert product.version == counter(device) == 1
        product.name = "Renamed"
        product.save()
        assert product.version == counter(device) == 2
        product.delete()
        assert Product.all_objects.get(pk=product.pk).version == counter(device) == 3
        product.restore()
        assert Product.objects.get(pk=product.pk).version == counter(device) == 4

    def test_devices_count_independently(self):
        first, second = ProductFactory(), ProductFactory()
        ProductFactory(device=first.device)
        assert counter(first.device) == 2
        assert counter(second.device) == 1

    def test_bulk_soft_delete_stamps_every_row_of_every_device(self):
        one, two = DeviceFactory(), DeviceFactory()
        ProductFactory.create_batch(3, device=one)
        ProductFactory.create_batch(2, device=two)
        before = {one.pk: counter(one), two.pk: counter(two)}

        Product.objects.all().delete()

        for device in (one, two):
            assert counter(device) == before[device.pk] + 1
            versions = set(
                Product.all_objects.filter(device=device).values_list("version", flat=True)
            )
            assert versions == {counter(device)}

    def test_bulk_update_does_not_reach_other_devices(self):
        mine, theirs = ProductFactory(), ProductFactory()
        Product.objects.filter(device=mine.device).update(name="Bulk")
        theirs.refresh_from_db()
        assert theirs.name != "Bulk"
        assert theirs.version == 1
        mine.refresh_from_db()
        assert (mine.name, mine.version) == ("Bulk", 2)

    def test_bulk_update_and_bulk_create_stamp_too(self):
        device = DeviceFactory()
        created = Product.objects.bulk_create(ProductFactory.build_batch(3, device=device))
        assert {p.version for p in created} == {1}
        for product in created:
            product.name = f"{product.name}!"
        Product.objects.bulk_update(created, ["name"])
        assert set(Product.objects.values_list("version", flat=True)) == {2}
        assert counter(device) == 2

    def test_updates_through_update_fields_stamp(self):
        product = ProductFactory()
        product.name = "Partial"
        product.save(update_fields=["name"])
        stored = Product.objects.get(pk=product.pk)
        assert (stored.name, stored.version) == ("Partial", 2)

    def test_nothing_to_update_stamps_nothing(self):
        device = DeviceFactory()
        assert Product.objects.filter(device=device).update(name="x") == 0
        assert counter(device) == 0
