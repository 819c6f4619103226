"""Barcodes as GTINs: products.gtin, and every API path that looks a barcode up."""

import uuid

import pytest

from products.gtin import barcode_key, gtin14, upc_e_to_upc_a
from products.models import CatalogProduct, Product
from tests.assertions import assert_error, assert_not_found
from tests.factories import CatalogProductFactory, ProductFactory

PRODUCTS = "/v1/products"
CATALOG = "/v1/catalog/products"
# Open Food Facts' code of a US product, and the forms scanners report it in.
OFF_CODE = "0041196133066"
FORMS = ["041196133066", "0041196133066", "00041196133066", "41196133066", "0 41196 13306 6"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        *((form, "00041196133066") for form in FORMS),
        ("5449000000996", "05449000000996"),  # EAN-13 (Coca-Cola 330 ml)
        ("05449000000996", "05449000000996"),  # its GTIN-14
        ("96385074", "00000096385074"),  # EAN-8
        ("10614141000415", "10614141000415"),  # GTIN-14 with indicator digit 1 (a case)
        ("9780471117094", "09780471117094"),  # ISBN as EAN-13 (Bookland)
        ("978-0-471-11709-4", "09780471117094"),
        # UPC-E: the short code expands to the UPC-A it abbreviates.
        ("01234565", "00012345000065"),  # last digit 5-9: manufacturer 12345, item 5
        ("04252614", "00042100005264"),  # last digit 0-2
        ("01234133", "00012300000413"),  # last digit 3
        ("01234145", "00012340000015"),  # last digit 4
    ],
)
def test_valid_gtins_become_their_gtin14(code, expected):
    assert gtin14(code) == expected
    assert barcode_key(code) == expected


@pytest.mark.parametrize(
    "code",
    [
        "0041196133067",  # check digit wrong
        "5449000000995",
        "123",  # too short for any GTIN
        "1234567",
        "123456789012345",  # too long
        "ABC-123",
        "2400-42",
        "",
    ],
)
def test_codes_that_are_no_gtin_are_none(code):
    assert gtin14(code) is None


