"""Request and response bodies of products, portions, search and the catalog."""

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from countonme.base.numbers import round_half_up
from countonme.base.row_writer import Computed
from countonme.base.serializers import DeviceOwnedSerializer, decimal_field
from countonme.base.strict_input import (
    QueryIntegerField,
    StrictBooleanField,
    VisibleTextField,
)
from products import limits, units
from products.models import (
    CATALOG_PRODUCT_FIELDS,
    DEFAULT_MEASURE_FIELDS,
    PORTION_VALUE_FIELDS,
    CatalogPortion,
    CatalogProduct,
    Portion,
    Product,
    Unit,
)
from products.nutrients import MACROS
from products.services import BeyondLimits, Nutrition100g, portion_limits_check

NAME_MAX = 200
# Far above any real portion (a kilogram of butter is 7,170 kcal), and far
# enough below the columns' 9 whole digits that entries computed from it fit.
MAX_PORTION_VALUE = limits.PORTION_VALUE_MAX
BARCODE_MAX = 64
BARCODE_HELP = (
    "As scanned; returned as sent. Compared as a GTIN: EAN-13, UPC-A, GTIN-14 and EAN-8 "
    "with or without leading zeros, and UPC-E, are one barcode. A code that is no valid "
    "GTIN (wrong check digit, letters) is kept and matched exactly."
)
ACCENTS_HELP = "Case and accents are ignored both ways ('pate' finds 'Pâté')."


def name_field(**kwargs: Any) -> serializers.CharField:
    """A trimmed name of 1–200 characters that hides nothing (``VisibleTextField``)."""
    return VisibleTextField(min_length=1, max_length=NAME_MAX, trim_whitespace=True, **kwargs)


def barcode_field(**kwargs: Any) -> serializers.CharField:
    """A trimmed barcode of 1–64 characters that hides nothing, or null."""
    return VisibleTextField(
        min_length=1, max_length=BARCODE_MAX, allow_null=True, trim_whitespace=True, **kwargs
    )


# --- Products ------------------------------------------------------------------


