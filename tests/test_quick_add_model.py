"""Quick add's language-model parser, driven by PydanticAI's TestModel and FunctionModel.

No network: the models are PydanticAI's test doubles, and the provider test
only builds the agent. The agent's search tool runs in a worker thread with
its own database connection, so these tests commit their rows
(``transaction=True``).
"""

import asyncio
import json
from decimal import Decimal

import pytest
from django.test import override_settings
from pydantic_ai.messages import ModelMessage, ModelRequest, ModelResponse, ToolCallPart
from pydantic_ai.models import Model
from pydantic_ai.models.function import AgentInfo, FunctionModel
from pydantic_ai.models.test import TestModel

from entries.quick_add import parsers
from entries.quick_add.model import ModelParser, build_agent
from tests.factories import (
    PortionFactory,
    ProductFactory,
)

PARSE = "/v1/quick-add/parse"
pytestmark = pytest.mark.django_db(transaction=True)


def search_results(messages: list[ModelMessage]) -> list[dict]:
    """What the last ``search_foods`` call returned to the model."""
    for message in reversed(messages):
        if isinstance(message, ModelRequest):
            for part in message.parts:
                if getattr(part, "tool_name", None) == "search_foods":
                    content = part.content
                    return json.loads(content) if isinstance(content, str) else content
    return []


def reads_bananas(amount: str = "2", unit: str = "pcs"):
    """A model that searches "banana", then logs ``amount unit`` of its first counted portion."""

    def model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        if not any(isinstance(m, ModelResponse) for m in messages):
            return ModelResponse(parts=[ToolCallPart("search_foods", {"query": "banana"})])
        food = search_results(messages)[0]
        portion = next(p for p in food["portions"] if p["base_unit"] == "pcs")
        reading = {
            "items": [
                {
                    "text": "two bananas",
                    "food_id": food["food_id"],
                    "portion_id": portion["portion_id"],
                    "amount": amount,
                    "unit": unit,
                    "confidence": 0.95,
                }
            ],
            "unparsed": ["a little joy"],
        }
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, reading)])

    return FunctionModel(model)


def parser_with(model: Model, timeout: float = 5) -> ModelParser:
    return ModelParser(model=model, timeout=timeout)


def test_items_are_rows_the_search_returned(device, banana_catalog):
    food, _, medium = banana_catalog

    proposal = parser_with(reads_bananas()).parse(
        device=device, text="two bananas and a little joy"
    )

    (item,) = proposal.items
    assert (proposal.parser, proposal.unparsed) == ("model", ["a little joy"])
    assert (item.food.kind, item.food.id, item.amount.portion.id) == ("catalog", food.id, medium.id)
    assert (item.amount.amount, item.amount.unit, item.grams) == (Decimal(2), "pcs", Decimal(236))
    assert (item.nutrition.calories, item.confidence) == (Decimal("210.040"), Decimal("0.95"))


def test_a_unit_the_portion_cannot_take_is_not_trusted(device, banana_catalog):
    proposal = parser_with(reads_bananas(amount="1", unit="ml")).parse(
        device=device, text="two bananas"
    )

    assert proposal.items == []
    assert proposal.unparsed == ["a little joy", "two bananas"]


def test_an_id_the_search_did_not_return_is_not_trusted(device, other_device):
    """TestModel calls the tool with made-up words, then answers with given ids."""
    theirs = PortionFactory(product=ProductFactory(device=other_device, name="Secret stew"))
    mine = PortionFactory(product=ProductFactory(device=device, name="My stew"))
    answer = {
        "items": [
            {
                "text": text,
                "food_id": str(portion.product_id),
                "portion_id": str(portion.id),
                "amount": "1",
                "unit": "g",
                "confidence": 1,
            }
            for text, portion in (("their stew", theirs), ("my stew", mine))
        ],
        "unparsed": [],
    }
    model = TestModel(custom_output_args=answer)

    proposal = parser_with(model).parse(device=device, text="their stew and my stew")

    assert model.last_model_request_parameters is not None
    assert [tool.name for tool in model.last_model_request_parameters.function_tools] == [
        "search_foods"
    ]
    assert proposal.items == []
    assert proposal.unparsed == ["their stew", "my stew"]


