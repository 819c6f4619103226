"""The body weight model: one weigh-in per device and local calendar day."""

from django.db import models
from django.db.models import Q

from countonme.base.models import (
    LIVE,
    DeviceOwnedModel,
    DeviceOwnedQuerySet,
    LiveDeviceOwnedManager,
)
from countonme.base.numbers import readable_number


class BodyWeightQuerySet(DeviceOwnedQuerySet):
    """Body weights, by day on request."""

    def in_day_order(self) -> "BodyWeightQuerySet":
        """The list's one order (both paths): the day is unique among live rows, a total order."""
        return self.order_by("day")


class BodyWeight(DeviceOwnedModel):
    """A weigh-in on one of the user's local calendar days; one live weight per day.

    Moved from ``devices`` with its table and rows (``entries/migrations/0005``).
    """

    day = models.DateField(help_text="The user's local calendar day.")
    weight_kg = models.DecimalField(max_digits=7, decimal_places=3)

    objects = LiveDeviceOwnedManager.from_queryset(BodyWeightQuerySet)()
    all_objects = models.Manager.from_queryset(BodyWeightQuerySet)()

    class Meta(DeviceOwnedModel.Meta):
        permissions = [("restore_bodyweight", "Can restore deleted body weights")]
        constraints = [
            # Its partial unique index, (device_id, day) WHERE deleted_at IS NULL,
            # is also the index of the list (a device's live rows by day, within
            # from/to): a second index on the same columns would only slow writes.
            models.UniqueConstraint(
                fields=["device", "day"], condition=LIVE, name="bodyweight_one_live_per_day"
            ),
            models.CheckConstraint(
                condition=Q(weight_kg__gt=0) & Q(weight_kg__lte=1000),
                name="bodyweight_weight_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()}: {readable_number(self.weight_kg)} kg"
