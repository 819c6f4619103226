"""Name search: the device's products merged with the catalog.

Tiers, the same on every database: names starting with the query first, then
names containing it, alphabetical (case-insensitive) within each. PostgreSQL
adds a third tier of near matches, found by full-text search (English
stemming: "raw bananas" finds "Bananas, raw") and trigram similarity
(typos), ranked by relevance; both use the GIN indexes of migration
products/0002, whose expressions the SQL below repeats to the letter.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramSimilarity
from django.db import connection
from django.db.models import Case, F, FloatField, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from products.models import CatalogProduct, Product

PREFIX, CONTAINS, NEAR = 0, 1, 2
SEARCH_CONFIG = "english"
# Below this length a trigram comparison is noise: "ban" shares a trigram with
# thousands of names, every one of which PostgreSQL would fetch and re-check.
MIN_TRIGRAM_QUERY = 4


def near_matches_supported() -> bool:
    """Full-text and trigram search exist on PostgreSQL only."""
    return connection.vendor == "postgresql"


def ranked_by_name(queryset: QuerySet, query: str, *, near: bool) -> QuerySet:
    """``queryset`` filtered to names matching ``query``, ordered by tier then name.

    Rows get ``tier`` and ``near_rank`` annotations. On PostgreSQL the SQL of
    ``lower(name)`` (LIKE and ``%``) and of the ``SearchVector`` is exactly
    what the GIN indexes of products/0002 were built on.
    """
    needle = query.lower()
    rows = queryset.annotate(name_lower=Lower("name"))
    contains = Q(name_lower__contains=needle)
    tier = Case(
        When(name_lower__startswith=needle, then=Value(PREFIX)),
        When(contains, then=Value(CONTAINS)),
        default=Value(NEAR),
        output_field=IntegerField(),
    )
    if not near:
        return (
            rows.filter(contains)
            .annotate(tier=tier, near_rank=Value(0.0, output_field=FloatField()))
            .order_by("tier", "name_lower", "id")
        )
    vector = SearchVector("name", config=SEARCH_CONFIG)
    words = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    rank = SearchRank(vector, words) + TrigramSimilarity("name_lower", needle)
    near_match = Q(search_vector=words)
    if len(needle) >= MIN_TRIGRAM_QUERY:
        near_match |= Q(name_lower__trigram_similar=needle)
    return (
        rows.alias(search_vector=vector)
        .filter(contains | near_match)
        .annotate(tier=tier, near_rank=Case(When(contains, then=Value(0.0)), default=rank))
        .order_by("tier", F("near_rank").desc(), "name_lower", "id")
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
    return None if value is None else round(float(value), 3)


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
            calories_per_100g=_as_float(food.calories_100g),
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
    items.sort(key=lambda item: (item.tier, -item.rank, item.name.lower(), item.source != "user"))
    return items[:limit]
