"""The body-weight routes and the answer a stored row gives (docs/api.md §8)."""

from entries.models import BodyWeight

LIST = "/v1/body-weights"


def detail(weight_id) -> str:
    return f"{LIST}/{weight_id}"


def as_response(weight: BodyWeight) -> dict:
    """The BodyWeightResponse of a stored row."""
    weight.refresh_from_db()
    return {
        "id": str(weight.id),
        "day": weight.day.isoformat(),
        "weight_kg": f"{weight.weight_kg:.3f}",
        "created_at": weight.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": weight.updated_at.isoformat().replace("+00:00", "Z"),
    }
