"""Query budgets of the hot paths: the SQL each costs, whatever the data size.

The app opens on a day (entries, day stats, the goal), logs entries, looks at
a month, lists products, searches and syncs. Each budget counts every
statement, the token lookup included; a budget that grows with the number of
rows is an N+1. The load itself is measured by ``make bench``, not here.
"""

import datetime as dt

import pytest

from tests.factories import (
    BodyWeightFactory,
    CatalogProductFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
    ProductFactory,
)

DAY = dt.date(2025, 3, 10)


@pytest.fixture
def diary(device, device_client):
    """Five products with their default portion, 3 entries a day for a week, a goal."""
    portions = [
        PortionFactory(product=ProductFactory(device=device, name=f"Food {n}"), is_default=True)
        for n in range(5)
    ]
    for offset in range(7):
        for n in range(3):
            FoodEntryFactory(
                portion=portions[(offset + n) % 5],
                day=DAY + dt.timedelta(days=offset),
                meal_type=("breakfast", "lunch", "dinner")[n],
            )
    GoalFactory(device=device)
    device_client.get("/v1/devices/me")  # last_seen_at is fresh: no UPDATE below
    return portions


def budget(client, django_assert_num_queries, queries: int, method: str, path: str, **kw):
    with django_assert_num_queries(queries):
        response = getattr(client, method)(path, **kw)
    assert response.status_code in (200, 201), response.content
    return response


@pytest.mark.django_db
class TestReadBudgets:
    def test_day_entries(self, diary, device_client, django_assert_num_queries):
        # the token, the page of entries (one row past it: no COUNT)
        response = budget(
            device_client, django_assert_num_queries, 2, "get", f"/v1/food-entries?day={DAY}"
        )
        assert len(response.json()) == 3

    def test_day_entries_through_the_filterset_costs_the_same(
        self, diary, device_client, django_assert_num_queries
    ):
        response = budget(
            device_client,
            django_assert_num_queries,
            2,
            "get",
            f"/v1/food-entries?from={DAY}&to={DAY + dt.timedelta(days=1)}&limit=4&offset=1",
        )
        assert len(response.json()) == 4

    def test_day_stats(self, diary, device_client, django_assert_num_queries):
        # the token, one GROUP BY meal type, the goal
        response = budget(
            device_client, django_assert_num_queries, 3, "get", f"/v1/stats/day/{DAY}"
        )
        assert set(response.json()["by_meal_type"]) == {"breakfast", "lunch", "dinner"}

    @pytest.mark.parametrize("days", [30, 366])
    def test_daily_stats_one_group_by_whatever_the_range(
        self, days, diary, device_client, django_assert_num_queries
    ):
        last = DAY + dt.timedelta(days=days - 1)
        response = budget(
            device_client,
            django_assert_num_queries,
            2,
            "get",
            f"/v1/stats/daily?from={DAY}&to={last}",
        )
        assert len(response.json()["points"]) == days

    def test_products(self, diary, device_client, django_assert_num_queries):
        # the token, the products with their default portion's values (annotated)
        response = budget(device_client, django_assert_num_queries, 2, "get", "/v1/products")
        assert len(response.json()) == 5
        assert all(p["kcal_100g"] is not None for p in response.json())

    def test_search(self, diary, device_client, django_assert_num_queries):
        # the token, the device's products with their default portion (joined), the
        # catalog (a typo step only for a word of 5 letters or more that found too few)
        response = budget(
            device_client, django_assert_num_queries, 3, "get", "/v1/products/search?q=food"
        )
        assert len(response.json()) == 5

    def test_sync_page(self, diary, device_client, django_assert_num_queries):
        # the token (with the device's counters), one query per kind of row
        # (the products' default portion joined for kcal_100g, not prefetched)
        response = budget(
            device_client, django_assert_num_queries, 6, "get", "/v1/sync/since?limit=1000"
        )
        assert len(response.json()["food_entries"]) == 21


