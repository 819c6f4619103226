"""factory_boy factories for every model the tests build rows of."""

import hashlib
import uuid
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from devices import tokens
from devices.models import Device
from products.models import Portion, Product


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
