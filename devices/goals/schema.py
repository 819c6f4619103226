"""OpenAPI of the goal operations: ids, responses and the longer descriptions.

Beside the views, not on top of them: ``devices.goals.views`` applies these
decorators by name.
"""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view

from countonme.base.examples import raised_example, register_parameter_examples
from countonme.base.numbers import readable_number
from countonme.base.schema import create_responses
from devices.goals import examples, serializers
from devices.goals.services import MAX_BMI, ImplausibleMetrics, PercentSum

register_parameter_examples({("/v1/goals/{id}", "id"): examples.GOAL_ID})

_GOAL_SAVE_DESCRIPTION = (
    "Saves the device's goal; the previous live goal is soft-deleted in the same "
    "transaction (one live goal per device). Posting an `id` again: the stored goal "
    "with 200 if live, restored with the posted fields (201) if deleted, 409 "
    "`id_conflict` if it is another device's or another kind's."
)


_GOAL_SAVE_RESPONSES = create_responses(
    serializers.GoalSerializer, replayed="Replay of a live goal's id."
)

goals = extend_schema_view(
    retrieve=extend_schema(examples=[examples.CALCULATED_GOAL]),
    partial_update=extend_schema(
        responses={200: serializers.GoalSerializer},
        examples=[examples.UPDATE_REQUEST, examples.UPDATED_GOAL],
        description=(
            "Changes the targets. The three percentages must still sum to 100 after the "
            "change; the macro grams are recomputed. The goal type and body metrics stay."
        ),
    ),
    destroy=extend_schema(
        description="Soft delete: afterwards `GET /v1/goals/current` is null.",
    ),
)

calculate = extend_schema(
    operation_id="goals_calculate",
    summary="Preview a calculated goal",
    request=serializers.GoalCalculateSerializer,
    responses={200: serializers.GoalPlanSerializer},
    examples=[
        examples.CALCULATE_REQUEST,
        examples.CALCULATED_PLAN,
        raised_example(ImplausibleMetrics(f"a BMI above {readable_number(MAX_BMI)}")),
    ],
    description=(
        "Preview: computes the targets for these body metrics and saves nothing. "
        "Mifflin–St Jeor BMR, TDEE by activity, the target shifted by the pace for "
        "lose (never below 1200) and gain, the default macro split of the weight "
        "goal type, water 33 ml/kg (at most 10000), BMI and the healthy weight range. "
        "Metrics that give no usable target (BMR below 1, daily calories outside "
        "1–10000, BMI above 9999.9) are 400 `implausible_metrics`. Ages are counted "
        "to the server's date (UTC)."
    ),
)


save_calculated = extend_schema(
    operation_id="goals_save_calculated",
    summary="Save a calculated goal",
    request=serializers.CalculatedGoalSerializer,
    responses=_GOAL_SAVE_RESPONSES,
    examples=[examples.SAVE_CALCULATED_REQUEST, examples.CALCULATED_GOAL],
    description=_GOAL_SAVE_DESCRIPTION
    + " Percentages left out take the default split; all three must sum to 100.",
)


save_manual = extend_schema(
    operation_id="goals_save_manual",
    summary="Save a manual goal",
    request=serializers.ManualGoalSerializer,
    responses=_GOAL_SAVE_RESPONSES,
    examples=[
        examples.SAVE_MANUAL_REQUEST,
        examples.MANUAL_GOAL_SAVED,
        raised_example(PercentSum(110)),
    ],
    description=_GOAL_SAVE_DESCRIPTION,
)


current = extend_schema(
    operation_id="goals_current",
    summary="The current goal",
    responses={
        200: OpenApiResponse(
            # drf-spectacular has no nullable top-level serializer: a raw schema
            # pointing at the Goal component (which goals_retrieve registers).
            {"allOf": [{"$ref": "#/components/schemas/Goal"}], "nullable": True},
            description="The live goal, or `null` when the device has none.",
        )
    },
    examples=[
        examples.CALCULATED_GOAL,
        OpenApiExample("No goal yet", value=None, response_only=True),
    ],
)
