"""GET /v1/sync/since (docs/api.md §9): full and incremental sync, paging, tombstones, races."""

import base64
import threading
import uuid
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from countonme.sync.changes import Cursor, Position, decode_cursor, device_life, encode_cursor
from devices.models import Device
from entries.models import FoodEntry
from products.models import Product
from tests.assertions import assert_error
from tests.conftest import client_for
from tests.factories import (
    BodyWeightFactory,
    DeviceFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
    ProductFactory,
)

SYNC = "/v1/sync/since"
KINDS = ("body_weights", "food_entries", "goals", "portions", "products")


def sync(client, cursor: str | None = None, limit: int | None = None) -> dict:
    params = {}
    if cursor is not None:
        params["cursor"] = cursor
    if limit is not None:
        params["limit"] = limit
    response = client.get(SYNC, params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def client_for_token(token: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def legacy_cursor(position: Position) -> str:
    """A cursor as this server issued it before cursors carried the device's life (v1)."""
    raw = f"v1:{position.version}:{position.kind}:{position.id.hex}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def ids(page: dict) -> set[tuple[str, str]]:
    return {(kind, row["id"]) for kind in KINDS for row in page[kind]}


def sync_all(
    client, cursor: str | None = None, limit: int = 1000
) -> tuple[list[tuple[str, str]], str]:
    """Page until has_more is false; every (kind, id) seen, in order, and the last cursor."""
    seen: list[tuple[str, str]] = []
    for _ in range(10_000):
        page = sync(client, cursor, limit)
        seen += sorted(ids(page))
        cursor = page["cursor"]
        if not page["has_more"]:
            return seen, cursor
    raise AssertionError("sync never finished")


@pytest.fixture
def everything(device):
    """One live row of every kind, and a tombstone."""
    portion = PortionFactory(product=ProductFactory(device=device, name="Oats"))
    entry = FoodEntryFactory(portion=portion)
    weight = BodyWeightFactory(device=device)
    goal = GoalFactory(device=device)
    gone = ProductFactory(device=device, name="Gone")
    gone.delete()
    return {"portion": portion, "entry": entry, "weight": weight, "goal": goal, "gone": gone}


@pytest.mark.django_db
class TestFullSync:
    def test_an_empty_device(self, device_client):
        page = sync(device_client)
        assert page == {
            "cursor": page["cursor"],
            "has_more": False,
            "reset": False,
            **{kind: [] for kind in KINDS},
        }
        again = sync(device_client, page["cursor"])
        assert again["cursor"] == page["cursor"]

    def test_everything_with_full_response_fields_and_tombstones(self, device_client, everything):
        page = sync(device_client)
        assert page["has_more"] is False
        entry_id = everything["entry"].id
        assert page["food_entries"] == [
            {**device_client.get(f"/v1/food-entries/{entry_id}").json(), "deleted_at": None}
        ]
        goal_id = everything["goal"].id
        assert page["goals"] == [
            {**device_client.get(f"/v1/goals/{goal_id}").json(), "deleted_at": None}
        ]
        weight_id = everything["weight"].id
        assert page["body_weights"] == [
            {**device_client.get(f"/v1/body-weights/{weight_id}").json(), "deleted_at": None}
        ]
        portion_id = everything["portion"].id
        assert page["portions"] == [
            {**device_client.get(f"/v1/portions/{portion_id}").json(), "deleted_at": None}
        ]
        products = {p["name"]: p for p in page["products"]}
        assert products["Oats"]["kcal_100g"] == "200.000"
        assert products["Oats"]["deleted_at"] is None
        tombstone = products["Gone"]
        assert tombstone["deleted_at"] is not None
        assert set(tombstone) == {
            "id",
            "name",
            "barcode",
            "kcal_100g",
            "created_at",
            "updated_at",
            "deleted_at",
        }

    def test_rows_of_other_devices_never_appear(self, device_client, everything):
        other = DeviceFactory()
        PortionFactory(product=ProductFactory(device=other))
        BodyWeightFactory(device=other)
        GoalFactory(device=other)
        seen, _ = sync_all(device_client)
        mine = {str(everything[k].id) for k in ("portion", "entry", "weight", "goal", "gone")}
        mine.add(str(everything["portion"].product_id))
        assert {row_id for _, row_id in seen} == mine


@pytest.mark.django_db
class TestIncrementalSync:
    def test_create_update_delete_restore_each_show_up_once(self, device_client, device):
        _, cursor = sync_all(device_client)

        product = ProductFactory(device=device, name="New")
        page = sync(device_client, cursor)
        assert [p["name"] for p in page["products"]] == ["New"]
        cursor = page["cursor"]
        assert ids(sync(device_client, cursor)) == set()

        device_client.patch(f"/v1/products/{product.id}", {"name": "Renamed"}, format="json")
        page = sync(device_client, cursor)
        assert [(p["name"], p["deleted_at"]) for p in page["products"]] == [("Renamed", None)]
        cursor = page["cursor"]

        device_client.delete(f"/v1/products/{product.id}")
        page = sync(device_client, cursor)
        assert [p["id"] for p in page["products"]] == [str(product.id)]
        assert page["products"][0]["deleted_at"] is not None
        cursor = page["cursor"]

        response = device_client.post(
            "/v1/products", {"id": str(product.id), "name": "Back"}, format="json"
        )
        assert response.status_code == 201
        page = sync(device_client, cursor)
        assert [(p["name"], p["deleted_at"]) for p in page["products"]] == [("Back", None)]

    def test_an_unchanged_device_gets_an_empty_page_with_the_same_cursor(
        self, device_client, everything
    ):
        _, cursor = sync_all(device_client)
        page = sync(device_client, cursor)
        assert ids(page) == set()
        assert page["cursor"] == cursor
        assert page["has_more"] is False


@pytest.mark.django_db
class TestPaging:
    def test_a_small_limit_returns_every_row_of_mixed_kinds_exactly_once(
        self, device_client, device
    ):
        expected = set()
        for index in range(7):
            portion = PortionFactory(product=ProductFactory(device=device))
            entry = FoodEntryFactory(portion=portion)
            weight = BodyWeightFactory(device=device, day=date(2026, 1, 1) + timedelta(days=index))
            expected |= {
                ("products", str(portion.product_id)),
                ("portions", str(portion.id)),
                ("food_entries", str(entry.id)),
                ("body_weights", str(weight.id)),
            }
        goal = GoalFactory(device=device)
        expected.add(("goals", str(goal.id)))

        seen, _ = sync_all(device_client, limit=3)

        assert len(seen) == len(expected) == 29
        assert set(seen) == expected

    def test_rows_stamped_with_one_version_by_a_bulk_write_page_without_loss(
        self, device_client, device
    ):
        portion = PortionFactory(product=ProductFactory(device=device))
        FoodEntry.objects.bulk_create(FoodEntryFactory.build_batch(50, portion=portion))
        _, cursor = sync_all(device_client)

        assert device_client.delete("/v1/data/reset").status_code == 204
        versions = {
            *FoodEntry.all_objects.filter(device=device).values_list("version", flat=True),
            *Product.all_objects.filter(device=device).values_list("version", flat=True),
        }
        assert len(versions) == 1  # one version for the 52 tombstones of three kinds

        seen, _ = sync_all(device_client, cursor, limit=7)
        assert len(seen) == 52
        assert [kind for kind, _ in seen].count("food_entries") == 50
        assert {kind for kind, _ in seen} == {"food_entries", "portions", "products"}
        assert len(set(seen)) == 52

    def test_has_more_and_the_limit_of_all_kinds_together(self, device_client, device):
        for _ in range(3):
            PortionFactory(product=ProductFactory(device=device))
        first = sync(device_client, limit=4)
        assert sum(len(first[kind]) for kind in KINDS) == 4
        assert first["has_more"] is True
        second = sync(device_client, first["cursor"], limit=4)
        assert sum(len(second[kind]) for kind in KINDS) == 2
        assert second["has_more"] is False

    @pytest.mark.parametrize("limit", [5, 1000])
    def test_a_page_costs_a_constant_number_of_queries(
        self, device_client, device, limit, django_assert_max_num_queries
    ):
        for index in range(40):
            portion = PortionFactory(product=ProductFactory(device=device))
            FoodEntryFactory.create_batch(3, portion=portion)
            BodyWeightFactory(device=device, day=date(2025, 1, 1) + timedelta(days=index))
        GoalFactory(device=device)
        device_client.get("/v1/devices/me")
        with django_assert_max_num_queries(7):
            page = sync(device_client, limit=limit)
        # 40 products, 40 portions, 120 entries, 40 weights and a goal.
        assert sum(len(page[kind]) for kind in KINDS) == min(limit, 241)


@pytest.mark.django_db
class TestCursor:
    @pytest.mark.parametrize(
        "cursor",
        [
            "garbage",
            "djE6",
            "djI6",
            encode_cursor(Position(1), life=5).replace("djI", "djM"),  # v3: not ours
            legacy_cursor(Position(1)).replace("djE", "djI"),  # v2 without a life
            legacy_cursor(Position(-1)),
            "x" * 201,
            "%%%%",
        ],
    )
    def test_an_unparsable_cursor_is_400(self, device_client, cursor):
        assert_error(
            device_client.get(SYNC, {"cursor": cursor}),
            400,
            "invalid" if len(cursor) <= 200 else "max_length",
            "cursor",
        )

    @pytest.mark.parametrize(("limit", "code"), [(0, "min_value"), ("many", "invalid")])
    def test_a_bad_limit_is_400(self, device_client, limit, code):
        assert_error(device_client.get(SYNC, {"limit": limit}), 400, code, "limit")

    def test_a_limit_above_1000_is_capped(self, device_client, device):
        Product.objects.bulk_create(ProductFactory.build_batch(1005, device=device))
        page = sync(device_client, limit=5000)
        assert len(page["products"]) == 1000
        assert page["has_more"] is True

    def test_the_cursor_round_trips(self):
        position = Position(42, "portions", uuid.uuid4())
        assert decode_cursor(encode_cursor(position, life=1234567)) == Cursor(position, 1234567)

    def test_the_cursor_carries_the_life_of_the_device(self, device_client, device):
        cursor = decode_cursor(sync(device_client)["cursor"])
        assert cursor.life == device_life(device)
        assert cursor.life == int(device.created_at.timestamp()) * 10**6 + (
            device.created_at.microsecond
        )

    def test_an_empty_cursor_is_a_full_sync(self, device_client, everything):
        assert ids(sync(device_client, "")) == ids(sync(device_client))


@pytest.mark.django_db
def test_a_cursor_older_than_purged_tombstones_restarts_with_reset(
    device_client, device, everything
):
    _, cursor = sync_all(device_client)
    product = ProductFactory(device=device, name="Later")
    product.delete()
    # purge_deleted erased that tombstone before the client saw it:
    Product.all_objects.filter(pk=product.pk).hard_delete()
    Device.objects.filter(pk=device.pk).update(purged_version=Product.all_objects.count() + 100)

    page = sync(device_client, cursor)

    assert page["reset"] is True
    assert ("products", str(everything["portion"].product_id)) in ids(page)


@pytest.mark.django_db
class TestCursorsTheServerCannotVouchFor:
    """Each answers reset: true from the start, never an empty page with the same cursor."""

    def test_a_cursor_from_before_an_erasure_of_the_same_device_id(self, api_client):
        device_id = uuid.uuid4()
        first = api_client.post(
            "/v1/devices/register", {"device_id": str(device_id)}, format="json"
        )
        old_client = client_for_token(first.json()["device_token"])
        ProductFactory.create_batch(3, device_id=device_id)
        _, old_cursor = sync_all(old_client)
        assert old_client.delete("/v1/devices/me").status_code == 204

        again = api_client.post(
            "/v1/devices/register", {"device_id": str(device_id)}, format="json"
        )
        assert again.status_code == 201
        new_client = client_for_token(again.json()["device_token"])
        product = ProductFactory(device_id=device_id, name="After the erasure")

        page = sync(new_client, old_cursor)

        assert page["reset"] is True
        assert ids(page) == {("products", str(product.pk))}
        assert page["cursor"] != old_cursor
        # From the new cursor on, incremental sync goes on normally.
        follow_up = sync(new_client, page["cursor"])
        assert follow_up["reset"] is False
        assert ids(follow_up) == set()

    def test_a_cursor_ahead_of_the_devices_counter(self, device_client, device, everything):
        _, cursor = sync_all(device_client)
        # A backup restored from before the client's last sync: the counter went back.
        Device.objects.filter(pk=device.pk).update(last_version=1)

        page = sync(device_client, cursor)

        assert page["reset"] is True
        assert ids(page)  # rows with version <= 1 come back from the start
        assert decode_cursor(page["cursor"]).position.version <= 1

    def test_a_cursor_of_another_device(self, device_client, other_client, everything):
        ProductFactory(device=other_client.device)
        _, theirs = sync_all(other_client)

        page = sync(device_client, theirs)

        assert page["reset"] is True
        assert ("products", str(everything["portion"].product_id)) in ids(page)

    def test_a_legacy_cursor_is_read_and_answered_with_a_reset(
        self, device_client, device, everything
    ):
        _, cursor = sync_all(device_client)
        legacy = legacy_cursor(decode_cursor(cursor).position)

        page = sync(device_client, legacy)

        assert page["reset"] is True
        assert ids(page) == ids(sync(device_client))
        assert decode_cursor(page["cursor"]).life == device_life(device)

    def test_the_devices_own_current_cursor_is_no_reset(self, device_client, everything):
        _, cursor = sync_all(device_client)
        page = sync(device_client, cursor)
        assert page["reset"] is False
        assert page["cursor"] == cursor
        assert ids(page) == set()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sync_during_an_open_write_never_passes_the_row_that_commits_later():
    """A writer holds its transaction open after stamping a row; the reader syncs meanwhile.

    The reader must not see the row yet, and the cursor it gets must still
    deliver it once the writer commits.
    """
    device = DeviceFactory()
    reader = client_for(device)
    ProductFactory(device=device, name="Before")
    _, cursor = sync_all(reader)  # also records last_seen_at, so reads below do not write
    written, release = threading.Event(), threading.Event()
    late_id = uuid.uuid4()

    def writer() -> None:
        try:
            with transaction.atomic():
                Product(id=late_id, device=device, name="Late").save()
                written.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert written.wait(timeout=30)
        during = sync(reader, cursor)
        assert str(late_id) not in {row["id"] for row in during["products"]}
    finally:
        release.set()
        thread.join()

    after = sync(reader, during["cursor"])
    assert [row["id"] for row in after["products"]] == [str(late_id)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_and_a_reader_lose_nothing():
    """Writers create rows while a reader pages with a tiny limit: every row arrives once."""
    device = DeviceFactory()
    client = client_for(device)
    client.get("/v1/devices/me")
    created: list[str] = []
    lock = threading.Lock()

    def write(count: int) -> None:
        writer = client_for(device)
        try:
            for index in range(count):
                response = writer.post("/v1/products", {"name": f"p{index}"}, format="json")
                assert response.status_code == 201
                with lock:
                    created.append(response.json()["id"])
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(15,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    seen: list[str] = []
    cursor = None
    while any(thread.is_alive() for thread in threads):
        page = sync(client, cursor, limit=2)
        seen += [row["id"] for row in page["products"]]
        cursor = page["cursor"]
    for thread in threads:
        thread.join()
    rest, _ = sync_all(client, cursor, limit=2)
    seen += [row_id for _, row_id in rest]

    assert sorted(seen) == sorted(created)
    assert len(created) == 45


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_writes_committed_between_the_readers_queries_are_not_skipped():
    """Commits land between the reader's per-kind queries: nothing may fall through.

    The reader queries body weights before products. Right after its body-weight
    query, a body weight (version v) and then a product (v + 1) commit. A reader
    that trusted each query on its own would return the product, move its cursor
    to v + 1 and never deliver the body weight.
    """
    device = DeviceFactory()
    client = client_for(device)
    ProductFactory(device=device, name="Before")
    _, cursor = sync_all(client)
    written: dict[str, str] = {}
    interleaved = False

    def write_weight_then_product() -> None:
        try:
            written["body_weights"] = str(BodyWeightFactory(device=device).id)
            written["products"] = str(ProductFactory(device=device, name="After").id)
        finally:
            connection.close()

    def commit_in_between(execute, sql, params, many, context):
        nonlocal interleaved
        result = execute(sql, params, many, context)
        if not interleaved and 'FROM "entries_bodyweight"' in sql:
            interleaved = True
            thread = threading.Thread(target=write_weight_then_product)
            thread.start()
            thread.join()
        return result

    with connection.execute_wrapper(commit_in_between):
        page = sync(client, cursor)
    rest, _ = sync_all(client, page["cursor"])

    assert interleaved
    delivered = sorted(ids(page)) + rest
    assert sorted(delivered) == sorted(written.items())
