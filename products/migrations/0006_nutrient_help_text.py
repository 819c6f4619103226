"""Nutrient and amount columns get help_text with their units (admin, OpenAPI); no data change."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0005_catalog_copies"),
    ]

    operations = [
        migrations.AlterField(
            model_name="catalogportion",
            name="base_amount",
            field=models.DecimalField(
                decimal_places=3,
                help_text="How much of base_unit the nutrition is for (100 in “100 g”).",
                max_digits=12,
            ),
        ),
        migrations.AlterField(
            model_name="catalogportion",
            name="calories",
            field=models.DecimalField(
                decimal_places=3, help_text="kcal in one base amount.", max_digits=12
            ),
        ),
        migrations.AlterField(
            model_name="catalogportion",
            name="carbs",
            field=models.DecimalField(
                blank=True,
                decimal_places=3,
                help_text="g of carbohydrate in one base amount.",
                max_digits=12,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="catalogportion",
            name="fat",
            field=models.DecimalField(
                blank=True,
                decimal_places=3,
                help_text="g of fat in one base amount.",
                max_digits=12,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="catalogportion",
            name="protein",
            field=models.DecimalField(
                blank=True,
                decimal_places=3,
                help_text="g of protein in one base amount.",
                max_digits=12,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="catalogproduct",
            name="calories_100g",
            field=models.DecimalField(
                blank=True, decimal_places=3, help_text="kcal per 100 g.", max_digits=12, null=True
            ),
        ),
        migrations.AlterField(
            model_name="catalogproduct",
            name="carbs_100g",
            field=models.DecimalField(
                blank=True,
                decimal_places=3,
                help_text="g of carbohydrate per 100 g.",
                max_digits=12,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="catalogproduct",
            name="fat_100g",
            field=models.DecimalField(
                blank=True,
                decimal_places=3,
                help_text="g of fat per 100 g.",
                max_digits=12,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="catalogproduct",
            name="protein_100g",
            field=models.DecimalField(
                blank=True,
                decimal_places=3,
                help_text="g of protein per 100 g.",
                max_digits=12,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="portion",
            name="base_amount",
            field=models.DecimalField(
                decimal_places=3,
                help_text="How much of base_unit the nutrition is for (100 in “100 g”).",
                max_digits=12,
            ),
        ),
        migrations.AlterField(
            model_name="portion",
            name="calories",
            field=models.DecimalField(
                decimal_places=3, help_text="kcal in one base amount.", max_digits=12
            ),
        ),
        migrations.AlterField(
            model_name="portion",
            name="carbs",
            field=models.DecimalField(
                blank=True,
                decimal_places=3,
                help_text="g of carbohydrate in one base amount.",
                max_digits=12,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="portion",
            name="fat",
            field=models.DecimalField(
                blank=True,
                decimal_places=3,
                help_text="g of fat in one base amount.",
                max_digits=12,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="portion",
            name="protein",
            field=models.DecimalField(
                blank=True,
                decimal_places=3,
                help_text="g of protein in one base amount.",
                max_digits=12,
                null=True,
            ),
        ),
    ]
