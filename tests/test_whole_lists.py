"""The lists the app reads whole answer every row on the app's call (issue 20).

The app calls ``GET /v1/body-weights``, ``/v1/products``,
``/v1/products/{id}/portions`` and ``/v1/food-entries`` without ``limit`` and
never follows ``Link``: a first page of 500 lost a long-term user's newest
weigh-ins. Each test holds more rows than any page (the old default 500 and
the maximum ``limit`` 1000) and a query budget that does not grow with them.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from entries.models import BodyWeight, FoodEntry
from products.models import Portion, Product
from tests.conftest import client_for
from tests.factories import (
    BodyWeightFactory,
    DeviceFactory,
    FoodEntryFactory,
    PortionFactory,
    ProductFactory,
)

# More than the old default page (500) and than the largest page a limit asks (1000).
ROWS = 1001
FIRST_DAY = date(2023, 1, 1)


@pytest.fixture
def seen_device(db):
    """A device seen a moment ago: its requests write no ``last_seen_at``."""
    return DeviceFactory(last_seen_at=timezone.now())


@pytest.fixture
def app(seen_device):
    return client_for(seen_device)


def days(count: int) -> list[date]:
    return [FIRST_DAY + timedelta(days=n) for n in range(count)]


@pytest.mark.django_db
class TestBodyWeights:
    @pytest.fixture
    def weights(self, seen_device):
        rows = [
            BodyWeightFactory.build(device=seen_device, day=day, weight_kg=Decimal(70 + n % 20))
            for n, day in enumerate(days(ROWS))
        ]
        # Stored newest first, so that insertion order cannot pass for day order.
        BodyWeight.objects.bulk_create(reversed(rows))
        return rows

    def test_the_apps_call_answers_every_weight_in_day_order(
        self, app, weights, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(2):  # the device, the weights
            response = app.get("/v1/body-weights")
        assert response.status_code == 200
        body = response.json()
        assert [row["day"] for row in body] == [day.isoformat() for day in days(ROWS)]
        assert body[-1] == {
            "id": str(weights[-1].pk),
            "day": weights[-1].day.isoformat(),
            "weight_kg": f"{weights[-1].weight_kg}.000",
            "created_at": body[-1]["created_at"],
            "updated_at": body[-1]["updated_at"],
        }
        assert "Link" not in response

    def test_with_the_empty_range_the_app_sends(self, app, weights):
        response = app.get("/v1/body-weights?from=&to=")
        assert len(response.json()) == ROWS

    def test_a_range_answers_every_weight_in_it(self, app, weights):
        response = app.get("/v1/body-weights", {"from": "2023-01-01", "to": "2025-09-27"})
        assert [row["day"] for row in response.json()] == [d.isoformat() for d in days(1001)]

    def test_a_limit_still_pages(self, app, weights):
        first = app.get("/v1/body-weights", {"limit": 600})
        assert len(first.json()) == 600
        assert 'rel="next"' in first["Link"]
        assert "offset=600" in first["Link"]
        rest = app.get("/v1/body-weights", {"limit": 600, "offset": 600})
        assert len(rest.json()) == ROWS - 600
        assert "Link" not in rest


@pytest.mark.django_db
def test_products_every_one_by_name(seen_device, app, django_assert_max_num_queries):
    names = [f"Food {n:04d}" for n in range(ROWS)]
    Product.objects.bulk_create(
        ProductFactory.build(device=seen_device, name=name) for name in reversed(names)
    )
    with django_assert_max_num_queries(2):  # the device, the products with their default portion
        response = app.get("/v1/products")
    assert response.status_code == 200
    assert [row["name"] for row in response.json()] == names
    assert "Link" not in response


@pytest.mark.django_db
def test_products_searched_every_match(seen_device, app, django_assert_max_num_queries):
    Product.objects.bulk_create(
        ProductFactory.build(device=seen_device, name=f"Food {n:04d}", name_folded=f"food {n:04d}")
        for n in range(ROWS)
    )
    with django_assert_max_num_queries(3):
        response = app.get("/v1/products", {"search": "food"})
    assert len(response.json()) == ROWS


@pytest.mark.django_db
def test_portions_of_a_product_every_one(seen_device, app, django_assert_max_num_queries):
    product = ProductFactory(device=seen_device)
    Portion.objects.bulk_create(
        PortionFactory.build(
            product=product, device=seen_device, label=f"portion {n:04d}", is_default=n == 0
        )
        for n in range(ROWS)
    )
    with django_assert_max_num_queries(3):  # the device, the product, the portions
        response = app.get(f"/v1/products/{product.pk}/portions")
    assert response.status_code == 200
    labels = [row["label"] for row in response.json()]
    assert labels == [f"portion {n:04d}" for n in range(ROWS)]  # the default first, then label
    assert "Link" not in response


@pytest.mark.django_db
class TestFoodEntries:
    @pytest.fixture
    def entries(self, seen_device):
        portion = PortionFactory(product=ProductFactory(device=seen_device))
        rows = [
            FoodEntryFactory.build(
                portion=portion, product=portion.product, device=seen_device, day=day
            )
            for day in days(ROWS)
        ]
        FoodEntry.objects.bulk_create(rows)
        return rows

    def test_the_apps_call_answers_every_entry_newest_day_first(
        self, app, entries, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(2):
            response = app.get("/v1/food-entries")
        assert response.status_code == 200
        assert [row["day"] for row in response.json()] == [
            day.isoformat() for day in reversed(days(ROWS))
        ]
        assert "Link" not in response

    def test_a_range_answers_every_entry_in_it(self, app, entries, django_assert_max_num_queries):
        with django_assert_max_num_queries(2):
            response = app.get("/v1/food-entries", {"from": "2023-01-01", "to": "2030-01-01"})
        assert len(response.json()) == ROWS

    def test_the_general_path_too(self, app, entries, django_assert_max_num_queries):
        # A meal type the lean path does not read takes the FilterSet: same answer.
        with django_assert_max_num_queries(2):
            response = app.get("/v1/food-entries", {"meal_type": "lunch", "from": "2023-01-01"})
        assert len(response.json()) == ROWS
