"""The starter food catalog shipped with the project: USDA SR28, public domain.

``sr28.jsonl.gz`` holds the SR28 foods the catalog import accepts, in the
``products.catalog_import.starter`` format; ``build.py`` makes it from the
release files, ``manage.py load_starter_catalog`` loads it.
"""

from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "sr28.jsonl.gz"
CITATION = (
    "U.S. Department of Agriculture, Agricultural Research Service, Nutrient Data "
    "Laboratory. USDA National Nutrient Database for Standard Reference, Release 28 (2016)."
)
