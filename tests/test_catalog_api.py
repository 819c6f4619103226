"""The read-only catalog (docs/api.md §10): list, search, detail, barcode."""

import uuid
from decimal import Decimal

import pytest

from tests.assertions import assert_error, assert_not_found
from tests.factories import CatalogPortionFactory, CatalogProductFactory

CATALOG = "/v1/catalog/products"


@pytest.fixture
def banana(db):
    food = CatalogProductFactory(
        name="Bananas, raw", display_name="Bananas, raw", barcode="0000000004011", source_id="09040"
    )
    CatalogPortionFactory(product=food)
    CatalogPortionFactory(
        product=food,
        label="1 cup, sliced",
        base_amount=Decimal(1),
        base_unit="cup",
        gram_weight=Decimal(150),
        calories=Decimal("133.5"),
        protein=None,
        carbs=None,
        fat=None,
        is_default=False,
    )
    return food


def default_portion_json(food) -> dict:
    portion = food.portions.get(is_default=True)
    return {
        "id": str(portion.id),
        "label": "100 g",
        "base_amount": "100.000",
        "base_unit": "g",
        "gram_weight": "100.000",  # a mass portion carries its mass
        "calories": "89.000",
        "protein": "1.090",
        "carbs": "22.840",
        "fat": "0.330",
        "is_default": True,
    }


@pytest.mark.django_db
class TestList:
    def test_alphabetical_with_the_default_portion(self, device_client, banana):
        CatalogProductFactory(name="apples, raw")
        response = device_client.get(CATALOG)
        assert response.status_code == 200
        apples, bananas = response.json()
        assert apples["name"] == "apples, raw"
        assert apples["default_portion"] is None
        assert bananas == {
            "id": str(banana.id),
            "source": "usda",
            "source_id": "09040",
            "name": "Bananas, raw",
            "display_name": "Bananas, raw",
            "brand": None,  # no brand: null, as the search says it
            "barcode": "0000000004011",
            "category": "Fruits and Fruit Juices",
            "default_portion": default_portion_json(banana),
        }

    def test_search_ranks_prefix_before_contains(self, device_client, banana):
        CatalogProductFactory(name="Bread, banana")
        CatalogProductFactory(name="Oats")
        names = [item["name"] for item in device_client.get(CATALOG, {"search": "banana"}).json()]
        assert names == ["Bananas, raw", "Bread, banana"]

    def test_limit_default_50_capped_at_200_with_next_link(self, device_client):
        CatalogProductFactory.create_batch(210)
        first = device_client.get(CATALOG)
        assert len(first.json()) == 50
        assert first["Link"] == f'<http://testserver{CATALOG}?limit=50&offset=50>; rel="next"'
        assert len(device_client.get(CATALOG, {"limit": 1000}).json()) == 200
        assert len(device_client.get(CATALOG, {"offset": 200}).json()) == 10

    def test_search_longer_than_200_is_400(self, device_client):
        assert_error(device_client.get(CATALOG, {"search": "x" * 201}), 400, "max_length", "search")

    def test_needs_a_device_token(self, api_client, banana):
        assert_error(api_client.get(CATALOG), 401, "not_authenticated")

    @pytest.mark.parametrize("count", [1, 100])
    def test_query_budget(self, device_client, count, django_assert_max_num_queries):
        for food in CatalogProductFactory.create_batch(count):
            CatalogPortionFactory(product=food)
        device_client.get("/v1/devices/me")
        with django_assert_max_num_queries(3):
            items = device_client.get(CATALOG, {"limit": 200}).json()
        assert len(items) == count
        assert all(item["default_portion"]["label"] == "100 g" for item in items)


@pytest.mark.django_db
class TestDetail:
    def test_by_id_with_all_portions(self, device_client, banana):
        response = device_client.get(f"{CATALOG}/{banana.id}")
        assert response.status_code == 200
        body = response.json()
        assert body["default_portion"] == default_portion_json(banana)
        assert [
            (p["label"], p["base_unit"], p["gram_weight"], p["calories"]) for p in body["portions"]
        ] == [
            ("100 g", "g", "100.000", "89.000"),
            ("1 cup, sliced", "cup", "150.000", "133.500"),
        ]

    def test_by_barcode(self, device_client, banana):
        response = device_client.get(f"{CATALOG}/barcode/0000000004011")
        assert response.status_code == 200
        assert response.json()["id"] == str(banana.id)
        assert len(response.json()["portions"]) == 2

    def test_absent_is_404(self, device_client, banana):
        assert_not_found(device_client.get(f"{CATALOG}/{uuid.uuid4()}"))
        assert_not_found(device_client.get(f"{CATALOG}/not-an-id"))
        assert_not_found(device_client.get(f"{CATALOG}/barcode/123"))

    def test_read_only(self, device_client, banana):
        assert_error(
            device_client.post(CATALOG, {"name": "x"}, format="json"), 405, "method_not_allowed"
        )
        assert_error(device_client.delete(f"{CATALOG}/{banana.id}"), 405, "method_not_allowed")


@pytest.mark.django_db
@pytest.mark.parametrize("barcode", ["ab%00cd", "ab%1Fcd", "x" * 65])
def test_a_barcode_with_control_characters_or_too_long_is_404(device_client, barcode):
    assert_not_found(device_client.get(f"{CATALOG}/barcode/{barcode}"))


@pytest.mark.django_db
@pytest.mark.parametrize(("stored", "served"), [("", None), ("Chiquita", "Chiquita")])
def test_brand_is_the_same_in_list_detail_barcode_and_search(device_client, stored, served):
    """One item, one ``brand``: null when it has none, in every read that shows it."""
    food = CatalogProductFactory(
        name="Bananas, raw", display_name="Bananas, raw", barcode="0000000004011", brand=stored
    )
    CatalogPortionFactory(product=food)
    reads = [
        device_client.get(CATALOG),
        device_client.get(f"{CATALOG}/{food.id}"),
        device_client.get(f"{CATALOG}/barcode/0000000004011"),
        device_client.get("/v1/products/search", {"q": "banana"}),
    ]
    assert [response.status_code for response in reads] == [200] * 4
    listed, detail, by_barcode, found = (response.json() for response in reads)
    assert (listed[0]["id"], found[0]["id"]) == (str(food.id), str(food.id))
    brands = [listed[0]["brand"], detail["brand"], by_barcode["brand"], found[0]["brand"]]
    assert brands == [served] * 4
    food.refresh_from_db()
    assert food.brand == stored  # stored as it was: only the answer says "none" as null
