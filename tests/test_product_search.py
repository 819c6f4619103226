"""GET /v1/products/search: the device's products merged with the catalog."""

from decimal import Decimal

import pytest

from tests.assertions import assert_error
from tests.factories import CatalogProductFactory, PortionFactory, ProductFactory

SEARCH = "/v1/products/search"


def search(client, q: str, **params):
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
class TestMergedSearch:
    def test_prefix_tier_first_then_contains_by_relevance_across_sources(
        self, device_client, device
    ):
        ProductFactory(device=device, name="Banana bread")
        ProductFactory(device=device, name="Frozen banana")
        CatalogProductFactory(name="Bananas, raw")
        CatalogProductFactory(name="Babyfood, banana yogurt")
        CatalogProductFactory(name="Apple, raw")

        items = search(device_client, "BANANA")

        # Names starting with "banana" (or "bananas") first, the one that *is* bananas
        # first among them; on equal relevance the device's own product first.
        assert [(i["name"], i["source"]) for i in items] == [
            ("Bananas, raw", "catalog"),
            ("Banana bread", "user"),
            ("Frozen banana", "user"),
            ("Babyfood, banana yogurt", "catalog"),
        ]

    def test_item_shapes(self, device_client, device):
        product = ProductFactory(device=device, name="Banana smoothie")
        PortionFactory(
            product=product,
            base_amount=Decimal(250),
            base_unit="ml",
            gram_weight=Decimal(250),
            calories=Decimal(200),
            protein=Decimal(5),
            carbs=Decimal(40),
            fat=None,
        )
        food = CatalogProductFactory(name="Bananas, raw", display_name="Bananas, raw", brand="")

        catalog_item, user_item = search(device_client, "banana")

        assert user_item == {
            "id": str(product.id),
            "name": "Banana smoothie",
            "source": "user",
            "calories_per_100g": 80.0,
            "protein_per_100g": 2.0,
            "carbs_per_100g": 16.0,
            "fat_per_100g": None,
            "catalog_id": None,
            "display_name": "Banana smoothie",
            "brand": None,
        }
        assert catalog_item == {
            "id": str(food.id),
            "name": "Bananas, raw",
            "source": "catalog",
            "calories_per_100g": 89.0,
            "protein_per_100g": 1.09,
            "carbs_per_100g": 22.84,
            "fat_per_100g": 0.33,
            "catalog_id": str(food.id),
            "display_name": "Bananas, raw",
            "brand": None,
        }

    def test_user_products_without_a_derivable_weight_have_null_values(self, device_client, device):
        product = ProductFactory(device=device, name="Banana chips")
        PortionFactory(
            product=product, base_amount=Decimal(1), base_unit="pcs", calories=Decimal(5)
        )
        ProductFactory(device=device, name="Banana, no portions")
        items = search(device_client, "banana")
        assert [i["calories_per_100g"] for i in items] == [None, None]

    def test_only_live_products_of_the_device(self, device_client, device):
        ProductFactory(device=device, name="Banana gone").delete()
        ProductFactory(name="Banana of someone else")
        assert search(device_client, "banana") == []

    def test_limit_defaults_to_35_and_is_capped_at_60(self, device_client):
        CatalogProductFactory.create_batch(70, name="Bean")
        assert len(search(device_client, "bean")) == 35
        assert len(search(device_client, "bean", limit=5)) == 5
        assert len(search(device_client, "bean", limit=500)) == 60

    @pytest.mark.parametrize(
        ("params", "code", "attr"),
        [
            ({}, "required", "q"),
            ({"q": ""}, "blank", "q"),
            ({"q": "x" * 201}, "max_length", "q"),
            ({"q": "x", "limit": 0}, "min_value", "limit"),
            ({"q": "x", "limit": "many"}, "invalid", "limit"),
        ],
    )
    def test_bad_queries_are_400(self, device_client, params, code, attr):
        assert_error(device_client.get(SEARCH, params), 400, code, attr)

    def test_like_wildcards_in_the_query_are_literal(self, device_client):
        CatalogProductFactory(name="Milk, 2% fat")
        CatalogProductFactory(name="Milk, whole")
        assert [i["name"] for i in search(device_client, "2%")] == ["Milk, 2% fat"]
        assert search(device_client, "_") == []

    def test_query_budget(self, device_client, device, django_assert_max_num_queries):
        for index in range(30):
            PortionFactory(product=ProductFactory(device=device, name=f"Banana {index}"))
        CatalogProductFactory.create_batch(30, name="Banana split")
        device_client.get("/v1/devices/me")
        with django_assert_max_num_queries(4):
            assert len(search(device_client, "banana")) == 35


@pytest.mark.postgres
@pytest.mark.django_db
class TestNearMatchesOnPostgres:
    def test_full_text_finds_words_in_any_order_with_stemming(self, device_client):
        CatalogProductFactory(name="Bananas, raw")
        CatalogProductFactory(name="Apples, raw")
        items = search(device_client, "raw banana")
        assert [i["name"] for i in items] == ["Bananas, raw"]

    def test_trigram_forgives_typos_after_exact_tiers(self, device_client):
        CatalogProductFactory(name="Bananas, raw")
        CatalogProductFactory(name="Banana chips")
        items = search(device_client, "bananna")
        assert {i["name"] for i in items} >= {"Bananas, raw"}

    def test_near_matches_come_after_prefix_and_contains(self, device_client):
        CatalogProductFactory(name="Plantains, raw")  # no match
        CatalogProductFactory(name="Raw banana flour")  # contains "banana"? no: "raw banana"
        CatalogProductFactory(name="Bananas, raw")
        items = search(device_client, "raw banana")
        assert [i["name"] for i in items] == ["Raw banana flour", "Bananas, raw"]
