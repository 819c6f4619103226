"""The offline parser: phrase rules plus the product search. No external service.

Never invents: a piece whose only content is an amount or a unit ("200g", "2
cups"), a negative or zero amount, a food named only by a number ("2%"), or a
food no row names lands in ``unparsed``. An amount above what one person eats
at once (``PLAUSIBLE_GRAMS``, ``PLAUSIBLE_KCAL``) is proposed with a low
confidence (``IMPLAUSIBLE_CONFIDENCE``) so the app asks before saving it, and
so is an amount read only in part ("1 500 g rice" in English: 1, then "500 g").
"""

from dataclasses import replace
from decimal import Decimal
from typing import Any

from countonme.base.numbers import round_half_up
from entries.quick_add.foods import PRODUCT, Food, FoodFinder
from entries.quick_add.phrases import (
    Phrase,
    Piece,
    read_phrase,
    split_pieces,
    starts_with_measure,
)
from entries.quick_add.proposal import (
    Item,
    Proposal,
    amount_in_portions,
    measured_in_fluid_ounces,
    storable,
)
from entries.serializers import MAX_ENTRY_AMOUNT
from products.search import foods_named

# How sure a match is: the device's own product, a preferred catalog row or
# any other name holding the written food; lowered when an amount was
# estimated (a default portion for a count, a glass, a bowl, a handful).
CONFIDENCE_OWN_PRODUCT = Decimal("0.9")
CONFIDENCE_CATALOG = Decimal("0.7")
ESTIMATE_FACTOR = Decimal("0.8")
# One person's serving at most: past it the proposal is most likely a misreading
# ("1000 g of butter", "20 cups of rice") and says so with a low confidence.
PLAUSIBLE_GRAMS = Decimal(1000)
PLAUSIBLE_KCAL = Decimal(2000)
IMPLAUSIBLE_CONFIDENCE = Decimal("0.2")
MAX_PIECES = 50  # what one batch can save
# What an entry may hold (entries.serializers.MAX_ENTRY_AMOUNT): a 40-digit
# count is no food to propose.
MAX_QUANTITY = MAX_ENTRY_AMOUNT  # "1e9 g rice" is past it: unparsed
# "coffee with milk", "café avec du lait": the second food added to the first; a
# drink's added milk or cream is a splash (``_as_a_splash``). Not "café au lait":
# that drink is half milk (the labelled set's 100 g).
WITH_WORDS = frozenset({"with", "avec"})
# "coffee with milk and sugar": sugar is added to the coffee too.
AND_WORDS = frozenset({"and", "et", "&", "plus"})
SPLASHED = frozenset({"milk", "milks", "cream", "creamer", "lait", "creme"})
# What a spread or a sweetener added to a food without an amount is
# (``proposal.HOUSEHOLD_ESTIMATES``): a teaspoon of sugar, honey or butter (a
# pat is 5 g), a tablespoon of jam, syrup, peanut butter or cream cheese (their
# usual serving) — not their 100 g default: "toast with butter" was 717 kcal of
# butter, "coffee with sugar" 387 kcal of sugar.
SPOONED: dict[str, str] = {
    **dict.fromkeys(
        ("sugar", "sucre", "honey", "miel", "butter", "beurre", "margarine"), "teaspoonful"
    ),
    **dict.fromkeys(
        (
            "jam", "jams", "jelly", "confiture", "marmalade", "syrup", "sirop", "nutella",
            "peanut butter", "cream cheese",
        ),
        "tablespoonful",
    ),
}  # fmt: skip
# Parts of one piece tried together as one food's name ("mac and cheese"), at most.
MAX_JOINED_PARTS = 4


