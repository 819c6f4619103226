"""GET /v1/sync/since (docs/api.md §9): cursors, purged tombstones, races with writers."""

import threading
import uuid

import pytest
from django.db import connection, transaction

from countonme.sync.changes import Cursor, Position, decode_cursor, device_life, encode_cursor
from devices.models import Device
from products.models import Product
from tests.assertions import assert_error
from tests.conftest import client_for
from tests.factories import (
    BodyWeightFactory,
    DeviceFactory,
    ProductFactory,
)
from tests.sync.calls import (
    SYNC,
    client_for_token,
    ids,
    legacy_cursor,
    sync,
    sync_all,
)


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
