"""OpenAPI of the body-weight operations (``entries.body_weights.views`` applies it)."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from countonme.base.schema import create_responses, error_response
from entries.body_weights.serializers import BodyWeightSerializer

body_weights = extend_schema_view(
    list=extend_schema(
        description="Live body weights, ordered by day; `from`/`to` are inclusive.",
    ),
    create=extend_schema(
        responses=create_responses(
            BodyWeightSerializer,
            replayed="Replay of a live body weight's id.",
            conflict=error_response(
                "A live weight exists for that day (`duplicate_day`), or the id belongs to "
                "another device or another kind (`id_conflict`)."
            ),
        ),
        description=(
            "Records the weight of a day. Posting an `id` again: the stored row with 200 "
            "if live, restored with the posted fields (201) if deleted."
        ),
    ),
    partial_update=extend_schema(
        responses={200: BodyWeightSerializer},
        description="Changes `weight_kg`; the day stays.",
    ),
)
