"""WSGI entry point (gunicorn: ``countonme.wsgi:application``).

Importing it readies the whole app, not only Django's settings: the URLconf,
every view and the lazy caches a first request would fill
(``countonme.ops.warm``). With gunicorn's ``preload_app`` that happens once, in
the master, and every worker (a recycled one too) is forked ready.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "countonme.settings")
application = get_wsgi_application()

from countonme.ops.warm import warm_process  # noqa: E402 - needs the settings configured

warm_process()
