"""Build ``sr28.jsonl.gz`` from the USDA SR28 release files.

    python -m products.starter_catalog.build /path/to/usda-sr28 [--output FILE]

The release is read by the same reader as ``manage.py import_catalog
--source usda-sr28``, and only the foods that import would accept are kept,
so loading the file gives the same catalog as importing the release. The
output is byte-for-byte reproducible: run it again and git sees no change.
Needs no Django settings or database.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from products.catalog_import.progress import SilentProgress
from products.catalog_import.records import FoodRecord, SkippedRow, fit_to_limits, skip_reason
from products.catalog_import.sr28 import read_sr28
from products.catalog_import.starter import write_records
from products.starter_catalog import CITATION, DATA_FILE


def build(*, release: Path, output: Path) -> tuple[int, Counter[str]]:
    """Write the starter file for the SR28 ``release``; foods written and skip reasons."""
    skipped: Counter[str] = Counter()
    foods: list[FoodRecord] = []
    for item in read_sr28(path=release, progress=SilentProgress()):
        reason = item.reason if isinstance(item, SkippedRow) else skip_reason(item)
        if reason:
            skipped[reason] += 1
        else:
            foods.append(fit_to_limits(item))
    header = {
        "source": "usda",
        "release": "USDA National Nutrient Database for Standard Reference, Release 28",
        "foods": len(foods),
        "skipped": dict(sorted(skipped.items())),
        "citation": CITATION,
    }
    written = write_records(path=output, header=header, records=foods)
    return written, skipped


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("release", type=Path, help="SR28 directory or zip (FOOD_DES.txt, ...)")
    parser.add_argument("--output", type=Path, default=DATA_FILE, help="default: %(default)s")
    args = parser.parse_args()
    written, skipped = build(release=args.release, output=args.output)
    print(f"{args.output}: {written} foods, {args.output.stat().st_size:,} bytes")
    for reason, count in skipped.most_common():
        print(f"  skipped {count}: {reason}")


if __name__ == "__main__":
    main()
