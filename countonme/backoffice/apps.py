from django.contrib.admin.apps import AdminConfig


class BackOfficeAdminConfig(AdminConfig):
    """Django's admin with ``BackOfficeSite`` as ``admin.site``."""

    default_site = "countonme.backoffice.site.BackOfficeSite"
