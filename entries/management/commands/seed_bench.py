"""``manage.py seed_bench``: fill the database with benchmark devices, fast.

Writes devices, products (each with a default portion "100 g"), a manual goal,
``--days`` × ``--per-day`` food entries and a body weight every third day (122
over a year: the body-weight list of ``make bench``) per device straight into
the tables: ``COPY`` on PostgreSQL, batched ``INSERT`` on SQLite. 8 devices × 365
days × 4 entries take about a second; 1,000 × 365 × 5 (1.8 M entries) well
under a minute. Then it writes the wrk data file (``bench/scenarios.lua``
reads it): the device tokens and each device's product and portion ids.

The tokens are hashed with this instance's ``DEVICE_TOKEN_PEPPER``: serve the
database with the same pepper or every request is 401. Rows are the shape
the API writes (live, version-stamped, nutrition snapshots computed from the
portion), so every endpoint reads them as it reads the app's own.
"""

import datetime as dt
import random
import uuid
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.utils import timezone

from countonme.base.models import device_owned_models
from countonme.base.numbers import round_half_up
from devices import tokens
from devices.models import Device, Goal, GoalType
from entries.models import BodyWeight, FoodEntry, MealType
from products.derived_columns import fill_derived_columns
from products.models import Portion, Product, Unit
from products.nutrients import NUTRIENTS

# Name, then kcal, protein, carbs and fat per 100 g (USDA SR28's figures, rounded):
# real foods, within the physical limits a write checks (products.limits).
FOODS = [
    ("Oats", 389, 16.9, 66.3, 6.9), ("Milk", 61, 3.2, 4.8, 3.3),
    ("Chicken breast", 165, 31, 0, 3.6), ("Rice", 130, 2.7, 28, 0.3),
    ("Apple", 52, 0.3, 13.8, 0.2), ("Banana", 89, 1.1, 22.8, 0.3),
    ("Bread", 265, 9, 49, 3.2), ("Egg", 155, 13, 1.1, 11), ("Cheese", 402, 25, 1.3, 33),
    ("Yoghurt", 59, 10, 3.6, 0.4), ("Salmon", 208, 20, 0, 13), ("Pasta", 131, 5, 25, 1.1),
    ("Olive oil", 884, 0, 0, 100), ("Tomato", 18, 0.9, 3.9, 0.2), ("Potato", 77, 2, 17, 0.1),
    ("Beef", 250, 26, 0, 15), ("Broccoli", 34, 2.8, 7, 0.4), ("Almonds", 579, 21, 22, 50),
    ("Butter", 717, 0.9, 0.1, 81), ("Orange", 47, 0.9, 12, 0.1),
]  # fmt: skip
MEALS = [MealType.BREAKFAST, MealType.LUNCH, MealType.DINNER, MealType.SNACKS]
MEAL_HOURS = {MealType.BREAKFAST: 8, MealType.LUNCH: 12, MealType.DINNER: 19, MealType.SNACKS: 16}
THOUSANDTH = Decimal("0.001")
# Every seeded row carries this version; each device's counter is set to it.
SEED_VERSION = 1
COPY_BATCH = 5000
# A weigh-in every third day: 122 over 365 days, as an app user who weighs twice a week.
WEIGHT_EVERY_DAYS = 3


