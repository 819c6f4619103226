"""Latency of ``POST /v1/quick-add/parse`` on SQLite with the starter catalog, in process.

    .venv/bin/python bench/quick_add.py [--runs 50] [--text "..."]

Builds a throw-away SQLite instance in a temporary directory (migrations and
the SR28 starter catalog, about 10 s), registers a device, then times the
parse of a 10-item sentence through the whole Django stack (middleware,
token authentication, throttles, the rules parser, serialization) with
Django's test client: no network, so the figure is the server's own time.
Prints min / median / p95 / max in milliseconds and the queries per parse.
Not a test: a test suite asserts behaviour, this measures a machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from io import StringIO
from pathlib import Path

TEN_ITEMS = (
    "2 eggs, a slice of toast, a glass of orange juice, ½ cup of rice, "
    "200g chicken breast, 1 tbsp olive oil, a banana, a cup of coffee, "
    "30 g cheddar cheese and a handful of almonds"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="timed parses (default: 50)")
    parser.add_argument("--text", default=TEN_ITEMS, help="the sentence to parse")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="countonme-bench-quick-add-"))
    os.environ.update(
        COUNTONME_VAR_DIR=str(var_dir),
        THROTTLE_DEVICE="1000000/min",
        THROTTLE_QUICK_ADD="1000000/min",
        LOG_LEVEL="WARNING",
    )
    for name in ("DATABASE_URL", "REDIS_URL", "QUICK_ADD_MODEL"):
        os.environ.pop(name, None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "countonme.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_starter_catalog", stdout=StringIO())
    print(f"instance: {var_dir} (SQLite), ready in {time.perf_counter() - started:.1f} s")

    client = Client()
    registered = client.post(
        "/v1/devices/register", {"device_id": str(uuid.uuid4())}, content_type="application/json"
    )
    token = registered.json()["device_token"]

    def parse() -> dict:
        response = client.post(
            "/v1/quick-add/parse",
            {"text": args.text, "day": "2026-03-14", "meal_type": "lunch"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        if response.status_code != 200:
            raise SystemExit(f"parse failed: {response.status_code} {response.content[:300]!r}")
        return response.json()

    for _ in range(5):  # warm-up: imports, statement caches, SQLite page cache
        parse()
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        body = parse()
    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        parse()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    print(f"text: {args.text!r}")
    print(
        f"items: {len(body['items'])}, unparsed: {body['unparsed']}, "
        f"queries per parse: {len(queries)}"
    )
    for item in body["items"]:
        print(
            f"  {item['text']!r:40} → {item['match']['name'][:60]} "
            f"({item['quantity']} {item['unit']}, {item['grams']} g)"
        )
    print(
        f"parse, {args.runs} runs: min {timings[0]:.1f} ms, median "
        f"{statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
    )
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
