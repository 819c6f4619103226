"""Migrations that move data: body weights from ``devices`` to ``entries`` keep every row.

Runs the real migrations backwards to the state before the move, writes a
body weight (a live one, a deleted one), an admin history line and a support
user there with the historical models, migrates forwards again and reads
everything back through the models of today. On SQLite and on PostgreSQL.
"""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from devices.models import Device
from entries.models import BodyWeight
from products.models import CatalogPortion, Portion
from tests.factories import BodyWeightFactory

BEFORE_THE_SUPPORT_GROUP = [("entries", "0002_back_office_permissions")]
BEFORE_THE_MOVE = [("devices", "0006_back_office_permissions"), ("entries", "0003_support_group")]


def migrate(targets: list[tuple[str, str]]):
    """Migrate the test database to ``targets``; the historical apps at that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def written_before_the_move(apps) -> dict:
    """A device with a live and a deleted weight, a history line, a support user."""
    Device = apps.get_model("devices", "Device")
    OldBodyWeight = apps.get_model("devices", "BodyWeight")
    ContentType = apps.get_model("contenttypes", "ContentType")
    device = Device.objects.create(id=uuid.uuid4(), token_hash="0" * 64)
    live = OldBodyWeight.objects.create(
        device=device, day=date(2026, 3, 1), weight_kg=Decimal("81.250"), version=1
    )
    deleted = OldBodyWeight.objects.create(
        device=device,
        day=date(2026, 3, 1),
        weight_kg=Decimal("82.000"),
        version=2,
        deleted_at=timezone.now(),
    )
    content_type = ContentType.objects.get(app_label="devices", model="bodyweight")
    user = apps.get_model("auth", "User").objects.create(username="support-1", is_staff=True)
    user.groups.add(apps.get_model("auth", "Group").objects.get(name="support"))
    apps.get_model("admin", "LogEntry").objects.create(
        user=user,
        content_type_id=content_type.pk,
        object_id=str(live.pk),
        object_repr="2026-03-01: 81.25 kg",
        action_flag=2,
        change_message="Restored",
    )
    return {
        "device": device.pk,
        "live": live.pk,
        "deleted": deleted.pk,
        "content_type": content_type.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_body_weights_move_to_entries_with_their_rows_permissions_and_history():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    # Back to before the support group, then forwards: its data migration runs
    # again, whatever an earlier transactional test's flush left behind.
    migrate(BEFORE_THE_SUPPORT_GROUP)
    old = written_before_the_move(migrate(BEFORE_THE_MOVE))
    try:
        migrate(latest)
    finally:
        ContentType.objects.clear_cache()

    rows = BodyWeight.all_objects.order_by("version")
    assert [(w.pk, w.device_id, w.day, w.weight_kg, w.is_deleted) for w in rows] == [
        (old["live"], old["device"], date(2026, 3, 1), Decimal("81.250"), False),
        (old["deleted"], old["device"], date(2026, 3, 1), Decimal("82.000"), True),
    ]
    # The same content type row, relabelled: permissions and history follow it.
    content_type = ContentType.objects.get_for_model(BodyWeight)
    assert (content_type.pk, content_type.app_label) == (old["content_type"], "entries")
    assert not ContentType.objects.filter(app_label="devices", model="bodyweight").exists()
    restore = Permission.objects.get(codename="restore_bodyweight")
    assert restore.content_type_id == content_type.pk
    support = User.objects.get(username="support-1")
    assert support.has_perm("entries.restore_bodyweight")
    assert support.has_perm("entries.view_bodyweight")
    assert not support.has_perm("entries.change_bodyweight")
    (history,) = LogEntry.objects.filter(object_id=str(old["live"]))
    assert history.content_type_id == content_type.pk
    assert history.get_edited_object().weight_kg == Decimal("81.250")
    # The constraints came along: one live weight a day, weights in range.
    with pytest.raises(IntegrityError), transaction.atomic():
        BodyWeightFactory(device_id=old["device"], day=date(2026, 3, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        BodyWeightFactory(device_id=old["device"], day=date(2026, 3, 2), weight_kg=Decimal(0))


@pytest.mark.django_db
def test_the_table_and_its_indexes_carry_the_entries_names():
    """What a reader of the database finds: the diary's names, the app-free constraint names."""
    assert BodyWeight._meta.db_table == "entries_bodyweight"
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "entries_bodyweight")
    assert {
        "entries_bodyweight_sync",
        "bodyweight_one_live_per_day",
        "bodyweight_weight_range",
    } <= set(constraints)
    assert constraints["bodyweight_one_live_per_day"]["unique"]


