"""``manage.py seed_bench``: the benchmark data set, readable through the API as the app's own."""

import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from countonme.base.numbers import round_half_up
from devices.models import Device, Goal
from entries.models import BodyWeight, FoodEntry
from products.limits import PortionValues, portion_breach
from products.models import Portion, Product


def seed(tmp_path, *extra: str) -> str:
    out = tmp_path / "data.lua"
    call_command(
        "seed_bench", "--devices", "2", "--days", "3", "--per-day", "2", "--out", str(out), *extra
    )
    return out.read_text()


@pytest.mark.django_db(transaction=True)
class TestSeedBench:
    def test_rows_and_data_file(self, tmp_path):
        data = seed(tmp_path)

        assert Device.objects.count() == 2
        assert Product.objects.count() == 40
        assert Portion.objects.filter(is_default=True).count() == 40
        assert Goal.objects.count() == 2
        assert FoodEntry.objects.count() == 2 * 3 * 2
        # A weigh-in every third day: of 3 days, the first, for each device.
        assert BodyWeight.objects.count() == 2
        assert [str(d) for d in FoodEntry.objects.dates("day", "day")] == [
            "2025-01-01",
            "2025-01-02",
            "2025-01-03",
        ]
        tokens = re.findall(r"token = '([^']+)'", data)
        assert len(tokens) == 2
        assert "days = 3," in data
        assert "start = '2025-01-01'" in data
        # Each device line lists its 20 (product, portion) pairs.
        assert len(re.findall(r"\{'[0-9a-f-]{36}', '[0-9a-f-]{36}'\}", data)) == 40

    def test_tokens_authenticate_and_the_api_reads_the_seeded_diary(self, tmp_path):
        data = seed(tmp_path)
        token = re.search(r"token = '([^']+)'", data).group(1)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

        entries = client.get("/v1/food-entries?day=2025-01-02")
        stats = client.get("/v1/stats/day/2025-01-02")
        products = client.get("/v1/products")

        assert entries.status_code == 200
        assert len(entries.json()) == 2
        # The snapshot is the portion's 100 g values scaled to the amount eaten.
        entry = FoodEntry.objects.get(pk=entries.json()[0]["id"])
        kcal_100g = entry.portion.calories
        assert entry.calories == (kcal_100g * entry.amount / 100).quantize(Decimal("0.001"))
        assert stats.status_code == 200
        assert Decimal(stats.json()["totals"]["calories"]) == sum(
            Decimal(e["calories"]) for e in entries.json()
        )
        assert stats.json()["goal"]["daily_calories_kcal"] == 2200
        assert products.status_code == 200
        assert len(products.json()) == 20
        assert all(p["kcal_100g"] is not None for p in products.json())
        weights = client.get("/v1/body-weights")
        assert weights.status_code == 200
        assert [w["day"] for w in weights.json()] == ["2025-01-01"]
        assert 81 <= Decimal(weights.json()[0]["weight_kg"]) <= 83
        goal = client.get("/v1/goals/current")
        assert goal.status_code == 200
        assert goal.json()["daily_calories_kcal"] == 2200

    def test_a_year_has_122_weights_a_device_in_day_order(self, tmp_path):
        out = tmp_path / "data.lua"
        call_command("seed_bench", "--devices", "1", "--days", "365", "--per-day", "1",
                     "--out", str(out))  # fmt: skip
        token = re.search(r"token = '([^']+)'", out.read_text()).group(1)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

        days = [w["day"] for w in client.get("/v1/body-weights").json()]

        assert len(days) == 122
        assert days[:2] == ["2025-01-01", "2025-01-04"]
        assert days == sorted(days)

    def test_refuses_a_non_empty_database_unless_replace(self, tmp_path):
        seed(tmp_path)
        with pytest.raises(CommandError, match="--replace"):
            seed(tmp_path)

        seed(tmp_path, "--replace", "--seed", "2")

        assert Device.objects.count() == 2
        assert FoodEntry.objects.count() == 12

    def test_every_seeded_food_is_within_the_limits_and_logs_as_the_bench_logs_it(self, tmp_path):
        """The bench's log_entry posts grams of each seeded food: every one must be a 201."""
        data = seed(tmp_path)
        for portion in Portion.objects.all():
            assert portion_breach(PortionValues.of(portion)) is None, portion.product.name
        token = re.search(r"token = '([^']+)'", data).group(1)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        device_id = token.partition(".")[0]
        for portion in Portion.objects.filter(device_id=device_id):
            body = {
                "product_id": str(portion.product_id),
                "portion_id": str(portion.id),
                "day": "2025-01-03",
                "meal_type": "lunch",
                "amount": "150",
                "unit": "g",
            }
            response = client.post("/v1/food-entries", body, format="json")
            assert response.status_code == 201, (portion.product.name, response.content)
            expected = round_half_up(portion.calories * Decimal("1.5"))
            assert Decimal(response.json()["calories"]) == expected
