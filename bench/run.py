"""Side-by-side benchmark: this project and the reference floor, A B A B, with wrk.

``make bench`` runs this with its defaults. It

1. creates two PostgreSQL databases (dropped first: ``countonme_bench`` and
   ``floor_bench``), migrates them, loads the starter catalog into the project's
   and seeds both with the same data set (8 devices × 365 days × 4 entries):
   ``manage.py seed_bench`` for the project, the floor's ``populate_floor.py``;
2. serves both with gunicorn: the project the production way (``gunicorn.conf.py``,
   ``COUNTONME_ENV=production``, Redis throttle counters, relaxed rates), the
   floor as its README says (4 sync workers);
3. counts the SQL queries of one request per scenario on each (Django's test
   client inside a process of each target's own settings);
4. runs every scenario against each target in turn, A B A B, ``--rounds``
   times ``--duration`` seconds with wrk (``bench/scenarios.lua``), after a short
   unmeasured warm-up, recording the 1-minute load average and the CPU time the
   server's processes used (CPU ms per request: the figure least moved by noise).
   A scenario the floor does not serve (search, sync, body weights, the goal)
   runs A B A B against the project's own day list instead: its ratio to the
   day list cancels the machine's drift as the floor's ratio does. The ``cold``
   scenario restarts workers and times their first request (``bench/cold.py``);
5. prints the table (medians of the rounds; the ratio is the median of the
   per-round ratios project/floor, or project/day list) and writes the JSON
   under ``var/bench/``.

``--scale`` runs the project against itself instead: the default data size
against 1,000 devices × 365 days × 5 entries, and prints the p50 growth.

Exit status: 0 when every request of every run answered 2xx, 1 otherwise,
2 when the set-up failed. Standard library only; needs ``wrk``, PostgreSQL's
client tools and the project's ``.venv``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cold  # bench/cold.py, beside this script

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
PYTHON = VENV_BIN / "python"
SCENARIO_LUA = REPO / "bench" / "scenarios.lua"
OUT_DIR = REPO / "var" / "bench"


def default_floor() -> Path:
    """``shared/bench/floor`` beside the checkout (or beside a folder above it: worktrees)."""
    for folder in REPO.parents:
        candidate = folder / "shared" / "bench" / "floor"
        if candidate.is_dir():
            return candidate
    return REPO.parent / "shared" / "bench" / "floor"


# Reads first, the write last: every read sees the data as seeded.
SCENARIOS = [
    "health",
    "day_entries",
    "day_stats",
    "month_stats",
    "year_stats",
    "products",
    "goal",
    "body_weights",
    "search_1",
    "search_2",
    "search_4",
    "search_words",
    "sync_200",
    "sync_1000",
    "cold",
    "log_entry",
]
# Names that stand for several scenarios in --scenarios.
ALIASES = {
    "search": ["search_1", "search_2", "search_4", "search_words"],
    "sync": ["sync_200", "sync_1000"],
}
# What the reference floor does not serve: these run A B A B against the project's
# own day list instead (REFERENCE), whose ratio cancels the machine's drift as the
# floor's does.
PROJECT_ONLY = {"goal", "body_weights", *ALIASES["search"], *ALIASES["sync"]}
FLOOR_SCENARIOS = set(SCENARIOS) - PROJECT_ONLY
REFERENCE = "day_entries"
# Not wrk's: restarts workers and times their first request (cold_starts).
COLD = "cold"
RESULT = re.compile(r"RESULT (.*)")


class SetupError(Exception):
    """The benchmark could not be set up (exit status 2)."""


@dataclass
class Target:
    """One server under load: how to prepare, serve and address it."""

    name: str
    port: int
    database: str
    data_file: Path
    scenarios: set[str]
    kind: str  # "project" or "floor"
    seed: tuple[int, int, int] = (8, 365, 4)
    process: subprocess.Popen | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    """Run a set-up command; its output on failure."""
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SetupError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def pg_args() -> list[str]:
    return [
        "-h",
        os.environ.get("PGHOST", "127.0.0.1"),
        "-p",
        os.environ.get("PGPORT", "5432"),
        "-U",
        os.environ.get("PGUSER", "postgres"),
    ]


def recreate_database(name: str) -> None:
    if "bench" not in name:
        raise SetupError(f"refusing to drop {name!r}: a benchmark database name contains 'bench'")
    run(["dropdb", *pg_args(), "--if-exists", name])
    run(["createdb", *pg_args(), name])


def database_exists(name: str) -> bool:
    sql = f"SELECT 1 FROM pg_database WHERE datname = '{name}'"  # noqa: S608 - our own name
    return run(["psql", *pg_args(), "-d", "postgres", "-tAc", sql]).strip() == "1"


def project_env(target: Target, secrets_env: dict[str, str], var_dir: Path) -> dict[str, str]:
    pg = pg_args()
    url = f"postgres://{pg[5]}@{pg[1]}:{pg[3]}/{target.database}"
    return {
        **os.environ,
        **secrets_env,
        "DATABASE_URL": url,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "COUNTONME_ENV": "production",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # One client address drives every device: the production rates would 429.
        "THROTTLE_DEVICE": "100000000/min",
        "THROTTLE_REGISTER": "100000000/min",
        "COUNTONME_VAR_DIR": str(var_dir / target.name),
        "STATIC_ROOT": str(var_dir / target.name / "static"),
        "HOST": "127.0.0.1",
        "PORT": str(target.port),
    }


def floor_env(target: Target, floor_dir: Path) -> dict[str, str]:
    pg = pg_args()
    # The project's gunicorn settings from the environment are not the floor's.
    ours = {"GUNICORN_CMD_ARGS", "WEB_CONCURRENCY", "GUNICORN_THREADS"}
    return {
        **{key: value for key, value in os.environ.items() if key not in ours},
        "FLOOR_DB": target.database,
        "PGHOST": pg[1],
        "PGPORT": pg[3],
        "PGUSER": pg[5],
        "PYTHONPATH": str(floor_dir),
        "PYTHONDONTWRITEBYTECODE": "1",  # the floor's folder is read-only
        "DJANGO_SETTINGS_MODULE": "proto.settings",
    }


def prepare(target: Target, *, reuse: bool, floor_dir: Path) -> None:
    """Create, migrate and seed the target's database (unless reused)."""
    if reuse and target.data_file.exists() and database_exists(target.database):
        log(f"[{target.name}] reusing database {target.database} and {target.data_file}")
        if target.kind == "project":  # the code may have new migrations since
            run([str(PYTHON), "manage.py", "migrate", "-v0"], env=target.env, cwd=REPO)
        return
    started = time.monotonic()
    recreate_database(target.database)
    devices, days, per_day = (str(n) for n in target.seed)
    if target.kind == "project":
        manage = [str(PYTHON), "manage.py"]
        run([*manage, "migrate", "-v0"], env=target.env, cwd=REPO)
        if any(name.startswith("search") for name in target.scenarios):
            run([*manage, "load_starter_catalog", "-v0"], env=target.env, cwd=REPO)
        out = run(
            [
                *manage,
                "seed_bench",
                "--devices",
                devices,
                "--days",
                days,
                "--per-day",
                per_day,
                "--out",
                str(target.data_file),
            ],
            env=target.env,
            cwd=REPO,
        )
    else:
        run([str(PYTHON), "manage.py", "migrate", "-v0"], env=target.env, cwd=floor_dir)
        out = run(
            [str(PYTHON), "populate_floor.py", str(target.data_file), devices, days, per_day],
            env=target.env,
            cwd=floor_dir,
        )
        run(["psql", *pg_args(), "-d", target.database, "-qc", "ANALYZE"])
    log(f"[{target.name}] {out.strip()} ({time.monotonic() - started:.1f} s)")


