"""Request and response bodies of ``POST /v1/quick-add/parse``."""

from decimal import Decimal

from rest_framework import serializers

from countonme.base.serializers import DECIMAL_MIN_POSITIVE, decimal_field
from countonme.base.strict_input import StrictCharField, StrictDateField
from entries.models import MealType
from entries.quick_add.phrases import MAX_TEXT_LENGTH
from entries.serializers import MAX_ENTRY_AMOUNT, TOTAL_MAX_DIGITS, MacroTotalsSerializer

LOCALES = ("en", "fr")


class QuickAddParseRequestSerializer(serializers.Serializer):
    """What the user typed, and where the entries would go (echoed back, nothing is saved)."""

    text = StrictCharField(
        max_length=MAX_TEXT_LENGTH,
        help_text="What was eaten, in words: foods separated by `and`, commas, `with`, `+` "
        "or new lines.",
    )
    day = StrictDateField(required=False, allow_null=True, default=None)
    meal_type = serializers.ChoiceField(
        choices=MealType.choices, required=False, allow_null=True, default=None
    )
    locale = serializers.ChoiceField(
        choices=LOCALES,
        default="en",
        help_text="`fr` adds French number words, separators and common foods.",
    )


class QuickAddMatchSerializer(serializers.Serializer):
    """A food a proposed item may log: a device product or a catalog food, with a portion."""

    kind = serializers.ChoiceField(
        choices=["product", "catalog"],
        help_text="`product`: the device's own (`id` is a product id); `catalog`: a catalog "
        "food (`id` is a catalog product id, `portion_id` a catalog portion).",
    )
    id = serializers.UUIDField(
        help_text="In a `POST /v1/food-entries/batch` entry: `product_id` for a `product` "
        "match, `catalog_product_id` for a `catalog` match."
    )
    name = serializers.CharField()
    portion_id = serializers.UUIDField(
        help_text="In a batch entry: `portion_id` for a `product` match, "
        "`catalog_portion_id` for a `catalog` match (the device gets its own copy of a "
        "catalog food when the batch is saved)."
    )
    portion_label = serializers.CharField()


class QuickAddItemSerializer(serializers.Serializer):
    """One proposed entry: `quantity` `unit` of the match's portion.

    Saved as a ``POST /v1/food-entries/batch`` entry: ``amount`` = ``quantity``,
    ``unit`` = ``unit``, and the match's ids as ``product_id``/``portion_id``
    (kind ``product``) or ``catalog_product_id``/``catalog_portion_id`` (kind
    ``catalog``).
    """

    text = StrictCharField(help_text="The words this item was read from.")
    quantity = decimal_field(
        min_value=DECIMAL_MIN_POSITIVE,
        max_value=MAX_ENTRY_AMOUNT,
        help_text="The entry's `amount`, in `unit`.",
    )
    unit = serializers.CharField(help_text="The entry's `unit` (a contract unit).")
    grams = decimal_field(
        max_digits=TOTAL_MAX_DIGITS,
        allow_null=True,
        min_value=Decimal(0),
        help_text="Estimated weight; null when the portion's weight is unknown.",
    )
    match = QuickAddMatchSerializer()
    alternatives = QuickAddMatchSerializer(many=True, help_text="Up to 4 other candidates.")
    nutrition = MacroTotalsSerializer()
    confidence = serializers.FloatField(min_value=0, max_value=1)


class QuickAddProposalSerializer(serializers.Serializer):
    """``POST /v1/quick-add/parse``: a proposal; nothing is written."""

    items = QuickAddItemSerializer(many=True)
    unparsed = serializers.ListField(
        child=serializers.CharField(), help_text="Pieces of the text no food was found for."
    )
    totals = MacroTotalsSerializer()
    parser = serializers.ChoiceField(choices=["rules", "model"])
    day = serializers.DateField(allow_null=True)
    meal_type = serializers.CharField(allow_null=True)