class RulesParser:
    """Reads each piece with ``phrases`` and finds its food with ``foods``."""

    name = "rules"

    def parse(self, *, device: Any, text: str, locale: str = "en") -> Proposal:
        """The proposal for ``text``: pieces it cannot match land in ``unparsed``."""
        written = self.food_texts(device, split_pieces(text, locale))
        texts = [text for text, _ in written]
        phrases = [read_phrase(piece, locale) for piece in texts[:MAX_PIECES]]
        foods = [phrase.food for phrase in phrases if phrase.problem is None]
        finder = FoodFinder(device=device, foods=foods)
        found = iter(finder.find_all(foods))
        candidates = [[] if phrase.problem else next(found) for phrase in phrases]
        phrases = _with_added_measures(phrases, candidates, [joiner for _, joiner in written])
        return Proposal.of(
            (
                (phrase.text, None if phrase.problem else self.read_phrase(phrase, foods))
                for phrase, foods in zip(phrases, candidates, strict=True)
            ),
            # Past the batch's size a piece is not looked up (a 500-character
            # list of commas would otherwise cost hundreds of searches).
            unparsed=texts[MAX_PIECES:],
            parser=self.name,
        )

    @staticmethod
    def food_texts(device: Any, pieces: list[Piece]) -> list[tuple[str, str]]:
        """Each food's text: "and"-joined parts stay one when a food is named by them all.

        "mac and cheese" stays whole when a name starts with it (the device's
        "Mac and cheese"); "eggs and toast" is two foods. One query per model
        for the whole text, only when a piece has parts to join. Each text
        comes with the soft separator written before it ("" first in a piece).
        """
        foods = {
            (n, i, j): read_phrase(_joined(piece, i, j)).food
            for n, piece in enumerate(pieces)
            for i in range(len(piece.parts))
            for j in range(i + 1, min(len(piece.parts), i + MAX_JOINED_PARTS))
        }
        named = (
            foods_named(device=device, foods=[f for f in foods.values() if f]) if foods else set()
        )
        texts: list[tuple[str, str]] = []
        for n, piece in enumerate(pieces):
            i = 0
            while i < len(piece.parts):
                # The longest run of parts from i that names a food, else part i alone.
                j = next(
                    (
                        j
                        for j in range(min(len(piece.parts), i + MAX_JOINED_PARTS) - 1, i, -1)
                        if foods.get((n, i, j)) in named
                    ),
                    i,
                )
                texts.append((_joined(piece, i, j), piece.joiners[i - 1] if i else ""))
                i = j + 1
        return texts

    def read_phrase(self, phrase: Phrase, foods: list[Food]) -> Item | None:
        """One phrase as an item of the first of ``foods`` a portion fits; None when none does."""
        if phrase.quantity is not None and not 0 < phrase.quantity <= MAX_QUANTITY:
            return None
        for rank, food in enumerate(foods):
            amount = amount_in_portions(food, phrase.quantity, phrase.unit, phrase.size)
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
            if not storable(item):
                return None
            if implausible(item) or _amount_read_in_part(phrase):
                return item.with_confidence(IMPLAUSIBLE_CONFIDENCE)
            return item
        return None


def _with_added_measures(
    phrases: list[Phrase], candidates: list[list[Food]], joiners: list[str]
) -> list[Phrase]:
    """Each phrase, foods added to another ("with", then "and" more of them) measured as added.

    "a coffee with milk and sugar": milk and sugar are both added to the
    coffee; "toast with butter and a coffee with milk": the coffee is not
    added to the toast (it is no spread), and its milk is added to it.
    """
    read: list[Phrase] = []
    head: int | None = None  # the food the others are added to
    for k, phrase in enumerate(phrases):
        joiner = joiners[k].strip().lower() if k < len(joiners) else ""
        if k and joiner in WITH_WORDS:
            head = k - 1 if head is None or not _addable(phrases[k - 1]) else head
        elif head is None or joiner not in AND_WORDS or not _addable(phrase):
            head = None
        read.append(phrase if head is None else _as_added(phrase, candidates[head]))
    return read


def _addable(phrase: Phrase) -> bool:
    return bool(phrase.food) and (
        phrase.food in SPOONED or phrase.food.split()[-1] in SPLASHED | set(SPOONED)
    )


def _as_added(phrase: Phrase, to: list[Food]) -> Phrase:
    """A food added to another without an amount: a splash or a spoonful (estimates).

    "a coffee with milk" is not the 100 g a bare "milk" is: milk or cream in
    a drink (a food measured in fluid ounces: coffee, tea) is a splash, 30 ml;
    "porridge with milk" keeps milk's default portion. Sugar, butter, jam and
    the like are a spoonful (``SPOONED``) whatever they are added to. Any
    written amount is kept.
    """
    said = phrase.quantity is not None or phrase.unit is not None or phrase.size is not None
    if said or phrase.problem or not phrase.food:
        return phrase
    last = phrase.food.split()[-1]
    spoonful = SPOONED.get(phrase.food) or SPOONED.get(last)
    if spoonful is not None:
        return replace(phrase, unit=spoonful)
    if last in SPLASHED and to and measured_in_fluid_ounces(to[0]):
        return replace(phrase, unit="splash")
    return phrase


def _amount_read_in_part(phrase: Phrase) -> bool:
    """Whether the food's words still start with a number: "1 500 g rice" read as 1, "500 g rice".

    In English that may be 1,500 g or 1 × 500 g (French reads the space as a
    thousands one); whatever the proposal, the app must ask.
    """
    return phrase.quantity is not None and starts_with_measure(phrase.food)


def implausible(item: Item) -> bool:
    """Whether ``item`` is more than one person eats at once (by weight or by energy)."""
    too_heavy = item.grams is not None and item.grams > PLAUSIBLE_GRAMS
    return too_heavy or item.nutrition.calories > PLAUSIBLE_KCAL


def _joined(piece: Piece, first: int, last: int) -> str:
    return piece.text_between(first, last)
