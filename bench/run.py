"""Throughput and latency benchmark of a running CountOnMe server. Standard library only.

Registers one device per worker, seeds each the way the app would (products with
per-100 g values, extra portions, a diary over the last ``--days`` days, daily body
weights, a goal), then runs each scenario for ``--duration`` seconds with
``--concurrency`` workers. Every worker is a thread with its own keep-alive HTTP/1.1
connection and its own device token. Prints a table per scenario (requests, errors,
req/s, p50/p95/p99 latency) and optionally writes it as JSON.

    bench/serve.sh                                        # terminal 1: the server, port 8001
    .venv/bin/python bench/run.py --url http://127.0.0.1:8001 --json bench/results.json

The server must be started with relaxed throttles (``bench/serve.sh`` does it):
``THROTTLE_REGISTER=100000/min THROTTLE_DEVICE=1000000/min``.

Exit status: 0 when every scenario ran without an error, 1 when a scenario had
errors (non-2xx answers or failed connections), 2 when the set-up failed (server
unreachable, registration throttled, seeding refused). See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import platform
import random
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

THROTTLE_HINT = (
    "start the benchmark server with relaxed throttles, e.g.\n"
    "  THROTTLE_REGISTER=100000/min THROTTLE_DEVICE=1000000/min\n"
    "(bench/serve.sh sets both)."
)
ERROR_BODY_MAX = 500  # characters of the first error body kept in the report

# --- HTTP -----------------------------------------------------------------------------


class SetupError(Exception):
    """The benchmark cannot start: the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    """Where the server listens."""

    scheme: str
    host: str
    port: int
    prefix: str  # a path prefix when the API is mounted below "/" (usually "")

    @classmethod
    def parse(cls, url: str) -> Target:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise SetupError(f"--url {url!r}: expected http://host:port or https://host:port")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return cls(parts.scheme, parts.hostname, port, parts.path.rstrip("/"))

    def connection(self, timeout: float) -> http.client.HTTPConnection:
        kind = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        return kind(self.host, self.port, timeout=timeout)


@dataclass
class Reply:
    status: int
    body: bytes
    headers: http.client.HTTPMessage

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        return json.loads(self.body)

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")[:ERROR_BODY_MAX]


# A keep-alive connection the server closed while idle (keep-alive timeout, worker
# recycled after max_requests) fails on the next request with one of these.
STALE_CONNECTION_ERRORS = (
    http.client.RemoteDisconnected,
    http.client.BadStatusLine,
    ConnectionResetError,
    BrokenPipeError,
    ConnectionAbortedError,
)


