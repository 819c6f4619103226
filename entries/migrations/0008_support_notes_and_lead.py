"""Support writes notes on devices; the ``support lead`` group also sees staff activity.

``support`` gets ``view_devicenote`` and ``add_devicenote``. ``support lead``
is created with every permission ``support`` holds (now and as later
migrations grant them, it is granted here at creation time) plus
``see_staff_activity``: the activity page of every staff member's actions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SUPPORT_GROUP = "support"
LEAD_GROUP = "support lead"
NOTES = ["view_devicenote", "add_devicenote"]
ACTIVITY = "see_staff_activity"


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran (post_migrate).
    app_config = apps.get_app_config("devices")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    of_notes = Permission.objects.filter(
        content_type__app_label="devices", content_type__model="devicenote"
    )
    notes = list(of_notes.filter(codename__in=NOTES))
    activity = of_notes.get(codename=ACTIVITY)
    support, _ = Group.objects.get_or_create(name=SUPPORT_GROUP)
    support.permissions.add(*notes)
    lead, _ = Group.objects.get_or_create(name=LEAD_GROUP)
    lead.permissions.add(*support.permissions.all(), activity)


def ungrant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=LEAD_GROUP).delete()
    for group in Group.objects.filter(name=SUPPORT_GROUP):
        group.permissions.remove(*group.permissions.filter(codename__in=NOTES))


class Migration(migrations.Migration):
    dependencies = [
        ("devices", "0010_device_notes"),
        ("entries", "0007_support_revokes_device_codes"),
    ]

    operations = [migrations.RunPython(grant, ungrant)]
