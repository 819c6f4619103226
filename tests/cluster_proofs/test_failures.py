"""Pieces killed under load: a replica, PgBouncer."""

import signal
import socket
import threading
import time
import uuid
from collections import Counter

import pytest

from tests.cluster import Load, call
from tests.cluster_proofs.bodies import a_product, entry_body, product_body

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


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