def start(target: Target, *, floor_dir: Path, log_dir: Path) -> None:
    """Start the target's gunicorn in its own process group; wait for /health."""
    if target.kind == "project":
        cmd = [
            str(VENV_BIN / "gunicorn"),
            "countonme.wsgi:application",
            "--config",
            "gunicorn.conf.py",
        ]
        cwd = REPO
    else:
        cmd = [
            str(VENV_BIN / "gunicorn"),
            "proto.wsgi",
            "-w",
            "4",
            "-b",
            f"127.0.0.1:{target.port}",
        ]
        cwd = floor_dir
    server_log = (log_dir / f"{target.name}-server.log").open("w")
    target.process = subprocess.Popen(
        cmd, cwd=cwd, env=target.env, stdout=server_log, stderr=server_log, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if target.process.poll() is not None:
            raise SetupError(f"[{target.name}] gunicorn exited; see {server_log.name}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{target.url}/health", timeout=1) as answer,  # noqa: S310
        ):
            if answer.status == 200:
                log(f"[{target.name}] serving on {target.url} (gunicorn {target.process.pid})")
                return
        time.sleep(0.2)
    raise SetupError(f"[{target.name}] /health did not answer within 60 s")


def stop(target: Target) -> None:
    if target.process is None or target.process.poll() is not None:
        return
    os.killpg(target.process.pid, signal.SIGTERM)
    try:
        target.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(target.process.pid, signal.SIGKILL)
        target.process.wait()


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its descendants.

    Live processes count their own time; workers that exited (recycled by
    ``max_requests``) count through their parent's ``cutime``/``cstime``, or a
    recycle in the middle of a run would make its CPU per request negative.
    """
    total, todo, seen = 0.0, [pid], set()
    tick = os.sysconf("SC_CLK_TCK")
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{current}/stat").read_text()
            fields = stat.rpartition(")")[2].split()
            total += sum(int(value) for value in fields[11:15]) / tick  # u, s, cu, cs
            todo.extend(cold.children(current))
    return total


def wrk(target: Target, scenario: str, *, duration: int, connections: int) -> dict:
    """One wrk run of a scenario; its RESULT figures plus CPU and load average."""
    env = {**os.environ, "SCENARIO": scenario, "DATA": str(target.data_file)}
    load_before = os.getloadavg()[0]
    cpu_before = process_tree_cpu(target.process.pid)
    done = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(SCENARIO_LUA),
            target.url,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=False,
    )
    cpu = process_tree_cpu(target.process.pid) - cpu_before
    match = RESULT.search(done.stdout)
    if not match:
        raise SetupError(
            f"no result from wrk ({target.name}, {scenario}):\n{done.stdout}{done.stderr}"
        )
    figures: dict = {}
    for pair in match.group(1).split():
        key, _, value = pair.partition("=")
        figures[key] = value if key == "scenario" else float(value)
    figures["bad"] = int(figures["errors"] + figures["non2xx"])
    figures["server_cpu_ms_per_request"] = round(1000 * cpu / max(figures["requests"], 1), 3)
    figures["load1_before"] = load_before
    return figures


def count_queries(target: Target, floor_dir: Path) -> dict[str, dict]:
    """SQL queries of one request of each scenario, inside a process of the target's settings."""
    script = REPO / "bench" / "count_queries.py"
    env = dict(target.env)
    cwd = REPO
    if target.kind == "floor":
        cwd = floor_dir
    elif "DJANGO_SETTINGS_MODULE" not in env:
        env["DJANGO_SETTINGS_MODULE"] = "countonme.settings"
    out = run(
        [str(PYTHON), str(script), str(target.data_file), *sorted(target.scenarios)],
        env=env,
        cwd=cwd,
    )
    return json.loads(out)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def side_by_side(targets: list[Target], args: argparse.Namespace) -> dict:
    """Every scenario against every target, A B A B; per-scenario medians and ratios.

    A scenario only the project serves runs A B A B against the project's own
    day list (``REFERENCE``) instead: ``vs_day_list`` is the median of the
    per-round ratios, the day list's rounds are kept under ``day_list``.
    """
    summary: dict = {}
    project = targets[0]
    for scenario in args.scenarios:
        if scenario == COLD:
            try:
                summary[scenario] = {
                    t.name: cold.cold_starts(
                        t.process.pid,
                        t.port,
                        t.data_file,
                        starts=args.cold_starts,
                        warm=args.cold_requests,
                    )
                    for t in targets
                    if COLD in t.scenarios
                }
            except (TimeoutError, OSError) as error:
                raise SetupError(f"cold starts: {error}") from error
            log(format_cold(summary[scenario], targets))
            continue
        # (row key, target, wrk scenario)
        running = [(t.name, t, scenario) for t in targets if scenario in t.scenarios]
        if len(running) == 1 and scenario != REFERENCE:
            running.append(("day_list", project, REFERENCE))
        for _, target, name in running:  # warm-up, not measured: pools, caches, first imports
            wrk(target, name, duration=args.warmup, connections=args.connections)
        rounds: dict[str, list[dict]] = {key: [] for key, _, _ in running}
        for _ in range(args.rounds):
            for key, target, name in running:
                rounds[key].append(
                    wrk(target, name, duration=args.duration, connections=args.connections)
                )
        row: dict = {}
        for key, runs in rounds.items():
            row[key] = {
                figure: median([r[figure] for r in runs])
                for figure in ("rps", "p50_ms", "p99_ms", "server_cpu_ms_per_request")
            }
            row[key]["bad"] = sum(r["bad"] for r in runs)
            row[key]["rounds"] = runs
        first = running[0][0]
        for key, *_ in running[1:]:
            pairs = zip(rounds[first], rounds[key], strict=True)
            # A round that finished no request (a stalled server) has no ratio.
            ratio = round(median([a["rps"] / b["rps"] for a, b in pairs if b["rps"]]), 3)
            if key == "day_list":
                row["vs_day_list"] = ratio
            else:
                row.setdefault("ratio_rps", {})[key] = ratio
        summary[scenario] = row
        log(format_row(scenario, row, targets, args.queries))
    return summary


