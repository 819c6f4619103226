"""Request and response bodies of food entries, stats and the data export."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import QueryDict
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from countonme.base.query import range_order_message, strict_day
from countonme.base.serializers import DeviceOwnedRelatedField, DeviceOwnedSerializer, decimal_field
from countonme.base.strict_input import StrictDateField, StrictUUIDField, VisibleTextField
from devices.goals.serializers import GoalSerializer
from devices.serializers import DeviceSerializer
from entries.body_weights.serializers import BodyWeightSerializer
from entries.models import FoodEntry, MealType
from entries.services import MAX_SNAPSHOT_VALUE
from products.models import CatalogPortion, CatalogProduct, Portion, Product, Unit
from products.serializers import PortionSerializer, ProductSerializer

MAX_ENTRY_AMOUNT = Decimal(1_000_000)
TOTAL_MAX_DIGITS = 20


class FoodEntrySerializer(DeviceOwnedSerializer):
    """``FoodEntryResponse`` and the entry create/update body.

    Product and portion ids are resolved among the device's live rows (an
    unknown, deleted or foreign id is 404), the portion must be the product's,
    and the nutrition snapshot is computed on every write that changes the
    amount, unit or portion.
    """

    # The docstring is the schema's description. The rules it names (the
    # portion is the product's, the snapshot) are entries.services'.

    product_id = DeviceOwnedRelatedField(Product, source="product")
    portion_id = DeviceOwnedRelatedField(Portion, source="portion")
    meal_type = serializers.ChoiceField(choices=MealType.choices)
    amount = decimal_field(min_value=Decimal("0.001"), max_value=MAX_ENTRY_AMOUNT)
    unit = serializers.ChoiceField(choices=Unit.choices)
    note = VisibleTextField(
        multiline=True,
        max_length=500,
        allow_null=True,
        allow_blank=True,
        required=False,
        default=None,
    )
    calories = decimal_field(read_only=True, min_value=Decimal(0), max_value=MAX_SNAPSHOT_VALUE)
    protein = decimal_field(read_only=True, min_value=Decimal(0), max_value=MAX_SNAPSHOT_VALUE)
    carbs = decimal_field(read_only=True, min_value=Decimal(0), max_value=MAX_SNAPSHOT_VALUE)
    fat = decimal_field(read_only=True, min_value=Decimal(0), max_value=MAX_SNAPSHOT_VALUE)

    class Meta:
        model = FoodEntry
        fields = [
            "id",
            "product_id",
            "portion_id",
            "day",
            "meal_type",
            "amount",
            "unit",
            "note",
            "calories",
            "protein",
            "carbs",
            "fat",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        if self.partial:
            # PATCH cannot move an entry to another product (its portion would
            # no longer match); a restore, a full write, posts it again.
            fields["product_id"].read_only = True
        return fields


MAX_BATCH_ENTRIES = 50

DEVICE_FOOD_FIELDS = ("product_id", "portion_id")
CATALOG_FOOD_FIELDS = ("catalog_product_id", "catalog_portion_id")


class CatalogFoodSerializer(serializers.Serializer):
    """The catalog food a batch entry names instead of a device product: both ids required.

    Validates to ``{"catalog_portion": CatalogPortion}`` (its ``product`` loaded).
    An unknown catalog product, or a portion that is unknown or not that
    product's, is 404 naming the field, as for the device's own ids.
    """

    catalog_product_id = StrictUUIDField()
    catalog_portion_id = StrictUUIDField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        food_id, portion_id = attrs["catalog_product_id"], attrs["catalog_portion_id"]
        portion = CatalogPortion.objects.select_related("product").filter(pk=portion_id).first()
        if portion is None or portion.product_id != food_id:
            unknown_food = not CatalogProduct.objects.filter(pk=food_id).exists()
            field = "catalog_product_id" if unknown_food else "catalog_portion_id"
            raise exceptions.NotFound({field: [exceptions.NotFound.default_detail]})
        return {"catalog_portion": portion}


def split_catalog_food(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A batch body without its catalog ids, and those ids (``None`` when it names none).

    Naming both a device product and a catalog food is 400 ``invalid`` on the
    first device field given.
    """
    named = {name: data[name] for name in CATALOG_FOOD_FIELDS if name in data}
    if not named:
        return data, None
    for name in DEVICE_FOOD_FIELDS:
        if name in data:
            raise serializers.ValidationError(
                {
                    name: [
                        "Give either product_id and portion_id, or catalog_product_id and "
                        "catalog_portion_id, not both."
                    ]
                },
                code="invalid",
            )
    rest = {name: value for name, value in data.items() if name not in CATALOG_FOOD_FIELDS}
    return rest, named


