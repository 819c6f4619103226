"""Search ignores accents and case both ways, in every search people type into."""

import pytest

from products.folding import fold_name
from products.models import CatalogProduct, Product
from tests.factories import CatalogProductFactory, ProductFactory

SEARCH = "/v1/products/search"
CATALOG = "/v1/catalog/products"
PRODUCTS = "/v1/products"

# (name, what people type): French, German, Spanish, Vietnamese, Danish, Polish.
NAMES = [
    ("Pâté de campagne", "pate"),
    ("Café au lait maison", "cafe"),
    ("Crème brûlée", "creme brulee"),
    ("Œufs brouillés", "oeufs"),
    ("Weißwurst", "weisswurst"),
    ("Müsli mit Früchten", "musli"),
    ("Käsespätzle", "kasespatzle"),
    ("Jalapeño relleno", "jalapeno"),
    ("Ñoquis de papa", "noquis"),
    ("Phở bò", "pho bo"),
    ("Đậu phụ sốt cà chua", "dau phu"),
    ("Bánh mì thịt", "banh mi"),
    ("Smørrebrød", "smorrebrod"),
    ("Łosoś wędzony", "losos"),
]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Pâté", "pate"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
        ("ẞ", "ss"),
        ("Jalapeño", "jalapeno"),
        ("Phở bò", "pho bo"),
        ("Đậu phụ", "dau phu"),
        ("Æbleskiver", "aebleskiver"),
        ("Œuf", "oeuf"),
        ("ﬁlet", "filet"),
        ("Łódź", "lodz"),
    ],
)
def test_fold_name(text, folded):
    assert fold_name(text) == folded


def names(items) -> list[str]:
    return [item["name"] for item in items]


@pytest.mark.django_db
class TestMergedSearch:
    @pytest.mark.parametrize(("name", "typed"), NAMES)
    def test_a_device_product_is_found_without_its_accents(
        self, device_client, device, name, typed
    ):
        ProductFactory(device=device, name=name)
        ProductFactory(device=device, name="Bread")
        response = device_client.get(SEARCH, {"q": typed})
        assert names(response.json()) == [name]

    @pytest.mark.parametrize(("name", "typed"), NAMES)
    def test_a_catalog_food_is_found_without_its_accents(self, device_client, name, typed):
        CatalogProductFactory(name=name, display_name=name)
        CatalogProductFactory(name="Bread")
        response = device_client.get(SEARCH, {"q": typed.upper()})
        assert [(i["name"], i["source"]) for i in response.json()] == [(name, "catalog")]

    def test_accents_typed_find_names_without_them(self, device_client, device):
        ProductFactory(device=device, name="Pate de campagne")
        CatalogProductFactory(name="Jalapeno peppers")
        assert names(device_client.get(SEARCH, {"q": "PÂTÉ"}).json()) == ["Pate de campagne"]
        assert names(device_client.get(SEARCH, {"q": "jalapeño"}).json()) == ["Jalapeno peppers"]

    def test_ranking_ignores_accents_prefix_then_contains_by_relevance(self, device_client, device):
        ProductFactory(device=device, name="Terrine au pâté")
        ProductFactory(device=device, name="Pâté en croûte")
        CatalogProductFactory(name="Pate, liver")
        CatalogProductFactory(name="Crackers with pâte")
        items = device_client.get(SEARCH, {"q": "pâte"}).json()
        assert names(items) == [
            "Pate, liver",  # its first part is the food typed, accents aside
            "Pâté en croûte",
            "Terrine au pâté",  # contains it; the device's own first on equal relevance
            "Crackers with pâte",
        ]

    def test_the_folded_column_follows_a_rename(self, device_client, device):
        product = ProductFactory(device=device, name="Cafe")
        device_client.patch(f"{PRODUCTS}/{product.id}", {"name": "Thé glacé"}, format="json")
        assert Product.objects.get(pk=product.pk).name_folded == "the glace"
        assert names(device_client.get(SEARCH, {"q": "the glace"}).json()) == ["Thé glacé"]
        assert device_client.get(SEARCH, {"q": "cafe"}).json() == []


@pytest.mark.django_db
class TestCatalogSearch:
    def test_search_ignores_accents(self, device_client):
        CatalogProductFactory(name="Thé vert", display_name="Thé vert")
        CatalogProductFactory(name="Coffee")
        response = device_client.get(CATALOG, {"search": "the"})
        assert [item["name"] for item in response.json()] == ["Thé vert"]

    def test_imported_rows_carry_their_folded_name(self):
        food = CatalogProductFactory(name="Crème fraîche")
        assert CatalogProduct.objects.get(pk=food.pk).name_folded == "creme fraiche"