@pytest.mark.parametrize(
    ("code", "key"),
    [
        ("0041196133067", "0041196133067"),  # a bad check digit keeps its zeros
        ("  STORE-42 ", "STORE-42"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_barcode_key_of_other_codes_is_the_code_as_scanned(code, key):
    assert barcode_key(code) == key


def test_upc_e_needs_its_number_system_and_check_digit():
    assert upc_e_to_upc_a("01234565") == "012345000065"
    assert upc_e_to_upc_a("11234562") == "112345000062"  # number system 1
    assert upc_e_to_upc_a("01234566") is None  # check digit wrong
    assert upc_e_to_upc_a("21234565") is None  # UPC-E has number systems 0 and 1 only
    assert upc_e_to_upc_a("1234565") is None


@pytest.mark.django_db
class TestCatalogLookup:
    @pytest.fixture
    def food(self):
        return CatalogProductFactory(
            name="Organic brown rice", source="off", source_id=OFF_CODE, barcode=OFF_CODE
        )

    @pytest.mark.parametrize("form", [*FORMS, "00041196133066"])
    def test_every_form_finds_the_product(self, device_client, food, form):
        response = device_client.get(f"{CATALOG}/barcode/{form}")
        assert response.status_code == 200, response.content
        assert (response.json()["id"], response.json()["barcode"]) == (str(food.id), OFF_CODE)

    def test_stored_key_is_the_gtin14(self, food):
        assert CatalogProduct.objects.get(pk=food.pk).barcode_key == "00041196133066"

    def test_a_wrong_check_digit_finds_nothing(self, device_client, food):
        assert_not_found(device_client.get(f"{CATALOG}/barcode/0041196133067"))

    def test_upc_e_finds_its_upc_a(self, device_client):
        food = CatalogProductFactory(name="Gum", barcode="012345000065")
        response = device_client.get(f"{CATALOG}/barcode/01234565")
        assert response.json()["id"] == str(food.id)

    def test_a_store_code_matches_exactly_only(self, device_client):
        food = CatalogProductFactory(name="Deli salad", barcode="2400-42")
        assert device_client.get(f"{CATALOG}/barcode/2400-42").json()["id"] == str(food.id)
        assert_not_found(device_client.get(f"{CATALOG}/barcode/240042"))


@pytest.mark.django_db
class TestDeviceProducts:
    def test_create_in_another_form_returns_the_live_product(self, device_client, device):
        first = device_client.post(
            PRODUCTS, {"name": "Rice", "barcode": "041196133066"}, format="json"
        )
        assert first.status_code == 201
        again = device_client.post(
            PRODUCTS, {"name": "Rice again", "barcode": "0041196133066"}, format="json"
        )
        assert again.status_code == 200
        body = again.json()
        # The product as first scanned: its barcode is what the client sent then.
        assert (body["id"], body["name"], body["barcode"]) == (
            first.json()["id"],
            "Rice",
            "041196133066",
        )
        assert Product.objects.filter(device=device).count() == 1

    @pytest.mark.parametrize("form", FORMS)
    def test_list_filter_finds_any_form(self, device_client, device, form):
        product = ProductFactory(device=device, name="Rice", barcode="0041196133066")
        ProductFactory(device=device, name="Other", barcode="5449000000996")
        ProductFactory(name="Another device's rice", barcode="0041196133066")
        response = device_client.get(PRODUCTS, {"barcode": form})
        assert [item["id"] for item in response.json()] == [str(product.id)]

    def test_codes_that_are_no_gtin_are_kept_and_matched_as_sent(self, device_client, device):
        response = device_client.post(
            PRODUCTS, {"name": "Deli", "barcode": "0041196133067"}, format="json"
        )
        assert response.status_code == 201
        assert response.json()["barcode"] == "0041196133067"
        other = device_client.post(
            PRODUCTS, {"name": "Other deli", "barcode": "041196133067"}, format="json"
        )
        assert other.status_code == 201  # without a valid check digit, zeros are significant
        assert Product.objects.filter(device=device).count() == 2

    def test_restore_with_a_barcode_a_live_product_took_returns_the_live_one(
        self, device_client, device
    ):
        old = ProductFactory(device=device, name="Old rice", barcode="0041196133066")
        old.delete()
        newer = ProductFactory(device=device, name="New rice", barcode="041196133066")

        response = device_client.post(
            PRODUCTS, {"id": str(old.id), "name": "Old rice", "barcode": OFF_CODE}, format="json"
        )

        assert response.status_code == 200
        assert (response.json()["id"], response.json()["name"]) == (str(newer.id), "New rice")
        old.refresh_from_db()
        assert old.is_deleted
        assert list(Product.objects.filter(device=device)) == [newer]

    def test_restore_with_a_free_barcode_restores(self, device_client, device):
        old = ProductFactory(device=device, name="Old rice", barcode=OFF_CODE)
        old.delete()
        ProductFactory(name="Another device's", barcode=OFF_CODE)
        response = device_client.post(
            PRODUCTS, {"id": str(old.id), "name": "Rice", "barcode": "041196133066"}, format="json"
        )
        assert response.status_code == 201
        old.refresh_from_db()
        assert (old.is_deleted, old.barcode, old.barcode_key) == (
            False,
            "041196133066",
            "00041196133066",
        )

    @pytest.mark.parametrize("method", ["patch", "put"])
    def test_update_to_a_barcode_another_live_product_has_is_409(
        self, device_client, device, method
    ):
        ProductFactory(device=device, name="Rice", barcode=OFF_CODE)
        product = ProductFactory(device=device, name="Beans", barcode=None)
        response = getattr(device_client, method)(
            f"{PRODUCTS}/{product.id}", {"name": "Beans", "barcode": "041196133066"}, format="json"
        )
        assert_error(response, 409, "barcode_taken")
        product.refresh_from_db()
        assert (product.barcode, product.barcode_key) == (None, None)

    def test_update_keeping_its_own_barcode_in_another_form_is_fine(self, device_client, device):
        product = ProductFactory(device=device, name="Rice", barcode=OFF_CODE)
        response = device_client.patch(
            f"{PRODUCTS}/{product.id}", {"barcode": "041196133066"}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["barcode"] == "041196133066"

    def test_the_key_follows_a_barcode_change(self, device):
        product = ProductFactory(device=device, barcode=OFF_CODE)
        product.barcode = "96385074"
        product.save(update_fields=["barcode"])
        assert Product.objects.get(pk=product.pk).barcode_key == "00000096385074"

    def test_another_devices_product_is_404(self, device_client):
        foreign = ProductFactory(name="Theirs", barcode=OFF_CODE)
        assert_not_found(device_client.get(f"{PRODUCTS}/{foreign.id}"))
        assert_not_found(device_client.get(f"{PRODUCTS}/{uuid.uuid4()}"))


@pytest.mark.django_db
def test_the_openapi_schema_describes_the_barcode_forms(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    lookup = schema["paths"]["/v1/catalog/products/barcode/{barcode}"]["get"]["description"]
    create = schema["paths"]["/v1/products"]["post"]["description"]
    for text in (lookup, create):
        assert "EAN-13, UPC-A (12 digits), GTIN-14 and EAN-8" in text
        assert "UPC-E" in text
        assert "no valid GTIN" in text
    assert "barcode_taken" in str(schema["paths"]["/v1/products/{id}"]["patch"]["responses"])


@pytest.mark.django_db
@pytest.mark.parametrize("blank", ["%20", "%20%20%20"])
def test_a_blank_barcode_finds_no_food_without_one(device_client, blank):
    CatalogProductFactory(name="No barcode", barcode=None)
    assert_not_found(device_client.get(f"{CATALOG}/barcode/{blank}"))
