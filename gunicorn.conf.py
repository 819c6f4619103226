"""gunicorn settings, from the environment (README.md, "Configuration")."""

import gc
import multiprocessing
import os

import gunicorn.http.wsgi

_cpus = multiprocessing.cpu_count()

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * _cpus + 1, 8)))
# Sync workers, one request each, by default: a request spends well under a
# millisecond waiting on PostgreSQL, so threads overlap little and cost more
# (GIL hand-offs, keep-alive connections piling onto one worker). Measured with
# `make bench` on 2 cores (README, Performance): 5 sync workers served the hot
# reads at 1.0-1.06x the floor with p99 33-36 ms, 5 workers x 4 threads at
# 0.56-0.69x with p99 108-316 ms. Sync workers keep no connection alive and
# give a slow client a whole worker: production runs behind nginx, which
# buffers requests and responses and holds the clients' keep-alive
# (deploy/nginx). GUNICORN_THREADS > 1 switches to gthread.
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_class = "gthread" if threads > 1 else "sync"
# Load the app once in the master and fork the workers from it: a worker
# recycled by max_requests is serving again at once instead of importing
# Django for a second (which showed as a dip in throughput under load).
# Importing countonme.wsgi also imports the URLconf and every view and fills
# the lazy caches (countonme.ops.warm): a fresh worker's first request cost
# 139 ms of CPU, now about 4 (bench/README.md, "Cold workers"). Nothing connects
# in the master: each worker opens its own database and Redis connections in
# post_worker_init, below.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in {"1", "true", "yes"}
# Off by default. With it on, each worker accepts on its own SO_REUSEPORT socket and
# the kernel spreads keep-alive connections over the workers (with one shared socket
# they pile onto whichever worker accepts first). But a worker's socket closes when
# it exits: while workers recycle (max_requests) the connections queued on it are
# reset, and when every worker recycles at once nothing listens at all (bench/README.md,
# "Findings": 33,000 refused connections in the 2 s two workers took to boot).
reuse_port = os.environ.get("GUNICORN_REUSE_PORT", "false").lower() in {"1", "true", "yes"}

timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))  # a stuck request is killed after this
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 10_000
max_requests_jitter = 1_000
# Request lines are logged by countonme.ops.middleware.RequestLogMiddleware (as JSON, never
# with headers); gunicorn's own access log stays off so nothing logs twice.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Addresses whose X-Forwarded-* headers gunicorn believes (comma-separated):
# the reverse proxy's. Django decides separately, with TRUSTED_PROXY_COUNT.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 24+ opens a control socket at ~/.gunicorn/gunicorn.ctl by default;
# two instances on one host (a dev server and the end-to-end tests) would
# fight over it, and nothing here uses it. Older versions ignore this name.
control_socket_disable = True

# gunicorn names itself in a `Server` header on every response and has no
# setting for it; the name only helps an attacker pick exploits. Response
# objects read this module global when they are made.
gunicorn.http.wsgi.SERVER = "countonme"


def when_ready(server: object) -> None:
    """Tell whoever ran `make run` where to go once the socket listens."""
    # Just before the first fork: move what the master loaded (~110,000 objects with
    # the app preloaded) out of the collector's reach. A worker's full collection
    # walked them all (45 ms measured) and wrote to each one's header, copying the
    # pages the workers shared with the master.
    gc.freeze()
    base = f"http://{bind}"
    print(
        f"\nCountOnMe is up at {base}\n"
        f"  Start:    {base}/api/docs/getting-started/ (register, log a food, read a day, sync)\n"
        f"  API docs: {base}/api/docs/ (Swagger UI), {base}/api/redoc/ (Redoc)\n"
        f"  Admin:    {base}/admin/ (staff user: .venv/bin/python manage.py createsuperuser)\n"
        "  Demo data: .venv/bin/python manage.py seed_demo (3 devices, a month of diary each)\n"
        "  Barcodes: the starter catalog has none; import Open Food Facts first:\n"
        "            .venv/bin/python manage.py import_catalog --source off "
        "openfoodfacts-products.jsonl.gz\n"
        "  Stop with Ctrl+C.\n",
        flush=True,
    )


def post_worker_init(worker: object) -> None:
    """Open this worker's connections and rehearse requests before it accepts one."""
    from countonme.ops import warm  # the app is loaded by now, preloaded or not

    warm.warm_worker(worker.wsgi)
    warm.rehearse_server(worker)
