"""The jobs: single-run locks, the Celery tasks run in-process, the Open Food Facts deltas.

The tasks run eagerly here (``Task.apply``): the same code a worker runs, on
the test database. `tests/cluster_proofs/` runs them on a real worker.
"""

import gzip
import json
import time
from datetime import timedelta
from decimal import Decimal as D
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from countonme.jobs.celery import app, beat_schedule
from countonme.jobs.locks import JobAlreadyRunning, single_run
from countonme.jobs.progress import JobProgress, task_state_reporter
from countonme.sync import tasks as sync_tasks
from countonme.sync.purge import PURGE_JOB
from products import tasks as product_tasks
from products.catalog_jobs import CATALOG_IMPORT_JOB, pending_delta_files
from products.models import CatalogDeltaFile, CatalogProduct, Product
from tests.factories import ProductFactory

OFF_JSONL = Path(__file__).parent / "data" / "off" / "openfoodfacts-products.jsonl.gz"


def off_product(code: str, name: str, kcal: float) -> dict:
    return {
        "code": code,
        "product_name": name,
        "nutriments": {"energy-kcal_100g": kcal, "proteins_100g": 1, "carbohydrates_100g": 2},
    }


def write_delta(path: Path, *products: dict) -> Path:
    path.write_bytes(gzip.compress("".join(json.dumps(p) + "\n" for p in products).encode()))
    return path


@pytest.fixture(params=["file", pytest.param("redis", marks=pytest.mark.redis)])
def lock_store(request, settings, tmp_path):
    """Each lock test on both stores: flock under var/ (no Redis) and Redis."""
    settings.VAR_DIR = tmp_path
    if request.param == "file":
        settings.REDIS_URL = ""
    return request.param


# --- The single-run lock ----------------------------------------------------------


def test_a_second_copy_of_a_job_ends_at_once(lock_store):
    with single_run("nightly"):
        with (
            pytest.raises(JobAlreadyRunning, match="nightly is already running"),
            single_run("nightly"),
        ):
            pytest.fail("a second copy ran")
        with single_run("another job"):  # locks are per job
            pass
    with single_run("nightly"):  # released when the first copy ended
        pass


def test_a_job_that_fails_releases_its_lock(lock_store):
    with pytest.raises(ZeroDivisionError), single_run("fragile"):
        1 / 0  # noqa: B018
    with single_run("fragile"):
        pass


@pytest.mark.redis
def test_a_lock_whose_holder_stopped_renewing_expires_and_is_not_released_by_it(settings):
    settings.JOBS_LOCK_SECONDS = 1
    stalled = single_run("stalled")
    stalled.__enter__()
    time.sleep(1.2)  # the holder hangs, renewing nothing: the lock expires
    successor = single_run("stalled")
    successor.__enter__()  # another copy takes over
    stalled.__exit__(None, None, None)  # the stalled copy ends at last...
    with pytest.raises(JobAlreadyRunning), single_run("stalled"):
        pass  # ... without freeing the successor's lock
    successor.__exit__(None, None, None)
    with single_run("stalled"):
        pass


@pytest.mark.redis
def test_renewing_pushes_the_expiry_back(settings):
    settings.JOBS_LOCK_SECONDS = 2
    with single_run("long") as lease:
        for _ in range(3):
            time.sleep(0.9)
            lease._renewed -= 10  # as if the last renewal were long ago
            lease.renew()
        # 2.7 s after taking a 2 s lock, it is still held.
        with pytest.raises(JobAlreadyRunning), single_run("long"):
            pass


# --- Progress ---------------------------------------------------------------------


def test_progress_reports_phases_counts_and_renews_the_lock(settings, tmp_path):
    settings.REDIS_URL = ""
    settings.VAR_DIR = tmp_path
    reports = []
    with single_run("counting") as lease:
        progress = JobProgress("counting", lease=lease, report=reports.append)
        progress.start("reading a.json.gz", 1000)
        assert list(progress.count(range(3))) == [0, 1, 2]
        progress.add(4)
        progress.finish()
    assert reports[0] == {
        "job": "counting",
        "phase": "reading a.json.gz",
        "done": 0,
        "total": 1000,
        "items": 0,
    }
    assert reports[-1] == {**reports[0], "done": 1000, "items": 7}


