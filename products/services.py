"""Writes of products and portions that touch more than one row.

Each runs in a transaction. Call them under the owning device's write lock
(``DeviceScopedViewSet`` takes it for every write request): then the portion
default rules hold even when two requests race. The conditional unique
constraint "one live default per product" backs them in the database.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from rest_framework import exceptions

from countonme.base.errors import Conflict
from products import limits
from products.gtin import barcode_key
from products.models import PORTION_VALUE_FIELDS, CatalogPortion, Portion, Product, Unit


class DefaultRequired(Conflict):
    """409 ``default_required``: a product with portions keeps a default."""

    default_detail = (
        "A product's default portion cannot be unset; make another portion the default instead."
    )
    default_code = "default_required"


class BarcodeTaken(Conflict):
    """409 ``barcode_taken``: another live product of the device has this barcode (as a GTIN)."""

    default_detail = "Another product of this device has this barcode."
    default_code = "barcode_taken"


class BeyondLimits(exceptions.ValidationError):
    """400 naming the field a physical limit is about (``products.limits``), with its code.

    ``field`` overrides the field named (a catalog portion logged by id names that id).
    """

    def __init__(self, breach: limits.Breach, *, field: str | None = None) -> None:
        message = breach.message
        if field is not None:
            message = f"This portion's values break a physical limit: {message}"
        super().__init__({field or breach.field or "non_field_errors": [message]}, code=breach.code)


def portion_limits_check(values: limits.PortionValues) -> None:
    """Raise ``BeyondLimits`` (400) when a portion's values break a physical limit."""
    breach = limits.portion_breach(values)
    if breach is not None:
        raise BeyondLimits(breach)


@dataclass(frozen=True)
class Nutrition100g:
    """Calories and macros per 100 g, from a product create body."""

    calories: Decimal
    protein: Decimal | None = None
    carbs: Decimal | None = None
    fat: Decimal | None = None


def _default_portion_from(nutrition: Nutrition100g, *, product: Product) -> Portion:
    """The "100 g" portion a product created with per-100 g values gets."""
    return Portion(
        device_id=product.device_id,
        product=product,
        label="100 g",
        base_amount=Decimal(100),
        base_unit=Unit.G,
        gram_weight=Decimal(100),  # a mass portion carries its mass (products.limits)
        calories=nutrition.calories,
        protein=nutrition.protein,
        carbs=nutrition.carbs,
        fat=nutrition.fat,
        is_default=True,
    )


@transaction.atomic
def product_create(
    *,
    device: Any,
    name: str,
    barcode: str | None,
    nutrition: Nutrition100g | None = None,
    id: uuid.UUID | None = None,
    copied_from_catalog: uuid.UUID | None = None,
) -> Product:
    """Create a product, and its default "100 g" portion when per-100 g values are given.

    ``id`` is the client's (a create posted with its id), else the server makes one.
    """
    product = Product(
        device=device, name=name, barcode=barcode, copied_from_catalog=copied_from_catalog
    )
    if id is not None:
        product.id = id
    product.save()
    if nutrition is not None:
        _default_portion_from(nutrition, product=product).save()
    return product


@transaction.atomic
def product_restore(
    *, product: Product, name: str, barcode: str | None, nutrition: Nutrition100g | None = None
) -> Product:
    """Bring back a soft-deleted product with the posted fields (its portions stay deleted).

    With per-100 g values it gets a fresh default "100 g" portion, as on create.
    """
    product.name = name
    product.barcode = barcode
    product.deleted_at = None
    product.save()
    if nutrition is not None:
        _default_portion_from(nutrition, product=product).save()
    return product


def product_duplicate(
    *, products: QuerySet, barcode: str | None, restoring: Product | None = None
) -> Product | None:
    """Barcode dedup, the rule of a product create: the live product it would duplicate.

    A create (or the restore of ``restoring``, a soft-deleted product of the
    device) whose barcode a live product of the device has in any GTIN form
    writes nothing: that product is the answer (200), so a restored product
    never joins a live one with its barcode. ``products`` is the device's
    live products as the caller serves them (its joins and order); ``None``
    when nothing would be duplicated (no barcode, or a new one).
    """
    return product_with_barcode(products, barcode, exclude=restoring)


def product_with_barcode(
    products: QuerySet, barcode: str | None, *, exclude: Product | None = None
) -> Product | None:
    """The product among ``products`` whose barcode is ``barcode`` in any GTIN form, if any.

    ``products`` is the device's live products (with whatever the caller
    joins); ``exclude`` is the product being written, which never clashes with
    itself. ``None`` for no barcode.
    """
    key = barcode_key(barcode)
    if key is None:
        return None
    others = products.filter(barcode_key=key)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    return others.first()