def format_cell(figures: dict | None, queries: dict | None) -> str:
    if figures is None:
        return f"{'—':>8} {'':>7} {'':>7} {'':>6} {'':>3}"
    q = queries.get("queries", "?") if queries else "?"
    return (
        f"{figures['rps']:8.1f} {figures['p50_ms']:7.1f} {figures['p99_ms']:7.1f} "
        f"{figures['server_cpu_ms_per_request']:6.2f} {q!s:>3}"
    )


def header(targets: list[Target]) -> str:
    cells = " | ".join(
        f"{t.name + ' rps':>8} {'p50 ms':>7} {'p99 ms':>7} {'cpu ms':>6} {'q':>3}" for t in targets
    )
    return f"{'scenario':12} | {cells} | ratio | ×day | bad"


def format_row(scenario: str, row: dict, targets: list[Target], queries: dict) -> str:
    cells = " | ".join(
        format_cell(row.get(t.name), queries.get(t.name, {}).get(scenario)) for t in targets
    )
    ratios = row.get("ratio_rps", {})
    ratio = " ".join(f"{r:5.2f}" for r in ratios.values()) or "    —"
    day = f"{row['vs_day_list']:4.2f}" if "vs_day_list" in row else "   —"
    return f"{scenario:12} | {cells} | {ratio} | {day} | {bad_requests(row)}"


