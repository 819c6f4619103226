"""The hot paths' lean parsing and shared serializers answer exactly as the general path."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from rest_framework.renderers import JSONRenderer

from countonme.base.compiled import CompiledQuery
from countonme.base.query import strict_count, strict_day, strict_uuid
from devices.goals.serializers import GoalSerializer
from devices.models import Goal
from entries import stats
from entries.body_weights.serializers import BodyWeightSerializer
from entries.models import FoodEntry
from entries.representation import daily_stats_body, day_stats_body
from entries.serializers import DailyStatsSerializer, DayStatsSerializer, FoodEntrySerializer
from products.models import Product
from products.serializers import ProductSerializer
from tests.factories import (
    BodyWeightFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
    ProductFactory,
)

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
            "entries.views.fast_filter_values",
            f"/v1/food-entries?{query}",
        )

    def test_by_product(self, diary, device_client, monkeypatch):
        query = f"product_id={diary[0].product_id}"
        lean = assert_general_path_answers_the_same(
            device_client,
            monkeypatch,
            "entries.views.fast_filter_values",
            f"/v1/food-entries?{query}",
        )
        assert len(lean.json()) == 4

    def test_the_shared_serializer_writes_what_a_fresh_one_writes(self, diary, device_client):
        response = device_client.get("/v1/food-entries?limit=3&offset=2")
        rows = FoodEntry.objects.order_by("-day", "-created_at", "-id")[2:5]
        assert response.json() == FoodEntrySerializer(rows, many=True).data
        assert 'rel="next"' in response["Link"]
        assert "offset=5" in response["Link"]


@pytest.mark.django_db
class TestProductList:
    @pytest.mark.parametrize("query", ["", "ordering=-name", "search=e", "limit=1&offset=1"])
    def test_same_answer_as_the_filterset(self, query, diary, device_client, monkeypatch):
        assert_general_path_answers_the_same(
            device_client,
            monkeypatch,
            "products.views.fast_filter_values",
            f"/v1/products?{query}",
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


def rendered(body) -> bytes:
    return JSONRenderer().render(body)


@pytest.mark.django_db
class TestStatsBodies:
    """The stats' lean bodies are the serializers' bodies of the ORM's aggregates, byte for byte."""

    @pytest.mark.parametrize("with_goal", [True, False])
    @pytest.mark.parametrize("offset", [0, 1, 9])  # a day with entries, another, an empty one
    def test_day(self, offset, with_goal, diary, device):
        if with_goal:
            GoalFactory(device=device)
        day = DAY + dt.timedelta(days=offset)
        entries = FoodEntry.objects.filter(device=device)
        totals, by_meal = stats.day_totals(entries, day)
        goal = Goal.objects.filter(device=device).first()
        body = {"day": day, "totals": totals, "by_meal_type": by_meal, "goal": goal}
        assert rendered(day_stats_body(device.pk, day)) == rendered(DayStatsSerializer(body).data)

    @pytest.mark.parametrize("days", [1, 30, 366])
    def test_daily(self, days, diary, device, other_device):
        FoodEntryFactory(
            portion=PortionFactory(product=ProductFactory(device=other_device)), day=DAY
        )
        first, last = DAY - dt.timedelta(days=2), DAY + dt.timedelta(days=days - 3)
        points = stats.daily_totals(FoodEntry.objects.filter(device=device), first, last)
        body = {
            "from_day": first,
            "to_day": last,
            "points": [{"day": day, "totals": totals} for day, totals in points],
        }
        expected = DailyStatsSerializer(body).data
        assert rendered(daily_stats_body(device.pk, first, last)) == rendered(expected)


