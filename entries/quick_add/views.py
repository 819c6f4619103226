"""``POST /v1/quick-add/parse``: a proposal of diary entries from a sentence."""

from datetime import date
from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from countonme.base.throttling import DeviceRateThrottle
from countonme.base.viewsets import DeviceScopedDocumentViewSet
from entries.quick_add import schema
from entries.quick_add.foods import Food
from entries.quick_add.parsers import configured_parser
from entries.quick_add.proposal import Proposal
from entries.quick_add.serializers import (
    QuickAddParseRequestSerializer,
    QuickAddProposalSerializer,
)
from entries.quick_add.throttling import QuickAddRateThrottle
from products.models import PortionFields, Product


class QuickAddViewSet(DeviceScopedDocumentViewSet):
    """Quick add: reads a sentence into proposed entries; writes nothing."""

    queryset = Product.objects.all()
    throttle_classes = [DeviceRateThrottle, QuickAddRateThrottle]
    # DRF's OPTIONS answer describes the request body from it (a 500 without one).
    serializer_class = QuickAddParseRequestSerializer

    @schema.parse
    def parse(self, request: Request) -> Response:
        body = QuickAddParseRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        proposal = configured_parser().parse(
            device=self.device, text=values["text"], locale=values["locale"]
        )
        document = proposal_document(proposal, day=values["day"], meal_type=values["meal_type"])
        return Response(QuickAddProposalSerializer(document).data)


def proposal_document(proposal: Proposal, *, day: date | None, meal_type: str | None) -> dict:
    """The proposal in the response's shape."""
    return {
        "items": [
            {
                "text": item.text,
                "quantity": item.amount.amount,
                "unit": item.amount.unit,
                "grams": item.grams,
                "match": _match(item.food, item.amount.portion),
                "alternatives": [
                    _match(food, food.default_portion or food.portions[0])
                    for food in item.alternatives
                ],
                "nutrition": vars(item.nutrition),
                "confidence": float(item.confidence),
            }
            for item in proposal.items
        ],
        "unparsed": proposal.unparsed,
        "totals": vars(proposal.totals),
        "parser": proposal.parser,
        "day": day,
        "meal_type": meal_type,
    }


def _match(food: Food, portion: PortionFields) -> dict[str, Any]:
    return {
        "kind": food.kind,
        "id": food.id,
        "name": food.name,
        "portion_id": portion.id,
        "portion_label": portion.label,
    }
