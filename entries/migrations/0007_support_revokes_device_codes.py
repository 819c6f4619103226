"""The ``support`` group may revoke a device's transfer and recovery codes.

Support is who a user calls when a recovery code may have been seen (a lost
note); revoking removes the device's codes, nothing else (devices.codes.admin).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SUPPORT_GROUP = "support"
PERMISSION = ("devices", "devicecode", "revoke_devicecode")


def grant(apps, schema_editor):
    # The permission is normally created after all migrations ran (post_migrate).
    app_config = apps.get_app_config("devices")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    app_label, model, codename = PERMISSION
    permission = apps.get_model("auth", "Permission").objects.get(
        content_type__app_label=app_label, content_type__model=model, codename=codename
    )
    for group in apps.get_model("auth", "Group").objects.filter(name=SUPPORT_GROUP):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    app_label, model, codename = PERMISSION
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=SUPPORT_GROUP):
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label=app_label, content_type__model=model, codename=codename
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("devices", "0009_device_codes"),
        ("entries", "0006_default_verbose_names"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
