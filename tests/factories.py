"""factory_boy factories for every model the tests build rows of."""

import hashlib
import uuid
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from devices import tokens
from devices.models import Device
from products.models import (
    CatalogPortion,
    CatalogProduct,
    Portion,
    Product,
    catalog_portion_id,
    catalog_product_id,
)


def test_secret(device_id: uuid.UUID) -> str:
    """A per-device secret the tests can recompute (64 hex characters)."""
    return hashlib.sha256(b"test-secret" + device_id.bytes).hexdigest()


class DeviceFactory(DjangoModelFactory):
    """A device; ``device.token`` is its bearer token."""

    class Meta:
        model = Device
        skip_postgeneration_save = True

    id = factory.LazyFunction(uuid.uuid4)
    token_hash = factory.LazyAttribute(lambda o: tokens.hash_secret(test_secret(o.id)))

    @factory.post_generation
    def token(obj: Device, create: bool, extracted: object, **kwargs: object) -> None:
        obj.token = tokens.format_token(obj.id, test_secret(obj.id))


class ProductFactory(DjangoModelFactory):
    """A product of a device (a new device unless one is given)."""

    class Meta:
        model = Product

    device = factory.SubFactory(DeviceFactory)
    name = factory.Sequence(lambda n: f"Product {n:04d}")
    barcode = None


class PortionFactory(DjangoModelFactory):
    """A portion of a product: 100 g, 200 kcal, default."""

    class Meta:
        model = Portion

    product = factory.SubFactory(ProductFactory)
    device = factory.SelfAttribute("product.device")
    label = "100 g"
    base_amount = Decimal("100")
    base_unit = "g"
    gram_weight = None
    calories = Decimal("200")
    protein = Decimal("10")
    carbs = Decimal("20")
    fat = Decimal("5")
    is_default = True


class CatalogProductFactory(DjangoModelFactory):
    """A catalog food with per-100 g values (no portions unless added)."""

    class Meta:
        model = CatalogProduct

    source = "usda"
    source_id = factory.Sequence(lambda n: f"{90000 + n}")
    id = factory.LazyAttribute(lambda o: catalog_product_id(o.source, o.source_id))
    name = factory.Sequence(lambda n: f"Food {n:04d}")
    display_name = factory.LazyAttribute(lambda o: o.name)
    category = "Fruits and Fruit Juices"
    calories_100g = Decimal("89")
    protein_100g = Decimal("1.09")
    carbs_100g = Decimal("22.84")
    fat_100g = Decimal("0.33")


class CatalogPortionFactory(DjangoModelFactory):
    """A catalog portion: the default "100 g" unless told otherwise."""

    class Meta:
        model = CatalogPortion

    product = factory.SubFactory(CatalogProductFactory)
    id = factory.LazyAttribute(lambda o: catalog_portion_id(o.product.id, o.label))
    label = "100 g"
    base_amount = Decimal("100")
    base_unit = "g"
    calories = factory.LazyAttribute(lambda o: o.product.calories_100g)
    protein = factory.LazyAttribute(lambda o: o.product.protein_100g)
    carbs = factory.LazyAttribute(lambda o: o.product.carbs_100g)
    fat = factory.LazyAttribute(lambda o: o.product.fat_100g)
    is_default = True


# --- Goals and body weights ----------------------------------------------------------
# Imported here because this section was appended while the top of the module
# was being edited concurrently; hoist these when convenient.
