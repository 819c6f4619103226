"""Portions (docs/api.md §4): the nested list, create, weights."""

import uuid
from decimal import Decimal

import pytest

from products.models import Portion
from tests.assertions import assert_error, assert_not_found
from tests.factories import PortionFactory
from tests.portion_bodies import BODY, defaults_of, portions_url


@pytest.mark.django_db
class TestNestedList:
    def test_live_portions_default_first_then_label(self, device_client, product):
        PortionFactory(product=product, label="b cup", is_default=False)
        PortionFactory(product=product, label="z default", is_default=True)
        PortionFactory(product=product, label="a slice", is_default=False)
        PortionFactory(product=product, label="gone", is_default=False).delete()

        response = device_client.get(portions_url(product))

        assert response.status_code == 200
        assert [p["label"] for p in response.json()] == ["z default", "a slice", "b cup"]
        assert response.json()[0]["product_id"] == str(product.id)

    def test_portion_shape(self, device_client, product):
        portion = PortionFactory(product=product, gram_weight=Decimal("100"))
        assert device_client.get(portions_url(product)).json() == [
            {
                "id": str(portion.id),
                "product_id": str(product.id),
                "label": "100 g",
                "base_amount": "100.000",
                "base_unit": "g",
                "gram_weight": "100.000",
                "calories": "200.000",
                "protein": "10.000",
                "carbs": "20.000",
                "fat": "5.000",
                "is_default": True,
                "created_at": portion.created_at.isoformat().replace("+00:00", "Z"),
                "updated_at": portion.updated_at.isoformat().replace("+00:00", "Z"),
            }
        ]

    def test_another_devices_product_is_404(self, device_client):
        foreign = PortionFactory().product
        assert_not_found(device_client.get(portions_url(foreign)))
        assert_not_found(device_client.post(portions_url(foreign), BODY, format="json"))
        assert Portion.objects.filter(product=foreign).count() == 1

    def test_deleted_or_unknown_product_is_404(self, device_client, product):
        product.delete()
        assert_not_found(device_client.get(portions_url(product)))
        assert_not_found(device_client.get(f"/v1/products/{uuid.uuid4()}/portions"))

    @pytest.mark.parametrize("count", [1, 50])
    def test_query_budget(self, device_client, product, count, django_assert_max_num_queries):
        PortionFactory(product=product)
        PortionFactory.create_batch(count - 1, product=product, is_default=False)
        device_client.get("/v1/devices/me")
        with django_assert_max_num_queries(3):
            assert len(device_client.get(portions_url(product)).json()) == count


