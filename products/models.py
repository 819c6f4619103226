"""Products and portions of a device, and the global read-only food catalog."""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from countonme.base.models import (
    LIVE,
    DeviceOwnedModel,
    DeviceOwnedQuerySet,
    LiveDeviceOwnedManager,
)
from countonme.base.numbers import readable_number
from products import units
from products.derived_columns import (
    DerivedColumnsModel,
    DerivedColumnsQuerySet,
    barcode_key_field,
    name_folded_field,
    plainness_field,
)
from products.nutrients import MACROS, NUTRIENTS

AMOUNT = {"max_digits": 12, "decimal_places": 3}


# Units a portion's base amount or an entry's amount is measured in: the
# conversion module's list (``Unit.G == "g"``, labels "Mg", "G", ...), so the
# choices and the conversions cannot drift apart.
Unit = models.TextChoices("Unit", [(unit.upper(), unit) for unit in units.UNITS])


# The product list's orders (``?ordering=``, ``name`` the default): the id breaks ties.
PRODUCT_ORDERINGS = {
    # By the folded name (no case nor accents: "Äpfel" among the A's), as docs/api.md §3 says.
    "name": ("name_folded", "id"),
    "-name": ("-name_folded", "-id"),
    "updated_at": ("updated_at", "id"),
    "-updated_at": ("-updated_at", "-id"),
}


class ProductQuerySet(DerivedColumnsQuerySet, DeviceOwnedQuerySet):
    """Products, optionally with their live default portion loaded."""

    def in_list_order(self, ordering: str = "name") -> "ProductQuerySet":
        """One of ``PRODUCT_ORDERINGS``: the list's order on both its fast and general path."""
        return self.order_by(*PRODUCT_ORDERINGS[ordering])

    def with_default_portion(self) -> "ProductQuerySet":
        """Load each product's live default portion (at most one, by constraint).

        A prefetch, not a join: one more query per page, whose
        ``product_id IN (...)`` lookup uses the partial unique index of live
        defaults whatever the table sizes (a join let the planner hash-scan
        the whole portion table).
        """
        return self.prefetch_related(default_portion_prefetch())

    def with_default_portion_measure(self) -> "ProductQuerySet":
        """Annotate each product with its live default portion's calories and measure.

        What ``kcal_100g`` needs, in the list's own query: one LEFT JOIN on the
        live default portion (the partial unique index of live defaults makes
        it one row at most), instead of a second query and a ``Portion`` per
        product, or a correlated subquery per column. The scaling stays in
        Python (``units.per_100_grams``) on the columns' own ``Decimal`` values,
        so the figure is exactly the prefetch path's. Columns are
        ``default_<field>``; all null when there is no live default.
        """
        return self.alias(
            default_portion=models.FilteredRelation(
                "portions",
                condition=Q(portions__is_default=True, portions__deleted_at__isnull=True),
            )
        ).annotate(
            **{
                f"default_{field}": F(f"default_portion__{field}")
                for field in DEFAULT_MEASURE_FIELDS
            }
        )


# The default portion's columns ``with_default_portion_measure`` annotates.
DEFAULT_MEASURE_FIELDS = ("calories", "base_amount", "base_unit", "gram_weight")


def default_portion_prefetch() -> models.Prefetch:
    """Loads a product's live default portion into ``live_default_portions``."""
    return models.Prefetch(
        "portions",
        queryset=Portion.objects.filter(is_default=True),
        to_attr="live_default_portions",
    )