class Client:
    """One persistent HTTP/1.1 connection, optionally authenticated as a device.

    A request that fails because the server had closed the reused connection is
    sent again once on a fresh connection (``reconnects`` counts them). Every
    POST of the benchmark carries a client-generated ``id``, which the API makes
    idempotent, so a resend cannot create a row twice.
    """

    def __init__(self, target: Target, token: str | None = None, timeout: float = 30.0) -> None:
        self.target = target
        self.timeout = timeout
        self.conn = target.connection(timeout)
        self.reused = False  # the socket has carried a complete exchange already
        self.reconnects = 0
        self.headers = {"Accept": "application/json", "User-Agent": "countonme-bench/1"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def connect(self) -> None:
        self.conn.connect()

    def close(self) -> None:
        self.conn.close()
        self.reused = False

    def request(self, method: str, path: str, body: Any = None) -> Reply:
        payload = None if body is None else json.dumps(body).encode()
        headers = dict(self.headers)
        if payload is not None:
            headers["Content-Type"] = "application/json"
        url = self.target.prefix + path
        while True:
            was_reused = self.reused
            try:
                self.conn.request(method, url, body=payload, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except STALE_CONNECTION_ERRORS:
                self.close()
                if not was_reused:
                    raise
                self.reconnects += 1
                continue
            except BaseException:
                self.close()
                raise
            # http.client hands the socket to a response that announces "close" and
            # opens a new connection on the next request by itself.
            self.reused = not response.will_close
            return Reply(response.status, data, response.headers)


# --- Seed data: what a user of the app logs in a month -------------------------------


@dataclass(frozen=True)
class PortionSpec:
    key: str
    label: str
    base_amount: str
    base_unit: str
    calories: str
    protein: str | None = None
    carbs: str | None = None
    fat: str | None = None
    gram_weight: str | None = None


@dataclass(frozen=True)
class ProductSpec:
    key: str
    name: str
    kcal_100g: str
    protein_100g: str
    carbs_100g: str
    fat_100g: str
    extra: PortionSpec | None = None


# Created like the app does: name + per-100 g values (the server then makes the default
# portion "100 g"), and for some an everyday portion (a piece, a glass, a spoon).
PRODUCTS = [
    ProductSpec(
        "banana", "Banana", "89", "1.1", "22.8", "0.3",
        PortionSpec("piece", "1 medium", "1", "pcs", "105", "1.3", "27", "0.4", "118"),
    ),
    ProductSpec("banana_bread", "Banana bread", "326", "4.3", "54.6", "10.5"),
    ProductSpec(
        "oatmeal", "Oatmeal, cooked", "71", "2.5", "12", "1.5",
        PortionSpec("bowl", "1 bowl", "1", "serving", "166", "5.9", "28", "3.6", "234"),
    ),
    ProductSpec(
        "milk", "Whole milk", "61", "3.2", "4.8", "3.3",
        PortionSpec("glass", "1 glass", "250", "ml", "153", "8", "12", "8.3", "258"),
    ),
    ProductSpec("chicken", "Chicken breast, grilled", "165", "31", "0", "3.6"),
    ProductSpec("rice", "Brown rice, cooked", "123", "2.7", "25.6", "1"),
    ProductSpec("yogurt", "Greek yogurt", "97", "9", "3.9", "5"),
    ProductSpec(
        "apple", "Apple", "52", "0.3", "13.8", "0.2",
        PortionSpec("piece", "1 medium", "1", "pcs", "95", "0.5", "25", "0.3", "182"),
    ),
    ProductSpec(
        "egg", "Egg, boiled", "155", "12.6", "1.1", "10.6",
        PortionSpec("piece", "1 large", "1", "pcs", "78", "6.3", "0.6", "5.3", "50"),
    ),
    ProductSpec(
        "oil", "Olive oil", "884", "0", "0", "100",
        PortionSpec("tbsp", "1 tablespoon", "1", "tbsp", "119", "0", "0", "13.5", "13.5"),
    ),
    ProductSpec(
        "bread", "Whole wheat bread", "247", "13", "41", "3.4",
        PortionSpec("slice", "1 slice", "1", "pcs", "79", "4.2", "13", "1.1", "32"),
    ),
    ProductSpec("almonds", "Almonds", "579", "21", "22", "50"),
]  # fmt: skip

# (product, portion: "default" = the server-made "100 g" or an extra portion key,
#  amount, unit). Units exercise the conversions: g→g, pcs→pcs, ml→ml, g→pcs via
#  gram_weight, tbsp→tbsp.
MENU: dict[str, list[tuple[str, str, str, str]]] = {
    "breakfast": [
        ("oatmeal", "bowl", "1", "serving"),
        ("banana", "piece", "1", "pcs"),
        ("milk", "glass", "200", "ml"),
        ("bread", "slice", "2", "pcs"),
        ("egg", "piece", "2", "pcs"),
        ("yogurt", "default", "150", "g"),
    ],
    "lunch": [
        ("chicken", "default", "150", "g"),
        ("rice", "default", "200", "g"),
        ("oil", "tbsp", "1", "tbsp"),
        ("bread", "slice", "1", "pcs"),
    ],
    "dinner": [
        ("chicken", "default", "120", "g"),
        ("rice", "default", "150", "g"),
        ("egg", "piece", "2", "pcs"),
        ("oil", "tbsp", "1", "tbsp"),
    ],
    "snacks": [
        ("apple", "piece", "150", "g"),
        ("almonds", "default", "30", "g"),
        ("banana_bread", "default", "80", "g"),
        ("yogurt", "default", "125", "g"),
        ("banana", "piece", "1", "pcs"),
    ],
}
MEAL_CYCLE = ["breakfast", "breakfast", "lunch", "lunch", "dinner", "snacks"]
GOAL = {
    "daily_calories_kcal": 2200,
    "protein_percent": 30,
    "carbs_percent": 40,
    "fat_percent": 30,
    "water_ml": 2500,
}


@dataclass
class Device:
    """A registered device and the ids of what was seeded for it."""

    index: int
    device_id: str
    token: str
    days: list[str] = field(default_factory=list)  # the seeded days, oldest first
    # product key -> product id; (product key, portion key) -> portion id
    products: dict[str, str] = field(default_factory=dict)
    portions: dict[tuple[str, str], str] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)

    def entry_body(self, rng: random.Random, day: str, meal: str | None = None) -> dict[str, Any]:
        meal = meal or rng.choice(MEAL_CYCLE)
        product, portion, amount, unit = rng.choice(MENU[meal])
        return {
            "id": str(uuid.uuid4()),
            "product_id": self.products[product],
            "portion_id": self.portions[(product, portion)],
            "day": day,
            "meal_type": meal,
            "amount": amount,
            "unit": unit,
        }


def expect(reply: Reply, what: str, *statuses: int) -> Any:
    """The JSON body of ``reply``, or ``SetupError`` when its status is not expected."""
    if reply.status == 429:
        raise SetupError(f"{what}: throttled (429 {reply.text()}); {THROTTLE_HINT}")
    if reply.status not in (statuses or (200, 201)):
        raise SetupError(f"{what}: HTTP {reply.status}: {reply.text()}")
    try:
        return reply.json() if reply.body else None
    except ValueError:
        raise SetupError(f"{what}: HTTP {reply.status}, not JSON: {reply.text()}") from None


def register(target: Target, index: int, timeout: float) -> Device:
    client = Client(target, timeout=timeout)
    try:
        device_id = str(uuid.uuid4())
        reply = client.request("POST", "/v1/devices/register", {"device_id": device_id})
        if reply.status == 429:
            raise SetupError(
                f"POST /v1/devices/register was throttled (429) at device {index + 1}: the "
                f"server allows only THROTTLE_REGISTER registrations per minute per client "
                f"address (default 10/min); {THROTTLE_HINT}"
            )
        data = expect(reply, "POST /v1/devices/register", 201)
        return Device(index, data["device_id"], data["device_token"])
    finally:
        client.close()


def seed(target: Target, device: Device, days: int, per_day: int, seed: int, timeout: float):
    """Fill one device with a month of app usage, through the API."""
    rng = random.Random(seed * 7919 + device.index)
    client = Client(target, device.token, timeout)
    today = date.today()
    device.days = [(today - timedelta(days=back)).isoformat() for back in range(days - 1, -1, -1)]
    try:
        for spec in PRODUCTS:
            body = {
                "id": str(uuid.uuid4()),
                "name": spec.name,
                "kcal_100g": spec.kcal_100g,
                "protein_100g": spec.protein_100g,
                "carbs_100g": spec.carbs_100g,
                "fat_100g": spec.fat_100g,
            }
            product = expect(client.request("POST", "/v1/products", body), "POST /v1/products")
            device.products[spec.key] = product["id"]
            device.counts["products"] += 1
            portions_path = f"/v1/products/{product['id']}/portions"
            if spec.extra:
                extra = spec.extra
                portion = {
                    "id": str(uuid.uuid4()),
                    "label": extra.label,
                    "base_amount": extra.base_amount,
                    "base_unit": extra.base_unit,
                    "calories": extra.calories,
                    "protein": extra.protein,
                    "carbs": extra.carbs,
                    "fat": extra.fat,
                    "gram_weight": extra.gram_weight,
                }
                created = expect(
                    client.request("POST", portions_path, portion), f"POST {portions_path}"
                )
                device.portions[(spec.key, extra.key)] = created["id"]
            # The default portion "100 g" was made by the server: read its id back.
            listed = expect(client.request("GET", portions_path), f"GET {portions_path}", 200)
            defaults = [p for p in listed if p["is_default"]]
            if not defaults or defaults[0]["base_unit"] != "g":
                raise SetupError(f"{spec.name}: no default '100 g' portion in {listed}")
            device.portions[(spec.key, "default")] = defaults[0]["id"]
            device.counts["portions"] += len(listed)
        goal = expect(
            client.request("POST", "/v1/goals/manual", {"id": str(uuid.uuid4()), **GOAL}),
            "POST /v1/goals/manual",
        )
        device.counts["goals"] += goal is not None
        weight = 82.0 + rng.uniform(-5, 5)
        for day in device.days:
            for slot in range(per_day):
                body = device.entry_body(rng, day, MEAL_CYCLE[slot % len(MEAL_CYCLE)])
                expect(client.request("POST", "/v1/food-entries", body), "POST /v1/food-entries")
                device.counts["food_entries"] += 1
            weight += rng.uniform(-0.35, 0.25)
            body = {"id": str(uuid.uuid4()), "day": day, "weight_kg": f"{weight:.1f}"}
            expect(client.request("POST", "/v1/body-weights", body), "POST /v1/body-weights")
            device.counts["body_weights"] += 1
        # What sync returns must be exactly what was written (the sync scenario relies on
        # one page holding everything).
        page = expect(client.request("GET", "/v1/sync/since?limit=1000"), "GET /v1/sync/since")
        synced = Counter({kind: len(page.get(kind) or []) for kind in device.counts})
        if page.get("has_more") or synced != device.counts:
            raise SetupError(
                f"device {device.index + 1}: sync returned {dict(synced)} "
                f"(has_more={page.get('has_more')}), seeded {dict(device.counts)}"
            )
    finally:
        client.close()


# --- Scenarios -------------------------------------------------------------------------

# A scenario makes one request: (method, path, JSON body or None) for a device.
RequestMaker = Callable[[Device, random.Random], tuple[str, str, Any]]


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    measures: str
    make: RequestMaker
    auth: bool = True


def _daily_range(device: Device, rng: random.Random) -> tuple[str, str, Any]:
    query = urlencode({"from": device.days[0], "to": device.days[-1]})
    return "GET", f"/v1/stats/daily?{query}", None


# Reads first, then the write: reads see the same seeded data whatever the write
# throughput was (the write scenario grows each device's diary by its own speed).
SCENARIOS = [
    Scenario(
        "health",
        "GET /health",
        "the stack without the database: gunicorn, middleware, no auth",
        lambda d, r: ("GET", "/health", None),
        auth=False,
    ),
    Scenario(
        "products",
        "GET /v1/products",
        "auth + throttle + a list of the device's products with their default portion",
        lambda d, r: ("GET", "/v1/products", None),
    ),
    Scenario(
        "search",
        "GET /v1/products/search?q=ban",
        "merged search: the device's products + the catalog (full-text + trigram on PG)",
        lambda d, r: ("GET", "/v1/products/search?q=ban", None),
    ),
    Scenario(
        "stats_day",
        "GET /v1/stats/day/{day}",
        "one day's totals per meal type + the goal (a random seeded day)",
        lambda d, r: ("GET", f"/v1/stats/day/{r.choice(d.days)}", None),
    ),
    Scenario(
        "stats_daily",
        "GET /v1/stats/daily?from=&to=",
        "totals of every day over the seeded range (30 days): one GROUP BY",
        _daily_range,
    ),
    Scenario(
        "sync",
        "GET /v1/sync/since?limit=1000",
        "a first (full) sync: every row of the device in one page, no cursor",
        lambda d, r: ("GET", "/v1/sync/since?limit=1000", None),
    ),
    Scenario(
        "export",
        "GET /v1/data/export",
        "the whole data export document of the device",
        lambda d, r: ("GET", "/v1/data/export", None),
    ),
    Scenario(
        "create_entry",
        "POST /v1/food-entries",
        "a write: validation, nutrition snapshot, device version bump, insert",
        lambda d, r: ("POST", "/v1/food-entries", d.entry_body(r, d.days[-1])),
    ),
]
SCENARIOS_BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}


