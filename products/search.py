"""Name search: the device's products merged with the catalog, ranked by relevance.

Every comparison ignores case and accents, both ways ("pate" finds "Pâté",
"pâté" finds "Pate", "strasse" finds "Straße"): both databases compare
``name_folded`` (the name folded by ``products.folding``, kept on every save
and import) with the query folded the same way.

What a query matches (``products.search_words`` reads it):

1. **tier** — names *starting with* the query, its plural or singular, or
   another spelling of it ("yoghurt" → "yogurt"); then names *containing*
   one; then near matches: names holding every word in any order ("raw
   banana" → "Bananas, raw") and typos (a one-word query one letter left
   out, added, changed or swapped, on both databases). One or two letters
   match the start of a name, then the start of a word in it, plainest first;
2. **head** — within a tier, a name whose first part (before its first comma)
   *is* the food ("Strawberries, raw" for "strawberry") before one where
   another part is ("Nuts, almonds" for "almond"), before the rest;
3. the device's **own products** before the catalog's;
4. **plainness** (``products.relevance``, stored per catalog row): raw and
   plain before prepared, flavoured, branded and baby foods;
5. the shorter name, then the name, then the id.

Speed: on PostgreSQL the catalog's GIN trigram index on ``name_folded``
serves ``LIKE '%…%'`` (contains, words, typos) and a ``text_pattern_ops``
B-tree its prefixes; one and two letters read B-trees ordered the way they
rank (their first letter or two, plainness, length, name), so the first page
is an index range, whatever the catalog's size (products/0009). Typos are
looked for in a second query, only when the first found fewer than a page.
Each shape of query is compiled once per process
(``countonme.base.compiled``); ranking happens in SQL, Python only writes
the page.

Trigram word similarity was measured for typos and left out: "chiken" is 0.5
from "chicken" and "avacado" 0.36 from "avocados", under pg_trgm's 0.6
threshold, and lowering it reads thousands of candidates per query (128 ms
for one operator on 108k foods); the one-edit patterns find both, through the
same trigram index.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Expression,
    F,
    IntegerField,
    Lookup,
    Max,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat, Greatest, Length, Substr
from django.db.models.lookups import Contains, StartsWith

from countonme.base.compiled import CompiledQuery
from countonme.base.numbers import round_half_up
from products import units
from products.folding import fold_name
from products.models import CatalogProduct, Product
from products.nutrients import MACROS, NUTRIENTS
from products.search_words import MAX_SPELLINGS, SearchTerms

PREFIX, CONTAINS, NEAR = 0, 1, 2
FIRST_PART, SOME_PART, NO_PART = 0, 1, 2
# Bounds on what one query sends to SQL (and on the shapes compiled per process).
MAX_PHRASES = 8
MAX_WORDS = 6
# Words shorter than this do not narrow a near match: the trigram index has
# nothing to look up for them ("2%" holds no trigram).
MIN_NEAR_WORD = 3


class Like(Lookup):
    """``lhs LIKE pattern`` with the pattern as given: ``_`` and ``%`` are wildcards."""

    lookup_name = "like"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *rhs_params]


def _text(value: str) -> Value:
    return Value(value, output_field=TextField())


def with_name(queryset: QuerySet, name: str) -> QuerySet:
    """Rows whose name equals ``name`` ignoring case and accents ("pate" = "Pâté")."""
    return queryset.filter(name_folded=fold_name(name))


def name_contains(queryset: QuerySet, text: str) -> QuerySet:
    """Rows whose name contains ``text`` ignoring case and accents."""
    return queryset.filter(name_folded__contains=fold_name(text))


# --- What a query sends to SQL -----------------------------------------------------


@dataclass(frozen=True)
class SearchValues:
    """A query's strings as SQL parameters: what names may start with or contain, and so on.

    ``flat()`` names each value by its role and position (``phrase_0``,
    ``words_1_0``, ``typo_3``), so a compiled shape is keyed by how many of
    each a query has; ``of_flat`` reads them back to build that shape.
    """

    phrases: tuple[str, ...]
    head_words: tuple[str, ...] = ()
    word_sets: tuple[tuple[str, ...], ...] = ()
    typos: tuple[str, ...] = ()
    # A one- or two-letter query, by its length: what the start indexes compare.
    start_1: str | None = None
    start_2: str | None = None
    nouns: tuple[str, ...] = ()
    modifier_sets: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def of(cls, terms: SearchTerms, *, typos: bool, food: bool = False) -> SearchValues:
        """The values of ``terms``; with ``typos``, what finds the query's misspellings.

        With ``food`` (quick add), also its head nouns and modifiers.
        """
        forms = terms.phrases[:MAX_PHRASES]
        # What a name must start with or contain: "banana" covers "bananas" (one
        # condition less for the planner); every form still counts for the head.
        phrases = tuple(p for p in forms if not any(o != p and o in p for o in forms))
        head_words = tuple([p for p in forms if p not in phrases] + terms.head_words)
        if terms.is_short and not food:
            short = {f"start_{len(terms.text)}": terms.text} if terms.text else {}
            return cls(phrases=(terms.text,), **short)
        word_sets = tuple(
            narrowing
            for words in terms.word_sets
            if len(words) > 1
            and (narrowing := tuple(w for w in words if len(w) >= MIN_NEAR_WORD)[:MAX_WORDS])
        )
        # One edit away, as LIKE patterns, on both databases (the trigram index
        # serves them on PostgreSQL).
        typo_patterns = tuple(f"%{p}%" for p in terms.typo_patterns()) if typos else ()
        nouns: tuple[str, ...] = ()
        modifier_sets: tuple[tuple[str, ...], ...] = ()
        if food:
            nouns = tuple(terms.nouns[:MAX_PHRASES])
            modifier_sets = tuple(
                tuple(words[:MAX_WORDS]) for words in terms.modifier_sets[:MAX_SPELLINGS] if words
            )
            noun = SearchTerms(nouns[0] if nouns else "")
            typo_patterns = tuple(f"%{p}%" for p in noun.typo_patterns()) if typos else ()
        return cls(
            phrases=phrases,
            head_words=head_words[:MAX_PHRASES],
            word_sets=() if food else word_sets,
            typos=typo_patterns,
            nouns=nouns,
            modifier_sets=modifier_sets,
        )

    def used_by(self, step: str, *, food: bool) -> SearchValues:
        """Only the values ``step``'s SQL holds (a compiled shape takes exactly those)."""
        if step == START:  # the first letters only: no tier or head to tell apart
            return SearchValues(phrases=(), start_1=self.start_1, start_2=self.start_2)
        uses_words = step in (WORDS, EVERYTHING)
        uses_typos = step in (TYPOS, EVERYTHING)
        return SearchValues(
            phrases=self.phrases,
            head_words=self.head_words,
            word_sets=self.word_sets if uses_words else (),
            typos=self.typos if uses_typos else (),
            nouns=self.nouns if step == FOOD else (),
            modifier_sets=self.modifier_sets if food else (),
        )

    def flat(self) -> dict[str, str]:
        values = {f"phrase_{i}": phrase for i, phrase in enumerate(self.phrases)}
        values |= {f"head_{i}": word for i, word in enumerate(self.head_words)}
        for i, words in enumerate(self.word_sets):
            values |= {f"words_{i}_{j}": word for j, word in enumerate(words)}
        values |= {f"typo_{i}": pattern for i, pattern in enumerate(self.typos)}
        values |= {
            name: text
            for name, text in (("start_1", self.start_1), ("start_2", self.start_2))
            if text is not None
        }
        values |= {f"noun_{i}": noun for i, noun in enumerate(self.nouns)}
        for i, words in enumerate(self.modifier_sets):
            values |= {f"modifiers_{i}_{j}": word for j, word in enumerate(words)}
        return values

    @classmethod
    def of_flat(cls, values: dict[str, Any]) -> SearchValues:
        def listed(prefix: str) -> tuple[str, ...]:
            count = sum(1 for name in values if re.fullmatch(rf"{prefix}_\d+", name))
            return tuple(values[f"{prefix}_{i}"] for i in range(count))

        def sets(prefix: str) -> tuple[tuple[str, ...], ...]:
            found = sorted({int(name.split("_")[1]) for name in values if name.startswith(prefix)})
            return tuple(listed(f"{prefix}_{i}") for i in found)

        return cls(
            phrases=listed("phrase"),
            head_words=listed("head"),
            word_sets=sets("words"),
            typos=listed("typo"),
            start_1=values.get("start_1"),
            start_2=values.get("start_2"),
            nouns=listed("noun"),
            modifier_sets=sets("modifiers"),
        )


