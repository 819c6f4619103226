"""Fixtures of tests.sync."""

import pytest

from tests.factories import (
    BodyWeightFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
    ProductFactory,
)


@pytest.fixture
def everything(device):
    """One live row of every kind, and a tombstone."""
    portion = PortionFactory(product=ProductFactory(device=device, name="Oats"))
    entry = FoodEntryFactory(portion=portion)
    weight = BodyWeightFactory(device=device)
    goal = GoalFactory(device=device)
    gone = ProductFactory(device=device, name="Gone")
    gone.delete()
    return {"portion": portion, "entry": entry, "weight": weight, "goal": goal, "gone": gone}
