"""Portions (docs/api.md §4): nested list/create, detail, the default rules, constraints, races."""

import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from products.models import Portion
from tests.assertions import assert_error, assert_not_found
from tests.concurrency import race
from tests.conftest import client_for
from tests.factories import DeviceFactory, PortionFactory, ProductFactory

BODY = {"label": "1 slice", "base_amount": 1, "base_unit": "pcs", "gram_weight": 30, "calories": 80}


def portions_url(product) -> str:
    return f"/v1/products/{product.id}/portions"


def defaults_of(product) -> list[str]:
    return list(
        Portion.objects.filter(product=product, is_default=True).values_list("label", flat=True)
    )


@pytest.fixture
def product(device):
    return ProductFactory(device=device)


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


@pytest.mark.django_db
class TestClientIdsAcrossProducts:
    def test_a_live_portion_id_posted_under_another_product_is_409_and_moves_nothing(
        self, device_client, device, product
    ):
        portion = PortionFactory(product=product, is_default=True)
        other = ProductFactory(device=device)
        response = device_client.post(
            portions_url(other), {**BODY, "id": str(portion.id)}, format="json"
        )
        assert_error(response, 409, "id_conflict")
        portion.refresh_from_db()
        assert (portion.product_id, portion.is_default, portion.label) == (
            product.id,
            True,
            "100 g",
        )

    def test_a_deleted_portion_id_posted_under_another_product_is_409(
        self, device_client, device, product
    ):
        portion = PortionFactory(product=product)
        portion.delete()
        other = ProductFactory(device=device)
        response = device_client.post(
            portions_url(other), {**BODY, "id": str(portion.id)}, format="json"
        )
        assert_error(response, 409, "id_conflict")
        assert Portion.all_objects.get(pk=portion.pk).product_id == product.id

    @pytest.mark.parametrize("held_by", ["their portion", "their product", "my product"])
    def test_another_devices_product_is_404_before_any_id_conflict(
        self, device_client, device, held_by
    ):
        """Ownership of the URL's product first (issue 20): the id is never even looked at.

        It was 409 ``id_conflict`` whenever the posted id was taken: under a product
        that is not the device's, the answer said something about other rows.
        """
        theirs = PortionFactory(product=ProductFactory(name="Theirs"))
        ids = {
            "their portion": theirs.pk,
            "their product": theirs.product_id,
            "my product": ProductFactory(device=device).pk,
        }
        response = device_client.post(
            portions_url(theirs.product), {**BODY, "id": str(ids[held_by])}, format="json"
        )
        assert_not_found(response)
        assert Portion.all_objects.filter(product=theirs.product).count() == 1

    def test_a_restore_keeps_only_the_posted_fields(self, device_client, product):
        portion = PortionFactory(
            product=product,
            base_unit="cup",
            base_amount=Decimal(1),
            gram_weight=Decimal(240),
            protein=Decimal(9),
            carbs=Decimal(9),
            fat=Decimal(9),
        )
        portion.delete()
        body = {
            "id": str(portion.id),
            "label": "new",
            "base_amount": 1,
            "base_unit": "pcs",
            "calories": 50,
        }
        response = device_client.post(portions_url(product), body, format="json")
        assert response.status_code == 201
        restored = response.json()
        assert (
            restored["gram_weight"],
            restored["protein"],
            restored["carbs"],
            restored["fat"],
        ) == (
            None,
            None,
            None,
            None,
        )
        assert (restored["label"], restored["base_unit"], restored["is_default"]) == (
            "new",
            "pcs",
            True,
        )


