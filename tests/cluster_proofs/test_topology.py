"""The topology and the contract through it: balance, throttle, races, sync cursor."""

import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from tests.cluster import call
from tests.cluster_proofs.bodies import a_product, entry_body, product_body

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_the_proxy_balances_both_replicas_over_pgbouncer_in_transaction_mode(cluster):
    for name in ("pgbouncer", "web-1", "web-2", "worker", "beat", "proxy"):
        assert cluster.pid(name), name
    assert call(f"{cluster.url}/health/ready").status == 200
    token = cluster.register()
    request_ids = [call(f"{cluster.url}/v1/devices/me", token=token) for _ in range(8)]
    assert {answer.status for answer in request_ids} == {200}
    # Each replica logs the request ids nginx gave the requests it served.
    ids = [answer.headers["x-request-id"] for answer in request_ids]
    served = [sum(i in cluster.log(f"web-{n}") for i in ids) for n in (1, 2)]
    assert sum(served) == 8
    assert min(served) >= 2, served  # round robin: both take their share

    with psycopg.connect(
        host="127.0.0.1",
        port=cluster.pgbouncer_port,
        user="postgres",
        dbname="pgbouncer",
        autocommit=True,
        prepare_threshold=None,
    ) as console:
        pools = console.execute("SHOW POOLS").fetchall()
        columns = [column.name for column in console.execute("SHOW POOLS").description]
    modes = {row[columns.index("database")]: row[columns.index("pool_mode")] for row in pools}
    assert modes[cluster.database] == "transaction"


def test_the_contract_end_to_end_through_the_proxy(cluster):
    """The app's calls, in the order a phone makes them, each answered as the contract says."""
    base = cluster.url
    device_id = str(uuid.uuid4())
    registered = call(f"{base}/v1/devices/register", "POST", {"device_id": device_id})
    assert registered.status == 201
    token = registered.body["device_token"]
    assert token.startswith(f"{device_id}.")
    assert call(f"{base}/v1/devices/me").status == 401
    me = call(f"{base}/v1/devices/me", token=token)
    assert (me.status, me.body["device_id"]) == (200, device_id)
    assert me.headers["cache-control"] == "no-store"

    product_id = str(uuid.uuid4())
    created = call(f"{base}/v1/products", "POST", product_body("Rolled oats", id=product_id), token)
    assert (created.status, created.body["id"], created.body["kcal_100g"]) == (
        201,
        product_id,
        "120.000",
    )
    replay = call(f"{base}/v1/products", "POST", product_body("Rolled oats", id=product_id), token)
    assert (replay.status, replay.body["id"]) == (200, product_id)
    assert call(f"{base}/v1/products/check-name?name=rolled%20OATS", token=token).body == {
        "available": False
    }
    renamed = call(f"{base}/v1/products/{product_id}", "PATCH", {"name": "Oats"}, token)
    assert (renamed.status, renamed.body["name"]) == (200, "Oats")
    portions = call(f"{base}/v1/products/{product_id}/portions", token=token).body
    assert [(p["label"], p["is_default"]) for p in portions] == [("100 g", True)]
    cup = call(
        f"{base}/v1/products/{product_id}/portions",
        "POST",
        {
            "label": "1 cup",
            "base_amount": "1",
            "base_unit": "cup",
            "calories": "300",
            "gram_weight": "80",
        },
        token,
    )
    assert (cup.status, cup.body["is_default"]) == (201, False)

    entry = call(
        f"{base}/v1/food-entries",
        "POST",
        entry_body(product_id, cup.body["id"], amount="2", unit="cup"),
        token,
    )
    assert (entry.status, entry.body["calories"]) == (201, "600.000")
    batch = call(
        f"{base}/v1/food-entries/batch",
        "POST",
        {"entries": [entry_body(product_id, portions[0]["id"], meal_type="dinner")]},
        token,
    )
    assert (batch.status, batch.body[0]["calories"]) == (201, "60.000")
    day = call(f"{base}/v1/food-entries?day=2026-03-14", token=token)
    assert sorted(row["calories"] for row in day.body) == ["60.000", "600.000"]
    stats = call(f"{base}/v1/stats/day/2026-03-14", token=token)
    assert stats.body["totals"]["calories"] == "660.000"
    assert set(stats.body["by_meal_type"]) == {"lunch", "dinner"}
    daily = call(f"{base}/v1/stats/daily?from=2026-03-13&to=2026-03-15", token=token)
    assert [(p["day"], p["totals"]["calories"]) for p in daily.body["points"]] == [
        ("2026-03-13", "0.000"),
        ("2026-03-14", "660.000"),
        ("2026-03-15", "0.000"),
    ]

    goal = call(
        f"{base}/v1/goals/manual",
        "POST",
        {
            "daily_calories_kcal": 2000,
            "protein_percent": 30,
            "carbs_percent": 40,
            "fat_percent": 30,
            "water_ml": 2000,
        },
        token,
    )
    assert goal.status == 201
    assert call(f"{base}/v1/goals/current", token=token).body["id"] == goal.body["id"]
    weight = call(f"{base}/v1/body-weights", "POST", {"day": "2026-03-14", "weight_kg": 70}, token)
    assert weight.status == 201
    clash = call(f"{base}/v1/body-weights", "POST", {"day": "2026-03-14", "weight_kg": 71}, token)
    assert (clash.status, clash.body["errors"][0]["code"]) == (409, "duplicate_day")

    rows, cursor, has_more = Counter(), "", True
    while has_more:
        page = call(f"{base}/v1/sync/since?cursor={cursor}&limit=2", token=token).body
        for kind in ("products", "portions", "food_entries", "body_weights", "goals"):
            rows[kind] += len(page[kind])
        cursor, has_more = page["cursor"], page["has_more"]
    assert rows == {"products": 1, "portions": 2, "food_entries": 2, "body_weights": 1, "goals": 1}

    search = call(f"{base}/v1/products/search?q=banana", token=token)
    assert search.status == 200
    assert search.body[0]["source"] == "catalog"
    catalog_id = search.body[0]["id"]
    food = call(f"{base}/v1/catalog/products/{catalog_id}", token=token)
    assert (food.status, food.body["id"]) == (200, catalog_id)
    assert food.body["portions"]

    other = cluster.register()
    assert call(f"{base}/v1/products/{product_id}", token=other).status == 404
    too_big = call(f"{base}/v1/products", "POST", {"name": "x" * (1024 * 1024 + 1)}, token)
    assert (too_big.status, too_big.body["errors"][0]["code"]) == (413, "payload_too_large")

    export = call(f"{base}/v1/data/export", token=token)
    assert export.status == 200
    assert len(export.body["food_entries"]) == 2
    assert call(f"{base}/v1/data/reset", "DELETE", token=token).status == 204
    assert call(f"{base}/v1/products", token=token).body == []
    assert call(f"{base}/v1/devices/me", "DELETE", token=token).status == 204
    assert call(f"{base}/v1/devices/me", token=token).status == 401


