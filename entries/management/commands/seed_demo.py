"""``manage.py seed_demo``: a few devices with a month of diary, for a living admin.

Each demo device gets products with portions, seven or eight entries a day
across meals for the last 30 days, a body weight every few days, a goal and
one soft-deleted product (to try the restore action on). Ids are fixed
(uuid5), so running it again changes nothing; ``--reset`` erases the demo
devices first. The bearer tokens it prints work against the API; the devices
are seen today (``last_seen_at``), as phones in use are.
"""

import random
import uuid
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from countonme.base.numbers import round_half_up
from devices import services as device_services
from devices.goals import calculator as calc
from devices.goals import services as goal_services
from devices.models import Device
from entries.body_weights.services import body_weight_create
from entries.models import FoodEntry, MealType
from entries.services import food_entry_create
from products import services as product_services
from products.models import Portion

DEMO_NAMESPACE = uuid.UUID("5d1f0e8a-3c4b-4f7e-8a9d-0b1c2d3e4f50")


@dataclass(frozen=True)
class DemoFood:
    """A food with its values per 100 g and a household measure."""

    name: str
    kcal: str
    protein: str
    carbs: str
    fat: str
    measure: tuple[str, str, str, str] | None  # label, amount, unit, grams in it
    meals: tuple[str, ...]
    grams: tuple[int, int]  # usual amount eaten, low and high


FOODS = [
    DemoFood(
        "Rolled oats",
        "379",
        "13.2",
        "67.7",
        "6.5",
        ("1 cup", "1", "cup", "81"),
        ("breakfast",),
        (40, 80),
    ),
    DemoFood(
        "Greek yogurt, plain",
        "97",
        "9",
        "3.98",
        "5",
        ("1 pot", "1", "pcs", "170"),
        ("breakfast", "snacks"),
        (150, 200),
    ),
    DemoFood(
        "Banana",
        "89",
        "1.09",
        "22.84",
        "0.33",
        ("1 medium", "1", "pcs", "118"),
        ("breakfast", "snacks"),
        (100, 130),
    ),
    DemoFood(
        "Wholemeal bread",
        "247",
        "13",
        "41",
        "3.4",
        ("1 slice", "1", "pcs", "32"),
        ("breakfast", "lunch"),
        (64, 96),
    ),
    DemoFood(
        "Chicken breast, grilled", "165", "31", "0", "3.6", None, ("lunch", "dinner"), (120, 200)
    ),
    DemoFood(
        "Brown rice, cooked",
        "123",
        "2.74",
        "25.6",
        "0.97",
        ("1 cup", "1", "cup", "195"),
        ("lunch", "dinner"),
        (150, 250),
    ),
    DemoFood(
        "Broccoli, steamed", "35", "2.38", "7.18", "0.41", None, ("lunch", "dinner"), (80, 150)
    ),
    DemoFood("Salmon fillet", "208", "20.4", "0", "13.4", None, ("dinner",), (120, 180)),
    DemoFood("Pasta, cooked", "158", "5.8", "30.9", "0.93", None, ("dinner", "lunch"), (180, 280)),
    DemoFood(
        "Almonds",
        "579",
        "21.2",
        "21.6",
        "49.9",
        ("1 handful", "1", "serving", "28"),
        ("snacks",),
        (20, 40),
    ),
    DemoFood("Dark chocolate 70 %", "598", "7.8", "45.9", "42.6", None, ("snacks",), (20, 40)),
]
DELETED_FOOD = DemoFood(
    "Energy drink", "45", "0", "11", "0", ("1 can", "1", "pcs", "250"), ("snacks",), (250, 250)
)
DAYS = 30


class Command(BaseCommand):
    help = "Create demo devices with a month of diary data (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--devices", type=int, default=3, help="How many demo devices.")
        parser.add_argument(
            "--reset", action="store_true", help="Erase the demo devices first, then seed."
        )

    def handle(self, *args: Any, devices: int, reset: bool, **options: Any) -> None:
        for number in range(1, devices + 1):
            device_id = uuid.uuid5(DEMO_NAMESPACE, f"demo-device-{number}")
            existing = Device.objects.filter(pk=device_id).first()
            if existing is not None and reset:
                device_services.device_erase(device=existing)
                existing = None
            if existing is not None:
                self.stdout.write(f"{device_id}  already seeded (--reset to start over)")
                continue
            token = seed_device(device_id, seed=number)
            self.stdout.write(f"{device_id}  Authorization: Bearer {token}")
        self.stdout.write(self.style.SUCCESS("Demo data ready: see /admin/devices/device/"))


