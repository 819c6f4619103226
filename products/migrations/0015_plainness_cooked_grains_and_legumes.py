"""Plainness again for the foods sold dry and eaten cooked (``products.relevance``).

Rice, pasta, noodles, dry beans, lentils, chickpeas, split peas, quinoa,
couscous, bulgur, barley and millet listed their raw or dry row first, which
logs a weighed plate of cooked rice at ~2.8× its energy; their cooked row is
now the plain one. Only the rows whose score can have changed are read (a few
hundred of SR28's 8,789); every later save and import keeps the column.
"""

from django.db import migrations
from django.db.models import Q

from products.relevance import plainness

BATCH = 2000
HEADS = (
    "rice", "wild rice", "rice noodles", "pasta", "spaghetti", "macaroni", "noodles",
    "quinoa", "couscous", "bulgur", "barley", "millet", "lentils", "peas, split",
)  # fmt: skip


def refill_plainness(apps, schema_editor):
    model = apps.get_model("products", "CatalogProduct")
    touched = Q(name_folded__contains="mature seeds")
    for head in HEADS:
        touched |= Q(name_folded__startswith=f"{head},") | Q(name_folded=head)
    batch = []
    rows = model._base_manager.filter(touched).only("pk", "name", "brand", "plainness")
    for row in rows.iterator(chunk_size=BATCH):
        score = plainness(row.name, row.brand)
        if score != row.plainness:
            row.plainness = score
            batch.append(row)
        if len(batch) == BATCH:
            model._base_manager.bulk_update(batch, ["plainness"])
            batch = []
    model._base_manager.bulk_update(batch, ["plainness"])


class Migration(migrations.Migration):
    dependencies = [("products", "0014_plainness_parts_and_oils")]

    operations = [
        migrations.RunPython(refill_plainness, migrations.RunPython.noop, elidable=True),
    ]
