"""The scale-out, proven on one host: `make cluster` under load, with its pieces killed.

nginx in front of two gunicorn replicas, PgBouncer in transaction mode in front
of a fresh PostgreSQL database, a Celery worker and beat (deploy/cluster.py),
started once for this module. Each test talks to it over HTTP through the proxy
(or straight to one replica, to be sure both take part), looks at its database
directly, and restarts what it broke.
"""

import gzip
import json
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import psycopg
import pytest

from countonme.jobs.celery import app as celery_app
from deploy.cluster import Settings, app_environment
from tests.cluster import Load, call, running_cluster
from tests.serving import BASE_DIR

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with running_cluster(tmp_path_factory.mktemp("cluster")) as running:
        yield running


@pytest.fixture(autouse=True)
def _clear_throttles():
    """Not here: the cluster's Celery broker shares the Redis database the suite flushes.

    Each test registers its own devices, so no throttle budget carries over.
    """


def product_body(name: str, **extra) -> dict:
    return {"name": name, "kcal_100g": 120, "protein_100g": 5, **extra}


def a_product(cluster, token: str, base: str | None = None) -> tuple[str, str]:
    """A new product with its "100 g" default portion: (product id, portion id)."""
    answer = call(f"{base or cluster.url}/v1/products", "POST", product_body("Oats"), token)
    assert answer.status == 201, answer
    portions = call(f"{base or cluster.url}/v1/products/{answer.body['id']}/portions", token=token)
    return answer.body["id"], portions.body[0]["id"]


def entry_body(product_id: str, portion_id: str, **extra) -> dict:
    return {
        "product_id": product_id,
        "portion_id": portion_id,
        "day": "2026-03-14",
        "meal_type": "lunch",
        "amount": "50",
        "unit": "g",
        **extra,
    }


def tombstones(cluster, token: str, count: int) -> list[uuid.UUID]:
    """``count`` products deleted through the API, their deletion aged past the retention."""
    ids = []
    for n in range(count):
        answer = call(f"{cluster.url}/v1/products", "POST", {"name": f"gone {n}"}, token)
        deleted = call(f"{cluster.url}/v1/products/{answer.body['id']}", "DELETE", token=token)
        assert deleted.status == 204
        ids.append(uuid.UUID(answer.body["id"]))
    cluster.sql(
        "UPDATE products_product SET deleted_at = now() - interval '40 days' WHERE id = ANY(%s)",
        (ids,),
    )
    return ids


# --- The topology ----------------------------------------------------------------


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