BEFORE_THE_GRAM_WEIGHTS = [("products", "0008_default_verbose_names")]


def mass_portions_without_weights(apps) -> dict:
    """Catalog and device portions as imports and the API left them: mass portions unweighed."""
    Device = apps.get_model("devices", "Device")
    Product = apps.get_model("products", "Product")
    Portion = apps.get_model("products", "Portion")
    CatalogProduct = apps.get_model("products", "CatalogProduct")
    CatalogPortion = apps.get_model("products", "CatalogPortion")
    food = CatalogProduct.objects.create(
        id=uuid.uuid4(), source="off", source_id="1", name="Juice", display_name="Juice"
    )

    def catalog_portion(label, amount, unit, grams=None, default=False):
        return CatalogPortion.objects.create(
            id=uuid.uuid4(),
            product=food,
            label=label,
            base_amount=Decimal(amount),
            base_unit=unit,
            gram_weight=grams,
            calories=Decimal(45),
            is_default=default,
        ).pk

    device = Device.objects.create(id=uuid.uuid4(), token_hash="0" * 64, last_version=7)
    product = Product.objects.create(device=device, name="Oats", version=7)

    def device_portion(label, amount, unit, default=False):
        return Portion.objects.create(
            device=device,
            product=product,
            label=label,
            base_amount=Decimal(amount),
            base_unit=unit,
            calories=Decimal(1),
            is_default=default,
            version=7,
        ).pk

    return {
        "device": device.pk,
        "catalog": {
            catalog_portion("100 g", 100, "g", default=True): Decimal("100.000"),
            catalog_portion("250 ml", 250, "ml", grams=Decimal(260)): Decimal("260.000"),
            catalog_portion("1 serving", 1, "serving"): None,
            catalog_portion("1.5 mg", "1.5", "mg"): Decimal("0.002"),  # half up
            catalog_portion("0.4 mg", "0.4", "mg"): None,  # under a 3-place gram
        },
        "device_portions": {
            device_portion("100 g", 100, "g", default=True): Decimal("100.000"),
            device_portion("0.25 kg", "0.25", "kg"): Decimal("250.000"),
            device_portion("1 cup", 1, "cup"): None,
            device_portion("2000 kg", 2000, "kg"): None,  # past the API's 1,000,000 g
        },
    }


@pytest.mark.django_db(transaction=True)
def test_mass_portions_already_stored_get_their_gram_weight():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = mass_portions_without_weights(migrate(BEFORE_THE_GRAM_WEIGHTS))
    migrate(latest)

    catalog = dict(CatalogPortion.objects.values_list("pk", "gram_weight"))
    assert {pk: catalog[pk] for pk in old["catalog"]} == old["catalog"]
    rows = {row.pk: row for row in Portion.all_objects.filter(device_id=old["device"])}
    assert {pk: rows[pk].gram_weight for pk in old["device_portions"]} == old["device_portions"]
    # Changed device rows carry fresh versions of their device, so sync sends them.
    device = Device.objects.get(pk=old["device"])
    filled = {pk for pk, grams in old["device_portions"].items() if grams is not None}
    assert {pk for pk, row in rows.items() if row.version > 7} == filled
    assert all(rows[pk].version <= device.last_version for pk in filled)
    assert device.last_version > 7


def test_the_plainness_refill_rescores_only_the_rows_asked_for(db):
    from django.db.models import Q

    from products.derived_columns import refill_plainness
    from products.models import CatalogProduct
    from products.relevance import plainness
    from tests.factories import CatalogProductFactory

    yolk = CatalogProductFactory(name="Egg, yolk, raw, fresh")
    rice = CatalogProductFactory(name="Rice, white, long-grain, regular, raw, enriched")
    CatalogProduct.objects.filter(pk__in=[yolk.pk, rice.pk]).update(plainness=0)
    refill_plainness(CatalogProduct, Q(name_folded__startswith="egg"))
    stored = dict(CatalogProduct.objects.values_list("pk", "plainness"))
    assert stored[yolk.pk] == plainness(yolk.name) != 0
    assert stored[rice.pk] == 0  # not asked for
    refill_plainness(CatalogProduct)
    assert CatalogProduct.objects.get(pk=rice.pk).plainness == plainness(rice.name)
