"""Name search: the device's products merged with the catalog.

Every comparison ignores case and accents, both ways: "pate" finds "Pâté",
"pâté" finds "Pate", "strasse" finds "Straße", "pho" finds "Phở". PostgreSQL
folds both sides with ``lower(immutable_unaccent(...))`` (the unaccent
extension behind an IMMUTABLE wrapper, so indexes can hold it); SQLite
compares ``name_folded``, kept on save, with the query folded by
``products.folding.fold_name`` (which maps letters as unaccent does).

Tiers, the same on every database: names starting with the query first, then
names containing it, alphabetical (folded) within each. PostgreSQL adds a
third tier of near matches, found by full-text search (English stemming:
"raw bananas" finds "Bananas, raw") and trigram similarity (typos), ranked by
relevance; both use the GIN indexes of migration products/0003, whose
expressions the SQL below repeats to the letter.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramSimilarity
from django.db import connection
from django.db.models import (
    Case,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Lower

from countonme.base.numbers import round_half_up
from products.folding import fold_name
from products.models import CatalogProduct, Product

PREFIX, CONTAINS, NEAR = 0, 1, 2
SEARCH_CONFIG = "english"
# Below this length a trigram comparison is noise: "ban" shares a trigram with
# thousands of names, every one of which PostgreSQL would fetch and re-check.
MIN_TRIGRAM_QUERY = 4


def near_matches_supported() -> bool:
    """Full-text and trigram search exist on PostgreSQL only."""
    return connection.vendor == "postgresql"


class ImmutableUnaccent(Func):
    """PostgreSQL ``immutable_unaccent(text)``: ``unaccent`` as an IMMUTABLE function.

    Created by migration products/0003; index expressions may only use
    immutable functions, and ``unaccent`` itself is STABLE.
    """

    function = "immutable_unaccent"
    output_field = TextField()


def folded_name(field: str = "name") -> Expression:
    """A row's name without case or accents, as this database compares it."""
    if connection.vendor == "postgresql":
        return Lower(ImmutableUnaccent(field))
    return F(f"{field}_folded")


def folded_text(text: str) -> Expression | str:
    """Text a person typed, folded the way ``folded_name`` folds the rows.

    On PostgreSQL the database folds it in the same statement (a constant
    expression, evaluated once at planning); elsewhere ``fold_name`` does.
    """
    if connection.vendor == "postgresql":
        return Lower(ImmutableUnaccent(Value(text, output_field=TextField())))
    return fold_name(text)


def with_name(queryset: QuerySet, name: str) -> QuerySet:
    """Rows whose name equals ``name`` ignoring case and accents ("pate" = "Pâté")."""
    return queryset.alias(name_key=folded_name()).filter(name_key=folded_text(name))


def name_contains(queryset: QuerySet, text: str) -> QuerySet:
    """Rows whose name contains ``text`` ignoring case and accents."""
    return queryset.alias(name_key=folded_name()).filter(name_key__contains=folded_text(text))


def ranked_by_name(queryset: QuerySet, query: str, *, near: bool) -> QuerySet:
    """``queryset`` filtered to names matching ``query``, ordered by tier then name.

    Case and accents are ignored both ways. Rows get ``tier`` and
    ``near_rank`` annotations. On PostgreSQL the SQL of the folded name (LIKE
    and ``%``) and of the ``SearchVector`` is exactly what the GIN indexes of
    products/0003 were built on.
    """
    needle = folded_text(query)
    rows = queryset.annotate(name_key=folded_name())
    contains = Q(name_key__contains=needle)
    tier = Case(
        When(name_key__startswith=needle, then=Value(PREFIX)),
        When(contains, then=Value(CONTAINS)),
        default=Value(NEAR),
        output_field=IntegerField(),
    )
    if not near:
        return (
            rows.filter(contains)
            .annotate(tier=tier, near_rank=Value(0.0, output_field=FloatField()))
            .order_by("tier", "name_key", "id")
        )
    vector = SearchVector(ImmutableUnaccent("name"), config=SEARCH_CONFIG)
    words = SearchQuery(
        ImmutableUnaccent(Value(query, output_field=TextField())),
        config=SEARCH_CONFIG,
        search_type="websearch",
    )
    rank = SearchRank(vector, words) + TrigramSimilarity("name_key", needle)
    near_match = Q(search_vector=words)
    if len(fold_name(query)) >= MIN_TRIGRAM_QUERY:
        near_match |= Q(name_key__trigram_similar=needle)
    return (
        rows.alias(search_vector=vector)
        .filter(contains | near_match)
        .annotate(tier=tier, near_rank=Case(When(contains, then=Value(0.0)), default=rank))
        .order_by("tier", F("near_rank").desc(), "name_key", "id")
    )


@dataclass(frozen=True)
class SearchItem:
    """One merged search result."""

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
    tier: int
    rank: float


def _as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(round_half_up(value))


def search_products(*, device: Any, query: str, limit: int) -> list[SearchItem]:
    """The device's products and the catalog, merged: two queries whatever the sizes."""
    near = near_matches_supported()
    mine = ranked_by_name(
        Product.objects.filter(device=device).with_default_portion(), query, near=near
    )[:limit]
    catalog = ranked_by_name(CatalogProduct.objects.all(), query, near=near)[:limit]
    items = [
        SearchItem(
            id=product.pk,
            name=product.name,
            source="user",
            calories_per_100g=_as_float(product.default_per_100g("calories")),
            protein_per_100g=_as_float(product.default_per_100g("protein")),
            carbs_per_100g=_as_float(product.default_per_100g("carbs")),
            fat_per_100g=_as_float(product.default_per_100g("fat")),
            catalog_id=None,
            display_name=product.name,
            brand=None,
            tier=product.tier,
            rank=product.near_rank,
        )
        for product in mine
    ]
    items += [
        SearchItem(
            id=food.pk,
            name=food.name,
            source="catalog",
            calories_per_100g=_as_float(food.kcal_100g),
            protein_per_100g=_as_float(food.protein_100g),
            carbs_per_100g=_as_float(food.carbs_100g),
            fat_per_100g=_as_float(food.fat_100g),
            catalog_id=food.pk,
            display_name=food.display_name or food.name,
            brand=food.brand or None,
            tier=food.tier,
            rank=food.near_rank,
        )
        for food in catalog
    ]
    # Merge on the key both queries ordered by; the user's own products first among equals.
    items.sort(
        key=lambda item: (item.tier, -item.rank, fold_name(item.name), item.source != "user")
    )
    return items[:limit]
