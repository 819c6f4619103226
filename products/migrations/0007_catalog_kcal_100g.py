"""The catalog's ``calories_100g`` is ``kcal_100g``, the name the products API already uses.

A column rename only (``ALTER TABLE ... RENAME COLUMN``): no data is rewritten.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0006_nutrient_help_text"),
    ]

    operations = [
        migrations.RenameField(
            model_name="catalogproduct", old_name="calories_100g", new_name="kcal_100g"
        ),
    ]
