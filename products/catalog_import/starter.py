"""The starter catalog file: food records as gzipped JSON lines.

The first line is a header (format, source release, food count, citation);
every other line is one food. Numbers are written as the source wrote them
(text), so reading the file back gives exactly the records a direct import
of the source would. Writing is byte-for-byte reproducible: foods are written
in the order given, with a fixed gzip timestamp and no file name.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from products.catalog_import.records import FoodRecord, Measure

FORMAT = "countonme-catalog-records"
VERSION = 1


def write_records(*, path: Path, header: dict[str, Any], records: Iterable[FoodRecord]) -> int:
    """Write ``records`` to ``path`` after ``header``; the number of foods written."""
    count = 0
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as zipped,
        io.TextIOWrapper(zipped, encoding="utf-8", newline="\n") as text,
    ):
        text.write(_line({"format": FORMAT, "version": VERSION, **header}))
        for record in records:
            text.write(_line(_to_json(record)))
            count += 1
    return count


def read_header(*, path: Path) -> dict[str, Any]:
    """The header of the starter file at ``path``."""
    with gzip.open(path, "rt", encoding="utf-8") as text:
        return _header(text.readline(), path)


def read_records(*, path: Path) -> Iterator[FoodRecord]:
    """The foods of the starter file at ``path``, streamed."""
    with gzip.open(path, "rt", encoding="utf-8") as text:
        _header(text.readline(), path)
        for line in text:
            yield _from_json(json.loads(line))


def _header(line: str, path: Path) -> dict[str, Any]:
    header = json.loads(line) if line.strip() else {}
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise ValueError(f"{path}: not a version-{VERSION} {FORMAT} file.")
    return header


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _to_json(record: FoodRecord) -> dict[str, Any]:
    data: dict[str, Any] = {
        "source": record.source,
        "source_id": record.source_id,
        "name": record.name,
        "kcal": _number(record.kcal_100g),
        "protein": _number(record.protein_100g),
        "carbs": _number(record.carbs_100g),
        "fat": _number(record.fat_100g),
        "measures": [
            [str(m.amount), m.description, _number(m.gram_weight)] for m in record.measures
        ],
    }
    # Left out when empty or equal to the name: a third of the file otherwise.
    optional = {
        "display_name": record.display_name if record.display_name != record.name else "",
        "category": record.category,
        "brand": record.brand,
        "barcode": record.barcode,
    }
    data.update({key: value for key, value in optional.items() if value})
    return data


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _from_json(data: dict[str, Any]) -> FoodRecord:
    return FoodRecord(
        source=data["source"],
        source_id=data["source_id"],
        name=data["name"],
        display_name=data.get("display_name") or data["name"],
        category=data.get("category", ""),
        brand=data.get("brand", ""),
        barcode=data.get("barcode"),
        kcal_100g=_decimal(data["kcal"]),
        protein_100g=_decimal(data["protein"]),
        carbs_100g=_decimal(data["carbs"]),
        fat_100g=_decimal(data["fat"]),
        measures=[
            Measure(amount=Decimal(amount), description=description, gram_weight=_decimal(grams))
            for amount, description, grams in data["measures"]
        ],
    )
