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


@pytest.mark.parametrize("query", ["banana", "BÂNÁNÄ"])
def test_catalog_search_uses_the_trigram_and_full_text_indexes(device_client, query):
    # Both indexes hold the unaccented name (immutable_unaccent, products/0003),
    # so a query with or without accents uses them.
    # At a few thousand rows PostgreSQL rightly prefers one sequential pass to
    # three GIN lookups; from about 20k rows (the starter catalog alone has
    # 8.8k, an Open Food Facts import millions) the indexes win.
    CatalogProduct.objects.bulk_create(
        [
            CatalogProduct(
                id=uuid.uuid4(),
                source="off",
                source_id=str(i),
                name=f"Item {uuid.UUID(int=i).hex[-12:]} {('cereal', 'soup', 'bread')[i % 3]}",
                display_name="x",
            )
            for i in range(20_000)
        ]
        + [CatalogProductFactory.build(name="Bananas, raw")],
        batch_size=5_000,
    )
    analyze(CatalogProduct)

    plan = explain(
        query_of(
            device_client, "/v1/catalog/products", {"search": query}, "products_catalogproduct"
        )
    )

    assert "Seq Scan on products_catalogproduct" not in plan, plan
    assert "catalog_product_name_trgm" in plan, plan
    assert "catalog_product_name_fts" in plan, plan
