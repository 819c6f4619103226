"""Products (docs/api.md §3): read, edit, delete by id, check-name, replays, numbers."""

import uuid

import pytest

from products.models import Portion, Product
from tests.assertions import PRODUCTS, assert_error, assert_not_found
from tests.factories import PortionFactory, ProductFactory


@pytest.mark.django_db
class TestDetail:
    def test_get(self, device_client, device):
        product = ProductFactory(device=device, name="Tea")
        response = device_client.get(f"{PRODUCTS}/{product.id}")
        assert response.status_code == 200
        assert response.json()["name"] == "Tea"

    @pytest.mark.parametrize("method", ["get", "patch", "put", "delete"])
    def test_another_devices_product_is_404_and_untouched(self, device_client, method):
        foreign = ProductFactory(name="Theirs")
        response = getattr(device_client, method)(
            f"{PRODUCTS}/{foreign.id}", {"name": "Mine now"}, format="json"
        )
        assert_not_found(response)
        foreign.refresh_from_db()
        assert (foreign.name, foreign.deleted_at) == ("Theirs", None)

    @pytest.mark.parametrize("method", ["get", "patch", "put", "delete"])
    def test_unknown_deleted_and_malformed_ids_are_404(self, device_client, device, method):
        deleted = ProductFactory(device=device)
        deleted.delete()
        # A DELETE of the device's own deleted product is the app's replay: 204
        # (tests/test_replayed_writes.py).
        replayed = method == "delete"
        for product_id in (uuid.uuid4(), "not-a-uuid", *([] if replayed else [deleted.id])):
            response = getattr(device_client, method)(
                f"{PRODUCTS}/{product_id}", {"name": "x"}, format="json"
            )
            assert_not_found(response)

    def test_patch_changes_only_what_is_sent(self, device_client, device):
        product = ProductFactory(device=device, name="Old", barcode="1")
        response = device_client.patch(f"{PRODUCTS}/{product.id}", {"name": " New "}, format="json")
        assert response.status_code == 200
        assert (response.json()["name"], response.json()["barcode"]) == ("New", "1")
        product.refresh_from_db()
        assert (product.name, product.barcode) == ("New", "1")

    def test_patch_can_clear_the_barcode(self, device_client, device):
        product = ProductFactory(device=device, barcode="1")
        response = device_client.patch(f"{PRODUCTS}/{product.id}", {"barcode": None}, format="json")
        assert response.json()["barcode"] is None

    def test_put_replaces_both_fields(self, device_client, device):
        product = ProductFactory(device=device, name="Old", barcode="1")
        response = device_client.put(f"{PRODUCTS}/{product.id}", {"name": "Whole"}, format="json")
        assert response.status_code == 200
        assert (response.json()["name"], response.json()["barcode"]) == ("Whole", None)
        assert_error(
            device_client.put(f"{PRODUCTS}/{product.id}", {}, format="json"),
            400,
            "required",
            "name",
        )

    def test_patch_validates(self, device_client, device):
        product = ProductFactory(device=device)
        assert_error(
            device_client.patch(f"{PRODUCTS}/{product.id}", {"name": ""}, format="json"),
            400,
            "blank",
            "name",
        )

    def test_delete_is_soft_and_takes_the_portions_along(self, device_client, device):
        portion = PortionFactory(product=ProductFactory(device=device))
        response = device_client.delete(f"{PRODUCTS}/{portion.product_id}")
        assert response.status_code == 204
        assert response.content == b""
        product = Product.all_objects.get(pk=portion.product_id)
        assert product.deleted_at is not None
        assert Portion.all_objects.get(pk=portion.pk).deleted_at is not None
        assert device_client.get(PRODUCTS).json() == []
        assert_not_found(device_client.get(f"/v1/portions/{portion.id}"))


@pytest.mark.django_db
class TestCheckName:
    def test_case_insensitive_among_live_products_of_the_device(self, device_client, device):
        ProductFactory(device=device, name="Porridge")
        ProductFactory(device=device, name="Gone").delete()
        ProductFactory(name="Theirs")
        check = lambda name: device_client.get(f"{PRODUCTS}/check-name", {"name": name})  # noqa: E731
        assert check("porridge").json() == {"available": False}
        assert check("  PORRIDGE ").json() == {"available": False}
        assert check("Gone").json() == {"available": True}
        assert check("Theirs").json() == {"available": True}

    @pytest.mark.parametrize(
        ("params", "code"),
        [({}, "required"), ({"name": "x" * 201}, "max_length"), ({"name": " "}, "blank")],
    )
    def test_name_must_be_1_to_200_characters(self, device_client, params, code):
        assert_error(device_client.get(f"{PRODUCTS}/check-name", params), 400, code, "name")