class FoodEntryBatchEntrySerializer(FoodEntrySerializer):
    """A batch entry as documented: a create body naming a device product or a catalog food.

    Only the schema uses it: the view checks the catalog ids with
    ``CatalogFoodSerializer``, gives the device its own copy of the food and
    stores the entry through ``FoodEntrySerializer`` like any other.
    """

    product_id = DeviceOwnedRelatedField(
        Product,
        source="product",
        required=False,
        help_text="The device's product (a `product` match's `id`). Give this and "
        "`portion_id`, or `catalog_product_id` and `catalog_portion_id`.",
    )
    portion_id = DeviceOwnedRelatedField(
        Portion,
        source="portion",
        required=False,
        help_text="A portion of that product (a `product` match's `portion_id`).",
    )
    catalog_product_id = StrictUUIDField(
        write_only=True,
        required=False,
        help_text="A catalog food (a `catalog` match's `id`), instead of `product_id`. The "
        "device gets its own product for it in the same transaction (its copy made "
        "earlier is reused), with every catalog portion; the stored entry names that "
        "product.",
    )
    catalog_portion_id = StrictUUIDField(
        write_only=True,
        required=False,
        help_text="A portion of that catalog food (a `catalog` match's `portion_id`), "
        "instead of `portion_id`; the entry is logged on the device's copy of it.",
    )

    class Meta(FoodEntrySerializer.Meta):
        fields = [*FoodEntrySerializer.Meta.fields, *CATALOG_FOOD_FIELDS]


@extend_schema_field(FoodEntryBatchEntrySerializer(many=True))
class FoodEntryBodiesField(serializers.ListField):
    """Create bodies, each validated by ``FoodEntrySerializer`` where its index is known."""

    child = serializers.DictField()


class FoodEntryBatchSerializer(serializers.Serializer):
    """``POST /v1/food-entries/batch``: up to 50 create bodies, stored all or nothing."""

    entries = FoodEntryBodiesField(min_length=1, max_length=MAX_BATCH_ENTRIES)

    def validate_entries(self, entries: list[dict]) -> list[dict]:
        """An ``id`` at most once per batch: a second body would be answered as the first's replay.

        Raises a 400 ``repeated`` naming ``entries.N.id`` (the later one); ids are
        compared as text without case, as a UUID is read.
        """
        seen: dict[str, int] = {}
        for index, body in enumerate(entries):
            given = body.get("id")
            if not isinstance(given, str):
                continue  # no id (the server makes one) or not text: the entry's own 400
            key = given.strip().lower()
            if key in seen:
                raise serializers.ValidationError(
                    {
                        str(index): {
                            "id": [
                                serializers.ErrorDetail(
                                    f"The same id as entries.{seen[key]}: each entry of a "
                                    "batch needs its own id.",
                                    code="repeated",
                                )
                            ]
                        }
                    }
                )
            seen[key] = index
        return entries


# --- Stats -----------------------------------------------------------------------

MAX_RANGE_DAYS = 366


class MacroTotalsSerializer(serializers.Serializer):
    """``MacroTotals``: decimal strings (wider than one entry: they are sums)."""

    calories = decimal_field(max_digits=TOTAL_MAX_DIGITS, min_value=Decimal(0))
    protein = decimal_field(max_digits=TOTAL_MAX_DIGITS, min_value=Decimal(0))
    carbs = decimal_field(max_digits=TOTAL_MAX_DIGITS, min_value=Decimal(0))
    fat = decimal_field(max_digits=TOTAL_MAX_DIGITS, min_value=Decimal(0))


class GoalTargetsSerializer(serializers.Serializer):
    """The current goal's daily targets, as shown next to a day's totals."""

    daily_calories_kcal = serializers.IntegerField()
    protein_grams = serializers.IntegerField()
    carbs_grams = serializers.IntegerField()
    fat_grams = serializers.IntegerField()


