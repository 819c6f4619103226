"""The catalog's queries in one process each (issue 22): ``parallel_workers = 0``.

A search's typo step matches a name against about twenty one-edit ``LIKE``
patterns ("chiken": ``%chi_ken%``, ``%chikn%``, …). PostgreSQL estimates each
pattern rare and costs a sequential scan shared by two parallel workers below
the twenty trigram index scans; the scan then ran every pattern on each of the
108k names: 290-390 ms (``EXPLAIN ANALYZE``, ``bench/search.py``'s catalog),
against 45-58 ms through the trigram index. Without parallel plans on this
table the planner takes the index. A web request has no use for parallel
workers on the catalog anyway: each of its queries reads one page of rows
through an index, and starting workers costs milliseconds.
"""

from django.db import migrations

from countonme.base.migration_operations import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("products", "0011_search_relevance")]

    operations = [
        PostgresOnlySQL(
            sql="ALTER TABLE products_catalogproduct SET (parallel_workers = 0)",
            reverse_sql="ALTER TABLE products_catalogproduct RESET (parallel_workers)",
        ),
    ]