@pytest.mark.django_db
class TestCreate:
    def test_the_first_portion_becomes_the_default_whatever_is_asked(self, device_client, product):
        response = device_client.post(
            portions_url(product), {**BODY, "is_default": False}, format="json"
        )
        assert response.status_code == 201
        body = response.json()
        assert body["is_default"] is True
        assert (body["label"], body["base_unit"], body["gram_weight"]) == (
            "1 slice",
            "pcs",
            "30.000",
        )
        assert defaults_of(product) == ["1 slice"]

    def test_later_portions_are_not_default_unless_asked(self, device_client, product):
        PortionFactory(product=product, label="first")
        response = device_client.post(portions_url(product), BODY, format="json")
        assert response.json()["is_default"] is False
        assert defaults_of(product) == ["first"]

    def test_is_default_true_moves_the_default(self, device_client, product):
        PortionFactory(product=product, label="first")
        response = device_client.post(
            portions_url(product), {**BODY, "is_default": True}, format="json"
        )
        assert response.json()["is_default"] is True
        assert defaults_of(product) == ["1 slice"]

    @pytest.mark.parametrize(
        ("change", "code", "attr"),
        [
            ({"label": ""}, "blank", "label"),
            ({"label": "x" * 201}, "max_length", "label"),
            ({"base_amount": 0}, "min_value", "base_amount"),
            ({"base_unit": "oz"}, "invalid_choice", "base_unit"),
            ({"calories": -1}, "min_value", "calories"),
            ({"protein": -0.5}, "min_value", "protein"),
            ({"gram_weight": 0}, "min_value", "gram_weight"),
            ({"calories": None}, "null", "calories"),
            (
                {
                    "base_amount": 100,
                    "base_unit": "g",
                    "gram_weight": None,
                    "protein": 60,
                    "carbs": 30,
                    "fat": 11,
                },
                "macros_exceed_amount",
                None,
            ),
            (
                {
                    "base_amount": "0.1",
                    "base_unit": "kg",
                    "gram_weight": None,
                    "protein": 60,
                    "carbs": 30,
                    "fat": 11,
                },
                "macros_exceed_amount",
                None,
            ),
        ],
    )
    def test_invalid_portions_are_400(self, device_client, product, change, code, attr):
        response = device_client.post(portions_url(product), {**BODY, **change}, format="json")
        assert_error(response, 400, code, attr)
        assert not Portion.all_objects.exists()

    def test_macros_are_not_limited_for_pieces_of_unknown_weight(self, device_client, product):
        body = {**BODY, "gram_weight": None, "calories": 1000, "protein": 60, "carbs": 60}
        body["fat"] = 60
        assert device_client.post(portions_url(product), body, format="json").status_code == 201

    def test_a_piece_has_at_least_the_energy_of_its_fat_and_protein(self, device_client, product):
        # 60 g of fat and 60 of protein give at least 0.8 × (60 × 8.37 + 60 × 2.44) − 5 kcal.
        body = {**BODY, "gram_weight": None, "calories": 80, "protein": 60, "fat": 60}
        response = device_client.post(portions_url(product), body, format="json")
        error = assert_error(response, 400, "energy_below_macros", "calories")
        assert "at least 514 kcal" in error["errors"][0]["detail"]
        assert not Portion.all_objects.exists()

    def test_macros_of_a_weighed_cup_are_limited_by_its_weight(self, device_client, product):
        # A cup weighing 30 g holds 30 g of nutrients at most (products.limits).
        body = {**BODY, "base_unit": "cup", "base_amount": 1, "protein": 20, "carbs": 20}
        assert_error(
            device_client.post(portions_url(product), body, format="json"),
            400,
            "macros_exceed_amount",
        )
        assert not Portion.all_objects.exists()

    def test_replay_restore_and_conflicts(self, device_client, product):
        portion_id = str(uuid.uuid4())
        first = device_client.post(portions_url(product), {**BODY, "id": portion_id}, format="json")
        replay = device_client.post(
            portions_url(product), {**BODY, "id": portion_id, "label": "changed"}, format="json"
        )
        assert (first.status_code, replay.status_code) == (201, 200)
        assert replay.json() == first.json()

        Portion.objects.get(pk=portion_id).delete()
        restored = device_client.post(
            portions_url(product), {**BODY, "id": portion_id, "label": "again"}, format="json"
        )
        assert restored.status_code == 201
        assert restored.json()["label"] == "again"
        assert restored.json()["is_default"] is True  # the product's only live portion again

        assert_error(
            device_client.post(
                portions_url(product), {**BODY, "id": str(product.id)}, format="json"
            ),
            409,
            "id_conflict",
        )
        foreign = PortionFactory()
        assert_error(
            device_client.post(
                portions_url(product), {**BODY, "id": str(foreign.id)}, format="json"
            ),
            409,
            "id_conflict",
        )


