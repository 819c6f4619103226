"""The ``support`` group: what support staff may do in the back office.

View everything; restore soft-deleted rows; revoke, un-revoke, allow
re-pairing and export devices. Not: edit or hard-delete rows, erase devices,
edit the catalog (those stay with superusers).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SUPPORT_GROUP = "support"

SUPPORT_PERMISSIONS = {
    "devices": {
        "device": ["view", "revoke_device", "allow_repairing_device", "export_device"],
        "goal": ["view", "restore_goal"],
        "bodyweight": ["view", "restore_bodyweight"],
    },
    "products": {
        "product": ["view", "restore_product"],
        "portion": ["view", "restore_portion"],
        "catalogproduct": ["view"],
        "catalogportion": ["view"],
    },
    "entries": {"foodentry": ["view", "restore_foodentry"]},
    "admin": {"logentry": ["view"]},
}


def codenames(model: str, names: list[str]) -> list[str]:
    return [f"{name}_{model}" if name == "view" else name for name in names]


def create_support_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran (post_migrate);
    # create them now so the group can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=SUPPORT_GROUP)
    for app_label, models in SUPPORT_PERMISSIONS.items():
        for model, names in models.items():
            permissions = Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=codenames(model, names),
            )
            if permissions.count() != len(names):
                raise RuntimeError(f"Missing permissions of {app_label}.{model}: {names}")
            group.permissions.add(*permissions)


def remove_support_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=SUPPORT_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("devices", "0006_back_office_permissions"),
        ("products", "0004_back_office_permissions"),
        ("entries", "0002_back_office_permissions"),
    ]

    operations = [migrations.RunPython(create_support_group, remove_support_group)]