@dataclass
class WorkerResult:
    latencies: list[float] = field(default_factory=list)  # seconds, measured requests only
    errors: int = 0
    statuses: Counter = field(default_factory=Counter)
    first_error: tuple[float, str] | None = None  # (when, what)
    bytes: int = 0
    reconnects: int = 0
    last_done: float = 0.0


def percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def run_scenario(
    scenario: Scenario, target: Target, devices: list[Device], args: argparse.Namespace
) -> dict[str, Any]:
    workers = args.concurrency
    results = [WorkerResult() for _ in range(workers)]
    clock: dict[str, float] = {}

    def start_clock() -> None:  # runs once, when every worker is connected
        clock["start"] = time.perf_counter()
        clock["measure"] = clock["start"] + args.warmup
        clock["end"] = clock["measure"] + args.duration
        clock["cpu"] = time.process_time()

    barrier = threading.Barrier(workers, action=start_clock)

    def worker(index: int) -> None:
        device = devices[index % len(devices)]
        rng = random.Random(args.seed * 104729 + index)
        client = Client(target, device.token if scenario.auth else None, args.timeout)
        result = results[index]
        # On failure the first request connects again, or records the failure as an error.
        with contextlib.suppress(OSError):
            client.connect()
        barrier.wait()
        measure, end = clock["measure"], clock["end"]
        while (started := time.perf_counter()) < end:
            method, path, body = scenario.make(device, rng)
            try:
                reply = client.request(method, path, body)
                failure = (
                    None if reply.ok else f"HTTP {reply.status} {method} {path}: {reply.text()}"
                )
                status: int | str = reply.status
                size = len(reply.body)
            except Exception as exc:  # a refused/timed-out connection is an error too
                failure = f"{type(exc).__name__} {method} {path}: {exc}"
                status, size = type(exc).__name__, 0
            done = time.perf_counter()
            if started < measure:
                continue  # warm-up: not counted
            result.latencies.append(done - started)
            result.statuses[status] += 1
            result.bytes += size
            result.last_done = done
            if failure:
                result.errors += 1
                if result.first_error is None:
                    result.first_error = (done, failure)
        result.reconnects = client.reconnects
        client.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu = time.process_time() - clock["cpu"]
    wall = time.perf_counter() - clock["start"]

    latencies = sorted(x for r in results for x in r.latencies)
    requests = len(latencies)
    errors = sum(r.errors for r in results)
    elapsed = max([clock["end"], *(r.last_done for r in results)]) - clock["measure"]
    statuses: Counter = Counter()
    for r in results:
        statuses.update(r.statuses)
    firsts = sorted(r.first_error for r in results if r.first_error)
    per_worker = [len(r.latencies) for r in results]

    def ms(value: float) -> float | None:
        return None if math.isnan(value) else round(value * 1000, 2)

    return {
        "scenario": scenario.name,
        "request": scenario.label,
        "requests": requests,
        "errors": errors,
        "req_per_s": round(requests / elapsed, 1) if elapsed > 0 else 0.0,
        "p50_ms": ms(percentile(latencies, 50)),
        "p95_ms": ms(percentile(latencies, 95)),
        "p99_ms": ms(percentile(latencies, 99)),
        "max_ms": ms(latencies[-1]) if latencies else None,
        "mean_ms": ms(sum(latencies) / requests) if requests else None,
        "mean_response_bytes": round(sum(r.bytes for r in results) / requests) if requests else 0,
        "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
        "first_error": firsts[0][1] if firsts else None,
        "reconnects": sum(r.reconnects for r in results),
        "requests_per_worker": {"min": min(per_worker), "max": max(per_worker)},
        "elapsed_s": round(elapsed, 3),
        "client_cpu_cores": round(cpu / wall, 2) if wall > 0 else 0.0,
    }