# --- The SQL -------------------------------------------------------------------


def _any(conditions: list[Any]) -> Q:
    combined = Q()
    for condition in conditions:
        combined |= Q(condition)
    return combined


def _all(conditions: list[Any]) -> Q:
    combined = Q()
    for condition in conditions:
        combined &= Q(condition)
    return combined


def _starts(values: SearchValues) -> Q:
    return _any([StartsWith(F("name_folded"), _text(p)) for p in values.phrases])


def _starts_short(values: SearchValues) -> Q:
    """A one- or two-letter query's first letters, as the start indexes hold them."""
    if values.start_1 is not None:
        return Q(name_start_1=_text(values.start_1))
    return Q(name_start_2=_text(values.start_2))


def _word_starts(values: SearchValues) -> Q:
    """Names with a word starting with the query ("Peppers, hot chili" for "ch"): after a
    space, which the trigram index serves even for one letter ("% c")."""
    return _any(
        [
            Contains(F("name_folded"), Concat(_text(" "), _text(p), output_field=TextField()))
            for p in values.phrases
        ]
    )


def _contains(values: SearchValues) -> Q:
    return _any([Contains(F("name_folded"), _text(p)) for p in values.phrases])


def _near(values: SearchValues) -> Q:
    words = _any(
        [_all([Contains(F("name_folded"), _text(w)) for w in ws]) for ws in values.word_sets]
    )
    typos = _any([Like(F("name_folded"), _text(pattern)) for pattern in values.typos])
    return words | typos


