"""Stats (docs/api.md §6): day totals, daily points, weights — aggregated in SQL."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from entries.models import FoodEntry
from tests.assertions import assert_error
from tests.factories import (
    BodyWeightFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
)

ZERO = {"calories": "0.000", "protein": "0.000", "carbs": "0.000", "fat": "0.000"}


def log(portion, day: date, meal_type: str, calories: str, **macros: str):
    return FoodEntryFactory(
        portion=portion,
        day=day,
        meal_type=meal_type,
        calories=Decimal(calories),
        protein=Decimal(macros.get("protein", "0")),
        carbs=Decimal(macros.get("carbs", "0")),
        fat=Decimal(macros.get("fat", "0")),
    )


@pytest.mark.django_db
class TestDay:
    def test_totals_and_by_meal_type_with_the_goal(self, device_client, device, portion):
        day = date(2026, 3, 14)
        log(portion, day, "breakfast", "300.5", protein="10", carbs="40", fat="5.25")
        log(portion, day, "breakfast", "100", protein="2")
        log(portion, day, "dinner", "600", fat="20")
        log(portion, day, "dinner", "999").delete()  # deleted entries do not count
        log(portion, day + timedelta(days=1), "lunch", "999")  # another day
        log(PortionFactory(), day, "lunch", "999")  # another device
        GoalFactory(device=device)

        response = device_client.get("/v1/stats/day/2026-03-14")

        assert response.status_code == 200
        assert response.json() == {
            "day": "2026-03-14",
            "totals": {
                "calories": "1000.500",
                "protein": "12.000",
                "carbs": "40.000",
                "fat": "25.250",
            },
            "by_meal_type": {
                "breakfast": {
                    "calories": "400.500",
                    "protein": "12.000",
                    "carbs": "40.000",
                    "fat": "5.250",
                },
                "dinner": {
                    "calories": "600.000",
                    "protein": "0.000",
                    "carbs": "0.000",
                    "fat": "20.000",
                },
            },
            "goal": {
                "daily_calories_kcal": 2759,
                "protein_grams": 172,
                "carbs_grams": 310,
                "fat_grams": 91,
            },
        }

    def test_an_empty_day_without_a_goal(self, device_client):
        assert device_client.get("/v1/stats/day/2026-01-01").json() == {
            "day": "2026-01-01",
            "totals": ZERO,
            "by_meal_type": {},
            "goal": None,
        }

    @pytest.mark.parametrize("day", ["2026-02-30", "14-03-2026", "today"])
    def test_a_bad_day_is_400(self, device_client, day):
        assert_error(device_client.get(f"/v1/stats/day/{day}"), 400, "invalid", "day")

    def test_query_budget(self, device_client, device, portion, django_assert_max_num_queries):
        FoodEntry.objects.bulk_create(FoodEntryFactory.build_batch(300, portion=portion))
        GoalFactory(device=device)
        device_client.get("/v1/devices/me")
        with django_assert_max_num_queries(4):
            response = device_client.get("/v1/stats/day/2026-03-14")
        assert response.json()["totals"]["calories"] == "30000.000"


@pytest.mark.django_db
class TestDaily:
    def test_one_point_for_every_day_zero_days_included(self, device_client, portion):
        log(portion, date(2026, 3, 1), "lunch", "500", protein="20")
        log(portion, date(2026, 3, 1), "dinner", "250")
        log(portion, date(2026, 3, 3), "snacks", "100.125")
        log(portion, date(2026, 2, 28), "lunch", "999")  # outside the range

        response = device_client.get("/v1/stats/daily", {"from": "2026-03-01", "to": "2026-03-04"})

        assert response.status_code == 200
        assert response.json() == {
            "from_day": "2026-03-01",
            "to_day": "2026-03-04",
            "points": [
                {
                    "day": "2026-03-01",
                    "totals": {**ZERO, "calories": "750.000", "protein": "20.000"},
                },
                {"day": "2026-03-02", "totals": ZERO},
                {"day": "2026-03-03", "totals": {**ZERO, "calories": "100.125"}},
                {"day": "2026-03-04", "totals": ZERO},
            ],
        }

    def test_a_single_day_and_a_full_leap_year(self, device_client):
        single = device_client.get("/v1/stats/daily", {"from": "2024-02-29", "to": "2024-02-29"})
        assert [p["day"] for p in single.json()["points"]] == ["2024-02-29"]
        year = device_client.get("/v1/stats/daily", {"from": "2024-01-01", "to": "2024-12-31"})
        assert year.status_code == 200
        assert len(year.json()["points"]) == 366

    @pytest.mark.parametrize(
        ("params", "code", "attr"),
        [
            ({}, "required", "from"),
            ({"from": "2026-03-01"}, "required", "to"),
            ({"from": "2026-03-05", "to": "2026-03-01"}, "invalid", "to"),
            ({"from": "2025-01-01", "to": "2026-01-02"}, "max_range", "to"),  # 367 days
            ({"from": "2026-02-30", "to": "2026-03-01"}, "invalid", "from"),
        ],
    )
    def test_bad_ranges_are_400(self, device_client, params, code, attr):
        assert_error(device_client.get("/v1/stats/daily", params), 400, code, attr)

    def test_query_budget_over_366_days(
        self, device_client, portion, django_assert_max_num_queries
    ):
        first = date(2025, 1, 1)
        FoodEntry.objects.bulk_create(
            [
                FoodEntryFactory.build(portion=portion, day=first + timedelta(days=offset))
                for offset in range(366)
                for _ in range(2)
            ]
        )
        device_client.get("/v1/devices/me")
        with django_assert_max_num_queries(4):
            response = device_client.get(
                "/v1/stats/daily", {"from": "2025-01-01", "to": "2026-01-01"}
            )
        points = response.json()["points"]
        assert len(points) == 366
        assert {p["totals"]["calories"] for p in points} == {"200.000"}


@pytest.mark.django_db
class TestWeight:
    def test_points_in_the_range_by_day(self, device_client, device):
        BodyWeightFactory(device=device, day=date(2026, 3, 3), weight_kg=Decimal("79.4"))
        BodyWeightFactory(device=device, day=date(2026, 3, 1), weight_kg=Decimal("80.2"))
        BodyWeightFactory(device=device, day=date(2026, 3, 2), weight_kg=Decimal("80")).delete()
        BodyWeightFactory(device=device, day=date(2026, 4, 1))
        BodyWeightFactory(day=date(2026, 3, 2))  # another device

        response = device_client.get("/v1/stats/weight", {"from": "2026-03-01", "to": "2026-03-31"})

        assert response.json() == {
            "from_day": "2026-03-01",
            "to_day": "2026-03-31",
            "points": [
                {"day": "2026-03-01", "weight_kg": "80.200"},
                {"day": "2026-03-03", "weight_kg": "79.400"},
            ],
        }

    def test_bad_range_is_400(self, device_client):
        assert_error(
            device_client.get("/v1/stats/weight", {"from": "x", "to": "2026-01-01"}),
            400,
            "invalid",
            "from",
        )