def test_a_replica_killed_mid_load_loses_no_acknowledged_write(cluster):
    """SIGKILL one replica under mixed load: GETs fail over, POSTs are never sent twice."""
    # A device per thread, so that the load stays under each one's rate (THROTTLE_DEVICE)
    # however fast the cluster answers: this test is about failover, not 429s.
    devices = []
    for _ in range(6):
        token = cluster.register()
        devices.append((token, *a_product(cluster, token)))
    entries_acked: set[tuple[int, str]] = set()
    entries_pending: set[tuple[int, str]] = set()  # sent, answer lost: retried with its id
    named_posts: dict[str, int] = {}  # product name (no client id) → its answer's status

    def step(thread: int, count: int) -> tuple[str, object]:
        token, product_id, portion_id = devices[thread]
        kind = ("get", "entry", "product")[count % 3]
        try:
            if kind == "get":
                answer = call(f"{cluster.url}/v1/food-entries?day=2026-03-14", token=token)
            elif kind == "entry":
                entry_id = str(uuid.uuid4())
                body = entry_body(product_id, portion_id, id=entry_id)
                answer = call(f"{cluster.url}/v1/food-entries", "POST", body, token)
                sent = entries_acked if answer.status in (200, 201) else entries_pending
                sent.add((thread, entry_id))
            else:
                name = f"load {thread}-{count}"
                answer = call(f"{cluster.url}/v1/products", "POST", product_body(name), token)
                named_posts[name] = answer.status
        except OSError as error:  # the proxy itself never went away
            return kind, repr(error)
        return kind, answer.status

    with Load(step, threads=len(devices)) as load:
        time.sleep(3)
        killed_at = time.monotonic()
        cluster.kill("web-2")
        time.sleep(5)
    outcomes = load.outcomes

    gets = [status for _, kind, status in outcomes if kind == "get"]
    assert gets
    assert set(gets) == {200}, Counter(gets)  # every GET failed over
    posts = Counter(status for _, kind, status in outcomes if kind != "get")
    # A POST the dying replica had received is answered 502 by nginx, never resent.
    assert set(posts) <= {200, 201, 502}, posts
    after = [status for at, _, status in outcomes if at > killed_at + 1]
    assert after
    assert set(after) <= {200, 201}, Counter(after)  # the survivor answers all

    # The client retries what got no answer, with its id: one row each, whatever happened.
    for thread, entry_id in entries_pending:
        token, product_id, portion_id = devices[thread]
        body = entry_body(product_id, portion_id, id=entry_id)
        assert call(f"{cluster.url}/v1/food-entries", "POST", body, token).status in (200, 201)
    product_ids = [uuid.UUID(product_id) for _, product_id, _ in devices]
    stored = {
        str(row[0])
        for row in cluster.sql(
            "SELECT id FROM entries_foodentry WHERE product_id = ANY(%s)", (product_ids,)
        )
    }
    assert {entry_id for _, entry_id in entries_acked | entries_pending} == stored
    device_ids = [uuid.UUID(token.split(".")[0]) for token, _, _ in devices]
    names = Counter(
        row[0]
        for row in cluster.sql(
            "SELECT name FROM products_product WHERE name LIKE 'load %%' AND device_id = ANY(%s)",
            (device_ids,),
        )
    )
    assert max(names.values()) == 1  # no POST was sent twice
    acknowledged = {name for name, status in named_posts.items() if status == 201}
    assert acknowledged <= set(names)  # no acknowledged write lost
    assert set(names) - acknowledged <= {n for n, s in named_posts.items() if s == 502}

    cluster.up()  # back to two replicas for the next tests
    assert cluster.pid("web-2")


def test_pgbouncer_restarted_mid_load_is_503_with_retry_after_then_recovers_in_5_s(cluster):
    # Several devices, so that the load stays under each one's rate (THROTTLE_DEVICE)
    # however fast the cluster answers: this test is about 503s, not 429s.
    devices = []
    for _ in range(8):
        token = cluster.register()
        devices.append((token, *a_product(cluster, token)))

    def step(thread: int, count: int) -> tuple[str, object]:
        token, product_id, portion_id = devices[(thread + 4 * count) % len(devices)]
        if count % 2:
            answer = call(f"{cluster.url}/v1/products", token=token)
        else:
            body = entry_body(product_id, portion_id, id=str(uuid.uuid4()))
            answer = call(f"{cluster.url}/v1/food-entries", "POST", body, token)
        retry_after = answer.headers.get("retry-after")
        return "call", (answer.status, retry_after, answer.body)

    listening: list[float] = []

    def watch() -> None:
        """Note the moment PgBouncer accepts connections again."""
        while not listening:
            try:
                socket.create_connection(("127.0.0.1", cluster.pgbouncer_port), 0.2).close()
                listening.append(time.monotonic())
            except OSError:
                time.sleep(0.02)

    with Load(step, threads=4) as load:
        time.sleep(2)
        cluster.kill("pgbouncer", signal.SIGTERM)
        stopped_at = time.monotonic()
        time.sleep(0.5)
        watcher = threading.Thread(target=watch)
        watcher.start()
        time.sleep(2)
        restarting_at = time.monotonic()
        cluster.up()  # PgBouncer comes back (everything else still runs)
        watcher.join()
        back_at = listening[0]
        time.sleep(7)
    outcomes = load.outcomes

    statuses = Counter(status for _, _, (status, _, _) in outcomes)
    assert set(statuses) <= {200, 201, 503}, statuses
    gap = [result for at, _, result in outcomes if stopped_at + 0.5 < at < restarting_at]
    assert gap
    assert all(status == 503 for status, _, _ in gap), Counter(s for s, _, _ in gap)
    for status, retry_after, body in (r for _, _, r in outcomes):
        if status == 503:
            assert int(retry_after) >= 1
            assert body["errors"][0]["code"] == "service_unavailable"
    failures_after = [at for at, _, (status, _, _) in outcomes if at > back_at and status >= 500]
    recovered_in = (max(failures_after) - back_at) if failures_after else 0.0
    assert recovered_in < 5.0, f"still failing {recovered_in:.1f} s after PgBouncer returned"
    assert any(at > back_at + 5 and status < 300 for at, _, (status, _, _) in outcomes)


