"""A quick-add proposal with catalog matches saved in one ``POST /v1/food-entries/batch``.

A batch entry may name a catalog food (``catalog_product_id`` +
``catalog_portion_id``): the device gets its own copy of the food in the same
transaction, reused by later batches, and the entry is logged on the copy.
"""

import uuid
from decimal import Decimal

import pytest

from entries.models import FoodEntry
from products.models import Portion, Product
from tests.assertions import assert_error, assert_not_found
from tests.factories import (
    CatalogPortionFactory,
    CatalogProductFactory,
    PortionFactory,
    ProductFactory,
)

PARSE = "/v1/quick-add/parse"
BATCH = "/v1/food-entries/batch"


@pytest.fixture
def oats(device):
    """The device's own oats: 380 kcal per 100 g."""
    return PortionFactory(
        product=ProductFactory(device=device, name="Morning oats"), calories=Decimal(380)
    )


def batch_entry(item: dict, **overrides) -> dict:
    """A proposal item as a batch entry, as the schema documents it for both kinds."""
    match = item["match"]
    if match["kind"] == "product":
        food = {"product_id": match["id"], "portion_id": match["portion_id"]}
    else:
        food = {"catalog_product_id": match["id"], "catalog_portion_id": match["portion_id"]}
    return {
        "id": str(uuid.uuid4()),
        **food,
        "day": "2026-03-14",
        "meal_type": "breakfast",
        "amount": item["quantity"],
        "unit": item["unit"],
        **overrides,
    }


def catalog_entry(portion, **overrides) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "catalog_product_id": str(portion.product_id),
        "catalog_portion_id": str(portion.id),
        "day": "2026-03-14",
        "meal_type": "lunch",
        "amount": "1",
        "unit": "pcs",
        **overrides,
    }


def copies_of(device, food) -> list[Product]:
    return list(Product.all_objects.filter(device=device, copied_from_catalog=food.pk))


