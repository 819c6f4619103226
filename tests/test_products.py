"""Products (docs/api.md §3): list, filters, pagination, create, barcode dedup."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from products import units
from products.models import Portion, Product
from tests.assertions import PRODUCTS, assert_error, names
from tests.factories import PortionFactory, ProductFactory


@pytest.mark.django_db
class TestList:
    def test_live_products_of_the_device_by_name_case_insensitive(self, device_client, device):
        for name in ("banana", "Apple", "cherry"):
            ProductFactory(device=device, name=name)
        ProductFactory(device=device, name="Deleted").delete()
        ProductFactory(name="Someone else's")

        response = device_client.get(PRODUCTS)

        assert response.status_code == 200
        assert names(response) == ["Apple", "banana", "cherry"]
        assert "Link" not in response

    def test_item_shape(self, device_client, device):
        product = ProductFactory(device=device, name="Oats", barcode="5000112637922")
        item = device_client.get(PRODUCTS).json()[0]
        assert item == {
            "id": str(product.id),
            "name": "Oats",
            "barcode": "5000112637922",
            "kcal_100g": None,
            "created_at": product.created_at.isoformat().replace("+00:00", "Z"),
            "updated_at": product.updated_at.isoformat().replace("+00:00", "Z"),
        }

    @pytest.mark.parametrize(
        ("portion", "expected"),
        [
            ({"base_amount": Decimal(50), "base_unit": "g", "calories": Decimal(100)}, "200.000"),
            ({"base_amount": Decimal(1), "base_unit": "kg", "calories": Decimal(1500)}, "150.000"),
            ({"base_amount": Decimal(500), "base_unit": "mg", "calories": Decimal(2)}, "400.000"),
            (
                {
                    "base_amount": Decimal(1),
                    "base_unit": "cup",
                    "gram_weight": Decimal(240),
                    "calories": Decimal(120),
                },
                "50.000",
            ),
            ({"base_amount": Decimal(1), "base_unit": "pcs", "calories": Decimal(70)}, None),
        ],
    )
    def test_kcal_100g_comes_from_the_default_portion(
        self, device_client, device, portion, expected
    ):
        product = ProductFactory(device=device)
        PortionFactory(
            product=product, is_default=True, protein=None, carbs=None, fat=None, **portion
        )
        PortionFactory(product=product, is_default=False, calories=Decimal(999), label="other")
        assert device_client.get(PRODUCTS).json()[0]["kcal_100g"] == expected
        assert device_client.get(f"{PRODUCTS}/{product.id}").json()["kcal_100g"] == expected

    @pytest.mark.parametrize(
        "portion",
        [
            {"base_amount": Decimal(100), "base_unit": "g", "calories": Decimal("52.5")},
            {"base_amount": Decimal("0.250"), "base_unit": "kg", "calories": Decimal("333.333")},
            {"base_amount": Decimal(7), "base_unit": "mg", "calories": Decimal("0.001")},
            {
                "base_amount": Decimal(250),
                "base_unit": "ml",
                "gram_weight": Decimal("258.125"),
                "calories": Decimal(155),
            },
            {
                "base_amount": Decimal(1),
                "base_unit": "pcs",
                "gram_weight": Decimal(3),
                "calories": Decimal(1),
            },
            {"base_amount": Decimal(2), "base_unit": "pcs", "calories": Decimal(140)},
        ],
        ids=["g", "kg", "mg", "ml-gram-weight", "pcs-gram-weight", "pcs-no-weight"],
    )
    def test_list_kcal_100g_in_one_query_equals_the_portion_scaled(
        self, device_client, device, portion, django_assert_num_queries
    ):
        # Repeating and half-way quotients: the list's annotated path must round
        # exactly as the prefetched portion does (units.per_100_grams, then 3 places).
        product = ProductFactory(device=device)
        default = PortionFactory(
            product=product, is_default=True, protein=None, carbs=None, fat=None, **portion
        )
        scaled = units.per_100_grams(
            default.calories,
            base_amount=default.base_amount,
            base_unit=default.base_unit,
            gram_weight=default.gram_weight,
        )
        expected = None if scaled is None else f"{scaled:.3f}"
        device_client.get(PRODUCTS)  # the first request of a device also stamps last_seen_at
        with django_assert_num_queries(2):  # the token, the products with their kcal_100g
            listed = device_client.get(PRODUCTS).json()
        assert [p["kcal_100g"] for p in listed] == [expected]
        assert device_client.get(f"{PRODUCTS}/{product.id}").json()["kcal_100g"] == expected

    def test_list_kcal_100g_without_a_live_default_portion(self, device_client, device):
        bare = ProductFactory(device=device, name="a bare")
        ProductFactory(device=device, name="b only a deleted default")
        PortionFactory(
            product=Product.objects.get(name="b only a deleted default"), is_default=True
        ).delete()
        promoted = ProductFactory(device=device, name="c promoted")
        old_default = PortionFactory(product=promoted, is_default=True, calories=Decimal(999))
        PortionFactory(product=promoted, is_default=False, label="next", base_amount=Decimal(50))
        assert device_client.delete(f"/v1/portions/{old_default.id}").status_code == 204

        listed = device_client.get(PRODUCTS).json()

        assert [(p["name"], p["kcal_100g"]) for p in listed] == [
            ("a bare", None),
            ("b only a deleted default", None),
            ("c promoted", "400.000"),  # the next portion, now default: 200 kcal per 50 g
        ]
        assert device_client.get(f"{PRODUCTS}/{bare.id}").json()["kcal_100g"] is None

    def test_search_barcode_and_ordering(self, device_client, device):
        ProductFactory(device=device, name="Greek Yogurt", barcode="111")
        ProductFactory(device=device, name="yogurt drink", barcode="222")
        ProductFactory(device=device, name="Bread")

        assert names(device_client.get(PRODUCTS, {"search": "YOG"})) == [
            "Greek Yogurt",
            "yogurt drink",
        ]
        assert names(device_client.get(PRODUCTS, {"barcode": "222"})) == ["yogurt drink"]
        assert names(device_client.get(PRODUCTS, {"ordering": "-name"})) == [
            "yogurt drink",
            "Greek Yogurt",
            "Bread",
        ]
        Product.objects.filter(name="Bread").update(name="Bread")  # touched last
        assert names(device_client.get(PRODUCTS, {"ordering": "-updated_at"}))[0] == "Bread"
        assert names(device_client.get(PRODUCTS, {"ordering": "updated_at"}))[-1] == "Bread"

    @pytest.mark.parametrize(
        ("params", "attr"),
        [({"ordering": "calories"}, "ordering"), ({"search": "x" * 201}, "search")],
    )
    def test_bad_filters_are_400(self, device_client, params, attr):
        response = device_client.get(PRODUCTS, params)
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"] == attr


@pytest.mark.django_db
class TestPagination:
    @pytest.fixture
    def five(self, device):
        return [ProductFactory(device=device, name=f"P{i}") for i in range(5)]

    def test_pages_and_link_header(self, device_client, five):
        first = device_client.get(PRODUCTS, {"limit": 2})
        assert names(first) == ["P0", "P1"]
        assert first["Link"] == f'<http://testserver{PRODUCTS}?limit=2&offset=2>; rel="next"'
        second = device_client.get(PRODUCTS, {"limit": 2, "offset": 2})
        assert names(second) == ["P2", "P3"]
        last = device_client.get(PRODUCTS, {"limit": 2, "offset": 4})
        assert names(last) == ["P4"]
        assert "Link" not in last

    def test_the_next_link_keeps_the_filters(self, device_client, five):
        response = device_client.get(PRODUCTS, {"limit": 1, "search": "p", "ordering": "-name"})
        assert names(response) == ["P4"]
        assert "search=p" in response["Link"]
        assert "ordering=-name" in response["Link"]

    def test_limit_above_the_maximum_is_capped(self, device_client, five):
        assert len(device_client.get(PRODUCTS, {"limit": 5000}).json()) == 5

    @pytest.mark.parametrize(("param", "value"), [("limit", 0), ("limit", "x"), ("offset", -1)])
    def test_bad_limit_or_offset_is_400(self, device_client, param, value):
        assert_error(
            device_client.get(PRODUCTS, {param: value}),
            400,
            "min_value" if value in (0, -1) else "invalid",
            param,
        )

    def test_no_count_query(self, device_client, five):
        with CaptureQueriesContext(connection) as queries:
            assert device_client.get(PRODUCTS, {"limit": 2}).status_code == 200
        assert not [q for q in queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 200])
def test_list_query_budget(device_client, device, count, django_assert_max_num_queries):
    for product in ProductFactory.create_batch(count, device=device):
        PortionFactory(product=product)
    device_client.get("/v1/devices/me")  # last_seen_at written; not part of the budget
    with django_assert_max_num_queries(3):
        response = device_client.get(PRODUCTS)
    assert len(response.json()) == count
    assert response.json()[0]["kcal_100g"] == "200.000"


@pytest.mark.django_db
class TestCreate:
    def test_creates_with_trimmed_name_and_barcode(self, device_client, device):
        response = device_client.post(
            PRODUCTS, {"name": "  Rye bread ", "barcode": " 4001 "}, format="json"
        )
        assert response.status_code == 201
        body = response.json()
        assert (body["name"], body["barcode"], body["kcal_100g"]) == ("Rye bread", "4001", None)
        stored = Product.objects.get(pk=body["id"])
        assert (stored.device_id, stored.name, stored.barcode) == (device.id, "Rye bread", "4001")
        assert not Portion.objects.filter(product=stored).exists()

    def test_kcal_100g_also_creates_the_default_portion(self, device_client):
        response = device_client.post(
            PRODUCTS,
            {
                "name": "Skyr",
                "kcal_100g": "63.5",
                "protein_100g": 11,
                "carbs_100g": 4,
                "fat_100g": 0.2,
            },
            format="json",
        )
        assert response.status_code == 201
        assert response.json()["kcal_100g"] == "63.500"
        portion = Portion.objects.get(product_id=response.json()["id"])
        assert (portion.label, portion.base_amount, portion.base_unit, portion.is_default) == (
            "100 g",
            Decimal(100),
            "g",
            True,
        )
        assert (portion.calories, portion.protein, portion.carbs, portion.fat) == (
            Decimal("63.5"),
            Decimal(11),
            Decimal(4),
            Decimal("0.2"),
        )

    @pytest.mark.parametrize(
        ("body", "code", "attr"),
        [
            ({}, "required", "name"),
            ({"name": "   "}, "blank", "name"),
            ({"name": "x" * 201}, "max_length", "name"),
            ({"name": "ok", "barcode": ""}, "blank", "barcode"),
            ({"name": "ok", "barcode": "1" * 65}, "max_length", "barcode"),
            ({"name": "ok", "kcal_100g": 901}, "max_value", "kcal_100g"),
            ({"name": "ok", "kcal_100g": -1}, "min_value", "kcal_100g"),
            ({"name": "ok", "kcal_100g": "lots"}, "invalid", "kcal_100g"),
            ({"name": "ok", "kcal_100g": 100, "protein_100g": 101}, "max_value", "protein_100g"),
            (
                {
                    "name": "ok",
                    "kcal_100g": 500,
                    "protein_100g": 50,
                    "carbs_100g": 40,
                    "fat_100g": 11,
                },
                "macros_exceed_amount",
                None,
            ),
            ({"name": "ok", "protein_100g": 5}, "required", "kcal_100g"),
            ({"name": "ok", "id": "not-a-uuid"}, "invalid", "id"),
        ],
    )
    def test_invalid_input_is_400_and_creates_nothing(self, device_client, body, code, attr):
        assert_error(device_client.post(PRODUCTS, body, format="json"), 400, code, attr)
        assert not Product.all_objects.exists()

    def test_a_body_cannot_set_server_fields(self, device_client, device, other_device):
        response = device_client.post(
            PRODUCTS,
            {
                "name": "Sneaky",
                "device_id": str(other_device.id),
                "device": str(other_device.id),
                "deleted_at": "2020-01-01T00:00:00Z",
                "created_at": "2020-01-01T00:00:00Z",
                "version": 999,
                "kcal_100g_computed": 1,
            },
            format="json",
        )
        assert response.status_code == 201
        stored = Product.objects.get(pk=response.json()["id"])
        assert stored.device_id == device.id
        assert stored.deleted_at is None
        assert stored.created_at.year > 2020
        assert stored.version == 1

    def test_not_json_list_body_is_400(self, device_client):
        assert_error(device_client.post(PRODUCTS, [1, 2], format="json"), 400, "invalid")


@pytest.mark.django_db
class TestBarcodeDedup:
    def test_a_live_product_with_the_barcode_is_returned_not_duplicated(
        self, device_client, device
    ):
        existing = ProductFactory(device=device, name="Cola", barcode="5449000000996")
        response = device_client.post(
            PRODUCTS,
            {"name": "Cola again", "barcode": "5449000000996", "kcal_100g": 42},
            format="json",
        )
        assert response.status_code == 200
        assert response.json()["id"] == str(existing.id)
        assert response.json()["name"] == "Cola"
        assert Product.objects.count() == 1
        assert not Portion.objects.exists()

    def test_deleted_or_foreign_products_do_not_count(self, device_client, device):
        ProductFactory(device=device, barcode="42").delete()
        ProductFactory(barcode="42")
        response = device_client.post(PRODUCTS, {"name": "Mine", "barcode": "42"}, format="json")
        assert response.status_code == 201
        assert Product.objects.filter(device=device, barcode="42").count() == 1
