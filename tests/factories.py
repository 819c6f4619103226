"""factory_boy factories for every model the tests build rows of."""

import hashlib
import uuid
from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from devices import tokens
from devices.models import Device, Goal
from entries.models import BodyWeight, FoodEntry
from products.limits import mass_gram_weight
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
    # As the API and the data migration leave it: a mass portion carries its mass.
    gram_weight = factory.LazyAttribute(lambda o: mass_gram_weight(o.base_amount, o.base_unit))
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
    kcal_100g = Decimal("89")
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
    # As the importer writes it: a mass portion carries its mass.
    gram_weight = factory.LazyAttribute(lambda o: mass_gram_weight(o.base_amount, o.base_unit))
    calories = factory.LazyAttribute(lambda o: o.product.kcal_100g)
    protein = factory.LazyAttribute(lambda o: o.product.protein_100g)
    carbs = factory.LazyAttribute(lambda o: o.product.carbs_100g)
    fat = factory.LazyAttribute(lambda o: o.product.fat_100g)
    is_default = True


# --- Goals and body weights ----------------------------------------------------------


def _thirty_years_ago() -> date:
    """1 January thirty years back: the age is 30 on any day of this year."""
    return date(timezone.localdate().year - 30, 1, 1)


class GoalFactory(DjangoModelFactory):
    """A calculated goal: docs/api.md §7's worked example (male, 30 y, 180 cm, 80 kg, maintain).

    ``GoalFactory(manual=True)`` makes a manual goal of 2000 kcal, 30/40/30 %, 2000 ml.
    """

    class Meta:
        model = Goal

    class Params:
        manual = factory.Trait(
            goal_type="manual",
            gender=None,
            birth_date=None,
            height_cm=None,
            current_weight_kg=None,
            activity_level=None,
            weight_goal_type=None,
            bmr_kcal=None,
            tdee_kcal=None,
            daily_calories_kcal=2000,
            protein_percent=30,
            carbs_percent=40,
            fat_percent=30,
            protein_grams=150,
            carbs_grams=200,
            fat_grams=66,
            water_ml=2000,
            healthy_weight_min_kg=None,
            healthy_weight_max_kg=None,
            current_bmi=None,
            bmi_category=None,
        )

    device = factory.SubFactory(DeviceFactory)
    goal_type = "calculated"
    gender = "male"
    birth_date = factory.LazyFunction(_thirty_years_ago)
    height_cm = Decimal("180")
    current_weight_kg = Decimal("80")
    target_weight_kg = None
    activity_level = "moderate"
    weight_goal_type = "maintain"
    weight_change_pace = None
    bmr_kcal = 1780
    tdee_kcal = 2759
    daily_calories_kcal = 2759
    protein_percent = 25
    carbs_percent = 45
    fat_percent = 30
    protein_grams = 172
    carbs_grams = 310
    fat_grams = 91
    water_ml = 2640
    healthy_weight_min_kg = Decimal("59.9")
    healthy_weight_max_kg = Decimal("80.7")
    current_bmi = Decimal("24.7")
    bmi_category = "normal"


class BodyWeightFactory(DjangoModelFactory):
    """A weigh-in of 80 kg; consecutive days from 1 January 2026."""

    class Meta:
        model = BodyWeight

    device = factory.SubFactory(DeviceFactory)
    day = factory.Sequence(lambda n: date(2026, 1, 1) + timedelta(days=n))
    weight_kg = Decimal("80.000")


class FoodEntryFactory(DjangoModelFactory):
    """50 g of a 200 kcal/100 g portion at lunch, with its snapshot (100 kcal)."""

    class Meta:
        model = FoodEntry

    portion = factory.SubFactory(PortionFactory)
    product = factory.SelfAttribute("portion.product")
    device = factory.SelfAttribute("portion.device")
    day = date(2026, 3, 14)
    meal_type = "lunch"
    amount = Decimal(50)
    unit = "g"
    calories = Decimal(100)
    protein = Decimal(5)
    carbs = Decimal(10)
    fat = Decimal("2.5")


def entry_factory(device=None, **kwargs):
    """An entry of ``device`` (a new device when None) with its own product."""
    product = ProductFactory(device=device) if device is not None else ProductFactory()
    return FoodEntryFactory(portion=PortionFactory(product=product), **kwargs)
