"""Merged search latency at one connection: the starter catalog plus 100,000 Open Food Facts rows.

Issue 22's search target: p50 ≤ 20 ms at one connection on PostgreSQL for
queries of any length. This script builds the data once and measures:

1. a PostgreSQL database (``--database-url``, created when missing), migrated,
   with the starter catalog (``manage.py prepare``) and a synthetic Open Food
   Facts dump (``bench/off_dump.py``) imported by the project's own
   ``manage.py import_catalog --source off``, then ``ANALYZE``;
2. gunicorn serving it the production way (``gunicorn.conf.py``,
   ``COUNTONME_ENV=production``), a device registered through the API with
   20 products of its own;
3. per query, ``wrk -t1 -c1`` for ``--duration`` seconds: requests per second,
   p50 and p99 in ms, the 1-minute load average before the run, and the SQL
   queries of one request (Django's test client in a process of the same
   settings).

    .venv/bin/python bench/search.py \
        --database-url postgres://postgres@127.0.0.1:5432/h19_search --port 8191

Standard library only (plus the project's ``.venv`` for Django); needs ``wrk``.
The table goes to stdout and ``var/bench/search-<time>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
QUERIES = ["a", "ch", "mi", "ban", "milk", "strawberry", "chicken breast", "yoghurt", "chiken"]
DEVICE_PRODUCTS = [
    "Banana bread", "Milk chocolate bar", "Chicken curry", "Overnight oats", "Strawberry smoothie",
    "Greek salad", "Granola", "Protein shake", "Mac and cheese", "Chili con carne",
    "Apple pie", "Tomato soup", "Peanut butter toast", "Rice pudding", "Fish pie",
    "Caesar salad", "Lentil soup", "Hummus wrap", "Blueberry muffin", "Cheese omelette",
]  # fmt: skip
WRK_SCRIPT = """
local token = os.getenv("SEARCH_TOKEN")
local path = os.getenv("SEARCH_PATH")
request = function()
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end
"""
COUNT_QUERIES = """
import os, sys, django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_AUTHORIZATION="Bearer " + os.environ["SEARCH_TOKEN"])
for query in sys.argv[1:]:
    client.get("/v1/products/search", {"q": query})  # compiled once, as a warm worker has it
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/v1/products/search", {"q": query}).status_code == 200
    print(query, len(queries))