@pytest.mark.django_db
class TestProductList:
    def test_search_filter_ignores_accents(self, device_client, device):
        ProductFactory(device=device, name="Pâté de campagne")
        ProductFactory(device=device, name="Pain")
        ProductFactory(name="Pâté of another device")
        response = device_client.get(PRODUCTS, {"search": "PATE"})
        assert [item["name"] for item in response.json()] == ["Pâté de campagne"]


@pytest.mark.django_db
class TestNameCheck:
    @pytest.mark.parametrize(
        "typed", ["pate de campagne", "PÂTÉ DE CAMPAGNE", "Pâte de Campagne", "pâté de campagne"]
    )
    def test_a_name_differing_in_accents_or_case_is_taken(self, device_client, device, typed):
        ProductFactory(device=device, name="Pâté de campagne")
        response = device_client.get(f"{PRODUCTS}/check-name", {"name": typed})
        assert response.json() == {"available": False}

    def test_other_names_and_other_devices_names_are_available(self, device_client, device):
        ProductFactory(device=device, name="Pâté de campagne").delete()
        ProductFactory(device=device, name="Pâté")
        ProductFactory(name="Weißwurst")
        for name in ("pate de campagne", "weisswurst", "pates"):
            response = device_client.get(f"{PRODUCTS}/check-name", {"name": name})
            assert response.json() == {"available": True}, name


@pytest.mark.postgres
@pytest.mark.django_db
class TestNearMatchesOnPostgres:
    def test_full_text_ignores_accents_and_word_order(self, device_client):
        CatalogProductFactory(name="Crème brûlée, vanilla")
        items = device_client.get(SEARCH, {"q": "brulee creme"}).json()
        assert names(items) == ["Crème brûlée, vanilla"]

    def test_trigram_forgives_a_typo_without_accents(self, device_client):
        CatalogProductFactory(name="Käsespätzle")
        items = device_client.get(SEARCH, {"q": "kasespatzel"}).json()
        assert names(items) == ["Käsespätzle"]


@pytest.mark.django_db
def test_the_openapi_schema_says_search_ignores_accents(api_client):
    paths = api_client.get("/api/schema/", {"format": "json"}).json()["paths"]
    for path, key in (("/v1/products/search", "q"), ("/v1/catalog/products", "search")):
        (parameter,) = [p for p in paths[path]["get"]["parameters"] if p["name"] == key]
        assert "accents are ignored" in parameter["description"], path
    assert "accents" in paths["/v1/products/check-name"]["get"]["description"]


@pytest.mark.django_db
def test_bulk_writes_keep_the_derived_columns(device):
    Product.objects.bulk_create([Product(device=device, name="Pâté", barcode="041196133066")])
    product = Product.objects.get(device=device)
    assert (product.name_folded, product.barcode_key) == ("pate", "00041196133066")
    product.name, product.barcode = "Thé vert", "96385074"
    Product.objects.bulk_update([product], ["name", "barcode"])
    product = Product.objects.get(pk=product.pk)
    assert (product.name_folded, product.barcode_key) == ("the vert", "00000096385074")

    CatalogProduct.objects.bulk_create(
        [CatalogProductFactory.build(name="Jalapeño", barcode="0041196133066")]
    )
    food = CatalogProduct.objects.get(name="Jalapeño")
    assert (food.name_folded, food.barcode_key) == ("jalapeno", "00041196133066")


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"ordering": "name"}, {"search": "e"}])
def test_the_product_list_is_in_name_order_without_case_or_accents(device_client, device, params):
    """docs/api.md §3: "live products by name, case- and accent-insensitive" on every path."""
    for name in ("Zoo", "éclair", "Banana", "Äpfel", "apple pie", "Apple", "Émile"):
        ProductFactory(device=device, name=name)
    response = device_client.get(PRODUCTS, params)
    assert response.status_code == 200
    names = [product["name"] for product in response.json()]
    expected = ["Äpfel", "Apple", "apple pie", "Banana", "éclair", "Émile", "Zoo"]
    if "search" in params:  # the general path: names holding an "e" (é, É too)
        expected = [name for name in expected if "e" in fold_name(name)]
    assert names == expected
    if params:
        return
    reverse = device_client.get(PRODUCTS, {"ordering": "-name"}).json()
    assert [product["name"] for product in reverse] == names[::-1]
