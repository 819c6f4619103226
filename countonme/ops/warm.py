"""Work a server process does once, before its first request instead of during it.

Django imports the URLconf (and with it every view, serializer and schema
module) on the first request a process serves, and each lazy cache along the
way fills on first use; the database pool and the Redis client connect on
first use too. Measured on the day list, the first request of a fresh worker
cost 139 ms of CPU against 2 ms for the next ones: at every worker start and
every recycle (``max_requests``) under load. With both steps below, about 3.8 ms
against 2.75 warm, ~1.6x (``bench/cold.py``; README, "Performance" → "Cold
workers").

Two steps, split by ``fork``:

- ``warm_process()`` runs where the WSGI module is imported: in gunicorn's
  master with ``preload_app`` (the workers inherit the result), else in each
  worker before it accepts. Pure computation, no I/O: a connection opened
  before ``fork`` would be shared by every worker.
- ``warm_worker(application)`` runs in each worker after ``fork``, before it
  accepts (gunicorn's ``post_worker_init``): it opens this process's database
  and Redis connections, runs the hot reads once (``HOT_READS``, finding
  nothing) and rehearses requests that write nothing to the database: a probe,
  a 401 and the app's opening reads as a device that does not exist
  (``REHEARSED_READS``). A store that does not answer is logged and left for
  the first request to retry, so a worker still starts (and ``/health`` still
  answers) during an outage.
"""

import datetime as dt
import decimal
import importlib
import io
import logging
import socket
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.db import connections
from django.db.models import Field, ForeignObject, Model
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from rest_framework.settings import api_settings

from countonme.base.compiled import CompiledInstances, CompiledQuery
from countonme.base.throttle_counters import throttle_counters

log = logging.getLogger(__name__)


def warm_process() -> None:
    """Import every view and fill the lazy caches a request would fill. No I/O.

    - the URLconf: imports every app's views and what they import; each
      route's regular expression is compiled and the reverse lookup built;
    - DRF's settings: each class path (renderers, parsers, pagination, the
      exception handler, ...) is imported on its first read;
    - the ORM: each foreign key works out its join columns and paths on first
      use, each field class its lookups, and the SQL compiler its own regular
      expressions (2-4 ms of the day list's first request). Compiling SQL
      needs the backend's code, not a connection: nothing connects here;
    - the hot reads' SQL (``HOT_READS``: ``CompiledQuery`` compiles a shape on
      its first use in each process, ~2 ms of the day list's first request),
      the time zone and the decimal context the row writers use.
    """
    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018 - the property populates the resolver
    _compile_routes(resolver)
    for name in api_settings.defaults:
        getattr(api_settings, name)
    for model in apps.get_models():
        _warm_model(model)
    for query, values in hot_reads():
        query.compile(values)
    # The time zone's file (zoneinfo reads and parses it on first use: every
    # datetime written) and the decimal context of the rows' amounts.
    dt.datetime(2000, 1, 1, tzinfo=dt.UTC).astimezone(timezone.get_current_timezone())
    Decimal(0).quantize(Decimal("0.001"), context=decimal.getcontext().copy())


def _compile_routes(resolver: URLResolver) -> None:
    for entry in resolver.url_patterns:
        entry.pattern.regex  # noqa: B018 - compiled on first read
        if isinstance(entry, URLResolver):
            _compile_routes(entry)


def _warm_model(model: type[Model]) -> None:
    for field in model._meta.get_fields():
        if isinstance(field, Field):
            field.get_lookups()
        if isinstance(field, ForeignObject):
            field.related_fields  # noqa: B018 - cached properties
            field.path_infos  # noqa: B018
            field.reverse_path_infos  # noqa: B018
    columns = [field.attname for field in model._meta.concrete_fields]
    query = model._base_manager.filter(pk__isnull=False).order_by("-pk").values_list(*columns)
    query.query.get_compiler(using=query.db).as_sql()


# The reads the app makes on opening, by the module and name of their compiled query and
# the value names of the shape it runs (``CompiledQuery`` keys a shape by them). Each is
# compiled in the master (``warm_process``) and run once in each worker (``warm_worker``).
# ``tests/test_warm.py`` checks that every one exists: a renamed query fails there.
_DAY = dt.date(2000, 1, 1)
HOT_READS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("devices.authentication", "_DEVICE_BY_ID", ("device_id",)),  # every request
    ("entries.representation", "_ENTRY_ROWS", ("device_id", "day")),  # the day list
    ("entries.representation", "_ENTRY_ROWS", ("device_id", "from", "to")),  # a range
    ("entries.stats", "_DEVICE_BY_MEAL", ("device_id", "day")),  # a day's totals
    ("entries.representation", "_CURRENT_GOAL", ("device_id",)),
    ("entries.stats", "_DEVICE_BY_DAY", ("device_id", "first", "last")),  # daily totals
    ("products.representation", "_PRODUCT_ROWS", ("device_id",)),  # the product list
    ("devices.goals.views", "_LIVE_GOAL", ("device_id",)),  # the current goal
)