class ProductSerializer(DeviceOwnedSerializer):
    """``ProductResponse``.

    ``kcal_100g`` comes from the default portion, loaded by
    ``Product.objects.with_default_portion()`` or annotated by
    ``with_default_portion_measure()`` (the list: same figure, one query).
    """

    kcal_100g = serializers.SerializerMethodField(
        help_text=(
            "The default portion's calories scaled to 100 g, when that portion is "
            "measured by mass or has a gram_weight; else null."
        )
    )

    class Meta:
        model = Product
        fields = ["id", "name", "barcode", "kcal_100g", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(
        decimal_field(allow_null=True, min_value=Decimal(0), max_value=limits.KCAL_100G_MAX)
    )
    def get_kcal_100g(self, product: Product) -> str | None:
        value = product.default_per_100g("calories")
        return None if value is None else f"{round_half_up(value):f}"


def _kcal_100g(calories: Any, base_amount: Any, base_unit: str | None, gram_weight: Any) -> Any:
    # get_kcal_100g on with_default_portion_measure()'s columns (as
    # Product.default_per_100g reads them): a null unit is no live default.
    if base_unit is None:
        return None
    value = units.per_100_grams(
        calories, base_amount=base_amount, base_unit=base_unit, gram_weight=gram_weight
    )
    return None if value is None else f"{round_half_up(value):f}"


KCAL_100G = Computed(tuple(f"default_{field}" for field in DEFAULT_MEASURE_FIELDS), _kcal_100g)
"""``kcal_100g`` of a plain product row annotated by ``with_default_portion_measure()``
(``countonme.base.row_writer``: the fast list's and sync's writer)."""


def per_100g_field(maximum: Decimal, **kwargs: Any) -> serializers.DecimalField:
    """An optional per-100 g value of a product create body (null means not given)."""
    return decimal_field(
        required=False,
        allow_null=True,
        min_value=Decimal(0),
        max_value=maximum,
        write_only=True,
        **kwargs,
    )


class ProductWriteSerializer(DeviceOwnedSerializer):
    """``POST /v1/products`` body; PATCH and PUT take ``name`` and ``barcode`` only."""

    name = name_field()
    barcode = barcode_field(required=False, default=None, help_text=BARCODE_HELP)
    kcal_100g = per_100g_field(
        limits.KCAL_100G_MAX,
        help_text="Create only: also create a default portion '100 g' with these values.",
    )
    protein_100g = per_100g_field(limits.MACROS_100G_MAX)
    carbs_100g = per_100g_field(limits.MACROS_100G_MAX)
    fat_100g = per_100g_field(limits.MACROS_100G_MAX)

    class Meta:
        model = Product
        fields = ["id", "name", "barcode", "kcal_100g", "protein_100g", "carbs_100g", "fat_100g"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # null is "not given", as JavaScript clients often send it.
        attrs = {
            key: value
            for key, value in attrs.items()
            if not (key.endswith("_100g") and value is None)
        }
        if "kcal_100g" in attrs:
            breach = limits.per_100g_breach(
                kcal=attrs["kcal_100g"],
                protein=attrs.get("protein_100g"),
                carbs=attrs.get("carbs_100g"),
                fat=attrs.get("fat_100g"),
            )
            if breach is not None:
                raise BeyondLimits(breach)
        has_macros = any(f"{name}_100g" in attrs for name in MACROS)
        if has_macros and "kcal_100g" not in attrs:
            raise serializers.ValidationError(
                {"kcal_100g": ["Required when per-100 g macros are given."]}, code="required"
            )
        return attrs

    @staticmethod
    def nutrition_of(validated: dict[str, Any]) -> Nutrition100g | None:
        """The per-100 g values of a validated body, if any were posted."""
        if "kcal_100g" not in validated:
            return None
        return Nutrition100g(
            calories=validated["kcal_100g"],
            protein=validated.get("protein_100g"),
            carbs=validated.get("carbs_100g"),
            fat=validated.get("fat_100g"),
        )


class ProductUpdateSerializer(DeviceOwnedSerializer):
    """``PATCH`` (partial) and ``PUT`` (full replace) of a product."""

    name = name_field()
    barcode = barcode_field(required=False, default=None, help_text=BARCODE_HELP)

    class Meta:
        model = Product
        fields = ["name", "barcode"]


class CheckNameQuerySerializer(serializers.Serializer):
    """``GET /v1/products/check-name`` query."""

    name = name_field()


class NameAvailabilitySerializer(serializers.Serializer):
    """``{"available": bool}``."""

    available = serializers.BooleanField()


# --- Portions ------------------------------------------------------------------


def portion_figure(*, positive: bool = False, **kwargs: Any) -> serializers.DecimalField:
    """An amount or value of a portion, device's or catalog's: 0 (or 0.001) to 1,000,000."""
    minimum = limits.SMALLEST if positive else Decimal(0)
    return decimal_field(min_value=minimum, max_value=MAX_PORTION_VALUE, **kwargs)


class PortionSerializer(DeviceOwnedSerializer):
    """``PortionResponse`` and the portion create/update body."""

    product_id = serializers.UUIDField(read_only=True)
    label = name_field()
    base_amount = portion_figure(positive=True)
    base_unit = serializers.ChoiceField(choices=Unit.choices)
    gram_weight = portion_figure(
        positive=True,
        required=False,
        allow_null=True,
        help_text="Grams in one base amount. A portion measured by mass (mg, g, kg) carries "
        "its mass: leave it out (or give that mass; another is 400 `gram_weight_mismatch`). "
        "A volume portion's weighs 0.01–3 g per ml (`implausible_density`).",
    )
    calories = portion_figure()
    protein = portion_figure(required=False, allow_null=True)
    carbs = portion_figure(required=False, allow_null=True)
    fat = portion_figure(required=False, allow_null=True)
    is_default = StrictBooleanField(required=False, default=False)

    class Meta:
        model = Portion
        fields = ["id", "product_id", *PORTION_VALUE_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The physical limits (``products.limits``) on the portion as it will be stored.

        A PATCH is checked merged with the stored values. A portion measured by
        mass carries its mass as ``gram_weight`` (a different one is 400); one
        that stops being measured by mass loses the weight it had from its old
        mass unless the body gives one.
        """
        stored = self.instance
        merged = {
            name: attrs[name] if name in attrs else getattr(stored, name, None)
            for name in limits.PORTION_FIELDS
        }
        mass_weight = limits.mass_gram_weight(merged["base_amount"], merged["base_unit"])
        if "gram_weight" not in attrs and stored is not None:
            was_mass = units.dimension(stored.base_unit) is units.Dimension.MASS
            if mass_weight is not None or was_mass:
                merged["gram_weight"] = None  # derived from the (old) mass, not a fact of its own
        if mass_weight is not None and merged["gram_weight"] is None:
            merged["gram_weight"] = mass_weight
        portion_limits_check(limits.PortionValues(**merged))
        attrs["gram_weight"] = merged["gram_weight"]
        return attrs


# --- Merged search -------------------------------------------------------------


class SearchQuerySerializer(serializers.Serializer):
    """``GET /v1/products/search`` query."""

    q = name_field(help_text=f"1–200 characters. {ACCENTS_HELP}")
    limit = QueryIntegerField(required=False, default=35, min_value=1)


class SearchResultSerializer(serializers.Serializer):
    """One item of the merged search (per-100 g values as JSON numbers)."""

    id = serializers.UUIDField()
    name = serializers.CharField()
    source = serializers.ChoiceField(choices=["user", "catalog"])
    calories_per_100g = serializers.FloatField(
        allow_null=True, min_value=0, max_value=float(limits.KCAL_100G_MAX)
    )
    protein_per_100g = serializers.FloatField(
        allow_null=True, min_value=0, max_value=float(limits.MACROS_100G_MAX)
    )
    carbs_per_100g = serializers.FloatField(
        allow_null=True, min_value=0, max_value=float(limits.MACROS_100G_MAX)
    )
    fat_per_100g = serializers.FloatField(
        allow_null=True, min_value=0, max_value=float(limits.MACROS_100G_MAX)
    )
    catalog_id = serializers.UUIDField(allow_null=True)
    display_name = serializers.CharField()
    brand = serializers.CharField(
        allow_null=True, help_text="null for the device's products and a brandless catalog item."
    )


# --- Catalog -------------------------------------------------------------------


class CatalogPortionSerializer(serializers.ModelSerializer):
    """``CatalogPortion``: within the ranges of a device's portion (``PortionSerializer``)."""

    base_amount = portion_figure(positive=True, read_only=True)
    gram_weight = portion_figure(
        positive=True,
        read_only=True,
        allow_null=True,
        help_text="Grams in one base amount; a portion measured by mass carries its mass.",
    )
    calories = portion_figure(read_only=True)
    protein = portion_figure(read_only=True, allow_null=True)
    carbs = portion_figure(read_only=True, allow_null=True)
    fat = portion_figure(read_only=True, allow_null=True)

    class Meta:
        model = CatalogPortion
        fields = ["id", *PORTION_VALUE_FIELDS]
        read_only_fields = fields


class BlankAsNullCharField(serializers.CharField):
    """A stored ``""`` (the column's "none") served as ``null``."""

    def to_representation(self, value: str) -> str | None:
        return super().to_representation(value) or None


class CatalogProductSerializer(serializers.ModelSerializer):
    """A catalog item in lists: with its default portion."""

    # null when the item has none, as the merged search (SearchResultSerializer)
    # serves the same item: one item, one answer in every read.
    brand = BlankAsNullCharField(read_only=True, allow_null=True, help_text="null: no brand.")
    default_portion = serializers.SerializerMethodField()

    class Meta:
        model = CatalogProduct
        fields = ["id", *CATALOG_PRODUCT_FIELDS, "default_portion"]
        read_only_fields = fields

    @extend_schema_field(CatalogPortionSerializer(allow_null=True))
    def get_default_portion(self, product: CatalogProduct) -> dict | None:
        # Filled by a Prefetch of the default portions (one query for the page),
        # or from all portions when the view prefetched those.
        if hasattr(product, "default_portions"):
            defaults = product.default_portions
        elif "portions" in getattr(product, "_prefetched_objects_cache", {}):
            defaults = [p for p in product.portions.all() if p.is_default]
        else:
            raise AttributeError("Prefetch the catalog portions (a query per row otherwise).")
        return CatalogPortionSerializer(defaults[0]).data if defaults else None


class CatalogProductDetailSerializer(CatalogProductSerializer):
    """A catalog item with all its portions."""

    portions = CatalogPortionSerializer(many=True, read_only=True)

    class Meta(CatalogProductSerializer.Meta):
        fields = [*CatalogProductSerializer.Meta.fields, "portions"]
        read_only_fields = fields


class CatalogListQuerySerializer(serializers.Serializer):
    """``GET /v1/catalog/products`` query (besides ``limit``/``offset``)."""

    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=NAME_MAX,
        trim_whitespace=True,
        help_text=f"Name search; empty means no search. {ACCENTS_HELP}",
    )
