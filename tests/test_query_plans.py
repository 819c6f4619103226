"""EXPLAIN on PostgreSQL: the hot reads use their indexes, never a sequential scan."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devices.models import Device
from products.models import CatalogProduct, Portion, Product
from tests.factories import CatalogProductFactory, DeviceFactory, PortionFactory, ProductFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def query_of(client, url: str, params: dict, table: str) -> str:
    """The SQL the endpoint ran against ``table`` (params inlined)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    candidates = [q["sql"] for q in queries if f'FROM "{table}"' in q["sql"]]
    assert candidates, [q["sql"] for q in queries]
    return candidates[0]


def analyze(*models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def test_product_list_and_its_default_portions_use_indexes(device_client, device):
    devices = Device.objects.bulk_create(DeviceFactory.build_batch(40))
    products = []
    for owner in [device, *devices]:
        products += ProductFactory.build_batch(100, device=owner)
    Product.objects.bulk_create(products)
    # A default and three more portions per product, as real products have.
    Portion.objects.bulk_create(
        [
            PortionFactory.build(product=p, device=p.device, id=uuid.uuid4(), is_default=index == 0)
            for p in products
            for index in range(4)
        ]
    )
    analyze(Product, Portion)

    # One query: the products with their live default portion, LEFT JOINed.
    list_sql = query_of(device_client, "/v1/products", {}, "products_product")
    assert 'LEFT OUTER JOIN "products_portion"' in list_sql, list_sql

    list_plan = explain(list_sql)
    assert "Seq Scan" not in list_plan, list_plan
    assert "portion_one_live_default" in list_plan, list_plan


@pytest.fixture(scope="module")
def catalog_of_real_size(django_db_setup, django_db_blocker):
    """100k foods named as long as real ones, as an Open Food Facts import makes them.

    At a few thousand rows PostgreSQL rightly prefers one sequential pass over
    the stored folded names to index lookups; at the size of a real catalog
    (the starter catalog alone has 8.8k, an Open Food Facts import 100k to
    millions) the indexes win. Written once for the module by one
    INSERT … SELECT, removed after it.
    """
    with django_db_blocker.unblock():
        _insert_foods()
        yield
        CatalogProduct.objects.all().delete()


def _insert_foods() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO products_catalogproduct (
                id, source, source_id, name, display_name, brand, barcode, name_folded,
                barcode_key, plainness, category, created_at, updated_at
            )
            SELECT md5(i::text)::uuid, 'off', i::text, folded, folded, '', NULL, folded,
                   NULL, 0, '', now(), now()
            FROM (
                SELECT i, 'item ' || substr(md5(i::text), 1, 12) || ' '
                    || (ARRAY['cereal', 'soup', 'bread'])[i % 3 + 1] || ', '
                    || (ARRAY['plain', 'prepared', 'dry'])[i % 7 % 3 + 1]
                    || ', with added vitamins' AS folded
                FROM generate_series(1, 100000) AS i
            ) AS foods
            """
        )
    CatalogProductFactory(name="Bananas, raw")
    analyze(CatalogProduct)


@pytest.mark.parametrize("query", ["banana", "BÂNÁNÄ"])
def test_catalog_search_uses_the_prefix_and_trigram_indexes(
    catalog_of_real_size, device_client, query
):
    # Both indexes hold the folded name (name_folded, products/0009), so a query
    # with or without accents uses them.
    plan = explain(
        query_of(
            device_client, "/v1/catalog/products", {"search": query}, "products_catalogproduct"
        )
    )

    assert "Seq Scan on products_catalogproduct" not in plan, plan
    assert "catalog_product_name_trgm" in plan, plan
    assert "catalog_product_name_prefix" in plan, plan


@pytest.mark.parametrize(
    ("query", "index"),
    [
        # One and two letters: a range of the B-tree on the first letters, in the
        # order they rank (trigrams need three letters).
        ("a", "catalog_product_start_1"),
        ("ch", "catalog_product_start_2"),
        # Three letters and more: prefix, contains and words through both indexes.
        ("ban", "catalog_product_name_trgm"),
        ("raw banana", "catalog_product_name_trgm"),
    ],
)
def test_merged_search_reads_the_catalog_through_an_index_at_any_length(
    catalog_of_real_size, device_client, query, index
):
    plan = explain(
        query_of(device_client, "/v1/products/search", {"q": query}, "products_catalogproduct")
    )

    assert "Seq Scan on products_catalogproduct" not in plan, plan
    assert index in plan, plan


def test_names_containing_a_query_are_not_read_when_names_starting_with_it_fill_the_page(
    catalog_of_real_size, device_client
):
    # ~390 names start with "item 0a"; every one of the 100k holds the word "item". The
    # catalog step is (starting) UNION ALL (the others): the second part never runs.
    sql = query_of(
        device_client, "/v1/products/search", {"q": "item 0a"}, "products_catalogproduct"
    )
    assert "UNION ALL" in sql, sql
    plan = explain(f"(ANALYZE) {sql}")

    # The first part: a range of the prefix index. The second (every name holding "item"
    # but not starting so, which PostgreSQL rightly plans as a scan): never run.
    assert "catalog_product_name_prefix" in plan, plan
    second = [line for line in plan.splitlines() if "products_catalogproduct_1 " in line]
    assert second, plan
    assert all("never executed" in line for line in second), plan


def test_the_typo_step_plans_no_parallel_workers(catalog_of_real_size, device_client):
    # "bananaz" finds no name: the typo step matches about twenty one-edit patterns
    # ("%banana%", "%banan_z%", …). On the bench's Open Food Facts catalog PostgreSQL
    # chose a sequential scan shared by two parallel workers over the trigram index (each
    # pattern run on every name: 290-390 ms against 45-58 ms); products/0012 keeps the
    # catalog's plans serial, and serial the index wins there.
    with CaptureQueriesContext(connection) as queries:
        assert device_client.get("/v1/products/search", {"q": "bananaz"}).status_code == 200
    catalog = [q["sql"] for q in queries if 'FROM "products_catalogproduct"' in q["sql"]]
    assert len(catalog) == 2, catalog  # the words, then the typos
    plan = explain(catalog[1])

    assert "Gather" not in plan, plan
    assert "Parallel" not in plan, plan