def hot_reads() -> list[tuple[CompiledQuery, dict[str, Any]]]:
    """``HOT_READS``' compiled queries, each with values of its shape for no device.

    A device id no device has (a fresh random UUID), dates for the rest: run,
    each read finds no row. A name no longer found is logged and left out.
    """
    found = []
    for module, name, value_names in HOT_READS:
        query = getattr(importlib.import_module(module), name, None)
        if isinstance(query, CompiledInstances):
            query = query.query
        if not isinstance(query, CompiledQuery):
            log.warning("hot read %s.%s is not a compiled query: not warmed", module, name)
            continue
        values = {
            value: uuid.uuid4() if value in ("device_id", "pk") else _DAY for value in value_names
        }
        found.append((query, values))
    return found


def _run_hot_reads() -> None:
    """Run each hot read once on this process's connection, finding nothing.

    A new PostgreSQL backend reads a table's and its indexes' catalog entries
    the first time a query plans over them (2-6 ms of the first request's
    wait, measured on the day list); the connection is the one the worker's
    requests get from the pool.
    """
    for query, values in hot_reads():
        query.fetch(limit=1, **values)


# The reads the app makes on opening (an incremental sync, the day's entries and totals,
# the goal) and the other hot lists, rehearsed in each worker before it accepts, as a
# device that does not exist: each answers 200 with nothing in it. Three times each:
# CPython specializes a function's bytecode once it has run a few times, writing to the
# code object (a copied page). Measured in process on the day list (20 forks, CPU of
# the first request against a warm one): one pass 1.34-1.59x, three 1.38-1.45x, six
# 1.16-1.45x; over HTTP (bench/cold.py) the first request's CPU 3.8-4.5 ms with one
# pass, 3.6-3.8 with three. The cost, once per worker start, before it accepts:
# warm_worker's CPU 22-26 ms without these, 48-59 with one pass, 72-107 with three.
_DAY_PARAM = _DAY.isoformat()
REHEARSED_READS: tuple[str, ...] = (
    "/v1/sync/since",
    f"/v1/food-entries?day={_DAY_PARAM}",
    f"/v1/stats/day/{_DAY_PARAM}",
    f"/v1/stats/daily?from={_DAY_PARAM}&to={_DAY + dt.timedelta(days=30)}",
    "/v1/goals/current",
    "/v1/products",
)
REHEARSALS_EACH = 3


def warm_worker(application: WSGIHandler) -> None:
    """Open this process's connections, then rehearse requests on ``application``.

    The connections: the database's (into its pool) and the throttle
    counters' (Redis). Bounded by the stores' own timeouts
    (``DATABASE_POOL_TIMEOUT_MS``, ``DATABASE_CONNECT_TIMEOUT``); a failure
    is logged, never raised.

    The rehearsal: ``GET /health``, a ``GET /v1/food-entries`` whose token
    names no device (401, one primary-key read), then ``REHEARSED_READS`` as
    a device that does not exist (``_rehearse_as``), served in process with
    the access log muted. After ``fork`` a worker shares the master's memory
    until it writes to it, and Python writes to every object it touches
    (reference counts): the first request paid a page copy for each page of
    code and objects it used (~250 page faults on the day list; ~40 after the
    rehearsal). Nothing is written to the database: the 401 comes before
    throttles, views and services, and the reads are reads. The throttle
    counts the made-up device's calls (a Redis counter that expires in two
    minutes) like any device's.
    """
    database = _connect_database()
    try:
        throttle_counters().peek("warm")
    except Exception as error:  # whatever the store, the worker must start
        log.warning("throttle counters not reachable at worker start: %s", error)
    rehearsals = [("/health", {}, 200)]
    if database:
        try:
            _run_hot_reads()
        except Exception as error:  # the database went away since: the first request retries
            log.warning("hot reads at worker start: %s", error)
        finally:
            connections.close_all()  # back into the pool
        rehearsals.append(("/v1/food-entries", {"HTTP_AUTHORIZATION": _NO_DEVICE_TOKEN}, 401))
    # Not requests anyone made: no access log line, no error report (an answer
    # other than the expected one is one warning, and the worker starts).
    for path, headers, expected in rehearsals:
        _check(path, expected, lambda p=path, h=headers: _rehearse(application, p, **h))
    if database:
        # A made-up device (never saved); a fresh id per worker, so that no throttle
        # counter adds up over worker starts.
        device = apps.get_model(settings.COUNTONME_DEVICE_MODEL)(pk=uuid.uuid4())
        try:
            for path in REHEARSED_READS:
                for _ in range(REHEARSALS_EACH):  # one warning a path, not one a pass
                    if not _check(path, 200, lambda p=path: _rehearse_as(application, p, device)):
                        break
        finally:
            connections.close_all()  # back into the pool


