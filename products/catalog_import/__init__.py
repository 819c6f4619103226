"""Import public food dumps into the global catalog (``manage.py import_catalog``).

The pipeline, one module per step:

- a source reader turns a dump into ``FoodRecord``s, streaming it
  (``sr28``: USDA SR28 ASCII, ``fdc``: USDA FoodData Central SR Legacy CSV,
  ``off``: Open Food Facts JSONL or TSV; ``starter``: the starter catalog
  shipped with the project);
- ``records`` says which records are unusable and why;
- ``measures`` turns a record into its portions (the default "100 g" and one
  per household measure);
- ``upsert`` writes them in batches, idempotently by ``(source, source_id)``,
  and counts what it created, updated, left unchanged and skipped.

``inputs`` (directory or zip, gzip detection), ``disk_index`` (temporary
on-disk SQLite tables that keep memory flat) and ``progress`` (the terminal
progress bar) serve the readers. Nothing here imports Django models except
``upsert``, so the readers also run outside a configured project (the
starter-catalog build script uses them).
"""
