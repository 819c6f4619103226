"""Search by relevance, index-backed at every query length (issues 19 and 22).

- ``CatalogProduct.plainness`` (``products.relevance``), filled here for the
  rows that exist; every save and import keeps it.
- PostgreSQL: search compares the stored ``name_folded`` on both databases, so
  the catalog's trigram index moves from ``lower(immutable_unaccent(name))``
  to ``name_folded`` (no ``unaccent`` call per row when a match is rechecked);
  the full-text index goes (words in any order are matched through the
  trigram index, the same way on SQLite); ``text_pattern_ops`` B-trees serve
  prefixes of three letters and more, on the catalog and on each device's
  live products; two B-trees on the first letter and the first two letters,
  then plainness, length, name and id, give a one- or two-letter query its
  first page as one index range in the order it ranks.
"""

from django.db import migrations

from countonme.base.migration_operations import PostgresOnlySQL
from products.derived_columns import plainness_field, refill_plainness


def fill_plainness(apps, schema_editor):
    refill_plainness(apps.get_model("products", "CatalogProduct"))


class Migration(migrations.Migration):
    dependencies = [("products", "0010_catalog_delta_files")]

    operations = [
        migrations.AddField(model_name="catalogproduct", name="plainness", field=plainness_field()),
        migrations.RunPython(fill_plainness, migrations.RunPython.noop, elidable=True),
        PostgresOnlySQL(
            sql="DROP INDEX IF EXISTS catalog_product_name_trgm",
            reverse_sql=(
                "CREATE INDEX catalog_product_name_trgm ON products_catalogproduct "
                "USING gin (lower(immutable_unaccent(name)) gin_trgm_ops)"
            ),
        ),
        PostgresOnlySQL(
            sql="DROP INDEX IF EXISTS catalog_product_name_fts",
            reverse_sql=(
                "CREATE INDEX catalog_product_name_fts ON products_catalogproduct USING gin "
                "(to_tsvector('english'::regconfig, COALESCE(immutable_unaccent(name), '')))"
            ),
        ),
        PostgresOnlySQL(
            sql=(
                "CREATE INDEX catalog_product_name_trgm ON products_catalogproduct "
                "USING gin (name_folded gin_trgm_ops)"
            ),
            reverse_sql="DROP INDEX IF EXISTS catalog_product_name_trgm",
        ),
        PostgresOnlySQL(
            sql=(
                "CREATE INDEX catalog_product_name_prefix ON products_catalogproduct "
                "(name_folded text_pattern_ops)"
            ),
            reverse_sql="DROP INDEX IF EXISTS catalog_product_name_prefix",
        ),
        *(
            PostgresOnlySQL(
                sql=(
                    f"CREATE INDEX catalog_product_start_{letters} ON products_catalogproduct "
                    f"((SUBSTRING(name_folded, 1, {letters})), plainness, LENGTH(name_folded), "
                    "name_folded, id)"
                ),
                reverse_sql=f"DROP INDEX IF EXISTS catalog_product_start_{letters}",
            )
            for letters in (1, 2)
        ),
        PostgresOnlySQL(
            sql=(
                "CREATE INDEX product_live_name_prefix ON products_product "
                "(device_id, name_folded text_pattern_ops) WHERE deleted_at IS NULL"
            ),
            reverse_sql="DROP INDEX IF EXISTS product_live_name_prefix",
        ),
    ]
