#!/usr/bin/env bash
# Serve the API for benchmarking the way production runs it: gunicorn with
# gunicorn.conf.py, COUNTONME_ENV=production, PostgreSQL and Redis, after
# `manage.py prepare` (migrations + starter catalog). Only the throttles are relaxed,
# so that one client address can register and drive many devices. Runs in the
# foreground; Ctrl-C (or SIGTERM) stops gunicorn and removes the temporary var dir.
#
#   bench/serve.sh              # http://127.0.0.1:8001, database countonme_bench
#   bench/serve.sh --fresh      # drop and re-create the benchmark database first
#   bench/serve.sh 2>server.log # the server's JSON log lines (one per request) to a file
#
# Environment, with the defaults used here (README.md "Configuration" for the rest):
#   DATABASE_URL        postgres://postgres@127.0.0.1:5432/countonme_bench (created if missing)
#   REDIS_URL           redis://127.0.0.1:6379/0
#   HOST, PORT          127.0.0.1, 8001
#   THROTTLE_REGISTER   100000/min     THROTTLE_DEVICE   1000000/min
#   WEB_CONCURRENCY, GUNICORN_THREADS, DATABASE_POOL_MAX_SIZE, LOG_LEVEL: gunicorn.conf.py's
#   and settings.py's defaults (2 x CPUs + 1 sync workers, at most 8; 1 thread; pool of at most 4, one used).
set -euo pipefail

cd "$(dirname "$0")/.."
PY=.venv/bin/python
GUNICORN=.venv/bin/gunicorn
[[ -x $PY && -x $GUNICORN ]] || { echo "error: no .venv here; run 'make install' first" >&2; exit 2; }

fresh=0
for arg in "$@"; do
    case $arg in
        --fresh) fresh=1 ;;
        -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "error: unknown argument $arg (see --help)" >&2; exit 2 ;;
    esac
done

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/countonme_bench}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export HOST=${HOST:-127.0.0.1}
export PORT=${PORT:-8001}
export THROTTLE_REGISTER=${THROTTLE_REGISTER:-100000/min}
export THROTTLE_DEVICE=${THROTTLE_DEVICE:-1000000/min}
# Production settings (no debug, the production middleware and checks), served as plain
# HTTP on the loopback interface; secrets are throwaway ones made for this run.
export COUNTONME_ENV=production
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export SECRET_KEY=${SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')}
export DEVICE_TOKEN_PEPPER=${DEVICE_TOKEN_PEPPER:-$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')}

var_dir=$(mktemp -d "${TMPDIR:-/tmp}/countonme-bench.XXXXXX")
export COUNTONME_VAR_DIR=$var_dir
export STATIC_ROOT=$var_dir/static
server_pid=""
cleanup() {
    trap - EXIT INT TERM
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$var_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Refuse a port that something else already serves: the readiness check below would
# otherwise talk to that server, and the benchmark would run against it.
if ! $PY -c 'import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))' "$HOST" "$PORT" 2>/dev/null; then
    echo "error: $HOST:$PORT is already in use; pick another port: PORT=8011 $0" >&2
    exit 2
fi

# The database named in DATABASE_URL: create it when missing (--fresh: drop it first).
eval "$($PY - <<'EOF'
import os, shlex
from urllib.parse import unquote, urlsplit
url = urlsplit(os.environ["DATABASE_URL"])
if url.scheme not in {"postgres", "postgresql"}:
    raise SystemExit(f"error: DATABASE_URL must be a postgres:// URL, not {url.scheme}://")
values = {
    "db_host": url.hostname or "127.0.0.1",
    "db_port": str(url.port or 5432),
    "db_user": unquote(url.username or "postgres"),
    "db_name": unquote(url.path.lstrip("/")),
    "db_password": unquote(url.password or ""),
}
print("\n".join(f"{k}={shlex.quote(v)}" for k, v in values.items()))
EOF
)"
[[ -n $db_name ]] || { echo "error: DATABASE_URL names no database" >&2; exit 2; }
if [[ -n $db_password ]]; then export PGPASSWORD=$db_password; fi
pg=(-h "$db_host" -p "$db_port" -U "$db_user")
if ((fresh)); then
    case $db_name in
        *bench*) ;;
        *) echo "error: --fresh drops only a database whose name contains 'bench' ($db_name)" >&2; exit 2 ;;
    esac
    echo "dropping database $db_name" >&2
    dropdb "${pg[@]}" --if-exists "$db_name"
fi
exists=$(psql "${pg[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '${db_name//\'/\'\'}'")
if [[ $exists != 1 ]]; then
    echo "creating database $db_name" >&2
    createdb "${pg[@]}" "$db_name"
fi

$PY manage.py prepare --verbosity 1 >&2
# Planner statistics for the freshly loaded catalog, as autovacuum would gather within a
# minute on a production server. Without them PostgreSQL plans the catalog search as a
# sequential scan (bench/README.md, "Findings").
psql "${pg[@]}" -d "$db_name" -q -c 'ANALYZE'
if [[ $(psql "${pg[@]}" -d "$db_name" -tAc 'SHOW autovacuum') != on ]]; then
    echo "warning: autovacuum is off on this PostgreSQL: rows written by the benchmark" \
        "are never analyzed (production keeps it on)" >&2
fi

gunicorn_args=(countonme.wsgi:application --config gunicorn.conf.py)
# gunicorn >= 27 opens a control socket, by default one path per user: keep this
# server's apart so that it does not take over a development server's.
if $GUNICORN --help 2>/dev/null | grep -q -- '--control-socket '; then
    gunicorn_args+=(--control-socket "$var_dir/gunicorn.ctl")
fi
$GUNICORN "${gunicorn_args[@]}" &
server_pid=$!

ready=0
for _ in $(seq 1 150); do
    kill -0 "$server_pid" 2>/dev/null || { echo "error: gunicorn exited" >&2; exit 1; }
    if $PY -c "import sys, urllib.request as u; sys.exit(u.urlopen('http://$HOST:$PORT/health/ready', timeout=1).status != 200)" 2>/dev/null; then
        cat <<EOF
ready: http://$HOST:$PORT (gunicorn pid $server_pid, database $db_name, var $var_dir)
benchmark it from another terminal:
  SCENARIO=products DATA=var/bench/project.lua wrk -c16 -d10s -s bench/scenarios.lua http://$HOST:$PORT
  (with a data file seeded into this database: manage.py seed_bench, same DEVICE_TOKEN_PEPPER)
EOF
        ready=1
        break
    fi
    sleep 0.2
done
((ready)) || echo "warning: /health/ready did not answer 200 within 30 s; still waiting on gunicorn" >&2

wait "$server_pid"