@pytest.mark.django_db
class TestWeights:
    """A mass portion carries its mass as gram_weight; a volume's weight is a density."""

    @pytest.mark.parametrize(
        ("amount", "unit", "gram_weight"),
        [(100, "g", "100.000"), ("0.25", "kg", "250.000"), (500, "mg", "0.500")],
    )
    def test_a_mass_portion_gets_its_mass(self, device_client, product, amount, unit, gram_weight):
        body = {**BODY, "base_amount": amount, "base_unit": unit, "gram_weight": None}
        body["calories"] = 1  # within 9 kcal per gram, however light
        response = device_client.post(portions_url(product), body, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["gram_weight"] == gram_weight
        assert Portion.objects.get().gram_weight == Decimal(gram_weight)

    @pytest.mark.parametrize(("amount", "weight"), [("1.5", "0.0015"), ("2.25", "0.00225")])
    def test_a_milligram_portion_whose_weight_has_no_3_place_form_is_400(
        self, device_client, product, amount, weight
    ):
        # 1.5 mg was stored with gram_weight 0.002 (half up): the app divides by
        # gram_weight, so its per-100 g figures came out a quarter too low.
        body = {**BODY, "base_amount": amount, "base_unit": "mg", "gram_weight": None}
        body["calories"] = "0.004"
        response = device_client.post(portions_url(product), body, format="json")
        body = assert_error(response, 400, "max_decimal_places", "base_amount")
        assert body["errors"][0]["detail"] == (
            f"{amount} mg is {weight} g; a portion measured by mass weighs a whole number "
            "of milligrams (gram_weight has 3 decimal places)."
        )
        assert not Portion.objects.exists()

    @pytest.mark.parametrize("amount", ["0.4", "0.5"])
    def test_a_milligram_portion_too_light_names_its_amount(self, device_client, product, amount):
        # 0.5 mg was stored with gram_weight 0.001, twice its weight.
        body = {**BODY, "base_amount": amount, "base_unit": "mg", "gram_weight": None}
        body["calories"] = 0
        response = device_client.post(portions_url(product), body, format="json")
        assert_error(response, 400, "min_value", "base_amount")
        assert not Portion.objects.exists()

    def test_a_patch_to_a_milligram_and_a_half_changes_nothing(self, device_client, product):
        portion = PortionFactory(product=product, calories=Decimal(100))
        response = device_client.patch(
            f"/v1/portions/{portion.id}",
            {"base_amount": "1.5", "base_unit": "mg", "calories": 0},
            format="json",
        )
        assert_error(response, 400, "max_decimal_places", "base_amount")
        portion.refresh_from_db()
        assert (portion.base_amount, portion.base_unit, portion.gram_weight) == (100, "g", 100)

    def test_a_mass_portion_may_state_its_mass_but_no_other(self, device_client, product):
        body = {**BODY, "base_amount": 100, "base_unit": "g", "gram_weight": "100.0"}
        assert device_client.post(portions_url(product), body, format="json").status_code == 201
        body = {**BODY, "label": "x", "base_amount": 100, "base_unit": "g", "gram_weight": 30}
        response = device_client.post(portions_url(product), body, format="json")
        assert_error(response, 400, "gram_weight_mismatch", "gram_weight")
        assert Portion.objects.count() == 1

    def test_a_volume_weighs_a_plausible_density(self, device_client, product):
        body = {**BODY, "base_amount": 1, "base_unit": "ml", "gram_weight": 1000}
        response = device_client.post(portions_url(product), body, format="json")
        assert_error(response, 400, "implausible_density", "gram_weight")
        popcorn = {**BODY, "base_amount": 1, "base_unit": "cup", "gram_weight": 8, "calories": 31}
        assert device_client.post(portions_url(product), popcorn, format="json").status_code == 201

    def test_patching_the_amount_of_a_mass_portion_weighs_it_again(self, device_client, product):
        portion = PortionFactory(product=product, calories=Decimal(100))
        response = device_client.patch(
            f"/v1/portions/{portion.id}", {"base_amount": 250}, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["gram_weight"] == "250.000"

    def test_a_portion_no_longer_measured_by_mass_loses_the_weight_of_its_mass(
        self, device_client, product
    ):
        portion = PortionFactory(product=product, calories=Decimal(100))
        response = device_client.patch(
            f"/v1/portions/{portion.id}", {"base_amount": 1, "base_unit": "pcs"}, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["gram_weight"] is None  # 100 g was its mass, not a piece's
        response = device_client.patch(
            f"/v1/portions/{portion.id}", {"gram_weight": 60}, format="json"
        )
        assert response.json()["gram_weight"] == "60.000"

    def test_a_patch_past_the_limits_names_the_field_and_changes_nothing(
        self, device_client, product
    ):
        portion = PortionFactory(product=product, calories=Decimal(100))
        response = device_client.patch(
            f"/v1/portions/{portion.id}", {"base_amount": 10}, format="json"
        )
        # 100 kcal in 10 g is 1000 kcal per 100 g: more than pure fat.
        assert_error(response, 400, "energy_above_limit", "calories")
        portion.refresh_from_db()
        assert portion.base_amount == Decimal(100)
