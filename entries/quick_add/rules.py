"""The offline parser: phrase rules plus the product search. No external service."""

from decimal import Decimal
from typing import Any

from countonme.base.numbers import round_half_up
from entries.quick_add.foods import PRODUCT, Food, FoodFinder
from entries.quick_add.phrases import Phrase, read_phrase, split_pieces
from entries.quick_add.proposal import Item, Proposal, amount_in_portions, storable
from entries.serializers import MAX_ENTRY_AMOUNT

# How sure a match is: the device's own product, a preferred catalog row or
# any other name containing every written word; lowered when an amount was
# estimated (a default portion for a count, a glass, a bowl, a handful).
CONFIDENCE_OWN_PRODUCT = Decimal("0.9")
CONFIDENCE_CATALOG = Decimal("0.7")
ESTIMATE_FACTOR = Decimal("0.8")
MAX_PIECES = 50  # what one batch can save
# What an entry may hold (entries.serializers.MAX_ENTRY_AMOUNT): "0 eggs" or a
# 40-digit count is no food to propose.
MAX_QUANTITY = MAX_ENTRY_AMOUNT


class RulesParser:
    """Reads each piece with ``phrases`` and finds its food with ``foods``."""

    name = "rules"

    def parse(self, *, device: Any, text: str, locale: str = "en") -> Proposal:
        """The proposal for ``text``: pieces it cannot match land in ``unparsed``."""
        pieces = split_pieces(text, locale)
        phrases = [read_phrase(piece, locale) for piece in pieces[:MAX_PIECES]]
        finder = FoodFinder(device=device, foods=[phrase.food for phrase in phrases])
        candidates = finder.find_all([phrase.food for phrase in phrases])
        return Proposal.of(
            (
                (phrase.text, self.read_phrase(phrase, foods))
                for phrase, foods in zip(phrases, candidates, strict=True)
            ),
            # Past the batch's size a piece is not looked up (a 500-character
            # list of commas would otherwise cost hundreds of searches).
            unparsed=pieces[MAX_PIECES:],
            parser=self.name,
        )

    def read_phrase(self, phrase: Phrase, foods: list[Food]) -> Item | None:
        """One phrase as an item of the first of ``foods`` a portion fits; None when none does."""
        if phrase.quantity is not None and not 0 < phrase.quantity <= MAX_QUANTITY:
            return None
        for rank, food in enumerate(foods):
            amount = amount_in_portions(food, phrase.quantity, phrase.unit)
            if amount is None:
                continue
            confidence = CONFIDENCE_OWN_PRODUCT if food.kind == PRODUCT else CONFIDENCE_CATALOG
            if not amount.exact:
                confidence *= ESTIMATE_FACTOR
            if rank:
                confidence *= ESTIMATE_FACTOR
            item = Item(
                text=phrase.text,
                food=food,
                amount=amount,
                alternatives=tuple(other for other in foods if other is not food)[:4],
                confidence=round_half_up(confidence, 2),
            )
            return item if storable(item) else None
        return None
