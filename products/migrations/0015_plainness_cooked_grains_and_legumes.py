"""Plainness again for the foods sold dry and eaten cooked (``products.relevance``).

Rice, pasta, noodles, dry beans, lentils, chickpeas, split peas, quinoa,
couscous, bulgur, barley and millet listed their raw or dry row first, which
logs a weighed plate of cooked rice at ~2.8× its energy; their cooked row is
now the plain one. Only the rows whose score can have changed are read (a few
hundred of SR28's 8,789); every later save and import keeps the column.
"""

from django.db import migrations
from django.db.models import Q

from products.derived_columns import refill_plainness

HEADS = (
    "rice", "wild rice", "rice noodles", "pasta", "spaghetti", "macaroni", "noodles",
    "quinoa", "couscous", "bulgur", "barley", "millet", "lentils", "peas, split",
)  # fmt: skip


def rescore_touched_rows(apps, schema_editor):
    model = apps.get_model("products", "CatalogProduct")
    touched = Q(name_folded__contains="mature seeds")
    for head in HEADS:
        touched |= Q(name_folded__startswith=f"{head},") | Q(name_folded=head)
    refill_plainness(model, touched)


class Migration(migrations.Migration):
    dependencies = [("products", "0014_plainness_parts_and_oils")]

    operations = [
        migrations.RunPython(rescore_touched_rows, migrations.RunPython.noop, elidable=True),
    ]