# --- Report ----------------------------------------------------------------------------

COLUMNS = [
    ("scenario", "scenario", "<", "{}"),
    ("requests", "requests", ">", "{}"),
    ("errors", "errors", ">", "{}"),
    ("req_per_s", "req/s", ">", "{:.1f}"),
    ("p50_ms", "p50 ms", ">", "{:.1f}"),
    ("p95_ms", "p95 ms", ">", "{:.1f}"),
    ("p99_ms", "p99 ms", ">", "{:.1f}"),
    ("max_ms", "max ms", ">", "{:.1f}"),
    ("mean_response_bytes", "resp B", ">", "{}"),
    ("client_cpu_cores", "client CPU", ">", "{:.2f}"),
]


def format_table(rows: list[dict[str, Any]]) -> str:
    cells = [
        ["-" if row[key] is None else fmt.format(row[key]) for key, _, _, fmt in COLUMNS]
        for row in rows
    ]
    widths = [
        max(len(title), *(len(line[i]) for line in cells))
        for i, (_, title, _, _) in enumerate(COLUMNS)
    ]
    lines = [
        "  ".join(
            f"{title:{align}{w}}" for (_, title, align, _), w in zip(COLUMNS, widths, strict=True)
        )
    ]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(
            f"{cell:{align}{w}}"
            for cell, (_, _, align, _), w in zip(line, COLUMNS, widths, strict=True)
        )
        for line in cells
    ]
    return "\n".join(lines)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Main ----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Scenarios: " + ", ".join(SCENARIOS_BY_NAME) + ". See bench/README.md.",
    )
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="server (%(default)s)")
    parser.add_argument(
        "--duration", type=float, default=10.0, help="measured seconds per scenario (%(default)s)"
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=1.0,
        help="unmeasured seconds of load before each scenario's measurement (%(default)s)",
    )
    parser.add_argument(
        "--concurrency", type=int, default=8, help="workers, one device each (%(default)s)"
    )
    parser.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS_BY_NAME),
        help="comma-separated scenario names to run, in this order (default: all)",
    )
    parser.add_argument(
        "--days", type=int, default=30, help="days of diary seeded per device (%(default)s)"
    )
    parser.add_argument(
        "--entries-per-day", type=int, default=6, help="food entries per seeded day (%(default)s)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (%(default)s)")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds per request (%(default)s)"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON here")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = parser.parse_args(argv)
    if args.list:
        return args
    names = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    unknown = [name for name in names if name not in SCENARIOS_BY_NAME]
    if unknown or not names:
        parser.error(
            f"--scenarios: unknown {', '.join(unknown) or '(none given)'}; "
            f"choose among {', '.join(SCENARIOS_BY_NAME)}"
        )
    args.scenario_names = names
    for option in ("concurrency", "days", "entries_per_day"):
        if getattr(args, option) < 1:
            parser.error(f"--{option.replace('_', '-')} must be at least 1")
    if args.duration <= 0 or args.warmup < 0 or args.timeout <= 0:
        parser.error("--duration and --timeout must be positive, --warmup not negative")
    return args