@pytest.mark.django_db
class TestCompiledQuery:
    def query(self):
        return CompiledQuery(
            lambda device_id, **lookups: (
                FoodEntry.objects.filter(device_id=device_id, **lookups)
                .order_by("-day", "-created_at", "-id")
                .values_list("id", "day", "meal_type", "amount", "created_at")
            )
        )

    @pytest.mark.parametrize(
        "lookups",
        [
            {},
            {"day": DAY},
            {"day": DAY, "day__exact": DAY + dt.timedelta(days=1)},
            {"day__gte": DAY + dt.timedelta(days=1), "meal_type": "lunch"},
            {"meal_type": "dinner", "day__lte": DAY + dt.timedelta(days=2)},
        ],
    )
    def test_the_orms_rows(self, lookups, diary, device, other_device):
        FoodEntryFactory(
            portion=PortionFactory(product=ProductFactory(device=other_device)), day=DAY
        )
        query = self.query()
        orm = FoodEntry.objects.filter(device=device, **lookups).order_by(
            "-day", "-created_at", "-id"
        )
        expected = list(orm.values_list("id", "day", "meal_type", "amount", "created_at"))
        for _ in range(2):  # compiled, then reused
            assert query.fetch(device_id=device.pk, **lookups) == expected
        assert query.fetch(device_id=device.pk, limit=2, offset=1, **lookups) == expected[1:3]
        product = diary[1].product_id
        with_product = list(
            orm.filter(product_id=product).values_list(
                "id", "day", "meal_type", "amount", "created_at"
            )
        )
        assert query.fetch(device_id=device.pk, product_id=product, **lookups) == with_product

    def test_a_value_the_sql_does_not_take_is_refused(self, device):
        query = CompiledQuery(lambda device_id: FoodEntry.objects.values_list("id"))
        with pytest.raises(ValueError, match="device_id"):
            query.fetch(device_id=device.pk)

    def test_a_device_owned_query_without_the_device_is_refused(self, device):
        query = CompiledQuery(lambda day: FoodEntry.objects.filter(day=day).values_list("id"))
        with pytest.raises(ValueError, match="must be compiled with a device_id"):
            query.fetch(day=DAY)

    def test_integer_values(self, diary, device):
        """Sync's counter and cursor: ints, compiled once, a bool refused."""
        FoodEntry.objects.filter(device=device, day=DAY).update(note="later")  # a new version
        device.refresh_from_db()
        query = CompiledQuery(
            lambda device_id, above: (
                FoodEntry.objects.filter(device_id=device_id, version__gt=above)
                .order_by("id")
                .values_list("id")
            )
        )
        orm = FoodEntry.objects.filter(device=device).order_by("id")
        for above in (0, 1, device.last_version):
            expected = list(orm.filter(version__gt=above).values_list("id"))
            assert query.fetch(device_id=device.pk, above=above) == expected
        assert query.fetch(device_id=device.pk, above=0) != []
        with pytest.raises(TypeError):
            query.fetch(device_id=device.pk, above=True)

    @pytest.mark.parametrize(
        "wrong",
        [
            lambda device: {"device_id": str(device.pk)},
            lambda device: {"device_id": device.pk, "day": dt.datetime(2026, 3, 14, 8)},
            lambda device: {"device_id": device.pk, "day": None},
        ],
    )
    def test_a_value_of_another_type_is_refused_not_matched_against(self, wrong, device):
        query = self.query()
        query.fetch(device_id=device.pk)
        query.fetch(device_id=device.pk, day=DAY)
        with pytest.raises(TypeError):
            query.fetch(**wrong(device))


@pytest.mark.django_db(transaction=True)
def test_the_write_lock_outside_a_transaction_is_refused(device):
    from django.db.transaction import TransactionManagementError

    with pytest.raises(TransactionManagementError):
        device.lock_for_writes()


@pytest.mark.django_db
class TestGoalAndBodyWeights:
    def test_the_current_goal_is_what_a_fresh_serializer_writes(self, device, device_client):
        GoalFactory(device=device).delete()  # a deleted goal is not the current one
        goal = GoalFactory(device=device)
        response = device_client.get("/v1/goals/current")
        assert response.content == JSONRenderer().render(GoalSerializer(goal).data)

    def test_the_weights_are_what_a_fresh_serializer_writes(self, device, device_client):
        weights = [BodyWeightFactory(device=device, weight_kg=Decimal(f"80.{n}")) for n in range(5)]
        response = device_client.get("/v1/body-weights?limit=3&offset=1")
        assert response.content == JSONRenderer().render(
            BodyWeightSerializer(weights[1:4], many=True).data
        )
        assert "offset=4" in response["Link"]

    @pytest.mark.parametrize(
        "query",
        ["", "from=2026-01-02", "from=2026-01-02&to=2026-01-03", "to=2026-1-3", "from=", "limit=2"],
    )
    def test_the_weights_fast_path_answers_as_the_filterset(
        self, query, device, device_client, monkeypatch
    ):
        for _ in range(5):
            BodyWeightFactory(device=device)  # consecutive days
        assert_general_path_answers_the_same(
            device_client,
            monkeypatch,
            "entries.body_weights.views.fast_filter_values",
            f"/v1/body-weights?{query}",
        )