"""


def run(command: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=env, cwd=ROOT, check=True, **kwargs)


def psql(url: str, sql: str, database: str | None = None) -> str:
    parts = urlsplit(url)
    target = parts._replace(path=f"/{database}") if database else parts
    return subprocess.run(
        ["psql", target.geturl(), "-tAc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def prepare(env: dict[str, str], url: str, products: int, dump: Path) -> None:
    name = urlsplit(url).path.lstrip("/")
    exists = f"SELECT 1 FROM pg_database WHERE datname = '{name}'"  # noqa: S608 - our own URL
    if psql(url, exists, "postgres") != "1":
        psql(url, f'CREATE DATABASE "{name}"', "postgres")
    run([str(PYTHON), "manage.py", "prepare"], env)
    have = int(psql(url, "SELECT count(*) FROM products_catalogproduct WHERE source = 'off'"))
    if have < products:
        if not dump.exists():
            run([str(PYTHON), "bench/off_dump.py", str(dump), "--products", str(products)], env)
        run([str(PYTHON), "manage.py", "import_catalog", "--source", "off", str(dump)], env)
    psql(url, "ANALYZE")


def serve(env: dict[str, str]) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(GUNICORN), "countonme.wsgi:application", "--config", "gunicorn.conf.py"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://{env['HOST']}:{env['PORT']}"
    for _ in range(150):
        try:
            ready = urllib.request.urlopen(f"{base}/health/ready", timeout=1)  # noqa: S310 - http
            if ready.status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer /health/ready within 30 s")


def call(base: str, method: str, path: str, body: dict, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(  # noqa: S310 - the local server, over http
        base + path, data=json.dumps(body).encode(), headers=headers, method=method
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


def device_token(base: str) -> str:
    token = call(base, "POST", "/v1/devices/register", {"device_id": str(uuid.uuid4())})[
        "device_token"
    ]
    for name in DEVICE_PRODUCTS:
        call(base, "POST", "/v1/products", {"name": name, "kcal_100g": 200}, token)
    return token


def wrk(base: str, query: str, token: str, duration: int, script: Path) -> dict:
    env = {
        **os.environ,
        "SEARCH_TOKEN": token,
        "SEARCH_PATH": f"/v1/products/search?q={quote(query)}",
    }
    load = os.getloadavg()[0]
    output = subprocess.run(
        ["wrk", "-t1", "-c1", f"-d{duration}s", "--latency", "-s", str(script), base],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    percentiles = {
        int(p): _ms(value, unit)
        for p, value, unit in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    }
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "query": query,
        "rps": rps,
        "p50_ms": percentiles[50],
        "p99_ms": percentiles[99],
        "non_2xx": int(errors.group(1)) if errors else 0,
        "load_before": round(load, 2),
    }


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--port", type=int, default=8191)
    parser.add_argument("--products", type=int, default=100_000, help="Open Food Facts rows")
    parser.add_argument("--duration", type=int, default=8, help="seconds per query")
    parser.add_argument("--queries", default=",".join(QUERIES))
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--database-url must be a postgres:// URL (your own database name)")
    var = ROOT / "var" / "bench"
    var.mkdir(parents=True, exist_ok=True)
    secrets_file = var / "search-secrets.json"
    if not secrets_file.exists():
        secrets_file.write_text(
            json.dumps({name: secrets.token_urlsafe(50) for name in ("key", "pepper")})
        )
    keys = json.loads(secrets_file.read_text())
    instance = tempfile.mkdtemp(prefix="countonme-search-bench.")
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "COUNTONME_ENV": "production",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECRET_KEY": keys["key"],
        "DEVICE_TOKEN_PEPPER": keys["pepper"],
        "THROTTLE_DEVICE": "1000000/min",
        "THROTTLE_REGISTER": "100000/min",
        "COUNTONME_VAR_DIR": instance,
        "STATIC_ROOT": f"{instance}/static",
        "HOST": "127.0.0.1",
        "PORT": str(args.port),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "countonme.settings",
    }
    prepare(env, args.database_url, args.products, var / f"off-{args.products // 1000}k.jsonl.gz")
    server = serve(env)
    base = f"http://127.0.0.1:{args.port}"
    try:
        token = device_token(base)
        queries = args.queries.split(",")
        counted = run(
            [str(PYTHON), "-c", COUNT_QUERIES, *queries],
            {**env, "SEARCH_TOKEN": token},
            capture_output=True,
            text=True,
        ).stdout.split("\n")
        sql_counts = dict(line.rsplit(" ", 1) for line in counted if line.strip())
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        results = []
        for query in queries:
            wrk(base, query, token, 2, Path(script.name))  # warm-up: compiled SQL, caches
            result = wrk(base, query, token, args.duration, Path(script.name))
            result["queries"] = int(sql_counts.get(query, 0))
            results.append(result)
            print(
                f"{query!r:18} rps {result['rps']:7.1f}  p50 {result['p50_ms']:6.2f} ms"
                f"  p99 {result['p99_ms']:6.2f} ms  queries {result['queries']}"
                f"  non-2xx {result['non_2xx']}  load {result['load_before']}",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    catalog = int(psql(args.database_url, "SELECT count(*) FROM products_catalogproduct"))
    document = {"catalog_rows": catalog, "duration_s": args.duration, "results": results}
    out = var / f"search-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(document, indent=2))
    print(f"catalog rows: {catalog:,}; JSON: {out.relative_to(ROOT)}")
    sys.exit(0 if all(r["non_2xx"] == 0 for r in results) else 1)


if __name__ == "__main__":
    main()