def cpu_busy_percent(sample_s: float = 1.0) -> float | None:
    """How busy this machine's CPUs are (Linux /proc/stat, over ``sample_s``), else None.

    Sampled before the benchmark starts: another process eating CPU skews every number.
    """

    def snapshot() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as stat:
            ticks = [int(x) for x in stat.readline().split()[1:]]
        idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
        return sum(ticks), idle

    try:
        total_a, idle_a = snapshot()
        time.sleep(sample_s)
        total_b, idle_b = snapshot()
    except (OSError, ValueError, IndexError):
        return None
    total = total_b - total_a
    return round(100 * (1 - (idle_b - idle_a) / total), 1) if total > 0 else None


def prepare_devices(target: Target, args: argparse.Namespace) -> list[Device]:
    log(f"checking {args.url}/health ...")
    client = Client(target, timeout=args.timeout)
    try:
        reply = client.request("GET", "/health")
    except OSError as exc:
        raise SetupError(
            f"cannot reach {args.url}: {exc}. Start the server first (bench/serve.sh)."
        ) from None
    finally:
        client.close()
    expect(reply, "GET /health", 200)

    started = time.perf_counter()
    devices = [register(target, i, args.timeout) for i in range(args.concurrency)]
    log(f"registered {len(devices)} devices; seeding {args.days} days each ...")
    with ThreadPoolExecutor(max_workers=min(len(devices), 16)) as pool:
        futures = [
            pool.submit(
                seed, target, device, args.days, args.entries_per_day, args.seed, args.timeout
            )
            for device in devices
        ]
        for future in futures:
            future.result()
    counts = dict(devices[0].counts)
    log(f"seeded in {time.perf_counter() - started:.1f} s; per device: {counts}")
    return devices


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.list:
        for scenario in SCENARIOS:
            print(f"{scenario.name:<13} {scenario.label:<32} {scenario.measures}")
        return 0
    busy = cpu_busy_percent()
    if busy is not None and busy > 20:
        log(
            f"warning: the CPUs are already {busy:.0f}% busy before the benchmark; "
            "the numbers will be noisy (what else is running?)"
        )
    try:
        target = Target.parse(args.url)
        devices = prepare_devices(target, args)
    except SetupError as exc:
        log(f"error: {exc}")
        return 2
    except OSError as exc:  # the server went away or stalled during the set-up
        log(f"error: set-up failed: {type(exc).__name__}: {exc}")
        return 2

    rows = []
    for name in args.scenario_names:
        scenario = SCENARIOS_BY_NAME[name]
        log(f"{name}: {scenario.label}, {args.concurrency} workers, {args.duration:g} s ...")
        row = run_scenario(scenario, target, devices, args)
        rows.append(row)
        note = f" ({row['errors']} errors)" if row["errors"] else ""
        log(f"  {row['req_per_s']} req/s, p95 {row['p95_ms']} ms{note}")

    print()
    print(
        f"{args.url}  concurrency={args.concurrency}  duration={args.duration:g}s  "
        f"warmup={args.warmup:g}s  devices={len(devices)}  "
        f"seeded/device={dict(devices[0].counts)}  cpu_busy_before={busy}%"
    )
    print(format_table(rows))
    failed = [row for row in rows if row["errors"] or not row["requests"]]
    for row in failed:
        print(f"\n{row['scenario']}: {row['errors']} errors; statuses {row['statuses']}")
        print(f"  first error: {row['first_error']}")
    if any("429" in row["statuses"] for row in failed):
        print(f"\nThe server throttled the benchmark (429): {THROTTLE_HINT}")

    if args.json:
        document = {
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "settings": {
                "url": args.url,
                "concurrency": args.concurrency,
                "duration_s": args.duration,
                "warmup_s": args.warmup,
                "devices": len(devices),
                "days": args.days,
                "entries_per_day": args.entries_per_day,
                "seed": args.seed,
                "seeded_per_device": dict(devices[0].counts),
            },
            "client": {
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
                "cpu_busy_before_percent": busy,
            },
            "scenarios": rows,
        }
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=2)
            handle.write("\n")
        log(f"wrote {args.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
