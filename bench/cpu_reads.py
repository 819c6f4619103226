"""CPU per request of the read paths, in process: the WSGI app called directly, no HTTP.

What ``make bench`` measures over HTTP on a quiet machine, taken apart on a busy
one: each request is a call of ``countonme.wsgi.application`` with a plain WSGI
environ (the whole middleware stack, authentication, throttle, view, JSON), timed
with ``time.process_time`` (this process's CPU: the database's own work is not in
it). Scenarios are interleaved round by round (A B A B) so drift on the machine
hits each alike; the figure is the median over every request of a scenario.

Against a database seeded by ``manage.py seed_bench --out FILE`` (the devices'
tokens are read from that file), with the throttle raised::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mydb THROTTLE_DEVICE=1000000/min \\
      .venv/bin/python bench/cpu_reads.py --tokens var/bench/project.lua \\
      --scenarios body_weights,day_entries,sync_1000 --rounds 10 --requests 50

``--profile SCENARIO`` runs that scenario under cProfile instead and prints the
top functions (``--sort tottime`` or ``cumulative``).
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "countonme.settings")

PATHS = {
    "body_weights": lambda n: "/v1/body-weights",
    "day_entries": lambda n: f"/v1/food-entries?day=2025-{1 + n % 12:02d}-{1 + n % 28:02d}",
    "goal": lambda n: "/v1/goals/current",
    "products": lambda n: "/v1/products",
    "sync_200": lambda n: "/v1/sync/since?limit=200",
    "sync_1000": lambda n: "/v1/sync/since?limit=1000",
}


def environ(path: str, token: str) -> dict:
    """A WSGI environ of ``GET path`` with the device's bearer token."""
    script, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": script,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "HTTP_ACCEPT": "application/json",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def call(application, path: str, token: str) -> bytes:
    status = []
    body = b"".join(application(environ(path, token), lambda s, h, e=None: status.append(s)))
    if not status[0].startswith("200"):
        raise SystemExit(f"{path}: {status[0]} {body[:300]!r}")
    return body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tokens", required=True, help="seed_bench's --out file")
    parser.add_argument("--scenarios", default="body_weights,day_entries,sync_1000")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--requests", type=int, default=30, help="per scenario and round")
    parser.add_argument("--profile", help="cProfile this scenario instead")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--dump", help="also write the profile to this file (pstats)")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()

    import logging

    from countonme.wsgi import application

    logging.disable(logging.CRITICAL)  # the request log line per call is not what we measure
    tokens = re.findall(r"token = '([^']+)'", Path(args.tokens).read_text())
    scenarios = args.scenarios.split(",")
    for name in scenarios:  # warm each path once per device
        for n, token in enumerate(tokens):
            call(application, PATHS[name](n), token)

    if args.profile:
        profile = cProfile.Profile(time.process_time)  # CPU, not waits
        profile.enable()
        for n in range(args.requests * args.rounds):
            call(application, PATHS[args.profile](n), tokens[n % len(tokens)])
        profile.disable()
        if args.dump:
            profile.dump_stats(args.dump)
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats(args.sort)
        stats.print_stats(args.top)
        print(out.getvalue())
        return

    times: dict[str, list[float]] = {name: [] for name in scenarios}
    for _ in range(args.rounds):
        for name in scenarios:
            for n in range(args.requests):
                token = tokens[n % len(tokens)]
                start = time.process_time()
                call(application, PATHS[name](n), token)
                times[name].append(time.process_time() - start)
    for name in scenarios:
        ms = sorted(t * 1000 for t in times[name])
        print(
            f"{name:14} median {statistics.median(ms):7.3f} ms  "
            f"p10 {ms[len(ms) // 10]:7.3f}  p90 {ms[len(ms) * 9 // 10]:7.3f}  n={len(ms)}"
        )
    if {"body_weights", "day_entries"} <= set(scenarios):
        ratio = statistics.median(times["day_entries"]) / statistics.median(times["body_weights"])
        print(f"day list CPU / body weights CPU: {ratio:.3f}")


if __name__ == "__main__":
    main()