class DayStatsSerializer(serializers.Serializer):
    """``GET /v1/stats/day/{day}``."""

    day = serializers.DateField()
    totals = MacroTotalsSerializer()
    by_meal_type = serializers.DictField(
        child=MacroTotalsSerializer(), help_text="Only meal types that have entries."
    )
    goal = GoalTargetsSerializer(allow_null=True)


class DayPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    totals = MacroTotalsSerializer()


class RangeSerializer(serializers.Serializer):
    """The days a stats range answers for (``points`` come from the subclass)."""

    from_day = serializers.DateField()
    to_day = serializers.DateField()


class DailyStatsSerializer(RangeSerializer):
    """``GET /v1/stats/daily``: one point for every day of the range."""

    points = DayPointSerializer(many=True)


class WeightPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    weight_kg = decimal_field()


class WeightStatsSerializer(RangeSerializer):
    """``GET /v1/stats/weight``."""

    points = WeightPointSerializer(many=True)


class DayPathSerializer(serializers.Serializer):
    """The ``{day}`` of ``/v1/stats/day/{day}``."""

    day = StrictDateField()


class DateRangeQuerySerializer(serializers.Serializer):
    """``?from=&to=``: both required, ``from ≤ to``."""

    max_days: int | None = None

    # "from" is a Python keyword, so it is declared through the class namespace.
    vars()["from"] = StrictDateField(help_text="First day, YYYY-MM-DD.")
    to = StrictDateField(help_text="Last day, inclusive, YYYY-MM-DD.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        first, last = attrs["from"], attrs["to"]
        if first > last:
            raise serializers.ValidationError({"to": [range_order_message("from")]}, code="invalid")
        if self.max_days is not None and (last - first).days + 1 > self.max_days:
            raise serializers.ValidationError(
                {"to": [f"The range may span at most {self.max_days} days."]}, code="max_range"
            )
        return attrs


class DailyRangeQuerySerializer(DateRangeQuerySerializer):
    """``?from=&to=`` of the daily stats: at most 366 days."""

    max_days = MAX_RANGE_DAYS


def lean_range(params: QueryDict, *, max_days: int) -> tuple[date, date]:
    """``?from=&to=`` of the daily stats, parsed without a serializer when plain and valid.

    Anything else goes through ``DailyRangeQuerySerializer``, which raises the 400.
    """
    first, last = strict_day(params.get("from")), strict_day(params.get("to"))
    if first is None or last is None or first > last or (last - first).days >= max_days:
        query = DailyRangeQuerySerializer(data=params)
        query.is_valid(raise_exception=True)
        first, last = query.validated_data["from"], query.validated_data["to"]
    return first, last


# --- Export ----------------------------------------------------------------------


def deleted_at_field() -> serializers.DateTimeField:
    """``deleted_at`` of an exported product or portion."""
    return serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="null for a live row. Set on a product or portion deleted since: the "
        "export keeps those its food entries name, so every entry says what was eaten.",
    )


class ExportedPortionSerializer(PortionSerializer):
    """A portion in the export: its response fields and ``deleted_at``."""

    deleted_at = deleted_at_field()

    class Meta(PortionSerializer.Meta):
        fields = [*PortionSerializer.Meta.fields, "deleted_at"]
        read_only_fields = fields


class ExportedProductSerializer(ProductSerializer):
    """A product in the export: its response fields, ``deleted_at`` and its portions.

    Its live portions, and the deleted ones the exported entries name.
    """

    deleted_at = deleted_at_field()
    portions = ExportedPortionSerializer(many=True)

    class Meta(ProductSerializer.Meta):
        fields = [*ProductSerializer.Meta.fields, "deleted_at", "portions"]
        read_only_fields = fields


class ExportSerializer(serializers.Serializer):
    """``GET /v1/data/export``: every live row the device owns, each in its usual shape.

    ``products`` also holds the deleted products and portions its food entries
    name (``deleted_at`` set), so that every entry's ``product_id`` and
    ``portion_id`` are found in the document.
    """

    exported_at = serializers.DateTimeField()
    device = DeviceSerializer()
    products = ExportedProductSerializer(many=True)
    food_entries = FoodEntrySerializer(many=True)
    body_weights = BodyWeightSerializer(many=True)
    goal = GoalSerializer(allow_null=True)