def table_rows(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> Iterator[tuple]:
    """Each row (field name → Python value) as a tuple in ``model``'s column order.

    A column the row does not name gets the field's default (None without one).
    """
    fields = model._meta.concrete_fields
    defaults = [field.get_default() for field in fields]
    for row in rows:
        yield tuple(
            row.get(field.attname, default) for field, default in zip(fields, defaults, strict=True)
        )


def product_row(**values: Any) -> dict[str, Any]:
    """A product's columns, its derived ones (folded name, barcode key) as a save sets them."""
    product = Product(**values)
    fill_derived_columns(product)
    return {
        field.attname: getattr(product, field.attname) for field in Product._meta.concrete_fields
    }


def write_rows(model: type[models.Model], rows: Iterable[tuple]) -> int:
    """Insert tuples in ``model``'s column order: ``COPY`` on PostgreSQL, else ``INSERT``."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        fields = model._meta.concrete_fields
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - quoted names
        batch: list[tuple] = []
        for row in rows:
            # sqlite3 takes neither Decimal nor UUID: the fields' own conversions.
            batch.append(
                tuple(f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True))
            )
            if len(batch) == COPY_BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        cursor.executemany(sql, batch)
        return count + len(batch)


class Command(BaseCommand):
    help = (
        "Fill the database with benchmark devices, products, a goal and a diary per "
        "device (COPY on PostgreSQL), and write the device tokens for wrk (bench/README.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--devices", type=int, default=8)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--per-day", type=int, default=4, help="Food entries per day.")
        parser.add_argument("--start", default="2025-01-01", help="First diary day.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same data).")
        parser.add_argument(
            "--out", default="var/bench/project.lua", help="The wrk data file to write."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Erase every device and its rows first (else refuse a non-empty database).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        devices, days, per_day = options["devices"], options["days"], options["per_day"]
        if min(devices, days, per_day) < 1:
            raise CommandError("--devices, --days and --per-day must be at least 1.")
        try:
            start = dt.date.fromisoformat(options["start"])
        except ValueError:
            raise CommandError("--start must be a date, YYYY-MM-DD.") from None
        rnd = random.Random(options["seed"])  # noqa: S311 - test data, not secrets
        with transaction.atomic():
            if Device.objects.exists():
                if not options["replace"]:
                    raise CommandError("The database has devices already: pass --replace.")
                self.erase_all()
            seeded = self.seed(rnd, devices=devices, days=days, per_day=per_day, start=start)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # planner statistics, as autovacuum would
                cursor.execute("ANALYZE")
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(lua_data(seeded, days=days, start=start))
        entries = devices * days * per_day
        self.stdout.write(
            f"seeded {devices} devices × {days} days × {per_day} entries "
            f"({entries:,} food entries, {devices * len(FOODS):,} products, "
            f"{devices * len(range(0, days, WEIGHT_EVERY_DAYS)):,} body weights); wrote {out}"
        )

    @staticmethod
    def erase_all() -> None:
        for model in device_owned_models():
            model.all_objects.all()._raw_delete(connection.alias)
        Device.objects.all()._raw_delete(connection.alias)

    def seed(
        self, rnd: random.Random, *, devices: int, days: int, per_day: int, start: dt.date
    ) -> list[tuple[str, list[tuple[uuid.UUID, uuid.UUID, Decimal]]]]:
        """Write every row; returns each device's token and (product, portion, kcal) ids."""
        now = timezone.now()

        def new_id() -> uuid.UUID:
            return uuid.UUID(int=rnd.getrandbits(128), version=4)

        owned = {"created_at": now, "updated_at": now, "version": SEED_VERSION}
        device_rows, product_rows, portion_rows, goal_rows = [], [], [], []
        seeded = []
        for _ in range(devices):
            device_id, secret = new_id(), tokens.new_secret()
            device_rows.append(
                {
                    "id": device_id,
                    "token_hash": tokens.hash_secret(secret),
                    "created_at": now,
                    "last_version": SEED_VERSION,
                    "purged_version": 0,
                }
            )
            foods = []
            for name, *per_100g in FOODS:
                kcal, protein, carbs, fat = (Decimal(str(value)) for value in per_100g)
                product_id, portion_id = new_id(), new_id()
                product_rows.append(
                    product_row(**owned, id=product_id, device_id=device_id, name=name)
                )
                portion_rows.append(
                    {
                        **owned,
                        "id": portion_id,
                        "device_id": device_id,
                        "product_id": product_id,
                        "label": "100 g",
                        "base_amount": Decimal(100),
                        "base_unit": Unit.G,
                        "gram_weight": Decimal(100),  # a mass portion carries its mass
                        "calories": kcal,
                        "protein": protein,
                        "carbs": carbs,
                        "fat": fat,
                        "is_default": True,
                    }
                )
                foods.append((product_id, portion_id, (kcal, protein, carbs, fat)))
            goal_rows.append(
                {
                    **owned,
                    "id": new_id(),
                    "device_id": device_id,
                    "goal_type": GoalType.MANUAL,
                    "daily_calories_kcal": 2200,
                    "protein_percent": 30,
                    "carbs_percent": 40,
                    "fat_percent": 30,
                    "protein_grams": 165,
                    "carbs_grams": 220,
                    "fat_grams": 73,
                    "water_ml": 2000,
                }
            )
            seeded.append((tokens.format_token(device_id, secret), foods))
        write_rows(Device, table_rows(Device, device_rows))
        write_rows(Product, table_rows(Product, product_rows))
        write_rows(Portion, table_rows(Portion, portion_rows))
        write_rows(Goal, table_rows(Goal, goal_rows))
        entries = self.entry_rows(rnd, seeded, days=days, per_day=per_day, start=start)
        write_rows(FoodEntry, table_rows(FoodEntry, entries))
        weights = body_weight_rows(rnd, seeded, days=days, start=start, owned=owned)
        write_rows(BodyWeight, table_rows(BodyWeight, weights))
        return [(token, foods) for token, foods in seeded]

    @staticmethod
    def entry_rows(
        rnd: random.Random,
        seeded: Sequence[tuple[str, list[tuple[uuid.UUID, uuid.UUID, Decimal]]]],
        *,
        days: int,
        per_day: int,
        start: dt.date,
    ) -> Iterator[dict[str, Any]]:
        """``per_day`` entries on each of ``days`` days for every device, in grams."""
        utc = dt.UTC
        for token, foods in seeded:
            device_id = uuid.UUID(token.partition(".")[0])
            for offset in range(days):
                day = start + dt.timedelta(days=offset)
                for n in range(per_day):
                    product_id, portion_id, per_100g = foods[rnd.randrange(len(foods))]
                    meal = MEALS[n % len(MEALS)]
                    grams = Decimal(rnd.randint(20, 300))
                    factor = grams / 100
                    at = dt.datetime(day.year, day.month, day.day, MEAL_HOURS[meal], n, tzinfo=utc)
                    yield {
                        "id": uuid.UUID(int=rnd.getrandbits(128), version=4),
                        "created_at": at,
                        "updated_at": at,
                        "device_id": device_id,
                        "version": SEED_VERSION,
                        "product_id": product_id,
                        "portion_id": portion_id,
                        "day": day,
                        "meal_type": meal,
                        "amount": grams,
                        "unit": Unit.G,
                        **{
                            nutrient: round_half_up(value * factor)
                            for nutrient, value in zip(NUTRIENTS, per_100g, strict=True)
                        },
                    }


def body_weight_rows(
    rnd: random.Random,
    seeded: Sequence[tuple[str, list]],
    *,
    days: int,
    start: dt.date,
    owned: dict[str, Any],
) -> Iterator[dict[str, Any]]:
    """A weight every ``WEIGHT_EVERY_DAYS`` days for every device: 82 kg, losing ~0.2 kg a week.

    ``owned``: the columns every seeded row shares (timestamps, version).
    """
    for token, _ in seeded:
        device_id = uuid.UUID(token.partition(".")[0])
        for offset in range(0, days, WEIGHT_EVERY_DAYS):
            noise = Decimal(rnd.randint(-300, 300)) / 1000
            kg = Decimal(82) - Decimal(offset) * Decimal("0.03") + noise
            yield {
                **owned,
                "id": uuid.UUID(int=rnd.getrandbits(128), version=4),
                "device_id": device_id,
                "day": start + dt.timedelta(days=offset),
                "weight_kg": kg.quantize(THOUSANDTH),
            }


def lua_data(
    seeded: Sequence[tuple[str, list[tuple[uuid.UUID, uuid.UUID, Decimal]]]],
    *,
    days: int,
    start: dt.date,
) -> str:
    """The wrk data file: ``return {days=, start=, devices={{token=, foods={{p, q}}}}}``.

    The same shape as the reference floor's, so one scenario script drives both.
    """
    lines = ["return {", f" days = {days},", f" start = '{start.isoformat()}',", " devices = {"]
    for token, foods in seeded:
        pairs = ", ".join(f"{{'{product}', '{portion}'}}" for product, portion, _ in foods)
        lines.append(f"  {{token = '{token}', foods = {{{pairs}}}}},")
    lines += [" }", "}", ""]
    return "\n".join(lines)
