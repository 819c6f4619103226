"""The starter catalog (SR28, 8,789 foods) as a module fixture: loaded once, removed after.

Import ``starter_catalog`` into a test module that needs real foods (a few
seconds to load); the rest of the suite keeps its empty catalog.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from products.models import CatalogProduct


@pytest.fixture(scope="module")
def starter_catalog(django_db_setup, django_db_blocker):
    """The starter catalog, loaded once for the module that uses it."""
    with django_db_blocker.unblock():
        call_command("load_starter_catalog", stdout=StringIO())
        yield
        CatalogProduct.objects.all().delete()
