"""One replica against two, through the proxy: `make cluster` under wrk, A B A B.

    .venv/bin/python bench/replicas.py                    # ~6 minutes at the defaults
    .venv/bin/python bench/replicas.py --replicas 1,2,3 --rounds 3 --duration 10

It seeds one database (``manage.py seed_bench``: 8 devices × 365 days × 4
entries, the starter catalog), starts one `make cluster` per replica count on
that database (``deploy/cluster.py``: nginx, N gunicorn replicas with the same
workers each, PgBouncer in transaction mode, the Celery worker and beat; the
throttles raised: one client address drives every device), and runs each
scenario on each cluster in turn, ``--rounds`` times, after an unmeasured
warm-up. Every request goes through nginx and PgBouncer, as in production.

For each run it records the rps and latency wrk saw, the 1-minute load average
before it, and the CPU time each layer spent (from ``/proc``): the gunicorn
replicas, nginx, PgBouncer and the PostgreSQL backends serving the database
(Redis, shared with other users of the machine, is left out: one ``EVALSHA``
per request). CPU ms per request is the figure the capacity model in README,
"Scaling", builds on: it moves least with the machine's other load.

Scenarios: the hot paths of ``bench/scenarios.lua`` one at a time, and the
two mixes of the same file: ``app_open`` and ``meal_log`` (4 requests
each; cursors for the incremental sync are taken just before each run).

Needs ``wrk``, nginx, pgbouncer, PostgreSQL (``PGHOST``/``PGPORT``/``PGUSER``,
default ``127.0.0.1:5432``, ``postgres``) and Redis (``REDIS_URL``). The JSON of
every run goes to ``var/bench/replicas-<time>.json``; the table is printed
(markdown) and appended to ``var/bench/history.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

# bench/ is a folder of scripts, not a package: share run.py's pieces.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (
    OUT_DIR,
    PYTHON,
    REPO,
    RESULT,
    SCENARIO_LUA,
    SetupError,
    log,
    median,
    pg_args,
    process_tree_cpu,
    recreate_database,
)
from run import run as run_command

SINGLE = ["day_entries", "day_stats", "products", "search", "log_entry"]
MIXES = ["app_open", "meal_log"]
LAYERS = ("app", "proxy", "pgbouncer", "postgres")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", default="1,2", help="replica counts to compare")
    parser.add_argument("--scenarios", default=",".join(SINGLE + MIXES))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--duration", type=int, default=8, help="seconds per run")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--port", type=int, default=8240, help="first port (a cluster: proxy, replicas, PgBouncer)"
    )
    parser.add_argument("--workers", default="", help="WEB_CONCURRENCY per replica")
    parser.add_argument("--database", default="countonme_bench_cluster")
    parser.add_argument("--size", default="8x365x4", help="devices x days x entries per day")
    args = parser.parse_args(argv)
    args.replicas = [int(n) for n in args.replicas.split(",")]
    args.scenarios = args.scenarios.split(",")
    return args


class BenchCluster:
    """One `make cluster` with ``replicas`` replicas, on its own ports and directory."""

    def __init__(self, replicas: int, port: int, args: argparse.Namespace, keys: dict) -> None:
        self.replicas = replicas
        self.name = f"{replicas} replica{'s' if replicas > 1 else ''}"
        self.port = port
        self.directory = OUT_DIR / f"cluster-{replicas}"
        pg = pg_args()
        self.database = args.database
        self.env = {
            **os.environ,
            **keys,
            "PORT": str(port),
            "CLUSTER_REPLICAS": str(replicas),
            "CLUSTER_DIR": str(self.directory),
            "COUNTONME_VAR_DIR": str(self.directory / "var"),
            "DATABASE_URL": f"postgres://{pg[5]}@{pg[1]}:{pg[3]}/{args.database}",
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "THROTTLE_DEVICE": "100000000/min",
            "THROTTLE_REGISTER": "100000000/min",
        }
        if args.workers:
            self.env["WEB_CONCURRENCY"] = args.workers

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self, verb: str) -> str:
        return run_command([str(PYTHON), "-m", "deploy.cluster", verb], env=self.env, cwd=REPO)

    def pids(self) -> dict[str, list[int]]:
        """The layers' root processes (their children count through process_tree_cpu)."""
        found: dict[str, list[int]] = {layer: [] for layer in LAYERS}
        for pid_file in (self.directory / "run").glob("*.pid"):
            pid = int(pid_file.read_text().split()[0])
            layer = {"proxy": "proxy", "pgbouncer": "pgbouncer"}.get(pid_file.stem)
            if pid_file.stem.startswith("web-"):
                layer = "app"
            if layer:
                found[layer].append(pid)
        sql = f"SELECT pid FROM pg_stat_activity WHERE datname = '{self.database}'"  # noqa: S608
        out = run_command(["psql", *pg_args(), "-d", "postgres", "-tAc", sql])
        found["postgres"] = [int(line) for line in out.split()]
        return found


