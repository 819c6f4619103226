"""Columns read as the database's text (UUIDs, days, times) answer the bytes of parsed values.

On PostgreSQL the fast lists and sync read those columns as text
(``CompiledQuery.fetch(text=...)``, ``RowWriter.text_positions``); on SQLite the
same code reads values. Either way the body is the serializer's.
"""

import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from countonme.base.compiled import CompiledQuery
from countonme.base.row_writer import _utc_iso
from countonme.sync.changes import sync_registry
from entries.body_weights.representation import WEIGHT_ROWS
from entries.body_weights.serializers import BodyWeightSerializer
from entries.models import BodyWeight, FoodEntry
from tests.factories import (
    BodyWeightFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
    ProductFactory,
)

UTC = dt.UTC
# Microseconds PostgreSQL writes differently from Python: none, trailing zeros
# it drops, leading zeros, all six digits.
MOMENTS = [
    dt.datetime(2026, 3, 14, 8, 5, 9, 0, tzinfo=UTC),
    dt.datetime(2026, 3, 14, 8, 5, 9, 120_000, tzinfo=UTC),
    dt.datetime(2026, 3, 14, 8, 5, 9, 100_000, tzinfo=UTC),
    dt.datetime(2026, 3, 14, 8, 5, 9, 5, tzinfo=UTC),
    dt.datetime(2026, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    dt.datetime(999, 1, 2, 3, 4, 5, 60, tzinfo=UTC),
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_postgresqls_text_of_a_utc_time_is_written_as_isoformat(moment):
    fraction = f".{moment.microsecond:06d}".rstrip("0").rstrip(".")
    text = f"{moment.isoformat(sep=' ')[:19]}{fraction}+00"  # PostgreSQL's ISO output
    assert _utc_iso(text) == moment.isoformat().replace("+00:00", "Z")


@pytest.fixture
def weights(device):
    rows = [BodyWeightFactory(device=device, weight_kg=Decimal(f"7{n}.5")) for n in range(6)]
    for row, moment in zip(rows, MOMENTS, strict=True):
        BodyWeight.objects.filter(pk=row.pk).update(
            created_at=moment, updated_at=moment + dt.timedelta(microseconds=10)
        )
    return rows


def expected(device) -> bytes:
    return JSONRenderer().render(
        BodyWeightSerializer(
            BodyWeight.objects.filter(device=device).order_by("day"), many=True
        ).data
    )


@pytest.mark.django_db
def test_the_weights_list_writes_each_time_as_the_serializer(weights, device, device_client):
    response = device_client.get("/v1/body-weights")
    assert response.status_code == 200
    assert response.content == expected(device)


_QUERY = CompiledQuery(
    lambda device_id: (
        BodyWeight.objects.filter(device_id=device_id)
        .order_by("day")
        .values_list(*WEIGHT_ROWS.columns)
    )
)


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["UTC", "America/St_Johns", "Asia/Kolkata"])
def test_times_read_as_text_are_written_in_the_requests_zone(zone, weights, device):
    with timezone.override(ZoneInfo(zone)):
        rows = _QUERY.fetch(device_id=device.pk, text=WEIGHT_ROWS.text_positions())
        body = JSONRenderer().render(WEIGHT_ROWS.write(rows))
        assert body == expected(device)
    if connection.vendor == "postgresql":  # read as text, unparsed
        assert {type(value) for row in rows for value in row} == {str}


@pytest.mark.django_db
def test_a_type_is_read_as_text_only_when_every_column_of_it_may_be(weights, device):
    # Only the first time column may come as text: the second keeps it a datetime,
    # so neither does; the id and the day may, so they do (on PostgreSQL).
    rows = _QUERY.fetch(device_id=device.pk, text=frozenset({0, 1, 3}))
    id_, day, weight, created, updated = rows[0]
    assert type(created) is dt.datetime
    assert type(updated) is dt.datetime
    assert type(weight) is Decimal
    if connection.vendor == "postgresql":
        assert (id_, day) == (str(weights[0].pk), weights[0].day.isoformat())
    else:
        assert (id_, day) == (weights[0].pk, weights[0].day)
    untouched = _QUERY.fetch(device_id=device.pk)
    assert type(untouched[0][0]) is uuid.UUID
    assert type(untouched[0][3]) is dt.datetime


@pytest.mark.django_db
def test_a_sync_page_writes_every_kind_as_its_serializer(weights, device, device_client):
    """Ids, days and times (tombstones' ``deleted_at`` too) as the serializers write them."""
    entry = FoodEntryFactory(portion=PortionFactory(product=ProductFactory(device=device)))
    GoalFactory(device=device, manual=True).delete()  # a tombstone
    weights[2].delete()
    BodyWeight.all_objects.filter(pk=weights[2].pk).update(deleted_at=MOMENTS[1])
    FoodEntry.objects.filter(pk=entry.pk).update(created_at=MOMENTS[0])
    page = device_client.get("/v1/sync/since?limit=1000")
    assert page.status_code == 200
    body = page.json()
    for kind in sync_registry:
        rows = kind.model.all_objects.filter(device=device).order_by("version", "id")
        if kind.name == "products":
            rows = rows.with_default_portion()
        assert len(rows) > 0
        assert JSONRenderer().render(body[kind.name]) == JSONRenderer().render(
            kind.serializer(rows, many=True).data
        ), kind.name


@pytest.mark.django_db
def test_sync_pages_through_rows_of_one_version_by_id(device, device_client):
    """The cursor's id (read as text on PostgreSQL) orders and resumes as the UUID does."""
    for _ in range(7):
        BodyWeightFactory(device=device)
    BodyWeight.objects.filter(device=device).update(weight_kg=Decimal(70))  # one version
    expected_ids = sorted(BodyWeight.objects.filter(device=device).values_list("id", flat=True))
    seen, cursor = [], ""
    while True:
        page = device_client.get(f"/v1/sync/since?limit=2&cursor={cursor}").json()
        seen += [row["id"] for row in page["body_weights"]]
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    assert seen == [str(value) for value in expected_ids]