def _head_rank(values: SearchValues) -> Expression:
    """FIRST_PART when the name's first part is the food, SOME_PART when a later part is."""
    # "Nuts, almonds" + "," holds ", almonds,"; its first part ends at its first comma.
    name = Concat(F("name_folded"), _text(","), output_field=TextField())
    foods = [*values.phrases, *values.head_words]
    first = _any(
        [StartsWith(name, Concat(_text(f), _text(","), output_field=TextField())) for f in foods]
    )
    some = _any(
        [
            Contains(name, Concat(_text(", "), _text(f), _text(","), output_field=TextField()))
            for f in foods
        ]
    )
    return Case(
        When(first, then=Value(FIRST_PART)),
        When(some, then=Value(SOME_PART)),
        default=Value(NO_PART),
        output_field=IntegerField(),
    )


def _matched(values: SearchValues) -> Expression:
    """How many of a written food's modifiers the name holds (the best of its spellings)."""
    counts = [
        sum(
            (
                Case(
                    When(Contains(F("name_folded"), _text(word)), then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
                for word in words
            ),
            start=Value(0),
        )
        for words in values.modifier_sets
    ]
    if not counts:
        return Value(0, output_field=IntegerField())
    return counts[0] if len(counts) == 1 else Greatest(*counts, output_field=IntegerField())


# How much of the matching each step does: the short query's prefix range, its
# "contains" scan, the words of a longer query, its typos, all of them at once,
# or a written food's head noun (quick add).
START, ANYWHERE, WORDS, TYPOS, EVERYTHING, FOOD = (
    "start",
    "anywhere",
    "words",
    "typos",
    "everything",
    "food",
)
# Quick add's order: the most modifiers held first ("1% milk": the 1% milks),
# then the head, then the plainest (whether the name happens to hold the words
# in the order written matters less than for a search).
BY_TIER = ("tier", "head_rank", "plain", "name_length", "name_folded", "id")
# One or two letters: the order of the start indexes (products/0009); every row
# of that step starts with the query and no food's name is one or two letters.
BY_START = ("plain", "name_length", "name_folded", "id")
BY_FOOD = (
    "-matched",
    "head_rank",
    "plain",
    "tier",
    "name_length",
    "name_folded",
    "id",
)


def ranked(queryset: QuerySet, values: SearchValues, step: str, *, food: bool = False) -> QuerySet:
    """``queryset`` filtered to what ``step`` of a search matches, in relevance order.

    Rows get ``tier``, ``head_rank``, ``matched`` and
    ``plain`` (the stored plainness, 0 for a device's products) and are
    ordered by them (``food``: by ``matched`` first), then by the name's
    length, the name and the id.
    """
    starts, contains = _starts(values), _contains(values)
    typos = _near(SearchValues(phrases=(), typos=values.typos))
    nouns = _any([Contains(F("name_folded"), _text(noun)) for noun in values.nouns])
    where = {
        START: _starts_short(values),
        ANYWHERE: _word_starts(values),
        WORDS: starts | contains | _near(SearchValues(phrases=(), word_sets=values.word_sets)),
        TYPOS: typos,
        EVERYTHING: starts | contains | _near(values),
        FOOD: contains | nouns,
    }[step]
    plain = F("plainness") if queryset.model is CatalogProduct else Value(0)
    short = step == START
    order = BY_START if short else BY_FOOD if food else BY_TIER
    return (
        queryset.alias(
            # What the start indexes hold (products/0009), the same expression to the letter.
            name_start_1=Substr("name_folded", 1, 1),
            name_start_2=Substr("name_folded", 1, 2),
        )
        .filter(where)
        .annotate(
            tier=Value(PREFIX)
            if short
            else Case(
                When(starts, then=Value(PREFIX)),
                When(contains, then=Value(CONTAINS)),
                default=Value(NEAR),
                output_field=IntegerField(),
            ),
            head_rank=Value(NO_PART) if short else _head_rank(values),
            matched=_matched(values) if food else Value(0, output_field=IntegerField()),
            plain=plain,
            name_length=Length("name_folded"),
        )
        .order_by(*(F(key[1:]).desc() if key[0] == "-" else key for key in order))
    )


def ranked_catalog(queryset: QuerySet, query: str) -> QuerySet:
    """The catalog's ``?search=``: prefix, contains and words, in one ordered query to page through.

    Typos are the merged search's (a second query when the first finds too
    few); a paged list has one query to order.
    """
    terms = SearchTerms.of(query)
    step = EVERYTHING if terms.is_short else WORDS
    return ranked(queryset, SearchValues.of(terms, typos=False), step)


# --- Merged search -----------------------------------------------------------------

RANK_COLUMNS = (
    "tier",
    "head_rank",
    "matched",
    "plain",
    "name_length",
    "name_folded",
)
CATALOG_COLUMNS = (
    "id",
    "name",
    "display_name",
    "brand",
    "kcal_100g",
    "protein_100g",
    "carbs_100g",
    "fat_100g",
)
PRODUCT_MEASURE = (*NUTRIENTS, "base_amount", "base_unit", "gram_weight")
PRODUCT_COLUMNS = ("id", "name", *(f"default_{field}" for field in PRODUCT_MEASURE))


class _Step:
    """One step of a search on one model: its SQL compiled once per shape of values."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        step: str,
        columns: tuple[str, ...],
        *,
        food: bool = False,
    ) -> None:
        self.step = step
        self.food = food
        self.query = CompiledQuery(
            lambda **values: ranked(
                build(**values), SearchValues.of_flat(values), step, food=food
            ).values_list(*columns, *RANK_COLUMNS)
        )

    def fetch(self, values: SearchValues, *, limit: int, **fixed: Any) -> list[tuple[Any, ...]]:
        """The step's first ``limit`` rows for ``values`` (``fixed``: the device's id)."""
        used = values.used_by(self.step, food=self.food)
        return self.query.fetch(limit=limit, **fixed, **used.flat())


def _catalog_rows(**values: Any) -> QuerySet:
    return CatalogProduct.objects.all()


def _device_products(device_id: Any, **values: Any) -> QuerySet:
    # The live default portion's measure, LEFT JOINed (with_default_portion_measure), and
    # its macros from the same join.
    return (
        Product.objects.with_default_portion_measure()
        .annotate(**{f"default_{name}": F(f"default_portion__{name}") for name in MACROS})
        .filter(device_id=device_id)
    )


CATALOG_STEPS = {
    step: _Step(_catalog_rows, step, CATALOG_COLUMNS) for step in (START, ANYWHERE, WORDS, TYPOS)
}
DEVICE_PRODUCTS = _Step(_device_products, EVERYTHING, PRODUCT_COLUMNS)
CATALOG_FOODS = {
    step: _Step(_catalog_rows, step, CATALOG_COLUMNS, food=True) for step in (FOOD, TYPOS)
}
DEVICE_FOODS = {
    step: _Step(_device_products, step, PRODUCT_COLUMNS, food=True) for step in (FOOD, TYPOS)
}


@dataclass(frozen=True)
class SearchItem:
    """One search result, with the key it was ranked by (``RANK_COLUMNS``)."""

    id: Any
    name: str
    source: str
    calories_per_100g: float | None
    protein_per_100g: float | None
    carbs_per_100g: float | None
    fat_per_100g: float | None
    catalog_id: Any
    display_name: str
    brand: str | None
    rank: tuple[Any, ...]

    @property
    def tier(self) -> int:
        return self.rank[0]

    @property
    def head_rank(self) -> int:
        return self.rank[1]

    @property
    def matched(self) -> int:
        return self.rank[2]

    def merge_key(self) -> tuple[Any, ...]:
        """Search's order across sources: relevance, then the device's own, then plainness."""
        tier, head_rank, _, plain, length, name = self.rank
        return (tier, head_rank, self.source != "user", plain, length, name)

    def food_key(self) -> tuple[Any, ...]:
        """Quick add's order: modifiers held, the device's own, then relevance."""
        tier, head_rank, matched, plain, length, name = self.rank
        return (-matched, self.source != "user", head_rank, plain, tier, length, name)


def _as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(round_half_up(value))


def _item(
    row_id: Any, name: str, source: str, per_100g: list[float | None], rank: list[Any], **more: Any
) -> SearchItem:
    calories, protein, carbs, fat = per_100g
    return SearchItem(
        id=row_id,
        name=name,
        source=source,
        calories_per_100g=calories,
        protein_per_100g=protein,
        carbs_per_100g=carbs,
        fat_per_100g=fat,
        catalog_id=row_id if source == "catalog" else None,
        rank=tuple(rank),
        **{"display_name": name, "brand": None, **more},
    )


def _catalog_item(row: tuple[Any, ...]) -> SearchItem:
    pk, name, display_name, brand, kcal, protein, carbs, fat, *rank = row
    values = [_as_float(value) for value in (kcal, protein, carbs, fat)]
    return _item(
        pk, name, "catalog", values, rank, display_name=display_name or name, brand=brand or None
    )


def _product_item(row: tuple[Any, ...]) -> SearchItem:
    pk, name, calories, protein, carbs, fat, base_amount, base_unit, gram_weight, *rank = row

    def per_100g(value: Decimal | None) -> float | None:
        if base_unit is None:  # no live default portion
            return None
        return _as_float(
            units.per_100_grams(
                value, base_amount=base_amount, base_unit=base_unit, gram_weight=gram_weight
            )
        )

    return _item(
        pk, name, "user", [per_100g(value) for value in (calories, protein, carbs, fat)], rank
    )


def _two_steps(
    first: _Step, second: _Step | None, values: SearchValues, limit: int, **fixed: Any
) -> list[tuple[Any, ...]]:
    """The first step's rows; the second step's after them when the first found fewer than
    ``limit`` (it reads further: a scan, or the typo index). ``fixed``: the device."""
    rows = first.fetch(values, limit=limit, **fixed)
    if len(rows) < limit and second is not None:
        seen = {row[0] for row in rows}
        more = second.fetch(values, limit=limit + len(seen), **fixed)
        rows += [row for row in more if row[0] not in seen][: limit - len(rows)]
    return rows


def _typos_step(steps: dict[str, _Step], values: SearchValues) -> _Step | None:
    """The typo step, when the query has a word long enough to look for its typos."""
    return steps[TYPOS] if values.typos else None


def search_catalog(terms: SearchTerms, limit: int) -> list[SearchItem]:
    """The catalog's best ``limit`` foods for ``terms``: one query, two when it must look further.

    A short query reads its prefix range first and the names with a word
    starting with it only when that range holds fewer than ``limit``; a longer one
    matches prefix, contains and words at once and looks for typos only when
    those found fewer than ``limit``.
    """
    values = SearchValues.of(terms, typos=not terms.is_short)
    if terms.is_short:
        first, second = CATALOG_STEPS[START], CATALOG_STEPS[ANYWHERE]
    else:
        first, second = CATALOG_STEPS[WORDS], _typos_step(CATALOG_STEPS, values)
    return [_catalog_item(row) for row in _two_steps(first, second, values, limit)]


def search_device_products(device: Any, terms: SearchTerms, limit: int) -> list[SearchItem]:
    """The device's best ``limit`` live products for ``terms``, in one query."""
    # A device holds few products: every tier in one query, short queries too.
    values = SearchValues.of(terms, typos=True)
    rows = DEVICE_PRODUCTS.fetch(values, limit=limit, device_id=device.pk)
    return [_product_item(row) for row in rows]


def search_products(*, device: Any, query: str, limit: int) -> list[SearchItem]:
    """The device's products and the catalog, merged by relevance: 2–3 queries whatever the sizes.

    Each side is ranked in SQL and cut to ``limit``; the two pages are merged
    on the same key, the device's own products first on equal relevance.
    """
    terms = SearchTerms.of(query)
    items = search_device_products(device, terms, limit) + search_catalog(terms, limit)
    items.sort(key=SearchItem.merge_key)
    return items[:limit]


def find_foods(*, device: Any, food: str, limit: int, catalog: bool = True) -> list[SearchItem]:
    """What a written food ("skim milk", "2 egg whites") may name, best first (quick add).

    Names holding its head noun (the last word: "milk"), ordered by how many
    of its other words they hold ("skim" chooses among the milks instead of
    ruling out those that say "nonfat"), the device's own products first, then
    as the search ranks. Without ``catalog``, the device's products only.
    Typos of the head noun are looked for only when nothing holds it. One
    query per side, two more for typos.
    """
    terms = SearchTerms.of(food)
    values = SearchValues.of(terms, typos=True, food=True)
    if not values.nouns:
        return []  # only numbers ("2%"): no food is named by a number alone
    device_id = device.pk
    rows = [*map(_product_item, DEVICE_FOODS[FOOD].fetch(values, limit=limit, device_id=device_id))]
    if catalog:
        rows += map(_catalog_item, CATALOG_FOODS[FOOD].fetch(values, limit=limit))
    if not rows and values.typos:
        rows = [
            *map(_product_item, DEVICE_FOODS[TYPOS].fetch(values, limit=limit, device_id=device_id))
        ]
        if catalog:
            rows += map(_catalog_item, CATALOG_FOODS[TYPOS].fetch(values, limit=limit))
    rows.sort(key=SearchItem.food_key)
    return rows[:limit]


def foods_named(*, device: Any, foods: list[str]) -> set[str]:
    """Which of ``foods`` (folded) a name starts with, in its singular or plural.

    Asked of the device's live products and the catalog, one query each
    (the prefix indexes): quick add keeps "mac and cheese" whole when a food is
    named so, and reads "eggs and toast" as two.
    """
    forms = {food: SearchTerms.of(food).phrases[:2] for food in dict.fromkeys(foods)}
    forms = {food: phrases for food, phrases in forms.items() if phrases}
    if not forms:
        return set()
    found: set[str] = set()
    for rows in (Product.objects.filter(device=device), CatalogProduct.objects.all()):
        starts = {
            food: _any([StartsWith(F("name_folded"), _text(p)) for p in phrases])
            for food, phrases in forms.items()
            if food not in found
        }
        if not starts:
            break
        flags = rows.filter(_any(list(starts.values()))).aggregate(
            **{
                f"named_{i}": Max(Case(When(start, then=Value(1)), default=Value(0)))
                for i, start in enumerate(starts.values())
            }
        )
        found |= {food for i, food in enumerate(starts) if flags[f"named_{i}"]}
    return found
