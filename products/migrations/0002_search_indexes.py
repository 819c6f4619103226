"""PostgreSQL search indexes for the catalog: trigram (fuzzy, LIKE) and full-text.

The expressions must match the SQL that ``products.search`` makes Django
generate (``LOWER(name)`` and ``SearchVector("name", config="english")``), or
the planner cannot use them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from countonme.base.migration_operations import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]

    operations = [
        TrigramExtension(),  # no-op on SQLite
        PostgresOnlySQL(
            sql=(
                "CREATE INDEX catalog_product_name_trgm ON products_catalogproduct "
                "USING gin (lower(name) gin_trgm_ops)"
            ),
            reverse_sql="DROP INDEX IF EXISTS catalog_product_name_trgm",
        ),
        PostgresOnlySQL(
            sql=(
                "CREATE INDEX catalog_product_name_fts ON products_catalogproduct "
                "USING gin (to_tsvector('english'::regconfig, COALESCE(name, '')))"
            ),
            reverse_sql="DROP INDEX IF EXISTS catalog_product_name_fts",
        ),
    ]