@pytest.mark.django_db
class TestCatalogEntries:
    def test_a_proposal_with_a_catalog_match_saves_in_one_call(
        self, device_client, device, banana_catalog, oats
    ):
        food, default, medium = banana_catalog
        proposal = device_client.post(
            PARSE, {"text": "a banana and 50 g morning oats"}, format="json"
        ).json()
        assert [item["match"]["kind"] for item in proposal["items"]] == ["catalog", "product"]
        assert proposal["items"][0]["match"]["portion_id"] == str(medium.id)

        saved = device_client.post(
            BATCH, {"entries": [batch_entry(item) for item in proposal["items"]]}, format="json"
        )

        assert saved.status_code == 201, saved.content
        rows = saved.json()
        assert (
            [row["calories"] for row in rows]
            == [item["nutrition"]["calories"] for item in proposal["items"]]
            == ["105.020", "190.000"]
        )
        [copy] = copies_of(device, food)
        assert (copy.name, copy.barcode, copy.is_deleted) == ("Bananas, raw", None, False)
        portions = {p.copied_from_catalog: p for p in Portion.objects.filter(product=copy)}
        assert set(portions) == {default.id, medium.id}
        copied_medium = portions[medium.id]
        assert [
            (getattr(copied_medium, name), getattr(portions[default.id], name))
            for name in ("label", "base_amount", "base_unit", "gram_weight", "calories")
        ] == [
            ("1 medium", "100 g"),
            (Decimal(1), Decimal(100)),
            ("pcs", "g"),
            (Decimal(118), Decimal(100)),  # a mass portion carries its mass
            (Decimal("105.02"), Decimal(89)),
        ]
        assert (copied_medium.protein, copied_medium.carbs, copied_medium.fat) == (
            Decimal("1.286"),
            Decimal("26.951"),
            Decimal("0.389"),
        )
        assert (portions[default.id].is_default, copied_medium.is_default) == (True, False)
        assert (rows[0]["product_id"], rows[0]["portion_id"]) == (
            str(copy.id),
            str(copied_medium.id),
        )
        entry = FoodEntry.objects.get(pk=rows[0]["id"])
        assert (entry.device_id, entry.product_id, entry.portion_id, entry.calories) == (
            device.id,
            copy.id,
            copied_medium.id,
            Decimal("105.02"),
        )
        assert Product.objects.filter(device=device).count() == 2  # the oats and the copy

    def test_a_later_batch_reuses_the_devices_copy(self, device_client, device, banana_catalog):
        food, default, medium = banana_catalog
        device_client.post(BATCH, {"entries": [catalog_entry(medium)]}, format="json")
        [copy] = copies_of(device, food)

        again = device_client.post(
            BATCH,
            {
                "entries": [
                    catalog_entry(default, amount="150", unit="g"),
                    catalog_entry(medium, amount="2"),
                ]
            },
            format="json",
        )

        assert again.status_code == 201, again.content
        assert [row["product_id"] for row in again.json()] == [str(copy.id)] * 2
        assert [row["calories"] for row in again.json()] == ["133.500", "210.040"]
        assert copies_of(device, food) == [copy]
        assert Portion.all_objects.filter(product=copy).count() == 2
        assert FoodEntry.objects.filter(product=copy).count() == 3

    def test_a_deleted_copy_is_not_reused_and_a_deleted_portion_is_copied_again(
        self, device_client, device, banana_catalog
    ):
        food, _default, medium = banana_catalog
        device_client.post(BATCH, {"entries": [catalog_entry(medium)]}, format="json")
        [copy] = copies_of(device, food)
        Portion.objects.get(product=copy, copied_from_catalog=medium.id).delete()

        response = device_client.post(BATCH, {"entries": [catalog_entry(medium)]}, format="json")

        assert response.status_code == 201
        live = Portion.objects.filter(product=copy)
        assert sorted((p.label, p.is_default) for p in live) == [
            ("1 medium", False),
            ("100 g", True),
        ]
        assert response.json()[0]["portion_id"] == str(live.get(label="1 medium").id)

        copy.delete()
        response = device_client.post(BATCH, {"entries": [catalog_entry(medium)]}, format="json")

        assert response.status_code == 201
        [fresh] = Product.objects.filter(device=device, copied_from_catalog=food.pk)
        assert fresh.pk != copy.pk
        assert response.json()[0]["product_id"] == str(fresh.pk)

    def test_the_devices_product_with_the_foods_barcode_is_used(self, device_client, device, oats):
        food = CatalogProductFactory(name="Oat flakes", barcode="4006040000013")
        catalog_100g = CatalogPortionFactory(product=food, calories=Decimal(370))
        scanned = ProductFactory(device=device, name="My oats", barcode="04006040000013")
        mine = PortionFactory(product=scanned, calories=Decimal(380))

        response = device_client.post(
            BATCH, {"entries": [catalog_entry(catalog_100g, amount="50", unit="g")]}, format="json"
        )

        assert response.status_code == 201, response.content
        assert response.json()[0]["product_id"] == str(scanned.pk)
        assert response.json()[0]["calories"] == "185.000"  # the catalog's values, copied
        assert Product.objects.filter(device=device, barcode_key=scanned.barcode_key).count() == 1
        added = Portion.objects.get(product=scanned, copied_from_catalog=catalog_100g.id)
        assert (added.is_default, Portion.objects.get(pk=mine.pk).is_default) == (False, True)

    def test_one_bad_entry_rolls_back_the_copies_too(
        self, device_client, device, banana_catalog, oats
    ):
        food, default, medium = banana_catalog
        device.refresh_from_db()
        version = device.last_version
        bodies = [
            catalog_entry(medium),
            {**catalog_entry(default), "unit": "ml"},  # 100 g cannot be measured in ml
        ]

        response = device_client.post(BATCH, {"entries": bodies}, format="json")

        assert_error(response, 400, "unit_mismatch", "entries.1.unit")
        assert not copies_of(device, food)
        assert not Portion.all_objects.filter(copied_from_catalog__isnull=False).exists()
        assert not FoodEntry.all_objects.exists()
        device.refresh_from_db()
        assert device.last_version == version

    def test_each_device_gets_its_own_copy(
        self, device_client, device, other_client, other_device, banana_catalog
    ):
        food, _default, medium = banana_catalog
        other_client.post(BATCH, {"entries": [catalog_entry(medium)]}, format="json")
        [theirs] = copies_of(other_device, food)

        response = device_client.post(BATCH, {"entries": [catalog_entry(medium)]}, format="json")

        assert response.status_code == 201
        [mine] = copies_of(device, food)
        assert mine.pk != theirs.pk
        assert response.json()[0]["product_id"] == str(mine.pk)
        assert FoodEntry.objects.get(pk=response.json()[0]["id"]).device_id == device.pk
        assert Portion.objects.filter(product=theirs).count() == 2
        assert FoodEntry.objects.filter(device=other_device).count() == 1

    def test_a_replay_changes_nothing(self, device_client, device, banana_catalog):
        food, default, medium = banana_catalog
        bodies = [catalog_entry(medium), catalog_entry(default, amount="30", unit="g")]
        first = device_client.post(BATCH, {"entries": bodies}, format="json")
        device.refresh_from_db()
        version = device.last_version

        again = device_client.post(BATCH, {"entries": bodies}, format="json")

        assert again.status_code == 201
        assert again.json() == first.json()
        assert len(copies_of(device, food)) == 1
        assert FoodEntry.all_objects.count() == 2
        device.refresh_from_db()
        assert device.last_version == version

    @pytest.mark.parametrize(
        ("change", "status", "code", "attr"),
        [
            ({"product_id": "{product}"}, 400, "invalid", "entries.1.product_id"),
            ({"portion_id": "{portion}"}, 400, "invalid", "entries.1.portion_id"),
            ({"catalog_portion_id": None}, 400, "required", "entries.1.catalog_portion_id"),
            ({"catalog_product_id": None}, 400, "required", "entries.1.catalog_product_id"),
            ({"catalog_product_id": "banana"}, 400, "invalid", "entries.1.catalog_product_id"),
            ({"catalog_portion_id": 7}, 400, "invalid", "entries.1.catalog_portion_id"),
            ({"catalog_product_id": "{unknown}"}, 404, "not_found", "entries.1.catalog_product_id"),
            ({"catalog_portion_id": "{unknown}"}, 404, "not_found", "entries.1.catalog_portion_id"),
            ({"catalog_portion_id": "{apple}"}, 404, "not_found", "entries.1.catalog_portion_id"),
        ],
    )
    def test_bad_catalog_entries_are_refused_and_store_nothing(
        self, device_client, device, banana_catalog, oats, change, status, code, attr
    ):
        _food, default, medium = banana_catalog
        apple = CatalogPortionFactory(product=CatalogProductFactory(name="Apples, raw"))
        names = {
            "{product}": str(oats.product_id),
            "{portion}": str(oats.id),
            "{unknown}": str(uuid.uuid4()),
            "{apple}": str(apple.id),
        }
        body = catalog_entry(medium)
        for field, value in change.items():
            if value is None:
                del body[field]
            else:
                body[field] = names.get(value, value)

        response = device_client.post(
            BATCH,
            {"entries": [catalog_entry(default, amount="100", unit="g"), body]},
            format="json",
        )

        if status == 404:
            assert_not_found(response, attr)
        else:
            assert_error(response, status, code, attr)
        assert not Product.all_objects.filter(copied_from_catalog__isnull=False).exists()
        assert not FoodEntry.all_objects.exists()

    def test_a_catalog_portion_beyond_the_limits_is_refused_and_never_copied(
        self, device_client, device, banana_catalog
    ):
        # An import older than the limits: "1,000 ml" read as 1 ml weighing 1 kg.
        food, default, _medium = banana_catalog
        litre = CatalogPortionFactory(
            product=food,
            label="1,000 ml",
            base_amount=Decimal(1),
            base_unit="ml",
            gram_weight=Decimal(1000),
            calories=Decimal(890),
            is_default=False,
        )

        response = device_client.post(
            BATCH,
            {"entries": [catalog_entry(litre, amount="250", unit="ml")]},
            format="json",
        )

        body = assert_error(response, 400, "implausible_density", "entries.0.catalog_portion_id")
        assert "1000 g per ml" in body["errors"][0]["detail"]
        assert not copies_of(device, food)
        assert not FoodEntry.all_objects.exists()
        # Its sound portions are logged, and the broken one is never copied.
        saved = device_client.post(
            BATCH,
            {"entries": [catalog_entry(default, amount="100", unit="g")]},
            format="json",
        )
        assert saved.status_code == 201, saved.content
        [copy] = copies_of(device, food)
        assert sorted(Portion.objects.filter(product=copy).values_list("label", flat=True)) == [
            "1 medium",
            "100 g",
        ]

    def test_ten_catalog_entries_in_a_bounded_number_of_queries(
        self, device_client, device, django_assert_max_num_queries
    ):
        foods = [CatalogProductFactory() for _ in range(10)]
        portions = [CatalogPortionFactory(product=food) for food in foods]
        for food in foods:
            CatalogPortionFactory(
                product=food,
                label="1 cup",
                base_amount=Decimal(1),
                base_unit="cup",
                gram_weight=Decimal(150),
                is_default=False,
            )
        bodies = [catalog_entry(portion, amount="80", unit="g") for portion in portions]

        # Measured 275. Per new food (27): the catalog portion, the copy looked up by
        # origin, the product (version, insert, savepoint), its two portions (each: a
        # savepoint, the default rules' checks, version, insert; the default's
        # restamp of the product), the catalog's portions; then the entry as any
        # other (its id's owner, product, portion, savepoint, version, insert).
        with django_assert_max_num_queries(10 * 28 + 10):
            response = device_client.post(BATCH, {"entries": bodies}, format="json")

        assert response.status_code == 201, response.content
        assert Product.objects.filter(device=device).count() == 10
        assert Portion.objects.filter(device=device).count() == 20

        # The second time every copy is found (measured 104): the catalog portion,
        # the product and the portion by origin, then the entry; no copy writes.
        again = [catalog_entry(portion, amount="80", unit="g") for portion in portions]
        with django_assert_max_num_queries(10 * 10 + 10):
            response = device_client.post(BATCH, {"entries": again}, format="json")

        assert response.status_code == 201
        assert Portion.objects.filter(device=device).count() == 20