# --- §5 proofs -------------------------------------------------------------------


def test_the_throttle_holds_across_replicas(cluster):
    """1,200 a minute per device is 1,200 whichever replica counts, not 2,400."""
    allowed = 1200
    token = cluster.register()
    # One fixed window for the whole burst (a fresh device has no previous window).
    if time.time() % 60 > 35:
        time.sleep(61 - time.time() % 60)

    def hit(n: int) -> tuple[int, int, str | None]:
        answer = call(f"{cluster.replicas[n % 2]}/v1/devices/me", token=token)
        return n % 2, answer.status, answer.headers.get("retry-after")

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(hit, range(allowed + 300)))

    statuses = Counter(status for _, status, _ in answers)
    assert statuses == {200: allowed, 429: 300}
    # Both replicas served and both refused: the count is shared, not per replica.
    assert {(replica, status) for replica, status, _ in answers} == {
        (0, 200),
        (1, 200),
        (0, 429),
        (1, 429),
    }
    assert all(int(wait) >= 1 for _, status, wait in answers if status == 429)


def test_racing_idempotent_creates_through_both_replicas_store_one_row(cluster):
    token = cluster.register()
    product_id, entry_id = str(uuid.uuid4()), str(uuid.uuid4())
    _, portion_id = a_product(cluster, token)
    catalog_product = call(f"{cluster.url}/v1/products", token=token).body[0]["id"]
    racers = 16
    barrier = threading.Barrier(racers)

    def create(n: int, path: str, body: dict) -> tuple[int, str]:
        barrier.wait()
        answer = call(f"{cluster.replicas[n % 2]}{path}", "POST", body, token)
        return answer.status, answer.body["id"]

    for path, body in (
        ("/v1/products", product_body("Rye", id=product_id)),
        ("/v1/food-entries", entry_body(catalog_product, portion_id, id=entry_id)),
    ):
        with ThreadPoolExecutor(racers) as pool:
            answers = list(pool.map(lambda n, p=path, b=body: create(n, p, b), range(racers)))
        assert Counter(status for status, _ in answers) == {201: 1, 200: racers - 1}, answers
        assert {row_id for _, row_id in answers} == {body["id"]}

    assert cluster.sql("SELECT count(*) FROM products_product WHERE id = %s", (product_id,)) == [
        (1,)
    ]
    assert cluster.sql("SELECT count(*) FROM entries_foodentry WHERE id = %s", (entry_id,)) == [
        (1,)
    ]


def test_a_sync_cursor_never_skips_a_row_while_both_replicas_write(cluster):
    token = cluster.register()
    product_id, portion_id = a_product(cluster, token)
    written: set[str] = set()
    lock = threading.Lock()
    done = threading.Event()

    def writer(replica: str) -> None:
        for _ in range(60):
            answer = call(
                f"{replica}/v1/food-entries", "POST", entry_body(product_id, portion_id), token
            )
            assert answer.status == 201, answer
            with lock:
                written.add(answer.body["id"])

    seen: set[str] = set()
    cursor = ""

    def read_page() -> bool:
        nonlocal cursor
        page = call(f"{cluster.url}/v1/sync/since?cursor={cursor}&limit=7", token=token).body
        seen.update(row["id"] for row in page["food_entries"])
        cursor = page["cursor"]
        return page["has_more"]

    writers = [threading.Thread(target=writer, args=(base,)) for base in cluster.replicas]
    for thread in writers:
        thread.start()
    pages = 0
    while any(thread.is_alive() for thread in writers):
        read_page()
        pages += 1
    for thread in writers:
        thread.join()
    done.set()
    while read_page():  # drain what was written after the last page
        pages += 1

    assert len(written) == 120
    assert written <= seen, f"{len(written - seen)} rows skipped by the cursor"
    assert pages > 5  # the reader really paged while the writers wrote