def test_a_purge_started_twice_at_once_erases_each_row_once_and_never_fails(cluster):
    token = cluster.register()
    ids = [str(i) for i in tombstones(cluster, token, 30)]

    # Two Celery jobs at once (the worker runs two at a time) ...
    results = [celery_app.send_task("countonme.purge_deleted") for _ in range(2)]
    outcomes = [result.get(timeout=120) for result in results]
    removed = sum(outcome.get("total", 0) for outcome in outcomes)
    assert removed == 30, outcomes
    for outcome in outcomes:
        assert "total" in outcome or "already running" in outcome["skipped"], outcome
    assert cluster.sql(
        "SELECT count(*) FROM products_product WHERE id = ANY(%s)", ([uuid.UUID(i) for i in ids],)
    ) == [(0,)]

    # ... and two `manage.py purge_deleted` at once (cron on two hosts), through PgBouncer.
    more = tombstones(cluster, token, 20)
    env = app_environment(Settings.from_environment(cluster.env))
    commands = [
        subprocess.Popen(
            [sys.executable, "manage.py", "purge_deleted"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    finished = [(process.wait(timeout=120), *process.communicate()) for process in commands]
    assert [code for code, _, _ in finished] == [0, 0], finished
    totals = [re.search(r"Removed (\d+) soft-deleted rows", out) for _, out, _ in finished]
    assert sum(int(total[1]) for total in totals if total) == 20, finished
    for total, (_, out, _) in zip(totals, finished, strict=True):
        assert total or "already running" in out, out
    assert cluster.sql("SELECT count(*) FROM products_product WHERE id = ANY(%s)", (more,)) == [
        (0,)
    ]


def test_the_worker_applies_open_food_facts_deltas_once(cluster, tmp_path):
    deltas = tmp_path / "off-deltas"
    deltas.mkdir()
    product = {
        "code": "4006040000003",
        "product_name": "Delta muesli",
        "nutriments": {"energy-kcal_100g": 380, "proteins_100g": 9, "carbohydrates_100g": 60},
    }
    (deltas / "products_1700000000_1700086400.json.gz").write_bytes(
        gzip.compress((json.dumps(product) + "\n").encode())
    )

    def apply() -> dict:
        task = celery_app.send_task("products.import_off_deltas", kwargs={"directory": str(deltas)})
        return task.get(timeout=120)

    first = apply()
    assert [(f["name"], f["created"]) for f in first["applied"]] == [
        ("products_1700000000_1700086400.json.gz", 1)
    ]
    assert cluster.sql(
        "SELECT name, kcal_100g FROM products_catalogproduct WHERE source_id = %s",
        ("4006040000003",),
    ) == [("Delta muesli", Decimal("380.000"))]
    assert apply() == {"applied": []}  # recorded: not read again
    token = cluster.register()
    found = call(f"{cluster.url}/v1/catalog/products/barcode/4006040000003", token=token)
    assert (found.status, found.body["name"]) == (200, "Delta muesli")