_UNCHANGED: Any = object()


@transaction.atomic
def product_update(
    *, product: Product, name: str | None = None, barcode: str | None = _UNCHANGED
) -> Product:
    """Rename a live product or change its barcode (``None`` clears it); the product.

    Arguments left out keep their value. Raises ``BarcodeTaken`` (409) when
    another live product of the device has the new barcode in any GTIN form:
    one live product per barcode, as creates and restores keep it.
    """
    if barcode is not _UNCHANGED:
        others = Product.objects.filter(device_id=product.device_id)
        if product_with_barcode(others, barcode, exclude=product) is not None:
            raise BarcodeTaken()
        product.barcode = barcode
    if name is not None:
        product.name = name
    product.save()
    return product


@transaction.atomic
def product_delete(*, product: Product) -> None:
    """Soft-delete a product and its live portions; entries that used it stay as history.

    They share one ``deleted_at``, which is how ``product_undelete`` knows
    which portions went with the product.
    """
    now = timezone.now()
    Portion.objects.filter(product=product).update(deleted_at=now)
    product.deleted_at = now
    product.save(update_fields=["deleted_at"])


# Portions deleted this long before their product count as deleted with it:
# rows deleted before product_delete stamped one shared time were a few
# milliseconds apart.
_DELETED_TOGETHER = timedelta(seconds=1)


@transaction.atomic
def product_undelete(*, product: Product) -> int:
    """Bring back a soft-deleted product as it was, with the portions deleted with it.

    Unlike ``product_restore`` (a create replayed with new fields), nothing
    but ``deleted_at`` changes. Every row gets a fresh sync version, so the
    app's next sync brings them back. Portions deleted earlier on their own
    stay deleted; of the returning portions at most one is the default.
    Returns how many portions came back.
    """
    deleted_at = product.deleted_at
    if deleted_at is None:
        return 0
    product.restore()
    with_it = Portion.all_objects.filter(
        product=product, deleted_at__range=(deleted_at - _DELETED_TOGETHER, deleted_at)
    )
    default = with_it.filter(is_default=True).order_by("-deleted_at").values("pk")[:1]
    returning = with_it.filter(Q(is_default=False) | Q(pk__in=default))
    if Portion.objects.filter(product=product, is_default=True).exists():
        returning = returning.filter(is_default=False)
    return returning.update(deleted_at=None)


class ProductDeleted(Conflict):
    """409 ``product_deleted``: a portion cannot come back while its product is deleted."""

    default_detail = "Its product is deleted: restore the product first."
    default_code = "product_deleted"


@transaction.atomic
def portion_undelete(*, portion: Portion) -> Portion:
    """Bring back a soft-deleted portion of a live product (else 409 ``product_deleted``).

    It does not take the default from a live default portion; it becomes the
    default only when the product has no other live portion.
    """
    if portion.product.is_deleted:
        raise ProductDeleted()
    return portion_save(portion=portion, fields={"deleted_at": None, "is_default": False})


def _clear_default(*, product_id: uuid.UUID, keep: Portion | None = None) -> None:
    """Unset the live default of a product (one UPDATE), except ``keep``."""
    others = Portion.objects.filter(product_id=product_id, is_default=True)
    if keep is not None and keep.pk is not None:
        others = others.exclude(pk=keep.pk)
    others.update(is_default=False)


def portion_create(
    *, device: Any, product: Product, fields: dict[str, Any], id: uuid.UUID | None = None
) -> Portion:
    """A new portion of ``product`` with ``fields`` (``portion_save``'s rules); the portion.

    ``id`` is the client's (a create posted with its id), else the server makes one.
    """
    portion = Portion(device=device, product=product)
    if id is not None:
        portion.id = id
    return portion_save(portion=portion, fields=fields)