@pytest.mark.django_db
class TestDetail:
    @pytest.mark.parametrize("method", ["get", "patch", "delete"])
    def test_another_devices_portion_is_404_and_untouched(self, device_client, method):
        foreign = PortionFactory(label="theirs")
        response = getattr(device_client, method)(
            f"/v1/portions/{foreign.id}", {"label": "mine"}, format="json"
        )
        assert_not_found(response)
        foreign.refresh_from_db()
        assert (foreign.label, foreign.deleted_at) == ("theirs", None)

    def test_put_is_not_offered(self, device_client, product):
        portion = PortionFactory(product=product)
        response = device_client.put(f"/v1/portions/{portion.id}", BODY, format="json")
        assert_error(response, 405, "method_not_allowed")

    def test_get_and_patch(self, device_client, product):
        portion = PortionFactory(product=product)
        assert device_client.get(f"/v1/portions/{portion.id}").json()["label"] == "100 g"
        response = device_client.patch(
            f"/v1/portions/{portion.id}", {"calories": "150.5", "label": "100g"}, format="json"
        )
        assert response.status_code == 200
        assert (response.json()["calories"], response.json()["label"]) == ("150.500", "100g")
        portion.refresh_from_db()
        assert portion.calories == Decimal("150.5")

    def test_patch_checks_macros_against_the_stored_amount(self, device_client, product):
        portion = PortionFactory(
            product=product,
            base_amount=Decimal(10),
            calories=Decimal(30),
            protein=Decimal(1),
            carbs=Decimal(1),
            fat=Decimal(1),
        )
        response = device_client.patch(f"/v1/portions/{portion.id}", {"carbs": 20}, format="json")
        assert_error(response, 400, "macros_exceed_amount", "carbs")  # 20 g alone exceeds 10 g

    def test_unsetting_the_default_is_409(self, device_client, product):
        default = PortionFactory(product=product, is_default=True)
        PortionFactory(product=product, is_default=False, label="other")
        response = device_client.patch(
            f"/v1/portions/{default.id}", {"is_default": False}, format="json"
        )
        assert_error(response, 409, "default_required")
        assert defaults_of(product) == ["100 g"]

    def test_setting_the_default_clears_the_others(self, device_client, product):
        PortionFactory(product=product, is_default=True)
        other = PortionFactory(product=product, is_default=False, label="other")
        response = device_client.patch(
            f"/v1/portions/{other.id}", {"is_default": True}, format="json"
        )
        assert response.json()["is_default"] is True
        assert defaults_of(product) == ["other"]

    def test_deleting_the_default_promotes_the_oldest_remaining(self, device_client, product):
        default = PortionFactory(product=product, is_default=True, label="default")
        PortionFactory(product=product, is_default=False, label="older")
        PortionFactory(product=product, is_default=False, label="newer")
        assert device_client.delete(f"/v1/portions/{default.id}").status_code == 204
        assert defaults_of(product) == ["older"]
        assert Portion.all_objects.get(pk=default.pk).deleted_at is not None

    def test_changing_the_default_sends_the_product_again_in_sync(self, device_client, product):
        default = PortionFactory(product=product)
        cursor = device_client.get("/v1/sync/since").json()["cursor"]
        device_client.patch(f"/v1/portions/{default.id}", {"calories": 300}, format="json")
        page = device_client.get("/v1/sync/since", {"cursor": cursor}).json()
        assert [p["kcal_100g"] for p in page["products"]] == ["300.000"]
        cursor = page["cursor"]
        device_client.delete(f"/v1/portions/{default.id}")
        page = device_client.get("/v1/sync/since", {"cursor": cursor}).json()
        assert [p["kcal_100g"] for p in page["products"]] == [None]

    def test_deleting_the_last_portion_leaves_none(self, device_client, product):
        only = PortionFactory(product=product)
        assert device_client.delete(f"/v1/portions/{only.id}").status_code == 204
        assert device_client.get(portions_url(product)).json() == []
        assert device_client.get(f"/v1/products/{product.id}").json()["kcal_100g"] is None

    def test_deleting_another_portion_keeps_the_default(self, device_client, product):
        PortionFactory(product=product, is_default=True)
        other = PortionFactory(product=product, is_default=False, label="other")
        device_client.delete(f"/v1/portions/{other.id}")
        assert defaults_of(product) == ["100 g"]


@pytest.mark.django_db
class TestDatabaseConstraints:
    """The rules hold in the database too, whatever writes the rows."""

    @pytest.mark.parametrize(
        "values",
        [
            {"base_amount": Decimal(0)},
            {"calories": Decimal(-1)},
            {"protein": Decimal(-1)},
            {"carbs": Decimal(-1)},
            {"fat": Decimal(-1)},
            {"gram_weight": Decimal(0)},
        ],
    )
    def test_check_constraints(self, values):
        with pytest.raises(IntegrityError), transaction.atomic():
            PortionFactory(**values)

    def test_one_live_default_per_product(self, product):
        PortionFactory(product=product, is_default=True)
        with pytest.raises(IntegrityError), transaction.atomic():
            PortionFactory(product=product, is_default=True, label="second")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_making_different_portions_default_leave_exactly_one():
    device = DeviceFactory()
    product = ProductFactory(device=device)
    PortionFactory(product=product, is_default=True, label="start")
    contenders = [
        PortionFactory(product=product, is_default=False, label=f"p{i}") for i in range(4)
    ]

    def make_default(portion):
        return lambda: client_for(device).patch(
            f"/v1/portions/{portion.id}", {"is_default": True}, format="json"
        )

    responses = race(*[make_default(p) for p in contenders])

    assert [r.status_code for r in responses] == [200] * len(contenders)
    assert len(defaults_of(product)) == 1
    assert defaults_of(product)[0] in {p.label for p in contenders}


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["base_amount", "calories", "protein", "gram_weight"])
def test_portion_values_have_an_upper_bound(device_client, product, field):
    response = device_client.post(portions_url(product), {**BODY, field: 1_000_001}, format="json")
    assert_error(response, 400, "max_value", field)
