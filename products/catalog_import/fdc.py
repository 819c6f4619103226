"""USDA FoodData Central CSV releases, SR Legacy first (``--source usda``).

Files (found by name anywhere in the directory or zip):

- food.csv: fdc_id, data_type, description, food_category_id (streamed, the parent)
- nutrient.csv: id, nutrient_nbr (maps the SR numbers 208/203/204/205 to ids)
- food_nutrient.csv: fdc_id, nutrient_id, amount (per 100 g; huge in full releases)
- food_portion.csv: fdc_id, seq_num, amount, measure_unit_id, portion_description,
  modifier, gram_weight (optional)
- measure_unit.csv: id, name (optional), sr_legacy_food.csv: fdc_id, NDB_number
  (optional), food_category.csv: id, description (optional)

``food_nutrient.csv`` and ``food_portion.csv`` go through an on-disk index
(see ``disk_index``) because no release promises they are grouped by food.
A food mapped to an SR NDB number by sr_legacy_food.csv is stored under that
number (zero-padded to SR28's five digits), so SR28 and FDC imports of the
same food update a single catalog row; other foods use their fdc_id.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

from products.catalog_import.disk_index import ChildTables
from products.catalog_import.inputs import InputError, InputFile, Release, batched, open_text
from products.catalog_import.measures import split_amount
from products.catalog_import.progress import Progress
from products.catalog_import.records import FoodRecord, SkippedRow, measures_from, parse_decimal

SOURCE = "usda"
# SR nutrient number → the value it gives. 957/958 are the Atwater energies
# Foundation foods report instead of 208; they are only a fallback.
NUTRIENT_NUMBERS = {
    "208": "kcal",
    "268": "kj",
    "221": "alcohol",
    "203": "protein",
    "204": "fat",
    "205": "carbs",
    "958": "kcal_atwater_specific",
    "957": "kcal_atwater_general",
}
UNDETERMINED_UNIT = "9999"  # SR Legacy and Survey measures carry no unit id
# Lab samples and acquisitions describe analyses, not foods someone eats.
NOT_FOODS = frozenset(
    ("sample_food", "sub_sample_food", "market_acquisition", "agricultural_acquisition")
)
NOT_A_FOOD = "laboratory sample, not a food"
FOODS_PER_BATCH = 500
PROGRESS_EVERY = 10_000


def read_fdc(*, path: Path, progress: Progress) -> Iterator[FoodRecord | SkippedRow]:
    """The foods of the FDC CSV release at ``path`` (its directory or zip), streamed."""
    with (
        Release(path) as release,
        ChildTables(columns={"nutrient": 2, "measure": 4, "ndb": 1}) as children,
    ):
        # Refuse a wrong release before spending time on its other files.
        foods_file = release.require("food.csv")
        food_nutrients_file = release.require("food_nutrient.csv")
        nutrient_ids = {
            nutrient_id: NUTRIENT_NUMBERS[number]
            for nutrient_id, written in _rows(
                release.require("nutrient.csv"), ("id", "nutrient_nbr")
            )
            if (number := _nutrient_number(written)) in NUTRIENT_NUMBERS
        }
        if "kcal" not in nutrient_ids.values():
            raise InputError("nutrient.csv has no nutrient number 208 (energy, kcal).")
        units = _small_table(release.find("measure_unit.csv"), ("id", "name"))
        categories = _small_table(release.find("food_category.csv"), ("id", "description"))

        children.load(
            "nutrient",
            (
                (fdc_id, nutrient_ids[nutrient_id], amount)
                for fdc_id, nutrient_id, amount in _rows(
                    food_nutrients_file,
                    ("fdc_id", "nutrient_id", "amount"),
                    progress=progress,
                )
                if nutrient_id in nutrient_ids
            ),
        )
        portions = release.find("food_portion.csv")
        if portions:
            children.load("measure", _measure_rows(portions, units, progress))
        legacy = release.find("sr_legacy_food.csv")
        if legacy:
            children.load("ndb", _rows(legacy, ("fdc_id", "NDB_number")))

        foods = _rows(
            foods_file,
            ("fdc_id", "data_type", "description", "food_category_id"),
            progress=progress,
            phase="importing",
        )
        for batch in batched(foods, FOODS_PER_BATCH):
            ids = [row[0] for row in batch]
            nutrients = children.lookup("nutrient", ids)
            measures = children.lookup("measure", ids)
            ndb_numbers = children.lookup("ndb", ids)
            for fdc_id, data_type, description, category_id in batch:
                if data_type in NOT_FOODS:
                    yield SkippedRow(NOT_A_FOOD)
                    continue
                ndb = ndb_numbers.get(fdc_id)
                yield _record(
                    source_id=_padded_ndb(ndb[0][0]) if ndb and ndb[0][0] else fdc_id,
                    name=description,
                    # Branded rows carry the category text itself, SR rows an id.
                    category=categories.get(
                        category_id, "" if category_id.isdigit() else category_id
                    ),
                    nutrients=nutrients.get(fdc_id, []),
                    measures=measures.get(fdc_id, []),
                )


def _record(
    *,
    source_id: str,
    name: str,
    category: str,
    nutrients: list[tuple[str, ...]],
    measures: list[tuple[str, ...]],
) -> FoodRecord:
    values = {field: parse_decimal(amount) for field, amount in nutrients}
    kcal = next(
        (
            values[field]
            for field in ("kcal", "kcal_atwater_specific", "kcal_atwater_general")
            if values.get(field) is not None
        ),
        None,
    )
    ordered = sorted(measures, key=lambda m: parse_decimal(m[0]) or 0)
    return FoodRecord(
        source=SOURCE,
        source_id=source_id,
        name=name,
        display_name=name,
        category=category,
        kcal_100g=kcal,
        protein_100g=values.get("protein"),
        carbs_100g=values.get("carbs"),
        fat_100g=values.get("fat"),
        kj_100g=values.get("kj"),
        alcohol_100g=values.get("alcohol"),
        measures=measures_from(ordered),
    )


def _measure_rows(
    file: InputFile, units: dict[str, str], progress: Progress
) -> Iterator[tuple[str, str, str, str, str]]:
    """``(fdc_id, seq, amount, description, grams)`` from food_portion.csv, whatever the data type.

    Each data type fills the columns its own way: SR Legacy puts the whole
    measure in ``modifier`` ("cup, sliced") under the undetermined unit;
    Foundation foods give a real unit plus an optional modifier ("sliced");
    Survey (FNDDS) foods leave ``amount`` empty and write the household text
    in ``portion_description`` ("1 cup"), with a numeric code in ``modifier``.
    """
    columns = (
        "fdc_id",
        "seq_num",
        "amount",
        "measure_unit_id",
        "portion_description",
        "modifier",
        "gram_weight",
    )
    rows = _rows(file, columns, optional=("seq_num", "portion_description"), progress=progress)
    for fdc_id, seq, amount, unit_id, portion_description, modifier, grams in rows:
        unit = units.get(unit_id, "") if unit_id != UNDETERMINED_UNIT else ""
        if unit and unit != "undetermined":
            qualifier = "" if modifier.isdigit() else modifier
            description = f"{unit}, {qualifier}" if qualifier else unit
        elif amount and modifier and not modifier.isdigit():
            description = modifier
        else:
            text = portion_description or modifier
            parsed, description = split_amount(text)
            amount = amount or str(parsed)
        yield fdc_id, seq, amount, description, grams


def _rows(
    file: InputFile,
    columns: Sequence[str],
    *,
    optional: Sequence[str] = (),
    progress: Progress | None = None,
    phase: str = "reading",
) -> Iterator[tuple[str, ...]]:
    """The ``columns`` of each row of an FDC CSV file as stripped text ("" if optional, absent)."""
    with open_text(file, encoding="utf-8-sig") as (text, counted):
        reader = csv.reader(text)
        header = [name.strip() for name in next(reader, [])]
        positions = {name: i for i, name in enumerate(header)}
        missing = [name for name in columns if name not in positions and name not in optional]
        if missing:
            raise InputError(f"{file.name}: no column {', '.join(missing)} (header: {header}).")
        picks = [positions.get(name) for name in columns]
        if progress:
            progress.start(f"{phase} {file.name}", counted.size)
        for n, row in enumerate(reader, start=1):
            yield tuple(row[i].strip() if i is not None and i < len(row) else "" for i in picks)
            if progress and n % PROGRESS_EVERY == 0:
                progress.update(counted.counter.count)
        if progress:
            progress.finish()


def _small_table(file: InputFile | None, columns: tuple[str, str]) -> dict[str, str]:
    """A two-column lookup file (units, categories: tens of rows) as a dict."""
    return dict(_rows(file, columns)) if file else {}


def _nutrient_number(text: str) -> str:
    """ "208" from "208" or "208.0" (some releases write it as a float); "205.2" stays."""
    number = parse_decimal(text)
    if number is None:
        return text
    return str(int(number)) if number == number.to_integral_value() else text


def _padded_ndb(number: str) -> str:
    """SR28 writes NDB numbers as five digits ("01001"); FDC drops the leading zero."""
    return number.zfill(5) if number.isdigit() else number