@transaction.atomic
def portion_save(*, portion: Portion, fields: dict[str, Any]) -> Portion:
    """Create or update a portion, keeping exactly one live default per product.

    - the product's first live portion becomes the default whatever was asked;
    - ``is_default: true`` moves the default to this portion;
    - ``is_default: false`` on the current default is 409 ``default_required``.

    When ``fields`` change its values, a portion measured by mass gets its
    mass as ``gram_weight`` and values beyond the physical limits raise
    ``BeyondLimits`` (400; ``products.limits``).
    """
    was_default = portion.pk is not None and portion.is_default and not portion.is_deleted
    for name, value in fields.items():
        setattr(portion, name, value)
    if fields.keys() & limits.PORTION_FIELDS:
        # Whoever calls (the API, a catalog copy), a mass portion carries its
        # mass and no written portion breaks the physical limits.
        if portion.gram_weight is None:
            portion.gram_weight = limits.mass_gram_weight(portion.base_amount, portion.base_unit)
        portion_limits_check(limits.PortionValues.of(portion))
    product = portion.product
    others_live = Portion.objects.filter(product=product).exclude(pk=portion.pk).exists()
    if not others_live:
        portion.is_default = True
    elif was_default and not portion.is_default:
        raise DefaultRequired()
    if portion.is_default:
        _clear_default(product_id=product.pk, keep=portion)
    portion.save()
    if portion.is_default or was_default:
        _restamp(product)
    return portion


def _restamp(product: Product) -> None:
    """Give the product a new version: its kcal_100g follows its default portion.

    Sync sends the product row again, so a client's copy of kcal_100g does
    not stay stale after the default portion changed.
    """
    product.save(update_fields=["updated_at"])


@transaction.atomic
def portion_delete(*, portion: Portion) -> None:
    """Soft-delete a portion; when it was the default, the oldest remaining one takes over."""
    was_default = portion.is_default
    portion.delete()
    if not was_default:
        return
    successor = (
        Portion.objects.filter(product_id=portion.product_id).order_by("created_at", "id").first()
    )
    if successor is not None:
        successor.is_default = True
        successor.save(update_fields=["is_default"])
    _restamp(portion.product)


# --- Catalog foods the device logs (a quick-add batch) ------------------------------


def _portion_copy(
    catalog_portion: CatalogPortion, *, product: Product, as_default: bool = True
) -> Portion:
    """The device's portion of ``product`` with the catalog portion's values (saved).

    ``as_default=False`` leaves the product's default where it is (``portion_save``
    still makes the product's only live portion its default).
    """
    fields = {name: getattr(catalog_portion, name) for name in PORTION_VALUE_FIELDS}
    fields["is_default"] = fields["is_default"] and as_default
    portion = Portion(
        device_id=product.device_id, product=product, copied_from_catalog=catalog_portion.pk
    )
    return portion_save(portion=portion, fields=fields)


# No savepoint of its own: the batch that calls it rolls back as a whole anyway
# (two round trips fewer per catalog entry).
@transaction.atomic(savepoint=False)
def portion_from_catalog(*, device: Any, catalog_portion: CatalogPortion) -> Portion:
    """The device's own portion standing for ``catalog_portion``, copied on first use.

    Call under the device's write lock (two racing copies would make two
    products). The product is, in order: the device's live product copied
    from the same catalog food (``copied_from_catalog``); else its live
    product with the food's barcode in any GTIN form (one live product per
    barcode, as creates keep it); else a new product named and barcoded as
    the catalog food with a copy of every catalog portion, the catalog's
    default staying the default. On a reused product the portion copied
    from ``catalog_portion`` is reused; a missing one (never copied, or
    deleted since) is copied again. ``catalog_portion.product`` must be loaded.

    A catalog portion beyond the physical limits (an import older than them;
    ``manage.py audit_numbers`` finds those) is never copied: logging it is
    ``BeyondLimits`` (400) naming ``catalog_portion_id``.
    """
    breach = limits.portion_breach(limits.PortionValues.of(catalog_portion))
    if breach is not None:
        raise BeyondLimits(breach, field="catalog_portion_id")
    food = catalog_portion.product
    mine = Product.objects.filter(device=device)
    product = mine.filter(copied_from_catalog=food.pk).order_by("created_at", "id").first()
    if product is None and food.barcode_key is not None:
        product = mine.filter(barcode_key=food.barcode_key).order_by("created_at", "id").first()
    if product is None:
        product = product_create(
            device=device,
            name=food.display_name or food.name,
            barcode=food.barcode,
            copied_from_catalog=food.pk,
        )
        # The default first: the product's first portion becomes its default anyway.
        copies = [
            _portion_copy(portion, product=product)
            for portion in sorted(food.portions.all(), key=lambda row: not row.is_default)
            if limits.portion_breach(limits.PortionValues.of(portion)) is None
        ]
        return next(copy for copy in copies if copy.copied_from_catalog == catalog_portion.pk)
    copied = (
        Portion.objects.filter(product=product, copied_from_catalog=catalog_portion.pk)
        .order_by("created_at", "id")
        .first()
    )
    if copied is not None:
        return copied
    # Added to a product the user already has: it never takes the default away.
    return _portion_copy(catalog_portion, product=product, as_default=False)
