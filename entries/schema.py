"""OpenAPI of the diary's operations: ids, responses, examples and the longer descriptions.

Beside the views, not on top of them: ``entries.views`` applies these
decorators by name, so a view module reads as what the endpoints do.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.exceptions import ValidationError

from countonme.base.examples import error_example, raised_example, register_parameter_examples
from countonme.base.schema import ID_CONFLICT_RESPONSE, create_responses, error_response
from entries import examples
from entries.serializers import (
    DailyRangeQuerySerializer,
    DailyStatsSerializer,
    DateRangeQuerySerializer,
    DayPathSerializer,
    DayStatsSerializer,
    ExportSerializer,
    FoodEntryBatchSerializer,
    FoodEntrySerializer,
    WeightStatsSerializer,
)
from entries.services import EntryUnitMismatch, PortionNotOfProduct
from products.units import UnitMismatch

register_parameter_examples(
    {
        ("/v1/food-entries/{id}", "id"): examples.ENTRY_ID,
        "meal_type": "breakfast",
        ("/v1/stats/daily", "from"): "2026-03-13",
    }
)


def _invalid_day_example() -> OpenApiExample:
    """The 400 of ``/v1/stats/day/2026-02-30``, worded by the serializer the view uses."""
    path = DayPathSerializer(data={"day": "2026-02-30"})
    path.is_valid()
    return raised_example(ValidationError(path.errors))


_UNIT_MISMATCH = raised_example(
    EntryUnitMismatch(UnitMismatch("pcs", "cup"), portion_unit="cup"),
    summary="unit_mismatch: pieces of a portion measured in cups",
)


food_entries = extend_schema_view(
    list=extend_schema(
        description="Live entries, newest day first, then newest first within a day.",
        examples=[examples.ENTRY_RESPONSE],
    ),
    retrieve=extend_schema(examples=[examples.ENTRY_RESPONSE]),
    create=extend_schema(
        responses=create_responses(
            FoodEntrySerializer,
            not_found=(
                "Product or portion unknown, deleted, another device's, or the portion is "
                "not the product's (`not_found`)."
            ),
            not_found_examples=(raised_example(PortionNotOfProduct()),),
        ),
        examples=[examples.ENTRY_REQUEST, examples.ENTRY_RESPONSE, _UNIT_MISMATCH],
        description=(
            "Logs an amount of a product's portion. The entry stores its nutrition as "
            "computed now; `unit` must convert to the portion's unit (mass↔mass, "
            "volume↔volume, pcs/serving only to themselves, a mass to any portion with a "
            "gram_weight), else 400 `unit_mismatch`."
        ),
    ),
    partial_update=extend_schema(
        operation_id="food_entries_update",
        description="Changing `amount`, `unit` or `portion_id` recomputes the nutrition.",
        examples=[examples.ENTRY_CHANGE, examples.ENTRY_CHANGED, _UNIT_MISMATCH],
    ),
    destroy=extend_schema(operation_id="food_entries_delete"),
)


batch = extend_schema(
    operation_id="food_entries_batch",
    summary="Create up to 50 food entries at once",
    request=FoodEntryBatchSerializer,
    responses={
        201: OpenApiResponse(
            FoodEntrySerializer(many=True),
            description="Every entry as stored, in the order posted.",
        ),
        400: error_response(
            "An entry is invalid (`attr` = `entries.{index}.{field}`), e.g. it names "
            "both a device product and a catalog food (`invalid`) or half a pair "
            "(`required`).",
            error_example(400, "required", "This field is required.", "entries.0.amount"),
        ),
        404: error_response(
            "A product or portion unknown, deleted, another device's, or the portion is "
            "not the product's; a catalog food or portion unknown, or the portion not "
            "the food's (`not_found`, `attr` = `entries.{index}.{field}`).",
            error_example(404, "not_found", "Not found.", "entries.1.catalog_portion_id"),
        ),
        409: ID_CONFLICT_RESPONSE,
    },
    examples=[examples.BATCH_REQUEST, examples.BATCH_RESPONSE],
    description=(
        "Logs up to 50 entries at once (a confirmed quick-add proposal): all or "
        "nothing, in one transaction. Each body is a `POST /v1/food-entries` body "
        "with the same rules, snapshot and idempotent client `id`: an id already "
        "stored comes back as stored, the id of a deleted entry restores it. An entry "
        "names the device's food (`product_id` + `portion_id`) or a catalog food "
        "(`catalog_product_id` + `catalog_portion_id`), never both: for a catalog food "
        "the device gets its own product in the same transaction — the one copied "
        "from that food before if it is still live, else its live product with the "
        "food's barcode, else a new one with every catalog portion — and the entry "
        "is logged on the copied portion. So a parse proposal saves in one call "
        "whatever its matches' kinds. Errors name the entry: `attr` is "
        "`entries.{index}.{field}`."
    ),
)


stats_day = extend_schema(
    operation_id="stats_day",
    summary="Totals of a day",
    parameters=[
        OpenApiParameter("day", OpenApiTypes.DATE, OpenApiParameter.PATH, description="YYYY-MM-DD")
    ],
    responses={
        200: DayStatsSerializer,
        400: error_response(
            "`day` is not a date.",
            _invalid_day_example(),
        ),
    },
    examples=[examples.DAY_STATS],
    description="Totals of a day, per meal type, and the current goal's targets (or null).",
)


stats_daily = extend_schema(
    operation_id="stats_daily",
    summary="Daily totals over a range",
    parameters=[DailyRangeQuerySerializer],
    responses={200: DailyStatsSerializer},
    examples=[examples.DAILY_STATS],
    description=(
        "One point for every day from `from` to `to` (at most 366 days), zero days included."
    ),
)


stats_weight = extend_schema(
    operation_id="stats_weight",
    summary="Body weight over a range",
    parameters=[DateRangeQuerySerializer],
    responses={200: WeightStatsSerializer},
    examples=[examples.WEIGHT_STATS],
    description="Body weights from `from` to `to`, by day (days without a weight are absent).",
)


data_reset = extend_schema(
    operation_id="data_reset",
    summary="Reset the food diary",
    request=None,
    responses={204: None},
    description=(
        '"Reset all data": soft-deletes every live row the device owns (food '
        "entries, products with their portions, goals, body weights) in one "
        "transaction. They become sync tombstones: a sync from the last cursor "
        "returns exactly them. The device and its token stay; the catalog is "
        "untouched."
    ),
)


data_export = extend_schema(
    operation_id="data_export",
    summary="Export all data",
    responses={200: ExportSerializer},
    examples=[examples.EXPORT],
    description=(
        "Every live row the device owns, as one JSON document served as an "
        "attachment. A constant number of queries whatever the data size."
    ),
)