def cpu_by_layer(pids: dict[str, list[int]]) -> dict[str, float]:
    return {layer: sum(process_tree_cpu(pid) for pid in pids[layer]) for layer in LAYERS}


def cpu_used(before_pids: dict[str, list[int]], after_pids: dict[str, list[int]], before: dict):
    """CPU seconds each layer used between two readings.

    A PostgreSQL backend PgBouncer opened during the run (its pool grew) was not
    in the first listing: all of its time counts, it began during the run.
    """
    union = {layer: sorted(set(before_pids[layer]) | set(after_pids[layer])) for layer in LAYERS}
    after = cpu_by_layer(union)
    return {layer: after[layer] - before[layer] for layer in LAYERS}


def write_cursors(cluster: BenchCluster, data_file: Path, path: Path) -> None:
    """Each device's cursor at the end of its sync now, for ``app_open``'s incremental sync."""
    tokens = [line.split("'")[1] for line in data_file.read_text().splitlines() if "token" in line]
    cursors = []
    for token in tokens:
        cursor, more = "", True
        while more:
            request = urllib.request.Request(  # noqa: S310 - loopback
                f"{cluster.url}/v1/sync/since?limit=1000&cursor={cursor}",
                headers={"Authorization": f"Bearer {token}"},
            )
            with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
                page = json.load(answer)
            cursor, more = page["cursor"], page["has_more"]
        cursors.append(cursor)
    path.write_text("return {" + ", ".join(f"'{c}'" for c in cursors) + "}\n")


def wrk(cluster: BenchCluster, scenario: str, args: argparse.Namespace, data_file: Path) -> dict:
    """One wrk run through the cluster's proxy; its figures and each layer's CPU per request."""
    env = {**os.environ, "SCENARIO": scenario, "DATA": str(data_file)}
    if scenario in MIXES:
        cursors = OUT_DIR / f"cursors-{cluster.replicas}.lua"
        write_cursors(cluster, data_file, cursors)
        env["CURSORS"] = str(cursors)
    pids = cluster.pids()
    load = os.getloadavg()[0]
    before = cpu_by_layer(pids)
    done = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(SCENARIO_LUA),
            cluster.url,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=args.duration + 60,
        check=False,
    )
    used = cpu_used(pids, cluster.pids(), before)
    match = RESULT.search(done.stdout)
    if not match:
        raise SetupError(f"no result from wrk ({cluster.name}, {scenario}):\n{done.stderr}")
    figures: dict = {}
    for pair in match.group(1).split():
        key, _, value = pair.partition("=")
        figures[key] = value if key == "scenario" else float(value)
    requests = max(figures["requests"], 1)
    for layer in LAYERS:
        figures[f"cpu_ms_{layer}"] = round(1000 * used[layer] / requests, 3)
    figures["cpu_ms_total"] = round(sum(figures[f"cpu_ms_{layer}"] for layer in LAYERS), 3)
    figures["bad"] = int(figures["errors"] + figures["non2xx"])
    figures["load1_before"] = load
    return figures


def prepare(args: argparse.Namespace, keys: dict) -> Path:
    """Create and seed the database; the wrk data file."""
    recreate_database(args.database)
    pg = pg_args()
    env = {
        **os.environ,
        **keys,
        "DATABASE_URL": f"postgres://{pg[5]}@{pg[1]}:{pg[3]}/{args.database}",
        "COUNTONME_VAR_DIR": str(OUT_DIR / "cluster-seed"),
    }
    data_file = OUT_DIR / "cluster-data.lua"
    devices, days, per_day = args.size.split("x")
    manage = [str(PYTHON), "manage.py"]
    run_command([*manage, "migrate", "-v0"], env=env, cwd=REPO)
    run_command([*manage, "load_starter_catalog", "-v0"], env=env, cwd=REPO)
    out = run_command(
        [*manage, "seed_bench", "--devices", devices, "--days", days, "--per-day", per_day,
         "--out", str(data_file)],
        env=env,
        cwd=REPO,
    )  # fmt: skip
    log(out.strip())
    return data_file