class Product(DerivedColumnsModel, DeviceOwnedModel):
    """A food the device's user keeps: a name, an optional barcode, and portions."""

    name = models.CharField(max_length=200)
    barcode = models.CharField(  # noqa: DJ001 - no barcode is null
        max_length=64, null=True, blank=True, help_text="As scanned or typed; shown to the user."
    )
    name_folded = name_folded_field()
    barcode_key = barcode_key_field()
    # A plain id, not a foreign key: catalog ids are stable across re-imports
    # (uuid5 of source and source id), so the origin survives a catalog
    # reload, and importing the catalog never has to touch device rows.
    copied_from_catalog = models.UUIDField(
        null=True,
        blank=True,
        editable=False,
        help_text="The catalog product this product was copied from (a quick-add batch).",
    )

    objects = LiveDeviceOwnedManager.from_queryset(ProductQuerySet)()
    all_objects = models.Manager.from_queryset(ProductQuerySet)()

    class Meta(DeviceOwnedModel.Meta):
        permissions = [("restore_product", "Can restore deleted products")]
        indexes = [
            *DeviceOwnedModel.Meta.indexes,
            # The product list: live rows of a device in case-insensitive name order.
            models.Index(
                F("device"), F("name_folded"), F("id"), name="product_live_name", condition=LIVE
            ),
            # Barcode dedup on create and restore, ?barcode= lookups (any GTIN form).
            models.Index(
                fields=["device", "barcode_key"],
                name="product_live_barcode",
                condition=LIVE & Q(barcode_key__isnull=False),
            ),
            # The device's copy of a catalog food, reused by every later batch.
            models.Index(
                fields=["device", "copied_from_catalog"],
                name="product_live_catalog_copy",
                condition=LIVE & Q(copied_from_catalog__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def default_per_100g(self, column: str) -> Decimal | None:
        """A value of the default portion scaled to 100 g.

        Needs ``with_default_portion``, or ``with_default_portion_measure`` for
        ``calories`` alone (the loaded portion wins when both are there).
        """
        if not hasattr(self, "live_default_portions"):
            if column == "calories" and hasattr(self, "default_base_unit"):
                return self._default_calories_per_100g()
            raise AttributeError("Load products with Product.objects.with_default_portion().")
        if not self.live_default_portions:
            return None
        portion = self.live_default_portions[0]
        return units.per_100_grams(
            getattr(portion, column),
            base_amount=portion.base_amount,
            base_unit=portion.base_unit,
            gram_weight=portion.gram_weight,
        )

    def _default_calories_per_100g(self) -> Decimal | None:
        # The annotations of with_default_portion_measure: null unit = no live default.
        if self.default_base_unit is None:
            return None
        return units.per_100_grams(
            self.default_calories,
            base_amount=self.default_base_amount,
            base_unit=self.default_base_unit,
            gram_weight=self.default_gram_weight,
        )


# How portions are listed: the default first, then by label.
PORTION_DISPLAY_ORDER = ("-is_default", "label", "id")

# What a portion says, for serializers and importers that list its fields.
PORTION_VALUE_FIELDS = (
    "label",
    "base_amount",
    "base_unit",
    "gram_weight",
    *NUTRIENTS,
    "is_default",
)


class PortionFields(models.Model):
    """What a portion says: ``base_amount base_unit`` has these calories and macros."""

    label = models.CharField(max_length=200)
    base_amount = models.DecimalField(
        **AMOUNT, help_text="How much of base_unit the nutrition is for (100 in “100 g”)."
    )
    base_unit = models.CharField(max_length=8, choices=Unit.choices)
    gram_weight = models.DecimalField(
        **AMOUNT, null=True, blank=True, help_text="Grams in one base amount, if known."
    )
    calories = models.DecimalField(**AMOUNT, help_text="kcal in one base amount.")
    protein = models.DecimalField(
        **AMOUNT, null=True, blank=True, help_text="g of protein in one base amount."
    )
    carbs = models.DecimalField(
        **AMOUNT, null=True, blank=True, help_text="g of carbohydrate in one base amount."
    )
    fat = models.DecimalField(
        **AMOUNT, null=True, blank=True, help_text="g of fat in one base amount."
    )
    is_default = models.BooleanField(default=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.label} ({readable_number(self.base_amount)} {self.base_unit})"


def _portion_checks(prefix: str) -> list[models.CheckConstraint]:
    """Value rules every portion table enforces in the database."""
    non_negative = [
        models.CheckConstraint(
            condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
            name=f"{prefix}_{field}_non_negative",
        )
        for field in MACROS
    ]
    return [
        models.CheckConstraint(
            condition=Q(base_amount__gt=0), name=f"{prefix}_base_amount_positive"
        ),
        models.CheckConstraint(
            condition=Q(calories__gte=0), name=f"{prefix}_calories_non_negative"
        ),
        models.CheckConstraint(
            condition=Q(gram_weight__isnull=True) | Q(gram_weight__gt=0),
            name=f"{prefix}_gram_weight_positive",
        ),
        *non_negative,
    ]


class Portion(PortionFields, DeviceOwnedModel):
    """A measure of a product with its nutrition. At most one live default per product."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="portions")
    copied_from_catalog = models.UUIDField(
        null=True,
        blank=True,
        editable=False,
        help_text="The catalog portion this portion was copied from (a quick-add batch).",
    )

    class Meta(DeviceOwnedModel.Meta):
        permissions = [("restore_portion", "Can restore deleted portions")]
        constraints = [
            models.UniqueConstraint(
                fields=["product"],
                condition=LIVE & Q(is_default=True),
                name="portion_one_live_default",
            ),
            *_portion_checks("portion"),
        ]
        indexes = [
            *DeviceOwnedModel.Meta.indexes,
            # Portions of a product, default first then by label.
            models.Index(
                F("product"),
                F("is_default").desc(),
                F("label"),
                name="portion_live_product",
                condition=LIVE,
            ),
        ]


class CatalogSource(models.TextChoices):
    """Where a catalog product was imported from."""

    USDA = "usda", "USDA"
    OFF = "off", "Open Food Facts"


# Catalog ids are derived from (source, source_id): stable across re-imports
# and identical on every instance that imports the same dump.
CATALOG_NAMESPACE = uuid.UUID("7f3c1a52-9a35-4f43-9a3e-2f0d6c8b1e11")


def catalog_product_id(source: str, source_id: str) -> uuid.UUID:
    """The id of the catalog product imported from ``source`` as ``source_id``."""
    return uuid.uuid5(CATALOG_NAMESPACE, f"{source}:{source_id}")


def catalog_portion_id(product_id: uuid.UUID, key: str) -> uuid.UUID:
    """The id of a catalog portion, from its product and a key unique within it."""
    return uuid.uuid5(product_id, key)


# What a catalog product says, in the API's order: for serializers and the importer.
CATALOG_PRODUCT_FIELDS = (
    "source",
    "source_id",
    "name",
    "display_name",
    "brand",
    "barcode",
    "category",
)


class CatalogProduct(DerivedColumnsModel):
    """A food of the global catalog (USDA, Open Food Facts); read-only to the API.

    Per-100 g values are kept on the row so searches need no join.
    """

    id = models.UUIDField(primary_key=True, editable=False)
    source = models.CharField(max_length=8, choices=CatalogSource.choices)
    source_id = models.CharField(max_length=64)
    name = models.CharField(max_length=255)
    display_name = models.CharField(max_length=255)
    brand = models.CharField(max_length=255, blank=True, default="")
    barcode = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 - no barcode is null
    name_folded = name_folded_field()
    barcode_key = barcode_key_field()
    plainness = plainness_field()
    category = models.CharField(max_length=255, blank=True, default="")
    kcal_100g = models.DecimalField(**AMOUNT, null=True, blank=True, help_text="kcal per 100 g.")
    protein_100g = models.DecimalField(
        **AMOUNT, null=True, blank=True, help_text="g of protein per 100 g."
    )
    carbs_100g = models.DecimalField(
        **AMOUNT, null=True, blank=True, help_text="g of carbohydrate per 100 g."
    )
    fat_100g = models.DecimalField(**AMOUNT, null=True, blank=True, help_text="g of fat per 100 g.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DerivedColumnsQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], name="catalog_product_source_id"
            ),
        ]
        indexes = [
            models.Index(
                fields=["barcode_key"],
                name="catalog_product_barcode",
                condition=Q(barcode_key__isnull=False),
            ),
            models.Index(Lower("name"), F("id"), name="catalog_product_name"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.name


class CatalogPortion(PortionFields):
    """A measure of a catalog product: the default "100 g" and household measures."""

    id = models.UUIDField(primary_key=True, editable=False)
    product = models.ForeignKey(CatalogProduct, on_delete=models.CASCADE, related_name="portions")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product"], condition=Q(is_default=True), name="catalog_portion_one_default"
            ),
            *_portion_checks("catalog_portion"),
        ]
        indexes = [
            models.Index(
                F("product"), F("is_default").desc(), F("label"), name="catalog_portion_product"
            ),
        ]


class CatalogDeltaFile(models.Model):
    """An Open Food Facts delta file the scheduled import has applied, by file name.

    The delta import (``products.catalog_jobs``) applies the files of its
    directory in name order (their names start with the period they cover)
    and skips those recorded here; the counts are its summary.
    """

    name = models.CharField(max_length=255, unique=True)
    size_bytes = models.BigIntegerField(help_text="Size of the file when it was imported.")
    imported_at = models.DateTimeField(auto_now_add=True)
    read = models.PositiveIntegerField(default=0, help_text="Foods read from the file.")
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name
