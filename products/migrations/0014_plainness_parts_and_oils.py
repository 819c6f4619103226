"""Plainness again for the names ``products.relevance`` now reads as a part or another food.

An egg's yolk or white, buttermilk, a nut's oil ("Oil, almond") and a
potato's skin came first for "egg", "milk", "almond" and "potato" by being a
few letters shorter than the food people mean. Only the rows whose score can have changed are read (about 200
of SR28's 8,789; an Open Food Facts catalog adds its own); every later save
and import keeps the column, as before.
"""

from django.db import migrations
from django.db.models import Q

from products.derived_columns import refill_plainness


def rescore_touched_rows(apps, schema_editor):
    model = apps.get_model("products", "CatalogProduct")
    touched = (
        Q(name_folded__contains="yolk")
        | Q(name_folded__contains="buttermilk")
        | Q(name_folded__startswith="egg")
        | Q(name_folded__startswith="oil, ")
        | Q(name_folded__contains=", skin")
    )
    refill_plainness(model, touched)


class Migration(migrations.Migration):
    dependencies = [("products", "0013_product_list_by_folded_name")]

    operations = [
        migrations.RunPython(rescore_touched_rows, migrations.RunPython.noop, elidable=True),
    ]
