"""Background jobs: the Celery app, the single-run lock and progress reports.

``celery -A countonme.jobs worker`` and ``celery -A countonme.jobs beat`` find
the app in ``countonme.jobs.celery``. The jobs themselves live with what they
do (``countonme.sync.tasks``, ``products.tasks``) and run the same functions
their management commands run, so an instance without a worker loses nothing.
"""
