"""SQL queries of one request per scenario, counted inside a process of the target's settings.

Run by ``bench/run.py`` with the target's environment (``DJANGO_SETTINGS_MODULE``,
database, pepper): the requests go through Django's test client, the same
middleware and views as the server, with ``CaptureQueriesContext`` around each.
Prints ``{scenario: {"status": int, "queries": int}}`` as JSON.

With ``--repeat N`` it also times N requests of each scenario, one after the
other in this one thread, and adds ``cpu_ms`` (this process's CPU time per
request: Python's cost, the database's excluded) and ``wall_ms``. CPU time is
far steadier than throughput on a busy machine: compare code changes with it.

usage: python bench/count_queries.py [--repeat N] DATA_LUA SCENARIO [SCENARIO ...]
"""

import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

import django


def first_device(data_file: Path) -> tuple[str, str, tuple[str, str]]:
    """The first device's token, the first seeded day and its first (product, portion)."""
    text = data_file.read_text()
    start = re.search(r"start = '([0-9-]+)'", text).group(1)
    device = re.search(r"token = '([^']+)', foods = \{\{'([^']+)', '([^']+)'\}", text)
    return device.group(1), start, (device.group(2), device.group(3))


def main() -> None:
    args = sys.argv[1:]
    repeat = 0
    if args[0] == "--repeat":
        repeat, args = int(args[1]), args[2:]
    data_file, scenarios = Path(args[0]), args[1:]
    sys.path.insert(0, str(Path.cwd()))
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    token, start, (product, portion) = first_device(data_file)
    day = dt.date.fromisoformat(start) + dt.timedelta(days=10)
    later = day + dt.timedelta(days=29)
    year = day + dt.timedelta(days=365)
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
    body = json.dumps({"product_id": product, "portion_id": portion, "day": str(day),
                       "meal_type": "lunch", "amount": "120", "unit": "g"})  # fmt: skip
    requests = {
        "health": lambda: client.get("/health"),
        "day_entries": lambda: client.get(f"/v1/food-entries?day={day}"),
        "day_stats": lambda: client.get(f"/v1/stats/day/{day}"),
        "month_stats": lambda: client.get(f"/v1/stats/daily?from={day}&to={later}"),
        "year_stats": lambda: client.get(f"/v1/stats/daily?from={day}&to={year}"),
        "products": lambda: client.get("/v1/products"),
        "goal": lambda: client.get("/v1/goals/current"),
        "body_weights": lambda: client.get("/v1/body-weights"),
        "search_1": lambda: client.get("/v1/products/search?q=a"),
        "search_2": lambda: client.get("/v1/products/search?q=ch"),
        "search_4": lambda: client.get("/v1/products/search?q=chic"),
        "search_words": lambda: client.get("/v1/products/search?q=chicken%20breast"),
        "sync_200": lambda: client.get("/v1/sync/since?limit=200"),
        "sync_1000": lambda: client.get("/v1/sync/since?limit=1000"),
        "log_entry": lambda: client.post("/v1/food-entries", body, content_type="application/json"),
    }
    # The cold scenario times the day list's first request in a new worker.
    requests["cold"] = requests["day_entries"]
    counts = {}
    for scenario in scenarios:
        requests[scenario]()  # the first request of a process pays one-off costs
        with CaptureQueriesContext(connection) as captured:
            response = requests[scenario]()
        counts[scenario] = {"status": response.status_code, "queries": len(captured)}
        if repeat and scenario != "log_entry":
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(repeat):
                requests[scenario]()
            counts[scenario]["cpu_ms"] = round((time.process_time() - cpu) * 1000 / repeat, 3)
            counts[scenario]["wall_ms"] = round((time.perf_counter() - wall) * 1000 / repeat, 3)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
