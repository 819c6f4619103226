"""Open Food Facts exports (``--source off``): the JSONL dump or the CSV (TSV) export.

``openfoodfacts-products.jsonl[.gz]`` has one product object a line, its
numbers under ``nutriments``; ``en.openfoodfacts.org.products.csv[.gz]`` is
tab-separated with no quoting and one column per field (``energy-kcal_100g``
...). Either may be gzipped; the format is told by the file name, else by the
first byte. The barcode (``code``) is the source id. OFF reports drinks per
100 ml under the same ``_100g`` keys, so treating a serving's quantity as
grams keeps its nutrition right even when the serving is in ml.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from products.catalog_import.inputs import input_file, open_stream
from products.catalog_import.measures import label_serving
from products.catalog_import.progress import Progress
from products.catalog_import.records import (
    MALFORMED_ROW,
    FoodRecord,
    Measure,
    SkippedRow,
    decimal_readings,
    parse_decimal,
)

SOURCE = "off"
# OFF gives alcohol in % by volume; ethanol weighs 0.789 g per ml.
ETHANOL_G_PER_ML = Decimal("0.789")
NAME_KEYS = ("product_name", "product_name_en", "generic_name", "generic_name_en")
# The TSV export's columns this reader needs (it has ~200).
TSV_COLUMNS = (
    "code",
    *NAME_KEYS,
    "brands",
    "categories",
    "categories_tags",
    "main_category_en",
    "serving_size",
    "serving_quantity",
    "energy-kcal_100g",
    "energy-kj_100g",
    "energy_100g",
    "alcohol_100g",
    "proteins_100g",
    "carbohydrates_100g",
    "fat_100g",
)
# Some TSV cells (ingredients, images) exceed csv's default limit of 128 KiB.
TSV_FIELD_LIMIT = 1 << 30
PROGRESS_EVERY = 5000


def read_off(*, path: Path, progress: Progress) -> Iterator[FoodRecord | SkippedRow]:
    """The products of the OFF export at ``path``, streamed."""
    file = input_file(path)
    with open_stream(file) as counted:
        first = counted.stream.peek(1)[:1]
        name = file.name.lower()
        is_jsonl = ".json" in name or (".csv" not in name and ".tsv" not in name and first == b"{")
        text = (line.decode("utf-8", errors="replace") for line in counted.stream)
        products = _jsonl(text) if is_jsonl else _tsv(text)
        progress.start(f"importing {file.name}", counted.size)
        for n, product in enumerate(products, start=1):
            yield SkippedRow(MALFORMED_ROW) if product is None else _record(product)
            if n % PROGRESS_EVERY == 0:
                progress.update(counted.counter.count)
        progress.finish()


def _jsonl(lines: Iterator[str]) -> Iterator[Mapping[str, Any] | None]:
    for line in lines:
        if not line.strip():
            continue
        try:
            product = json.loads(line)
        except ValueError:
            yield None
            continue
        yield product if isinstance(product, dict) else None


def _tsv(lines: Iterator[str]) -> Iterator[Mapping[str, Any] | None]:
    csv.field_size_limit(TSV_FIELD_LIMIT)
    # OFF writes the export without quoting: a quote is data, not a delimiter.
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, [])
    positions = {name: i for i, name in enumerate(header) if name in TSV_COLUMNS}
    for row in reader:
        if len(row) != len(header):
            # A stray newline or tab in a cell: the row cannot be trusted.
            yield None
            continue
        yield {name: row[i] for name, i in positions.items()}


def _record(product: Mapping[str, Any]) -> FoodRecord:
    nutriments = product.get("nutriments")
    numbers: Mapping[str, Any] = nutriments if isinstance(nutriments, dict) else product
    name = next((text for key in NAME_KEYS if (text := _text(product.get(key)))), "")
    brand = _text(product.get("brands")).split(",")[0].strip()
    measures, measures_dropped = _serving(product)
    return FoodRecord(
        source=SOURCE,
        source_id=_text(product.get("code")),
        barcode=_text(product.get("code")) or None,
        name=name,
        display_name=_display_name(name, brand),
        brand=brand,
        category=_category(product),
        kcal_100g=parse_decimal(numbers.get("energy-kcal_100g")),
        **_kj(numbers),
        alcohol_100g=_alcohol(numbers),
        protein_100g=parse_decimal(numbers.get("proteins_100g")),
        carbs_100g=parse_decimal(numbers.get("carbohydrates_100g")),
        fat_100g=parse_decimal(numbers.get("fat_100g")),
        measures=measures,
        measures_dropped=measures_dropped,
    )


def _display_name(name: str, brand: str) -> str:
    """ "Nutella — Ferrero"; the name alone when it already says the brand ("Coca-Cola")."""
    if not brand or brand.casefold() in name.casefold():
        return name
    return f"{name} — {brand}"


def _kj(numbers: Mapping[str, Any]) -> dict[str, Decimal | None]:
    """The stated kJ: ``energy-kj_100g``, else ``energy_100g`` (kJ in every OFF export).

    As ``FoodRecord``'s ``kj_100g`` and ``kj_100g_grouped``: a text "1,500"
    may be 1.5 or 1500 kJ, both within what food holds (unlike kcal or grams,
    whose grouped reading is always beyond 900 or 100: the decimal one is
    theirs), so both go to the energy check.
    """
    for key in ("energy-kj_100g", "energy_100g"):
        readings = decimal_readings(numbers.get(key))
        if readings:
            grouped = readings[1] if len(readings) > 1 else None
            return {"kj_100g": readings[0], "kj_100g_grouped": grouped}
    return {"kj_100g": None, "kj_100g_grouped": None}


def _alcohol(numbers: Mapping[str, Any]) -> Decimal | None:
    """Grams of alcohol per 100 g (or ml) from OFF's ``alcohol_100g``, a % by volume."""
    percent = parse_decimal(numbers.get("alcohol_100g"))
    return None if percent is None else percent * ETHANOL_G_PER_ML


def _category(product: Mapping[str, Any]) -> str:
    """One readable category: the most specific English one OFF knows."""
    main = _text(product.get("main_category_en"))
    if main and ":" not in main:
        return main
    tags = product.get("categories_tags")
    if isinstance(tags, str):
        tags = tags.split(",")
    english = [tag[3:] for tag in tags or () if isinstance(tag, str) and tag.startswith("en:")]
    if english:
        # Tags are ordered general → specific ("en:fruits", "en:bananas").
        readable = english[-1].replace("-", " ").strip()
        return readable[:1].upper() + readable[1:]
    written = [part.strip() for part in _text(product.get("categories")).split(",")]
    return next((part for part in reversed(written) if part), "")


def _serving(product: Mapping[str, Any]) -> tuple[list[Measure], list[tuple[str, str]]]:
    """The serving size as a measure, or why it could not be one (none given: neither)."""
    size = _text(product.get("serving_size"))
    if not size:
        return [], []
    measure = label_serving(size, decimal_readings(product.get("serving_quantity")))
    return ([measure], []) if isinstance(measure, Measure) else ([], [(measure, size)])


def _text(value: object) -> str:
    """A field as stripped, single-spaced text ("" when missing or not text)."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    return " ".join(str(value).split())
