"""What the catalog-import tests share: the fixtures' paths, the command, the stored state."""

import json
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from products.models import CatalogPortion, CatalogProduct

DATA = Path(__file__).parent / "data"
SR28 = DATA / "usda-sr28"
FDC_DIR = DATA / "fdc-sr-legacy"
FDC_ZIP = DATA / "FoodData_Central_sr_legacy_food_csv_2018-04.zip"
OFF_JSONL = DATA / "off" / "openfoodfacts-products.jsonl.gz"
OFF_TSV = DATA / "off" / "en.openfoodfacts.org.products.csv"
NOT_A_FOOD = "laboratory sample, not a food"


class Summary:
    """The counts an import printed: ``summary["created"]``, ``summary.reasons``."""

    def __init__(self, output: str) -> None:
        self.output = output
        self.counts = {
            name: int(number.replace(",", ""))
            for name, number in re.findall(
                r"^  (read|created|updated|unchanged|skipped) +([\d,]+)$", output, re.M
            )
        }
        section = output.split("household measures")[0]
        self.reasons = {
            reason: int(number.replace(",", ""))
            for number, reason in re.findall(r"^ {4} *([\d,]+)  (.+)$", section, re.M)
        }

    def __getitem__(self, name: str) -> int:
        return self.counts[name]


def import_catalog(source: str, path: Path, *extra: str) -> Summary:
    out = StringIO()
    call_command("import_catalog", "--source", source, str(path), *extra, stdout=out)
    return Summary(out.getvalue())


def food(source: str, source_id: str) -> CatalogProduct:
    return CatalogProduct.objects.get(source=source, source_id=source_id)


def portions(product: CatalogProduct) -> dict[str, tuple]:
    """label → (base_amount, base_unit, gram_weight, calories, is_default)."""
    return {
        p.label: (p.base_amount, p.base_unit, p.gram_weight, p.calories, p.is_default)
        for p in product.portions.all()
    }


def snapshot() -> dict:
    """Every catalog row with every column, timestamps included."""
    return {
        "products": {
            row["id"]: row for row in CatalogProduct.objects.values().order_by("source_id")
        },
        "portions": {row["id"]: row for row in CatalogPortion.objects.values()},
    }


def values_only(state: dict) -> dict:
    """``snapshot()`` without timestamps, to compare what two imports stored."""
    drop = {"created_at", "updated_at"}
    return {
        table: {pk: {k: v for k, v in row.items() if k not in drop} for pk, row in rows.items()}
        for table, rows in state.items()
    }


D = Decimal


def import_off(tmp_path, *products: dict) -> str:
    """Import Open Food Facts JSONL lines through the command; its summary."""
    dump = tmp_path / "openfoodfacts-products.jsonl"
    dump.write_text("\n".join(json.dumps(product) for product in products), encoding="utf-8")
    out = StringIO()
    call_command("import_catalog", "--source", "off", str(dump), stdout=out)
    return out.getvalue()
