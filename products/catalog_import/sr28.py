"""USDA SR28 in the release's own ASCII format (``--source usda-sr28``).

One record a line, fields separated by ``^``, text fields wrapped in ``~``,
lines ending in CRLF (the last one may not). The documentation says Latin-1;
the files were written on Windows and a few names carry CP1252 quotes
(0x91/0x92), so lines decode as CP1252 with Latin-1 as the fallback for the
bytes CP1252 leaves undefined. Files used (field order per sr28_doc.pdf):

- FOOD_DES.txt: NDB_No, FdGrp_Cd, Long_Desc, Shrt_Desc, ComName, ManufacName, ...
- FD_GROUP.txt: FdGrp_Cd, FdGrp_Desc
- NUT_DATA.txt: NDB_No, Nutr_No, Nutr_Val, ... (per 100 g)
- WEIGHT.txt: NDB_No, Seq, Amount, Msre_Desc, Gm_Wgt (grams for Amount × Msre_Desc)

NUTR_DEF.txt is not needed: the four nutrient numbers are fixed by the release.
Records carry source "usda" and the NDB number as source id, the same as an
FDC SR Legacy import of the same food, so both update one catalog row.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from products.catalog_import.disk_index import ChildTables
from products.catalog_import.inputs import InputFile, Release, batched, open_stream
from products.catalog_import.progress import Progress
from products.catalog_import.records import (
    MALFORMED_ROW,
    FoodRecord,
    SkippedRow,
    measures_from,
    parse_decimal,
)

SOURCE = "usda"
# SR nutrient number → FoodRecord field (energy in kcal and kJ, the rest in g).
NUTRIENTS = {
    "208": "kcal_100g",
    "268": "kj_100g",
    "203": "protein_100g",
    "205": "carbs_100g",
    "204": "fat_100g",
    "221": "alcohol_100g",
}
FOODS_PER_BATCH = 500
PROGRESS_EVERY = 5000  # rows between progress reports


def read_sr28(*, path: Path, progress: Progress) -> Iterator[FoodRecord | SkippedRow]:
    """The foods of the SR28 release at ``path`` (its directory or zip), streamed."""
    with Release(path) as release, ChildTables(columns={"nutrient": 2, "measure": 4}) as children:
        # Refuse a wrong release before spending time on its other files.
        foods_file = release.require("FOOD_DES.txt")
        nutrients_file = release.require("NUT_DATA.txt")
        groups_file = release.find("FD_GROUP.txt")
        weights_file = release.find("WEIGHT.txt")
        groups = (
            {row[0]: row[1] for row in _fields(groups_file) if len(row) >= 2} if groups_file else {}
        )
        children.load(
            "nutrient",
            (
                (row[0], row[1], row[2])
                for row in _fields(nutrients_file, progress=progress)
                if len(row) >= 3 and row[1] in NUTRIENTS
            ),
        )
        if weights_file:
            children.load(
                "measure",
                (
                    (row[0], *row[1:5])
                    for row in _fields(weights_file, progress=progress)
                    if len(row) >= 5
                ),
            )
        foods = _fields(foods_file, progress=progress, phase="importing")
        for batch in batched(foods, FOODS_PER_BATCH):
            ids = [row[0] for row in batch]
            nutrients = children.lookup("nutrient", ids)
            measures = children.lookup("measure", ids)
            for row in batch:
                if len(row) < 3 or not row[0]:
                    yield SkippedRow(MALFORMED_ROW)
                    continue
                yield _record(row, groups, nutrients.get(row[0], []), measures.get(row[0], []))


def _record(
    row: list[str],
    groups: dict[str, str],
    nutrients: list[tuple[str, ...]],
    measures: list[tuple[str, ...]],
) -> FoodRecord:
    values = {NUTRIENTS[number]: parse_decimal(value) for number, value in nutrients}
    # WEIGHT.txt's Seq orders a food's measures; the file usually lists them in order already.
    ordered = sorted(measures, key=lambda m: parse_decimal(m[0]) or 0)
    return FoodRecord(
        source=SOURCE,
        source_id=row[0],
        name=row[2],
        display_name=row[2],
        category=groups.get(row[1], ""),
        brand=row[5] if len(row) > 5 else "",
        kcal_100g=values.get("kcal_100g"),
        protein_100g=values.get("protein_100g"),
        carbs_100g=values.get("carbs_100g"),
        fat_100g=values.get("fat_100g"),
        kj_100g=values.get("kj_100g"),
        alcohol_100g=values.get("alcohol_100g"),
        measures=measures_from(ordered),
    )


def _fields(
    file: InputFile, *, progress: Progress | None = None, phase: str = "reading"
) -> Iterator[list[str]]:
    """The records of an SR28 file as lists of unwrapped fields."""
    with open_stream(file) as counted:
        if progress:
            progress.start(f"{phase} {file.name}", counted.size)
        # Binary lines split on LF only: a stray CR inside a text field stays in it.
        for n, line in enumerate(counted.stream, start=1):
            text = line.rstrip(b"\r\n")
            if not text.strip():
                continue
            yield [_unwrap(field) for field in _decode(text).split("^")]
            if progress and n % PROGRESS_EVERY == 0:
                progress.update(counted.counter.count)
        if progress:
            progress.finish()


def _decode(line: bytes) -> str:
    try:
        return line.decode("cp1252")
    except UnicodeDecodeError:
        return line.decode("latin-1")


def _unwrap(field: str) -> str:
    if len(field) >= 2 and field[0] == "~" and field[-1] == "~":
        return field[1:-1].strip()
    return field.strip()