def rehearse_server(worker: Any) -> None:
    """One ``GET /health`` through the gunicorn worker's own HTTP path, before it accepts.

    ``warm_worker`` rehearses the application; a sync worker's first request
    still paid ~100 page copies and ~0.8 ms of CPU in gunicorn itself (its
    parser, the WSGI environ, the response writer; measured with
    ``pre_request`` hooks). This hands the worker a request on a socket pair
    as its accept loop would (``SyncWorker.handle``) and reads the answer.
    Other worker classes are left as they are; a failure is one warning.
    """
    from gunicorn.workers.sync import SyncWorker  # gunicorn is only there when it serves

    if not isinstance(worker, SyncWorker) or not worker.sockets:
        return
    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost")
    ours, theirs = socket.socketpair()
    try:
        with ours, _muted("countonme.access", "django.request"):
            ours.sendall(
                f"GET /health HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-Proto: https\r\n"
                "Accept: application/json\r\nConnection: close\r\n\r\n".encode("ascii")
            )
            ours.shutdown(socket.SHUT_WR)  # the worker reads the request, then end of input
            requests = worker.nr
            worker.handle(worker.sockets[0], theirs, ("127.0.0.1", 0))  # closes ``theirs``
            worker.nr = requests  # not a request towards ``max_requests``
            answer = ours.recv(65536)
    except Exception as error:  # a rehearsal never stops a worker
        answer = repr(error).encode()
    finally:
        theirs.close()
    if not answer.startswith(b"HTTP/1.1 200 "):
        log.warning("rehearsal GET /health through gunicorn: %r", answer[:80])


def _check(path: str, expected: int, rehearse: Callable[[], int]) -> bool:
    """Run one rehearsal with the request logs muted; a warning when it answers otherwise."""
    try:
        with _muted("countonme.access", "django.request"):
            status = rehearse()
    except Exception as error:  # a rehearsal never stops a worker
        status = error
    if status != expected:
        log.warning("rehearsal GET %s at worker start: %s, not %s", path, status, expected)
    return status == expected


# ``{device id}.{secret}`` (devices.tokens) for a device that does not exist.
_NO_DEVICE_TOKEN = "Bearer 00000000-0000-4000-8000-000000000000.no-such-device"  # noqa: S105


@contextmanager
def _muted(*names: str) -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in names]
    before = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        yield
    finally:
        for logger, disabled in zip(loggers, before, strict=True):
            logger.disabled = disabled


def _connect_database() -> bool:
    """Open a connection of each database (back into its pool); whether all answered."""
    answered = True
    for connection in connections.all(initialized_only=False):
        try:
            connection.ensure_connection()
        except Exception as error:  # an outage (DatabaseError) or a bad setting: log it
            answered = False
            log.warning("database %s not reachable at worker start: %s", connection.alias, error)
        finally:
            # Back to the pool (PostgreSQL) or closed: requests take it from there.
            connection.close()
    return answered


def _rehearse(application: WSGIHandler, path: str, **headers: str) -> int:
    """``GET path`` through ``application`` as the proxy forwards it; the status code."""
    status: list[str] = []
    body = application(_environ(path, headers), lambda line, _h, _exc=None: status.append(line))
    try:
        b"".join(body)
    finally:
        body.close()
    return int(status[0].split()[0])


def _rehearse_as(application: WSGIHandler, path: str, device: Model) -> int:
    """``GET path`` (a query string allowed) as ``device``, through every middleware; the status.

    Authenticated the way DRF's test factory does it (``_force_auth_user``: the
    request's authenticators are replaced by one that returns ``device``): a
    request made here, in process, never from a client's input, so no token
    is needed for a device that does not exist. Closing the response ends the
    request as the WSGI handler does (``request_finished``).
    """
    path, _, query = path.partition("?")
    request = WSGIRequest(_environ(path, {"QUERY_STRING": query}))
    request._force_auth_user = request._force_auth_token = device
    response = application.get_response(request)
    try:
        b"".join(response)
    finally:
        response.close()
    return response.status_code


def _environ(path: str, headers: dict[str, str]) -> dict[str, Any]:
    """The WSGI environ of ``GET path`` as the proxy forwards it (HTTPS, the first allowed host)."""
    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost")
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "HTTP_ACCEPT": "application/json",
        # HTTPS as the proxy says it (SECURE_SSL_REDIRECT would answer 301).
        "HTTP_X_FORWARDED_PROTO": "https",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **headers,
    }
