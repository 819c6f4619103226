"""Row writers derived from the serializers write what the serializers write, byte for byte."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from countonme.base.row_writer import Computed, row_writer
from countonme.base.serializers import decimal_field
from countonme.sync.changes import sync_registry
from entries.models import FoodEntry
from entries.representation import ENTRY_ROWS
from entries.serializers import FoodEntrySerializer
from products.models import Product
from products.representation import PRODUCT_ROWS
from products.serializers import ProductSerializer
from tests.factories import (
    BodyWeightFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
    ProductFactory,
)


def rendered(body) -> bytes:
    return JSONRenderer().render(body)


def one_field_writer(field: serializers.Field, **overrides):
    """The writer of a serializer of ``field`` alone, named ``value``."""
    shape = type("OneFieldSerializer", (serializers.Serializer,), {"value": field})
    return row_writer(shape, **overrides)


@pytest.mark.parametrize(
    "value",
    ["0", "1", "12.5", "0.0005", "0.0015", "-0.0005", "123456789.123", "99999999999999999.999"],
)
@pytest.mark.parametrize("max_digits", [12, 20])
def test_a_decimal_is_the_decimal_fields(value, max_digits):
    field = decimal_field(max_digits=max_digits)
    write = one_field_writer(decimal_field(max_digits=max_digits)).write
    try:
        expected = field.to_representation(Decimal(value))
    except InvalidOperation:
        with pytest.raises(InvalidOperation):
            write([(Decimal(value),)])
        return
    assert write([(Decimal(value),)]) == [{"value": expected}]


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/St_Johns"])
def test_a_datetime_is_the_datetime_fields_in_the_requests_zone(zone):
    values = [
        dt.datetime(2025, 3, 10, 12, 30, tzinfo=dt.UTC),
        dt.datetime(2025, 7, 1, 23, 59, 59, 123456, tzinfo=dt.UTC),
        dt.datetime(2025, 1, 1, 1, 0, tzinfo=ZoneInfo("Asia/Kolkata")),
    ]
    writer = one_field_writer(serializers.DateTimeField())
    with timezone.override(zone):
        assert [body["value"] for body in writer.write([(value,) for value in values])] == [
            serializers.DateTimeField().to_representation(value) for value in values
        ]


def test_none_is_null_and_other_fields_are_asked_themselves():
    class Shouting(serializers.CharField):
        def to_representation(self, value):
            return value.upper()

    assert one_field_writer(Shouting()).write([("a",), (None,)]) == [
        {"value": "A"},
        {"value": None},
    ]
    floats = one_field_writer(serializers.FloatField())
    assert floats.write([(Decimal("24.7"),)]) == [{"value": 24.7}]
    # Text of a column that is no text column (here: none) is the field's str().
    assert one_field_writer(serializers.CharField()).write([(5,)]) == [{"value": "5"}]


def test_a_method_field_needs_an_override():
    with pytest.raises(ImproperlyConfigured, match="Computed override"):
        row_writer(ProductSerializer).columns  # noqa: B018
    computed = Computed(("name",), str.upper)
    assert one_field_writer(serializers.SerializerMethodField(), value=computed).write(
        [("apple",)]
    ) == [{"value": "APPLE"}]


@pytest.mark.django_db
def test_a_dotted_source_reads_the_joined_column(device):
    entry = FoodEntryFactory(portion=PortionFactory(product=ProductFactory(device=device)))

    class EntryWithProductName(serializers.ModelSerializer):
        product_name = serializers.CharField(source="product.name")

        class Meta:
            model = FoodEntry
            fields = ["id", "product_name", "day"]

    writer = row_writer(EntryWithProductName)
    assert writer.columns == ("id", "product__name", "day")
    rows = FoodEntry.objects.values_list(*writer.columns)
    assert writer.write(rows) == [EntryWithProductName(entry).data]
    assert writer.write_dicts(FoodEntry.objects.values(*writer.columns)) == writer.write(rows)


@pytest.fixture
def rows_of_every_kind(device):
    """Rows with nulls and without: notes, barcodes, portions by mass, volume and count, goals."""
    products = [
        ProductFactory(device=device, name="Oats", barcode="4006381333931"),
        ProductFactory(device=device, name="Milk"),
        ProductFactory(device=device, name="Egg"),
        ProductFactory(device=device, name="Bare"),  # no default portion: kcal_100g null
    ]
    portions = [
        PortionFactory(product=products[0], calories=Decimal("389.123")),
        PortionFactory(
            product=products[1], base_amount=Decimal(250), base_unit="ml", gram_weight=None
        ),
        PortionFactory(
            product=products[2],
            label="1 egg",
            base_amount=Decimal(1),
            base_unit="pcs",
            gram_weight=Decimal("50.5"),
            protein=None,
        ),
    ]
    for n, portion in enumerate(portions * 2):
        FoodEntryFactory(portion=portion, note=None if n % 2 else "after a run")
    BodyWeightFactory(device=device, weight_kg=Decimal("81.25"))
    GoalFactory(device=device, manual=True).delete()  # a tombstone
    GoalFactory(device=device)
    ProductFactory(device=device, name="Gone").delete()
    return products


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata"])
def test_the_lists_rows_are_the_serializers(zone, rows_of_every_kind, device):
    entries = FoodEntry.objects.filter(device=device).in_diary_order()
    products = Product.objects.filter(device=device).with_default_portion().in_list_order()
    annotated = Product.objects.filter(device=device).with_default_portion_measure()
    with timezone.override(zone):
        assert rendered(ENTRY_ROWS.write(entries.values_list(*ENTRY_ROWS.columns))) == rendered(
            FoodEntrySerializer(entries, many=True).data
        )
        product_rows = annotated.in_list_order().values_list(*PRODUCT_ROWS.columns)
        assert rendered(PRODUCT_ROWS.write(product_rows)) == rendered(
            ProductSerializer(products, many=True).data
        )


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(sync_registry), ids=lambda kind: kind.name)
def test_every_sync_kinds_rows_are_its_serializers(kind, rows_of_every_kind, device):
    """Live rows and tombstones (``deleted_at``), each kind as its serializer writes it."""
    rows = kind.model.all_objects.filter(device=device).order_by("version", "id")
    instances = rows.with_default_portion() if kind.name == "products" else rows
    values = (kind.prepare(rows) if kind.prepare else rows).values_list(*kind.writer.columns)
    assert len(values) > 0
    with timezone.override("Europe/Paris"):
        assert rendered(kind.writer.write(values)) == rendered(
            kind.serializer(instances, many=True).data
        )


def test_nested_serializers_given_dicts_are_written_by_their_own_writers():
    class Totals(serializers.Serializer):
        kcal = decimal_field()

    class Document(serializers.Serializer):
        day = serializers.DateField()
        totals = Totals()
        by_meal = serializers.DictField(child=Totals())
        points = Totals(many=True)
        goal = Totals(allow_null=True)

    document = {
        "day": dt.date(2025, 3, 10),
        "totals": {"kcal": Decimal("1.0005")},
        "by_meal": {"lunch": {"kcal": Decimal(2)}, "snacks": None},
        "points": [{"kcal": Decimal("3.25")}, {"kcal": Decimal(0)}],
        "goal": None,
    }
    assert row_writer(Document).write_dict(document) == Document(document).data
