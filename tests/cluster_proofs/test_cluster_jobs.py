"""Celery jobs on the real worker: the purge started twice, Open Food Facts deltas."""

import gzip
import json
import re
import subprocess
import sys
import uuid
from decimal import Decimal

import pytest

from countonme.jobs.celery import app as celery_app
from deploy.cluster import Settings, app_environment
from tests.cluster import call
from tests.cluster_proofs.bodies import tombstones
from tests.serving import BASE_DIR

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


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