def test_the_search_tool_sees_only_the_devices_products(device, other_device):
    PortionFactory(product=ProductFactory(device=other_device, name="Secret stew"))
    mine = PortionFactory(product=ProductFactory(device=device, name="Stew of mine"))
    seen: list[list[dict]] = []

    def model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        if not any(isinstance(m, ModelResponse) for m in messages):
            return ModelResponse(parts=[ToolCallPart("search_foods", {"query": "stew"})])
        seen.append(search_results(messages))
        return ModelResponse(
            parts=[ToolCallPart(info.output_tools[0].name, {"items": [], "unparsed": ["stew"]})]
        )

    proposal = parser_with(FunctionModel(model)).parse(device=device, text="stew")

    assert [[food["food_id"] for food in result] for result in seen] == [[str(mine.product_id)]]
    assert (proposal.items, proposal.unparsed) == ([], ["stew"])


def test_a_provider_error_falls_back_to_the_rules(device, banana_catalog):
    def broken(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        raise ConnectionError("provider down")

    proposal = parser_with(FunctionModel(broken)).parse(device=device, text="a banana")

    assert proposal.parser == "rules"
    assert [(item.food.name, item.amount.amount, item.amount.unit) for item in proposal.items] == [
        ("Bananas, raw", Decimal(1), "pcs")
    ]


def test_a_slow_provider_falls_back_to_the_rules_at_the_timeout(device, banana_catalog):
    async def slow(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        await asyncio.sleep(30)
        raise AssertionError("not reached")

    proposal = parser_with(FunctionModel(slow), timeout=0.2).parse(device=device, text="a banana")

    assert proposal.parser == "rules"
    assert len(proposal.items) == 1


def test_the_configured_model_name_builds_the_provider(monkeypatch):
    from pydantic_ai.models.openai import OpenAIResponsesModel

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-used")
    parsers.model_parser.cache_clear()

    with override_settings(QUICK_ADD_MODEL="openai:gpt-4o-mini", QUICK_ADD_MODEL_TIMEOUT=7):
        parser = parsers.configured_parser()

    parsers.model_parser.cache_clear()
    assert isinstance(parser, ModelParser)
    assert isinstance(parser.agent.model, OpenAIResponsesModel)
    assert (parser.agent.model.model_name, parser.timeout) == ("gpt-4o-mini", 7)
    assert parser.agent.output_type.__name__ == "ModelReading"


def test_without_a_model_the_rules_parse():
    assert parsers.configured_parser().name == "rules"


def test_the_endpoint_answers_with_the_model_when_configured(
    device_client, banana_catalog, monkeypatch
):
    monkeypatch.setattr(
        parsers, "model_parser", lambda model, timeout: parser_with(reads_bananas())
    )

    with override_settings(QUICK_ADD_MODEL="openai:gpt-4o-mini"):
        response = device_client.post(PARSE, {"text": "two bananas"}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["parser"] == "model"
    assert [(i["match"]["name"], i["quantity"], i["grams"]) for i in body["items"]] == [
        ("Bananas, raw", "2.000", "236.000")
    ]
    assert body["totals"]["calories"] == "210.040"


def test_build_agent_takes_a_model_instance():
    agent = build_agent(TestModel())

    assert agent.name == "quick_add"


def test_the_search_tool_writes_amounts_as_numbers_a_model_reads(device, banana_catalog):
    # The default "100 g" was handed to the model as base_amount "1E+2"
    # (Decimal.normalize): a model reading "1E+2 g" may log 1 g, or 1E+2 portions.
    seen: list[list[dict]] = []

    def model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        if not any(isinstance(m, ModelResponse) for m in messages):
            return ModelResponse(parts=[ToolCallPart("search_foods", {"query": "banana"})])
        seen.append(search_results(messages))
        return ModelResponse(
            parts=[ToolCallPart(info.output_tools[0].name, {"items": [], "unparsed": []})]
        )

    parser_with(FunctionModel(model)).parse(device=device, text="a banana")

    [[food]] = seen
    assert [
        (portion["label"], portion["base_amount"], portion["base_unit"], portion["gram_weight"])
        for portion in food["portions"]
    ] == [("100 g", "100", "g", "100"), ("1 medium", "1", "pcs", "118")]