@pytest.mark.django_db
class TestWriteBudget:
    def test_log_an_entry(self, diary, device_client, django_assert_num_queries):
        portion = diary[0]
        body = {
            "product_id": str(portion.product_id),
            "portion_id": str(portion.id),
            "day": str(DAY),
            "meal_type": "lunch",
            "amount": "120",
            "unit": "g",
        }
        # the token; in the transaction (a savepoint and its release inside the
        # test's own transaction; BEGIN and COMMIT in production): the device's
        # write lock, the product, the portion, the version bump, the insert. No
        # inner savepoint: a server-made id cannot clash.
        response = budget(
            device_client,
            django_assert_num_queries,
            8,
            "post",
            "/v1/food-entries",
            data=body,
            format="json",
        )
        assert response.status_code == 201


WEIGHT_DAYS = 122  # a weigh-in every third day for a year: the bench's body-weight list


@pytest.fixture
def year(diary, device):
    """The diary, 120 more entries and a year of weigh-ins: more rows than a 200-row page."""
    for offset in range(40):
        for n in range(3):
            FoodEntryFactory(
                portion=diary[n], day=DAY - dt.timedelta(days=offset + 1), meal_type="dinner"
            )
    for n in range(WEIGHT_DAYS):
        BodyWeightFactory(device=device, day=DAY - dt.timedelta(days=3 * n))
    return diary


@pytest.fixture
def search_data(device, device_client):
    """Products and catalog foods that the bench's 1, 2, 4-letter and two-word queries find."""
    for name in ["Chicken breast", "Chicken thigh", "Cheddar", "Brown rice"]:
        PortionFactory(product=ProductFactory(device=device, name=name), is_default=True)
    for name in ["Chicken breast, roasted", "Cheese, cheddar", "Rice, brown, cooked"]:
        CatalogProductFactory(name=name, display_name=name)
    device_client.get("/v1/devices/me")  # last_seen_at is fresh: no UPDATE below


@pytest.mark.django_db
class TestBenchScenarioBudgets:
    """The scenarios `make bench` adds (bench/README.md): the same SQL whatever the rows."""

    def test_current_goal(self, diary, device_client, django_assert_num_queries):
        # the token, the live goal
        response = budget(device_client, django_assert_num_queries, 2, "get", "/v1/goals/current")
        assert response.json()["daily_calories_kcal"] == GoalFactory.daily_calories_kcal

    def test_body_weights_list(self, year, device_client, django_assert_num_queries):
        # the token, every live weight in day order
        response = budget(device_client, django_assert_num_queries, 2, "get", "/v1/body-weights")
        days = [row["day"] for row in response.json()]
        assert len(days) == WEIGHT_DAYS
        assert days == sorted(days)

    @pytest.mark.parametrize(
        ("query", "queries"),
        # the token, the device's products (their default portion joined), the catalog;
        # a 1-2 letter query that fills no page from the start of names reads one more
        # step (names with a word starting with it): products/search.py
        [("c", 4), ("ch", 4), ("chic", 3), ("chicken%20breast", 3)],
    )
    def test_search_of_any_length(
        self, query, queries, search_data, device_client, django_assert_num_queries
    ):
        response = budget(
            device_client,
            django_assert_num_queries,
            queries,
            "get",
            f"/v1/products/search?q={query}",
        )
        sources = {item["source"] for item in response.json()}
        assert sources == {"user", "catalog"}

    @pytest.mark.parametrize(("limit", "has_more"), [(200, True), (1000, False)])
    def test_sync_pages(self, limit, has_more, year, device_client, django_assert_num_queries):
        # the token (with the device's counters), one query per kind of row
        response = budget(
            device_client, django_assert_num_queries, 6, "get", f"/v1/sync/since?limit={limit}"
        )
        page = response.json()
        kinds = ["products", "portions", "food_entries", "body_weights", "goals"]
        rows = sum(len(page[kind]) for kind in kinds)
        assert page["has_more"] is has_more
        # 5 products, 5 portions, 21 + 120 entries, 122 weights, 1 goal
        assert rows == (200 if has_more else 5 + 5 + 141 + WEIGHT_DAYS + 1)
