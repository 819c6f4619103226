"""The hot paths' lean parsing and shared serializers answer exactly as the general path."""

import datetime as dt
import uuid

import pytest

from countonme.base.query import strict_count, strict_day, strict_uuid
from entries.models import FoodEntry
from entries.serializers import FoodEntrySerializer
from products.models import Product
from products.serializers import ProductSerializer
from tests.factories import FoodEntryFactory, PortionFactory, ProductFactory

DAY = dt.date(2025, 3, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-10", dt.date(2025, 3, 10)),
        ("2024-02-29", dt.date(2024, 2, 29)),
        ("2025-02-29", None),
        ("2025-3-10", None),
        ("2025-03-10 ", None),
        ("2025-03-10T00:00", None),
        ("２０２５-03-10", None),  # fullwidth digits: not ASCII
        ("2025-0٣-10", None),  # an Arabic-Indic digit
        ("0000-01-01", None),
        ("", None),
        (None, None),
    ],
)
def test_strict_day(text, expected):
    assert strict_day(text) == expected


def test_strict_count_and_uuid():
    assert strict_count("12", minimum=1, maximum=20) == 12
    assert strict_count("0", minimum=1, maximum=20) is None
    assert strict_count("21", minimum=1, maximum=20) is None
    assert strict_count("١٢", minimum=1, maximum=20) is None
    assert strict_count("+3", minimum=1, maximum=20) is None
    value = uuid.uuid4()
    assert strict_uuid(str(value)) == value
    assert strict_uuid(value.hex) is None
    assert strict_uuid("not-a-uuid") is None


@pytest.fixture
def diary(device):
    portions = [
        PortionFactory(product=ProductFactory(device=device, name=name), is_default=True)
        for name in ("apple", "Bread", "cheese")
    ]
    for offset in range(4):
        for n, meal in enumerate(("breakfast", "lunch", "dinner")):
            FoodEntryFactory(
                portion=portions[(offset + n) % 3],
                day=DAY + dt.timedelta(days=offset),
                meal_type=meal,
                note="x" if n == 1 else None,
            )
    return portions


def general(*args):
    """Stands in for a lean parser: nothing is plain, every request takes the general path."""
    return None


def assert_general_path_answers_the_same(
    client, monkeypatch, target: str, path: str, stand_in=general
):
    """``path`` answers the same bytes (status, body, Link) with ``target`` replaced."""
    lean = client.get(path)
    with monkeypatch.context() as patched:
        patched.setattr(target, stand_in)
        general_answer = client.get(path)
    assert lean.status_code == general_answer.status_code
    assert lean.content == general_answer.content
    assert lean.get("Link") == general_answer.get("Link")
    return lean


@pytest.mark.django_db
class TestFoodEntryList:
    @pytest.mark.parametrize(
        "query",
        [
            f"day={DAY}",
            f"date={DAY}",
            f"day={DAY}&date={DAY + dt.timedelta(days=1)}",
            f"from={DAY}&to={DAY + dt.timedelta(days=2)}",
            f"from={DAY + dt.timedelta(days=1)}",
            "meal_type=lunch",
            f"day={DAY}&meal_type=dinner",
            "limit=2",
            "limit=2&offset=3",
            "limit=5000",
            "unknown=1",
            # not strict: the FilterSet and the pagination serializer decide, as always
            "day=2025-3-10",
            "day=10/03/2025",
            "day=2025-02-30",
            "day=",
            "meal_type=brunch",
            "product_id=nope",
            "limit=0",
            "limit=abc",
            "offset=-1",
        ],
    )
    def test_same_answer_as_the_filterset(self, query, diary, device_client, monkeypatch):
        assert_general_path_answers_the_same(
            device_client,
            monkeypatch,
            "entries.views.lean_entry_lookups",
            f"/v1/food-entries?{query}",
        )

    def test_by_product(self, diary, device_client, monkeypatch):
        query = f"product_id={diary[0].product_id}"
        lean = assert_general_path_answers_the_same(
            device_client,
            monkeypatch,
            "entries.views.lean_entry_lookups",
            f"/v1/food-entries?{query}",
        )
        assert len(lean.json()) == 4

    def test_the_shared_serializer_writes_what_a_fresh_one_writes(self, diary, device_client):
        response = device_client.get("/v1/food-entries?limit=3&offset=2")
        rows = FoodEntry.objects.order_by("-day", "-created_at", "-id")[2:5]
        assert response.json() == FoodEntrySerializer(rows, many=True).data
        assert 'rel="next"' in response["Link"]
        assert "offset=5" in response["Link"]


class AlwaysFiltered:
    """Stands in for PRODUCT_FILTERS: every list goes through the FilterSet."""

    def __and__(self, keys):
        return {"any"}


@pytest.mark.django_db
class TestProductList:
    @pytest.mark.parametrize("query", ["", "ordering=-name", "search=e", "limit=1&offset=1"])
    def test_same_answer_as_the_filterset(self, query, diary, device_client, monkeypatch):
        assert_general_path_answers_the_same(
            device_client,
            monkeypatch,
            "products.views.PRODUCT_FILTERS",
            f"/v1/products?{query}",
            AlwaysFiltered(),
        )

    def test_the_shared_serializer_writes_what_a_fresh_one_writes(self, diary, device_client):
        response = device_client.get("/v1/products")
        products = Product.objects.with_default_portion().order_by("name")
        expected = ProductSerializer(products, many=True).data
        assert sorted(response.json(), key=lambda p: p["name"].lower()) == sorted(
            expected, key=lambda p: p["name"].lower()
        )


@pytest.mark.django_db
class TestStats:
    @pytest.mark.parametrize(
        "query",
        [
            f"from={DAY}&to={DAY + dt.timedelta(days=29)}",
            f"from={DAY}&to={DAY + dt.timedelta(days=365)}",
            f"from={DAY}&to={DAY + dt.timedelta(days=366)}",  # 367 days: 400
            f"from={DAY}&to={DAY - dt.timedelta(days=1)}",  # to before from: 400
            f"from=2025-3-10&to={DAY}",
            f"from={DAY}",
            "from=x&to=y",
        ],
    )
    def test_daily_same_answer_as_the_serializer(self, query, diary, device_client, monkeypatch):
        assert_general_path_answers_the_same(
            device_client, monkeypatch, "entries.serializers.strict_day", f"/v1/stats/daily?{query}"
        )

    @pytest.mark.parametrize("day", [str(DAY), "2025-3-10", "2025-02-30", "day"])
    def test_day_same_answer_as_the_serializer(self, day, diary, device_client, monkeypatch):
        assert_general_path_answers_the_same(
            device_client, monkeypatch, "entries.views.strict_day", f"/v1/stats/day/{day}"
        )