def markdown(summary: dict, clusters: list[BenchCluster]) -> str:
    lines = [
        "| scenario | replicas | rps / p50 / p99 ms | cpu ms/req: app / nginx / pgbouncer / "
        "postgres = total | load before |",
        "|---|---:|---:|---:|---:|",
    ]
    for scenario, row in summary.items():
        for cluster in clusters:
            x = row[cluster.name]
            layers = " / ".join(f"{x[f'cpu_ms_{layer}']:.2f}" for layer in LAYERS)
            lines.append(
                f"| {scenario} | {cluster.replicas} | {x['rps']:,.0f} / {x['p50_ms']:.1f} / "
                f"{x['p99_ms']:.1f} | {layers} = **{x['cpu_ms_total']:.2f}** | "
                f"{x['load1_before']:.1f} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    keys_file = OUT_DIR / "cluster-secrets.json"
    if keys_file.exists():
        keys = json.loads(keys_file.read_text())
    else:
        keys = {name: os.urandom(40).hex() for name in ("SECRET_KEY", "DEVICE_TOKEN_PEPPER")}
        keys_file.write_text(json.dumps(keys))
        keys_file.chmod(0o600)
    started = dt.datetime.now(dt.UTC)
    # Each cluster takes its proxy port, one per replica and PgBouncer's, in a row.
    clusters, port = [], args.port
    for replicas in args.replicas:
        clusters.append(BenchCluster(replicas, port, args, keys))
        port += replicas + 2
    summary: dict = {}
    try:
        data_file = prepare(args, keys)
        for cluster in clusters:
            log(cluster.command("up").strip().splitlines()[0])
        log(f"load average before: {os.getloadavg()[0]:.2f}; {os.cpu_count()} CPUs")
        for scenario in args.scenarios:
            rounds: dict[str, list[dict]] = {c.name: [] for c in clusters}
            warmup = argparse.Namespace(**{**vars(args), "duration": args.warmup})
            for cluster in clusters:  # not measured: pools, caches, the first imports
                wrk(cluster, scenario, warmup, data_file)
            for _ in range(args.rounds):
                for cluster in clusters:
                    rounds[cluster.name].append(wrk(cluster, scenario, args, data_file))
            summary[scenario] = {}
            for name, runs in rounds.items():
                keys_ = ["rps", "p50_ms", "p99_ms", "load1_before", "cpu_ms_total"]
                keys_ += [f"cpu_ms_{layer}" for layer in LAYERS]
                summary[scenario][name] = {key: median([r[key] for r in runs]) for key in keys_}
                summary[scenario][name]["bad"] = sum(r["bad"] for r in runs)
                summary[scenario][name]["rounds"] = runs
                x = summary[scenario][name]
                log(
                    f"{scenario:12} {name:11} {x['rps']:8.1f} rps  p50 {x['p50_ms']:6.1f}  "
                    f"p99 {x['p99_ms']:6.1f}  cpu {x['cpu_ms_total']:6.2f} ms/req  bad {x['bad']}"
                )
    except SetupError as error:
        log(f"error: {error}")
        return 2
    finally:
        for cluster in clusters:
            cluster.command("down")
    table = markdown(summary, clusters)
    bad = sum(x["bad"] for row in summary.values() for x in row.values())
    document = {
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "settings": {k: v for k, v in vars(args).items()},
        "cpus": os.cpu_count(),
        "load_average_after": os.getloadavg(),
        "summary": summary,
        "table": table,
    }
    path = OUT_DIR / f"replicas-{started.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(document, indent=1, default=str))
    with (OUT_DIR / "history.md").open("a") as history:
        history.write(f"\n## {document['started']} replicas\n\n{table}\n")
    print(table)
    print(f"\n{bad or 'ZERO'} failed requests; JSON: {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