def format_cold(row: dict, targets: list[Target]) -> str:
    cells = []
    for t in targets:
        if t.name in row:
            c = row[t.name]
            cells.append(
                f"{t.name}: first {c['first_ms']:.1f} ms (max {c['first_max_ms']:.1f}, "
                f"cpu {c['first_cpu_ms']:.1f}), warm {c['warm_p50_ms']:.1f} ms "
                f"(cpu {c['warm_cpu_ms']:.2f}): {c['first_to_warm']:.2f}×"
            )
    return f"{COLD:12} | {' | '.join(cells)} | {bad_requests(row)}"


def bad_requests(row: dict) -> int:
    """Failed requests of one scenario's row, every target and the day list included."""
    return sum(f["bad"] for f in row.values() if isinstance(f, dict) and "bad" in f)


def cold_markdown(row: dict) -> str:
    lines = [
        "| cold start (day list) | first request p50 / max ms | warm p50 ms | first / warm | "
        "first cpu ms | warm cpu ms | starts |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, c in row.items():
        lines.append(
            f"| {name} | {c['first_ms']:.1f} / {c['first_max_ms']:.1f} | {c['warm_p50_ms']:.1f} | "
            f"{c['first_to_warm']:.2f} | {c['first_cpu_ms']:.1f} | {c['warm_cpu_ms']:.2f} | "
            f"{c['starts']} |"
        )
    return "\n".join(lines)


def markdown(summary: dict, targets: list[Target], queries: dict, scale: bool) -> str:
    """The tables for the README and the history file."""
    a, *rest = targets
    cold_row = summary.get(COLD)
    summary = {scenario: row for scenario, row in summary.items() if scenario != COLD}
    if scale:
        b = rest[0]
        lines = [
            f"| scenario | {a.name} rps / p50 / p99 ms | {b.name} rps / p50 / p99 ms | "
            "p50 growth | queries |",
            "|---|---:|---:|---:|---:|",
        ]
        for scenario, row in summary.items():
            x, y = row[a.name], row[b.name]
            q = queries.get(b.name, {}).get(scenario, {}).get("queries", "?")
            lines.append(
                f"| {scenario} | {x['rps']:,.0f} / {x['p50_ms']:.1f} / {x['p99_ms']:.1f} | "
                f"{y['rps']:,.0f} / {y['p50_ms']:.1f} / {y['p99_ms']:.1f} | "
                f"{y['p50_ms'] / x['p50_ms']:.2f} | {q} |"
            )
    else:
        lines = [
            "| scenario | project rps / p50 / p99 ms | cpu ms/req | queries | "
            "floor rps / p50 / p99 ms | cpu ms/req | queries | ratio rps | × day list |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for scenario, row in summary.items():
            x = row[a.name]
            qa = queries.get(a.name, {}).get(scenario, {}).get("queries", "?")
            cells = (
                f"| {scenario} | {x['rps']:,.0f} / {x['p50_ms']:.1f} / {x['p99_ms']:.1f} | "
                f"{x['server_cpu_ms_per_request']:.2f} | {qa} |"
            )
            other = rest[0] if rest else None
            if other is not None and other.name in row:
                y = row[other.name]
                qb = queries.get(other.name, {}).get(scenario, {}).get("queries", "?")
                cells += (
                    f" {y['rps']:,.0f} / {y['p50_ms']:.1f} / {y['p99_ms']:.1f} | "
                    f"{y['server_cpu_ms_per_request']:.2f} | {qb} | "
                    f"{row['ratio_rps'][other.name]:.2f} |"
                )
            else:
                cells += " — | | | — |"
            cells += f" {row['vs_day_list']:.2f} |" if "vs_day_list" in row else " — |"
            lines.append(cells)
    if cold_row:
        lines += ["", cold_markdown(cold_row)]
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help="Comma-separated subset, run in the order of the full list "
        "(search: the four search_*, sync: sync_200 and sync_1000).",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8, help="Seconds per measured run.")
    parser.add_argument("--warmup", type=int, default=2, help="Unmeasured seconds first.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--cold-starts", type=int, default=10, help="Worker restarts timed by the cold scenario."
    )
    parser.add_argument(
        "--cold-requests", type=int, default=100, help="Warm requests after each restart."
    )
    parser.add_argument("--port", type=int, default=8001, help="The project's port (+1: floor).")
    parser.add_argument("--size", default="8x365x4", help="devices x days x entries per day.")
    parser.add_argument(
        "--scale", action="store_true", help="Project against itself: --size against --scale-size."
    )
    parser.add_argument("--scale-size", default="1000x365x5")
    parser.add_argument("--floor-dir", type=Path, default=default_floor())
    parser.add_argument(
        "--database-prefix",
        default="",
        help="Prefix of the bench database names (several checkouts on one host).",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Keep databases and data files from the last run (faster; the "
        "entries logged by the last run stay).",
    )
    parser.add_argument("--label", default="", help="A word for the JSON file name and history.")
    parser.add_argument("--json", type=Path, help="Also write the summary here.")
    args = parser.parse_args(argv)
    chosen = set()
    for name in args.scenarios.split(","):
        chosen.update(ALIASES.get(name, [name]))
    unknown = chosen - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios {sorted(unknown)}; known: {', '.join(SCENARIOS)}")
    args.scenarios = [s for s in SCENARIOS if s in chosen]
    return args


def size(text: str) -> tuple[int, int, int]:
    devices, days, per_day = (int(n) for n in text.lower().split("x"))
    return devices, days, per_day


def make_targets(args: argparse.Namespace) -> list[Target]:
    prefix = args.database_prefix
    scenarios = set(args.scenarios)
    project = Target(
        "project",
        args.port,
        f"{prefix}countonme_bench",
        OUT_DIR / f"{prefix}project.lua",
        scenarios,
        "project",
        size(args.size),
    )
    if args.scale:
        large = Target(
            "large",
            args.port + 1,
            f"{prefix}countonme_bench_large",
            OUT_DIR / f"{prefix}project-large.lua",
            scenarios,
            "project",
            size(args.scale_size),
        )
        return [project, large]
    floor = Target(
        "floor",
        args.port + 1,
        f"{prefix}floor_bench",
        OUT_DIR / f"{prefix}floor.lua",
        scenarios & FLOOR_SCENARIOS,
        "floor",
        size(args.size),
    )
    return [project, floor]


@contextlib.contextmanager
def serving(targets: list[Target], floor_dir: Path) -> Iterator[None]:
    try:
        for target in targets:
            start(target, floor_dir=floor_dir, log_dir=OUT_DIR)
        yield
    finally:
        for target in targets:
            stop(target)


def check_tools(args: argparse.Namespace) -> None:
    for tool in ("wrk", "psql", "createdb", "dropdb"):
        if shutil.which(tool) is None:
            raise SetupError(f"{tool} is not on PATH (Debian: wrk, postgresql-client)")
    if not PYTHON.exists():
        raise SetupError("no .venv here: run `make install` first")
    if not args.scale and not (args.floor_dir / "manage.py").exists():
        raise SetupError(f"no reference floor at {args.floor_dir} (--floor-dir)")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    targets = make_targets(args)
    pepper_file = OUT_DIR / "secrets.json"  # reused with --reuse: the seeded tokens need it
    if args.reuse and pepper_file.exists():
        secrets_env = json.loads(pepper_file.read_text())
    else:
        secrets_env = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEVICE_TOKEN_PEPPER": secrets.token_urlsafe(50),
        }
        pepper_file.write_text(json.dumps(secrets_env))
        pepper_file.chmod(0o600)
    started = dt.datetime.now(dt.UTC)
    try:
        check_tools(args)
        with tempfile.TemporaryDirectory(prefix="countonme-bench-") as var_dir:
            for target in targets:
                if target.kind == "project":
                    target.env = project_env(target, secrets_env, Path(var_dir))
                else:
                    target.env = floor_env(target, args.floor_dir)
                prepare(target, reuse=args.reuse, floor_dir=args.floor_dir)
            args.queries = {t.name: count_queries(t, args.floor_dir) for t in targets}
            log(f"load average before: {os.getloadavg()[0]:.2f}; {os.cpu_count()} CPUs")
            log(header(targets))
            with serving(targets, args.floor_dir):
                summary = side_by_side(targets, args)
    except SetupError as error:
        log(f"error: {error}")
        return 2
    table = markdown(summary, targets, args.queries, args.scale)
    bad = sum(bad_requests(row) for row in summary.values())
    document = {
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "mode": "scale" if args.scale else "side-by-side",
        "label": args.label,
        "settings": {k: v for k, v in vars(args).items() if k not in ("queries", "floor_dir")},
        "targets": {
            t.name: {"database": t.database, "size": t.seed, "url": t.url} for t in targets
        },
        "cpus": os.cpu_count(),
        "load_average_after": os.getloadavg(),
        "queries": args.queries,
        "summary": summary,
        "table": table,
    }
    stamp = started.strftime("%Y%m%dT%H%M%S")
    name = f"{stamp}-{document['mode']}{'-' + args.label if args.label else ''}.json"
    for path in [OUT_DIR / name, OUT_DIR / f"latest-{document['mode']}.json", args.json]:
        if path is not None:
            Path(path).write_text(json.dumps(document, indent=1, default=str))
    with (OUT_DIR / "history.md").open("a") as history:
        history.write(
            f"\n## {document['started']} {document['mode']} {args.label}\n\n"
            f"load average at the end: {document['load_average_after'][0]:.2f}\n\n"
            f"{table}\n"
        )
    print(table)
    print(f"\n{bad or 'ZERO'} failed requests; JSON: {OUT_DIR / name}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
