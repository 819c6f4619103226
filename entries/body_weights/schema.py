"""OpenAPI of the body-weight operations (``entries.body_weights.views`` applies it)."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from countonme.base.examples import ID_CONFLICT, exception_example, register_parameter_examples
from countonme.base.schema import create_responses, error_response
from entries import examples
from entries.body_weights.serializers import BodyWeightSerializer
from entries.body_weights.services import DuplicateDay

register_parameter_examples({("/v1/body-weights/{id}", "id"): examples.BODY_WEIGHT_ID})

body_weights = extend_schema_view(
    list=extend_schema(
        description="Live body weights, ordered by day; `from`/`to` are inclusive.",
        examples=[examples.BODY_WEIGHT_RESPONSE],
    ),
    retrieve=extend_schema(examples=[examples.BODY_WEIGHT_RESPONSE]),
    create=extend_schema(
        responses=create_responses(
            BodyWeightSerializer,
            replayed=(
                "Replay: a live body weight's id, or the day already holds a live weight of "
                "the same value (the app's replay of a create without an id): that row."
            ),
            conflict=error_response(
                "A different live weight exists for that day (`duplicate_day`), or the id "
                "belongs to another device or another kind (`id_conflict`).",
                exception_example(DuplicateDay),
                ID_CONFLICT,
            ),
        ),
        description=(
            "Records the weight of a day. Posting an `id` again: the stored row with 200 "
            "if live, restored with the posted fields (201) if deleted. Posting the weight "
            "a day already holds (with or without an id) is the app's replay: 200 with the "
            "stored row, nothing written; a different weight for that day is 409."
        ),
        examples=[examples.BODY_WEIGHT_REQUEST, examples.BODY_WEIGHT_RESPONSE],
    ),
    partial_update=extend_schema(
        responses={200: BodyWeightSerializer},
        description="Changes `weight_kg`; the day stays.",
        examples=[examples.BODY_WEIGHT_CHANGE, examples.BODY_WEIGHT_CHANGED],
    ),
)
