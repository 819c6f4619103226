"""GET /v1/goals/current (docs/api.md §7): the live goal or null."""

import pytest

from tests.factories import GoalFactory
from tests.goal_bodies import (
    CURRENT,
    calculated_response,
    without_timestamps_and_id,
)


@pytest.mark.django_db
class TestCurrent:
    def test_is_null_without_a_goal(self, device_client):
        response = device_client.get(CURRENT)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert response.content == b"null"

    def test_is_the_live_goal(self, device_client, device):
        goal = GoalFactory(device=device)
        response = device_client.get(CURRENT)
        assert response.status_code == 200
        assert response.json()["id"] == str(goal.id)
        assert without_timestamps_and_id(response.json()) == calculated_response(
            birth_date=goal.birth_date.isoformat()
        )

    def test_ignores_other_devices_and_deleted_goals(self, device_client, device, other_device):
        GoalFactory(device=other_device)
        GoalFactory(device=device).delete()
        response = device_client.get(CURRENT)
        assert response.status_code == 200
        assert response.json() is None

    def test_query_budget(self, device_client, device, django_assert_max_num_queries):
        GoalFactory(device=device)
        # Device lookup, last_seen_at refresh, the goal.
        with django_assert_max_num_queries(3):
            assert device_client.get(CURRENT).status_code == 200