@pytest.mark.django_db
class TestIdempotentCreate:
    def test_replay_returns_the_stored_row_and_changes_nothing(self, device_client, device):
        product_id = uuid.uuid4()
        first = device_client.post(
            PRODUCTS, {"id": str(product_id), "name": "Kefir"}, format="json"
        )
        replay = device_client.post(
            PRODUCTS, {"id": str(product_id), "name": "Changed"}, format="json"
        )
        assert first.status_code == 201
        assert replay.status_code == 200
        assert replay.json() == first.json()
        stored = Product.objects.get(pk=product_id)
        assert (stored.name, stored.version) == ("Kefir", 1)

    def test_the_id_of_an_own_deleted_product_restores_it(self, device_client, device):
        product = ProductFactory(device=device, name="Old name")
        product.delete()
        response = device_client.post(
            PRODUCTS, {"id": str(product.id), "name": "Back", "kcal_100g": 50}, format="json"
        )
        assert response.status_code == 201
        assert response.json()["id"] == str(product.id)
        assert response.json()["name"] == "Back"
        assert response.json()["kcal_100g"] == "50.000"
        assert Product.objects.get(pk=product.id).deleted_at is None

    def test_another_devices_id_is_409(self, device_client):
        foreign = ProductFactory(name="Theirs")
        response = device_client.post(
            PRODUCTS, {"id": str(foreign.id), "name": "Mine"}, format="json"
        )
        assert_error(response, 409, "id_conflict")
        foreign.refresh_from_db()
        assert foreign.name == "Theirs"

    def test_an_id_of_another_kind_is_409(self, device_client, device):
        portion = PortionFactory(product=ProductFactory(device=device))
        response = device_client.post(
            PRODUCTS, {"id": str(portion.id), "name": "Clash"}, format="json"
        )
        assert_error(response, 409, "id_conflict")
        assert Product.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sent", "stored"),
    [(0.1 + 0.2, "0.300"), ("72.5747792", "72.575"), ("0.0004", "0.000"), (12.3456, "12.346")],
)
def test_decimals_with_more_places_are_rounded_not_refused(device_client, device, sent, stored):
    response = device_client.post(PRODUCTS, {"name": "Float", "kcal_100g": sent}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["kcal_100g"] == stored


@pytest.mark.django_db
def test_a_number_too_large_is_400_not_500(device_client):
    response = device_client.post(
        "/v1/products", {"name": "Huge", "kcal_100g": 1e20}, format="json"
    )
    assert_error(response, 400, "max_value", "kcal_100g")  # the range is checked before rounding


@pytest.mark.django_db
@pytest.mark.parametrize("value", [7, True, 1.5, ["x"]])
def test_a_client_id_must_be_a_uuid_string(device_client, value):
    response = device_client.post(PRODUCTS, {"id": value, "name": "Numbered"}, format="json")
    assert_error(response, 400, "invalid", "id")
    assert not Product.all_objects.exists()


@pytest.mark.django_db
def test_an_offset_beyond_any_list_is_400_not_500(device_client):
    assert_error(device_client.get(PRODUCTS, {"offset": 2**63}), 400, "max_value", "offset")
    assert device_client.get(PRODUCTS, {"offset": 10**9}).json() == []


@pytest.mark.django_db
def test_null_per_100g_values_mean_not_given(device_client):
    response = device_client.post(
        PRODUCTS,
        {"name": "Plain", "kcal_100g": None, "protein_100g": None, "fat_100g": None},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["kcal_100g"] is None
    assert not Portion.objects.exists()
    with_kcal = device_client.post(
        PRODUCTS, {"name": "Kcal only", "kcal_100g": 50, "protein_100g": None}, format="json"
    )
    assert with_kcal.json()["kcal_100g"] == "50.000"
    assert Portion.objects.get(product_id=with_kcal.json()["id"]).protein is None
