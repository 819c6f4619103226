"""Barcodes compared as GTINs, names searched without accents (issue 10).

- ``barcode_key`` (GTIN-14, or the code as scanned when it is no GTIN) and
  ``name_folded`` (the name without case or accents, SQLite's search column)
  on products and catalog products, filled here for the rows that exist;
  the barcode indexes move to ``barcode_key``.
- PostgreSQL: the ``unaccent`` extension, an IMMUTABLE wrapper
  ``immutable_unaccent(text)`` (``unaccent`` itself is only STABLE, because
  its dictionary could change, so no index may use it), and the catalog's
  trigram and full-text indexes rebuilt on the unaccented name. Their
  expressions are what ``products.search`` makes Django generate.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations, models

from countonme.base.migration_operations import PostgresOnlySQL
from products import gtin
from products.folding import fold_name

BATCH = 2000


def barcode_key() -> models.CharField:
    return models.CharField(
        blank=True,
        editable=False,
        help_text="GTIN-14 of a valid GTIN, else the barcode as scanned.",
        max_length=64,
        null=True,
    )


def name_folded() -> models.TextField:
    return models.TextField(
        default="", editable=False, help_text="The name without case or accents, for search."
    )


def fill_derived_columns(apps, schema_editor):
    for name in ("Product", "CatalogProduct"):
        model = apps.get_model("products", name)
        batch = []
        for row in model._base_manager.only("pk", "name", "barcode").iterator(chunk_size=BATCH):
            row.name_folded = fold_name(row.name)
            row.barcode_key = gtin.barcode_key(row.barcode)
            batch.append(row)
            if len(batch) == BATCH:
                model._base_manager.bulk_update(batch, ["name_folded", "barcode_key"])
                batch = []
        model._base_manager.bulk_update(batch, ["name_folded", "barcode_key"])


def create_immutable_unaccent(apps, schema_editor):
    """``immutable_unaccent(text)``, calling unaccent with its dictionary by schema-qualified name.

    Qualified so the function does not depend on the caller's search_path
    (an index expression must give the same result in every session).
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'unaccent'"
        )
        schema = schema_editor.quote_name(cursor.fetchone()[0])
        cursor.execute(
            "CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text "
            "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
            f"AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$"
        )


def drop_immutable_unaccent(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS immutable_unaccent(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("devices", "0003_device_purged_version"),
        ("products", "0002_search_indexes"),
    ]

    operations = [
        UnaccentExtension(),  # no-op on SQLite
        migrations.RunPython(create_immutable_unaccent, drop_immutable_unaccent),
        PostgresOnlySQL(
            sql="DROP INDEX IF EXISTS catalog_product_name_trgm",
            reverse_sql=(
                "CREATE INDEX catalog_product_name_trgm ON products_catalogproduct "
                "USING gin (lower(name) gin_trgm_ops)"
            ),
        ),
        PostgresOnlySQL(
            sql="DROP INDEX IF EXISTS catalog_product_name_fts",
            reverse_sql=(
                "CREATE INDEX catalog_product_name_fts ON products_catalogproduct "
                "USING gin (to_tsvector('english'::regconfig, COALESCE(name, '')))"
            ),
        ),
        PostgresOnlySQL(
            sql=(
                "CREATE INDEX catalog_product_name_trgm ON products_catalogproduct "
                "USING gin (lower(immutable_unaccent(name)) gin_trgm_ops)"
            ),
            reverse_sql="DROP INDEX IF EXISTS catalog_product_name_trgm",
        ),
        PostgresOnlySQL(
            sql=(
                "CREATE INDEX catalog_product_name_fts ON products_catalogproduct USING gin "
                "(to_tsvector('english'::regconfig, COALESCE(immutable_unaccent(name), '')))"
            ),
            reverse_sql="DROP INDEX IF EXISTS catalog_product_name_fts",
        ),
        migrations.RemoveIndex(
            model_name="catalogproduct",
            name="catalog_product_barcode",
        ),
        migrations.RemoveIndex(
            model_name="product",
            name="product_live_barcode",
        ),
        *(
            migrations.AddField(model_name=model, name=name, field=column())
            for model in ("catalogproduct", "product")
            for name, column in (("barcode_key", barcode_key), ("name_folded", name_folded))
        ),
        migrations.AlterField(
            model_name="product",
            name="barcode",
            field=models.CharField(
                blank=True,
                help_text="As scanned or typed; shown to the user.",
                max_length=64,
                null=True,
            ),
        ),
        migrations.RunPython(fill_derived_columns, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="catalogproduct",
            index=models.Index(
                condition=models.Q(("barcode_key__isnull", False)),
                fields=["barcode_key"],
                name="catalog_product_barcode",
            ),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True), ("barcode_key__isnull", False)),
                fields=["device", "barcode_key"],
                name="product_live_barcode",
            ),
        ),
    ]