def test_a_task_called_directly_has_no_state_to_report():
    assert task_state_reporter(sync_tasks.purge_deleted) is None


def test_the_beat_schedules_the_purge_daily_and_the_deltas_hourly(settings):
    settings.JOBS_PURGE_CRONTAB = "17 3 * * *"
    settings.JOBS_OFF_DELTA_CRONTAB = "47 * * * *"
    schedule = beat_schedule()
    assert {name: entry["task"] for name, entry in schedule.items()} == {
        "purge-deleted": "countonme.purge_deleted",
        "import-off-deltas": "products.import_off_deltas",
    }
    assert schedule["purge-deleted"]["schedule"].hour == {3}
    assert schedule["purge-deleted"]["schedule"].minute == {17}
    assert schedule["import-off-deltas"]["schedule"].hour == set(range(24))
    assert set(app.tasks) >= {
        "countonme.purge_deleted",
        "products.import_catalog",
        "products.import_off_deltas",
    }


# --- The purge job ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_purge_task_erases_old_tombstones_and_says_how_many(device):
    old, recent = ProductFactory(device=device), ProductFactory(device=device)
    for product, days in ((old, 40), (recent, 10)):
        product.delete()
        Product.all_objects.filter(pk=product.pk).update(
            deleted_at=timezone.now() - timedelta(days=days)
        )

    result = sync_tasks.purge_deleted.apply(kwargs={"older_than": "30d"}).get()

    assert result["total"] == 1
    assert result["removed"]["products.Product"] == 1
    assert list(Product.all_objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_a_purge_started_while_another_runs_is_skipped_not_failed(device, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    doomed = ProductFactory(device=device)
    doomed.delete()
    out = StringIO()
    with single_run(PURGE_JOB):
        result = sync_tasks.purge_deleted.apply(kwargs={"older_than": "0d"}).get()
        call_command("purge_deleted", "--older-than", "0d", stdout=out)
    assert result == {
        "skipped": "purge-deleted is already running elsewhere; this copy did nothing."
    }
    assert "already running" in out.getvalue()
    assert Product.all_objects.filter(pk=doomed.pk).exists()  # neither copy touched it


# --- Catalog imports ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_import_task_imports_a_dump_and_returns_its_summary():
    result = product_tasks.import_catalog.apply(
        kwargs={"source": "off", "path": str(OFF_JSONL)}
    ).get()

    assert (result["read"], result["created"], result["updated"]) == (9, 3, 0)
    assert sum(result["skipped"].values()) == 6
    assert CatalogProduct.objects.get(source="off", source_id="3017620422003").name == "Nutella"
    again = product_tasks.import_catalog.apply(
        kwargs={"source": "off", "path": str(OFF_JSONL)}
    ).get()
    assert (again["created"], again["unchanged"]) == (0, 3)


@pytest.mark.django_db
def test_an_import_while_another_runs_is_skipped(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    with single_run(CATALOG_IMPORT_JOB):
        result = product_tasks.import_catalog.apply(
            kwargs={"source": "off", "path": str(OFF_JSONL)}
        ).get()
    assert "already running" in result["skipped"]
    assert not CatalogProduct.objects.filter(source="off").exists()


@pytest.mark.django_db
def test_an_unreadable_dump_fails_the_task_with_the_readers_message(tmp_path):
    truncated = tmp_path / "products.jsonl.gz"
    truncated.write_bytes(OFF_JSONL.read_bytes()[:60])
    outcome = product_tasks.import_catalog.apply(kwargs={"source": "off", "path": str(truncated)})
    assert outcome.failed()
    assert isinstance(outcome.result, EOFError | OSError)


@pytest.mark.django_db
def test_off_deltas_apply_in_name_order_once_each(tmp_path):
    deltas = tmp_path / "deltas"
    deltas.mkdir()
    write_delta(
        deltas / "products_1700000000_1700086400.json.gz",
        off_product("1111111111116", "Granola", 450),
        off_product("2222222222222", "Skyr", 60),
    )
    # The next day's file changes the granola; it must win whatever the listing order.
    write_delta(
        deltas / "products_1700086400_1700172800.json.gz",
        off_product("1111111111116", "Granola, less sugar", 420),
    )
    (deltas / "products_1700172800_1700259200.json.gz.part").write_bytes(b"half a downl")
    (deltas / "index.txt").write_text("products_1700000000_1700086400.json.gz\n")

    result = product_tasks.import_off_deltas.apply(kwargs={"directory": str(deltas)}).get()

    assert [(f["name"], f["created"], f["updated"]) for f in result["applied"]] == [
        ("products_1700000000_1700086400.json.gz", 2, 0),
        ("products_1700086400_1700172800.json.gz", 0, 1),
    ]
    granola = CatalogProduct.objects.get(source="off", source_id="1111111111116")
    assert (granola.name, granola.kcal_100g) == ("Granola, less sugar", D(420))
    assert list(CatalogDeltaFile.objects.order_by("name").values_list("name", "read")) == [
        ("products_1700000000_1700086400.json.gz", 2),
        ("products_1700086400_1700172800.json.gz", 1),
    ]
    # The next run has nothing new: the recorded files are not read again.
    assert product_tasks.import_off_deltas.apply(kwargs={"directory": str(deltas)}).get() == {
        "applied": []
    }
    assert pending_delta_files(deltas) == []


@pytest.mark.django_db
def test_an_unreadable_delta_stops_the_run_before_any_later_file(tmp_path):
    write_delta(tmp_path / "products_1_2.json.gz", off_product("1111111111116", "Granola", 450))
    (tmp_path / "products_2_3.json.gz").write_bytes(gzip.compress(b'{"code": "3"}\n')[:15])
    write_delta(tmp_path / "products_3_4.json.gz", off_product("2222222222222", "Skyr", 60))

    with pytest.raises(CommandError, match="cannot be read to the end"):
        call_command("import_off_deltas", str(tmp_path), stdout=StringIO())

    assert list(CatalogDeltaFile.objects.values_list("name", flat=True)) == ["products_1_2.json.gz"]
    assert not CatalogProduct.objects.filter(source_id="2222222222222").exists()


@pytest.mark.django_db
def test_the_delta_command_reports_each_file_and_needs_a_directory(tmp_path, settings):
    write_delta(tmp_path / "products_1_2.json.gz", off_product("1111111111116", "Granola", 450))
    settings.OFF_DELTA_DIR = str(tmp_path)
    out = StringIO()
    call_command("import_off_deltas", stdout=out)
    assert out.getvalue() == (
        "products_1_2.json.gz: read 1, created 1, updated 0, unchanged 0, skipped 0\n"
        f"Applied 1 delta files from {tmp_path}.\n"
    )
    with pytest.raises(CommandError, match="no such directory"):
        call_command("import_off_deltas", str(tmp_path / "missing"))
    settings.OFF_DELTA_DIR = ""
    with pytest.raises(CommandError, match="set OFF_DELTA_DIR"):
        call_command("import_off_deltas")
    assert product_tasks.import_off_deltas.apply().get() == {"skipped": "OFF_DELTA_DIR is not set."}


# --- PostgreSQL behind PgBouncer in transaction mode -----------------------------------


@pytest.mark.postgres
@pytest.mark.django_db
def test_no_prepared_statements_and_no_server_side_cursors_on_postgres(monkeypatch, device):
    ProductFactory.create_batch(3, device=device)
    connection.ensure_connection()
    assert connection.connection.prepare_threshold is None

    def named_cursor() -> None:
        # DECLAREd in one transaction and FETCHed from in the next, which PgBouncer
        # may run on another server connection.
        pytest.fail("QuerySet.iterator() opened a server-side cursor")

    monkeypatch.setattr(connection, "chunked_cursor", named_cursor)
    assert len(list(Product.objects.filter(device=device).iterator(chunk_size=2))) == 3
