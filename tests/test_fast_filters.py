"""The fast lists' parameters come from their FilterSets: a filter added there works on both."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import QueryDict
from django_filters import rest_framework as filters

from countonme.base.query import fast_filter_values
from entries.filters import FoodEntryFilter
from entries.models import FoodEntry
from products.filters import ProductFilter
from products.models import Unit
from tests.factories import FoodEntryFactory, PortionFactory, ProductFactory

DAY = dt.date(2025, 3, 10)
ENTRIES = "/v1/food-entries"


def general(*args):
    """Stands in for the fast parse: every request takes the general (FilterSet) path."""
    return None


@pytest.fixture
def entries(device, other_device):
    """Entries by grams and millilitres, small and large, on two days; one of another device."""
    grams = PortionFactory(product=ProductFactory(device=device, name="Oats"))
    millilitres = PortionFactory(
        product=ProductFactory(device=device, name="Milk"),
        base_amount=Decimal(250),
        base_unit="ml",
        gram_weight=None,
    )
    for offset in range(2):
        for portion, unit in ((grams, "g"), (millilitres, "ml")):
            for amount in (Decimal(20), Decimal(300)):
                FoodEntryFactory(
                    portion=portion, unit=unit, amount=amount, day=DAY + dt.timedelta(days=offset)
                )
    FoodEntryFactory(portion=PortionFactory(product=ProductFactory(device=other_device)))


def both_paths(client, monkeypatch, query: str) -> list[dict]:
    """The list's answer on the fast path and on the general one: the same bytes. The rows."""
    fast = client.get(f"{ENTRIES}?{query}")
    with monkeypatch.context() as patched:
        patched.setattr("entries.views.fast_filter_values", general)
        slow = client.get(f"{ENTRIES}?{query}")
    assert fast.status_code == slow.status_code == 200
    assert fast.content == slow.content
    return fast.json()


@pytest.mark.django_db
class TestAFilterAddedAtRunTime:
    def test_a_choice_filter_is_parsed_on_the_fast_path_and_answers_the_same(
        self, entries, device_client, monkeypatch
    ):
        added = filters.ChoiceFilter(field_name="unit", choices=Unit.choices)
        monkeypatch.setitem(FoodEntryFilter.base_filters, "unit", added)
        params = QueryDict(f"unit=ml&day={DAY}")
        assert fast_filter_values(FoodEntryFilter, params) == {"day": DAY, "unit": "ml"}

        rows = both_paths(device_client, monkeypatch, f"unit=ml&day={DAY}")
        assert len(rows) == 2
        assert {row["unit"] for row in rows} == {"ml"}
        assert {row["day"] for row in rows} == {str(DAY)}

    def test_a_filter_no_fast_parser_knows_takes_the_general_path(
        self, entries, device_client, monkeypatch
    ):
        added = filters.NumberFilter(field_name="amount", lookup_expr="gte")
        monkeypatch.setitem(FoodEntryFilter.base_filters, "amount_min", added)
        assert fast_filter_values(FoodEntryFilter, QueryDict("amount_min=100")) is None

        rows = both_paths(device_client, monkeypatch, "amount_min=100&meal_type=lunch")
        assert len(rows) == 4
        assert all(Decimal(row["amount"]) >= 100 for row in rows)
        # Before the filter was added, the parameter meant nothing (as any unknown one).
        monkeypatch.delitem(FoodEntryFilter.base_filters, "amount_min")
        assert len(both_paths(device_client, monkeypatch, "amount_min=100")) == 8

    def test_a_bad_value_of_an_added_filter_is_the_filtersets_400(
        self, entries, device_client, monkeypatch
    ):
        added = filters.ChoiceFilter(field_name="unit", choices=Unit.choices)
        monkeypatch.setitem(FoodEntryFilter.base_filters, "unit", added)
        response = device_client.get(f"{ENTRIES}?unit=stone")
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"] == "unit"
        assert FoodEntry.objects.count() == 9  # a read: nothing written


def test_unknown_parameters_are_ignored_and_method_filters_are_the_filtersets(monkeypatch):
    assert fast_filter_values(FoodEntryFilter, QueryDict("unknown=1&limit=2")) == {}
    assert fast_filter_values(FoodEntryFilter, QueryDict("day=2025-3-10")) is None
    assert fast_filter_values(FoodEntryFilter, QueryDict("meal_type=brunch")) is None
    assert fast_filter_values(ProductFilter, QueryDict("limit=5")) == {}
    for name in ("search", "barcode", "ordering"):
        assert fast_filter_values(ProductFilter, QueryDict(f"{name}=name")) is None
    # Choices that are not text: the compiled queries take text values, so the FilterSet.
    numbers = filters.ChoiceFilter(field_name="amount", choices=[(1, "one"), (2, "two")])
    monkeypatch.setitem(FoodEntryFilter.base_filters, "amount", numbers)
    assert fast_filter_values(FoodEntryFilter, QueryDict("amount=1")) is None


@pytest.mark.django_db
def test_an_inverted_range_is_the_stats_400_on_both_paths(entries, device_client, monkeypatch):
    """``from`` after ``to`` is the 400 the stats answer (code and wording), never ``[]``."""
    # Both days parse, so the fast parse must still refuse them: the general path words it.
    inverted = QueryDict("from=2025-03-11&to=2025-03-10")
    assert fast_filter_values(FoodEntryFilter, inverted) is None
    stats = device_client.get("/v1/stats/daily?from=2025-03-11&to=2025-03-10")
    expected = {
        "type": "validation_error",
        "errors": [{"code": "invalid", "detail": "Must not be before `from`.", "attr": "to"}],
    }
    assert (stats.status_code, stats.json()) == (400, expected)
    fast = device_client.get(f"{ENTRIES}?from=2025-03-11&to=2025-03-10")
    with monkeypatch.context() as patched:
        patched.setattr("entries.views.fast_filter_values", general)
        slow = device_client.get(f"{ENTRIES}?from=2025-03-11&to=2025-03-10&meal_type=lunch")
    for response in (fast, slow):
        assert (response.status_code, response.json()) == (400, expected)
    # An equal pair is one day, on both paths.
    assert len(both_paths(device_client, monkeypatch, "from=2025-03-10&to=2025-03-10")) == 4
    assert FoodEntry.objects.count() == 9  # a read: nothing written