@transaction.atomic
def seed_device(device_id: uuid.UUID, *, seed: int) -> str:
    """Register ``device_id`` and give it a month of data; returns its bearer token."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not a secret
    registration = device_services.device_register(device_id=device_id, presented_token=None)
    device = registration.device
    portions = {food.name: _product_with_portions(device, food) for food in FOODS}

    today = timezone.localdate()
    goal_kcal = rng.choice([1800, 2100, 2400])
    split = calc.DEFAULT_SPLITS[calc.WeightGoalType.LOSE]
    goal_services.goal_save_manual(
        device=device,
        daily_calories_kcal=goal_kcal,
        **asdict(split),
        water_ml=2500,
    )

    for offset in range(DAYS):
        day = today - timedelta(days=DAYS - 1 - offset)
        if rng.random() < 0.1:
            continue  # a day the user forgot to log
        for meal in (MealType.BREAKFAST, MealType.LUNCH, MealType.DINNER, MealType.SNACKS):
            choices = [food for food in FOODS if meal in food.meals]
            # Two foods a main meal, one or two snacks: about the goal, some days over.
            count = rng.choice([1, 2]) if meal == MealType.SNACKS else 2
            for food in rng.sample(choices, k=min(len(choices), count)):
                _log(device, portions[food.name], day, meal, food, rng)

    weight = Decimal(rng.choice([68, 76, 84]))
    for offset in range(0, DAYS, 3):
        weight -= Decimal(rng.choice(["0.1", "0.2", "0.3", "-0.1"]))
        body_weight_create(
            device=device, day=today - timedelta(days=DAYS - 1 - offset), weight_kg=weight
        )

    # The product support is asked to bring back ("I deleted it by mistake").
    deleted = _product_with_portions(device, DELETED_FOOD)
    _log(device, deleted, today - timedelta(days=2), MealType.SNACKS, DELETED_FOOD, rng)
    product_services.product_delete(product=deleted.product)
    # "Used", as a phone that synced today: the activity filters and the dashboard
    # count it. Only the stamp: the printed token keeps working.
    Device.objects.filter(pk=device.pk).update(last_seen_at=timezone.now())
    return registration.token


def _product_with_portions(device: Device, food: DemoFood) -> Portion:
    """Create the product with its "100 g" default and measure; returns the portion to log."""
    product = product_services.product_create(
        device=device,
        name=food.name,
        barcode=None,
        nutrition=product_services.Nutrition100g(
            calories=Decimal(food.kcal),
            protein=Decimal(food.protein),
            carbs=Decimal(food.carbs),
            fat=Decimal(food.fat),
        ),
    )
    default = Portion.objects.get(product=product, is_default=True)
    if food.measure is None:
        return default
    label, amount, unit, grams = food.measure
    factor = Decimal(grams) / 100
    return product_services.portion_save(
        portion=Portion(device=device, product=product),
        fields={
            "label": label,
            "base_amount": Decimal(amount),
            "base_unit": unit,
            "gram_weight": Decimal(grams),
            "calories": round_half_up(Decimal(food.kcal) * factor, 1),
            "protein": round_half_up(Decimal(food.protein) * factor, 1),
            "carbs": round_half_up(Decimal(food.carbs) * factor, 1),
            "fat": round_half_up(Decimal(food.fat) * factor, 1),
            "is_default": False,
        },
    )


def _log(
    device: Device, portion: Portion, day: date, meal: str, food: DemoFood, rng: random.Random
) -> FoodEntry:
    """Log a usual amount of ``food``, in grams, as the app's POST does."""
    return food_entry_create(
        device=device,
        product=portion.product,
        portion=portion,
        day=day,
        meal_type=meal,
        amount=Decimal(rng.randint(*food.grams)),
        unit="g",
    )
