"""Nutrient and amount columns get help_text with their units (admin, OpenAPI); no data change."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("entries", "0003_support_group"),
    ]

    operations = [
        migrations.AlterField(
            model_name="foodentry",
            name="amount",
            field=models.DecimalField(
                decimal_places=3, help_text="How much was eaten, in unit.", max_digits=12
            ),
        ),
        migrations.AlterField(
            model_name="foodentry",
            name="calories",
            field=models.DecimalField(
                decimal_places=3, help_text="kcal eaten, as computed when written.", max_digits=12
            ),
        ),
        migrations.AlterField(
            model_name="foodentry",
            name="carbs",
            field=models.DecimalField(
                decimal_places=3,
                help_text="g of carbohydrate eaten, as computed when written.",
                max_digits=12,
            ),
        ),
        migrations.AlterField(
            model_name="foodentry",
            name="fat",
            field=models.DecimalField(
                decimal_places=3,
                help_text="g of fat eaten, as computed when written.",
                max_digits=12,
            ),
        ),
        migrations.AlterField(
            model_name="foodentry",
            name="protein",
            field=models.DecimalField(
                decimal_places=3,
                help_text="g of protein eaten, as computed when written.",
                max_digits=12,
            ),
        ),
    ]
