"""WSGI entry point (gunicorn: ``countonme.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "countonme.settings")
application = get_wsgi_application()
