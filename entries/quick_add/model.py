"""The language-model parser: a PydanticAI agent that can only pick real rows.

The agent gets the text and one tool, ``search_foods``, which runs the same
device-scoped search as the rules parser (``FoodFinder``): the device's own
products, then the catalog. Its structured output names foods by the ids
that tool returned *in this run*; anything else (an invented id, another
device's row, a portion of another food, a unit that does not convert) is
not trusted and lands in ``unparsed``. Any failure of the provider (an
error, a timeout, an unusable answer) falls back to the rules parser.

PydanticAI runs a plain ``def`` tool in a worker thread; Django gives that
thread its own database connection, which the tool closes when it is done.
"""

import logging
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.db import connections
from pydantic import BaseModel, Field
from pydantic_ai import Agent, RunContext
from pydantic_ai.models import Model

from countonme.base.numbers import readable_number, round_half_up
from entries.quick_add.foods import Food, FoodFinder
from entries.quick_add.phrases import MAX_TEXT_LENGTH
from entries.quick_add.proposal import Amount, Item, Proposal, converts, storable
from entries.quick_add.rules import RulesParser

logger = logging.getLogger(__name__)

INSTRUCTIONS = """\
You read what a person says they ate and turn it into food diary items.
Split the text into the foods it names. For each food, call `search_foods`
with a short name of the food (e.g. "egg", "olive oil") and choose the best
result. Every item must use a `food_id` and a `portion_id` returned by
`search_foods`; never make one up. Give the amount in the portion's
`base_unit` or in g, ml, cup, tbsp or tsp. When the text gives no amount, use
the portion's `base_amount`. Put every part of the text you cannot match to a
search result, word for word, in `unparsed`.
"""
ContractUnit = Literal["mg", "g", "kg", "ml", "l", "tsp", "tbsp", "cup", "pcs", "serving"]


class ModelItem(BaseModel):
    """One food the model read, as ids from ``search_foods``."""

    text: str = Field(description="The words of the input this item comes from.")
    food_id: uuid.UUID = Field(description="`food_id` of a `search_foods` result.")
    portion_id: uuid.UUID = Field(description="`portion_id` of one of that food's portions.")
    amount: Decimal = Field(gt=0, le=100_000, description="How much, in `unit`.")
    unit: ContractUnit
    confidence: float = Field(ge=0, le=1, description="How sure the reading is, 0 to 1.")


class ModelReading(BaseModel):
    """The model's structured output."""

    items: list[ModelItem]
    unparsed: list[str] = Field(default_factory=list)


@dataclass
class SearchDeps:
    """What a run may see: the device's search, and the foods it returned so far."""

    device: Any
    found: dict[uuid.UUID, tuple[Food, ...]] = field(default_factory=dict)


def search_foods(ctx: RunContext[SearchDeps], query: str) -> list[dict[str, Any]]:
    """Search the user's own foods and the food catalog by name; best match first.

    Returns up to five foods, each with its `food_id`, `name` and `portions`
    (`portion_id`, `label`, `base_amount`, `base_unit`, `gram_weight` in g).
    """
    try:
        foods = tuple(FoodFinder(device=ctx.deps.device, foods=[query]).find(query[:200]))
    finally:
        # A worker thread's connection: closed here, not left to the thread's end.
        connections.close_all()
    for food in foods:
        ctx.deps.found[food.id] = foods
    return [
        {
            "food_id": str(food.id),
            "name": food.name,
            "portions": [
                {
                    "portion_id": str(portion.id),
                    "label": portion.label,
                    # Written as people (and models) read numbers: "100", never
                    # "1E+2" (Decimal.normalize) nor "100.000".
                    "base_amount": readable_number(portion.base_amount),
                    "base_unit": portion.base_unit,
                    "gram_weight": None
                    if portion.gram_weight is None
                    else readable_number(portion.gram_weight),
                }
                for portion in food.portions
            ],
        }
        for food in foods
    ]


def build_agent(model: Model | str) -> Agent[SearchDeps, ModelReading]:
    """The quick-add agent for ``model`` (a PydanticAI model or a name like "openai:gpt-4o-mini").

    A named model reads its provider's key from the environment
    (``OPENAI_API_KEY`` for "openai:…") when the agent is built.
    """
    return Agent(
        model,
        output_type=ModelReading,
        deps_type=SearchDeps,
        instructions=INSTRUCTIONS,
        tools=[search_foods],
        retries=1,
        name="quick_add",
    )


class ModelParser:
    """Parses with the agent; falls back to ``RulesParser`` on any provider failure."""

    name = "model"

    def __init__(self, *, model: Model | str, timeout: float) -> None:
        self.agent = build_agent(model)
        self.timeout = timeout
        self.fallback = RulesParser()

    def parse(self, *, device: Any, text: str, locale: str = "en") -> Proposal:
        """The model's proposal, or the rules parser's when the model fails."""
        deps = SearchDeps(device=device)
        try:
            result = self.agent.run_sync(
                text[:MAX_TEXT_LENGTH], deps=deps, timeout=self.timeout, infer_name=False
            )
        except Exception:
            # Whatever went wrong upstream (an HTTP error, a timeout, an answer
            # that never validated), the user still gets a proposal.
            logger.warning("quick add: model failed, using the rules parser", exc_info=True)
            return self.fallback.parse(device=device, text=text, locale=locale)
        return self.checked(result.output, deps)

    def checked(self, reading: ModelReading, deps: SearchDeps) -> Proposal:
        """Keep only items that name foods and portions this run's searches returned."""
        return Proposal.of(
            ((read.text, self._item(read, deps)) for read in reading.items),
            unparsed=[text for text in reading.unparsed if text.strip()],
            parser=self.name,
        )

    @staticmethod
    def _item(read: ModelItem, deps: SearchDeps) -> Item | None:
        results = deps.found.get(read.food_id)
        if results is None:
            return None  # not a row the search returned: never trusted
        food = next(food for food in results if food.id == read.food_id)
        portion = next((p for p in food.portions if p.id == read.portion_id), None)
        if portion is None:
            return None
        if not converts(portion, read.amount, read.unit):
            return None
        item = Item(
            text=read.text,
            food=food,
            amount=Amount(portion, read.amount, read.unit),
            alternatives=tuple(other for other in results if other is not food)[:4],
            confidence=round_half_up(Decimal(str(read.confidence)), 2),
        )
        return item if storable(item) else None
