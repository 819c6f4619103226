"""Portions (docs/api.md §4): ids across products, detail, the default rules, constraints, races."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from products.models import Portion
from tests.assertions import assert_error, assert_not_found
from tests.concurrency import race
from tests.conftest import client_for
from tests.factories import DeviceFactory, PortionFactory, ProductFactory
from tests.portion_bodies import BODY, defaults_of, portions_url


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
