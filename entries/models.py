"""The diary: what a device's user ate, with the nutrition it had then, and what they weighed.

Body weights live in ``entries.body_weights`` (``entries.body_weights.models.BodyWeight``);
they are imported here so that the app's models are all named by ``entries.models``.
"""

from django.db import models
from django.db.models import F, Q

from countonme.base.models import (
    LIVE,
    DeviceOwnedModel,
    DeviceOwnedQuerySet,
    LiveDeviceOwnedManager,
)
from countonme.base.numbers import readable_number
from entries.body_weights.models import BodyWeight
from products.models import AMOUNT, Portion, Product, Unit
from products.nutrients import NUTRIENTS

__all__ = ["BodyWeight", "FoodEntry", "MealType"]


class MealType(models.TextChoices):
    """The meal an entry belongs to."""

    BREAKFAST = "breakfast"
    LUNCH = "lunch"
    DINNER = "dinner"
    SNACKS = "snacks"
    WATER = "water"


# The diary's order: newest day first, then newest written (the id breaks ties).
DIARY_ORDER = ("-day", "-created_at", "-id")


class FoodEntryQuerySet(DeviceOwnedQuerySet):
    """Food entries, in the diary's order on request."""

    def in_diary_order(self) -> "FoodEntryQuerySet":
        """The list's one order (``GET /v1/food-entries``, both the fast and the general path)."""
        return self.order_by(*DIARY_ORDER)


class FoodEntry(DeviceOwnedModel):
    """``amount unit`` of a product's portion eaten on ``day`` (the user's local day).

    ``calories``/``protein``/``carbs``/``fat`` are a snapshot taken when the
    entry is written: editing or deleting the product or portion later never
    rewrites past days.
    """

    # PROTECT: entries are history; a product is only ever soft-deleted while
    # entries still point at it (erasure removes the entries first).
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    portion = models.ForeignKey(Portion, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    meal_type = models.CharField(max_length=16, choices=MealType.choices)
    amount = models.DecimalField(**AMOUNT, help_text="How much was eaten, in unit.")
    unit = models.CharField(max_length=8, choices=Unit.choices)
    note = models.CharField(max_length=500, null=True, blank=True)  # noqa: DJ001 - null is "no note"
    calories = models.DecimalField(**AMOUNT, help_text="kcal eaten, as computed when written.")
    protein = models.DecimalField(
        **AMOUNT, help_text="g of protein eaten, as computed when written."
    )
    carbs = models.DecimalField(
        **AMOUNT, help_text="g of carbohydrate eaten, as computed when written."
    )
    fat = models.DecimalField(**AMOUNT, help_text="g of fat eaten, as computed when written.")

    objects = LiveDeviceOwnedManager.from_queryset(FoodEntryQuerySet)()
    all_objects = models.Manager.from_queryset(FoodEntryQuerySet)()

    class Meta(DeviceOwnedModel.Meta):
        verbose_name_plural = "food entries"
        permissions = [("restore_foodentry", "Can restore deleted food entries")]
        indexes = [
            *DeviceOwnedModel.Meta.indexes,
            # Day lists and stats: live entries of a device by day, newest first.
            models.Index(
                F("device"),
                F("day").desc(),
                F("created_at").desc(),
                name="entry_live_day",
                condition=LIVE,
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="entry_amount_positive"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 0}), name=f"entry_{field}_non_negative"
                )
                for field in NUTRIENTS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.meal_type}: {readable_number(self.amount)} {self.unit}"
