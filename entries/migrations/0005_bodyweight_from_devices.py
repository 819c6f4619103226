"""Body weights move to the diary app (``entries``), rows untouched: the entries side.

``devices/0007`` renamed the table to ``entries_bodyweight`` and dropped the
model from devices' state; here entries declares it over that table (state
only: no DDL) and moves its content type row from ``devices`` to
``entries``. Permissions (``restore_bodyweight`` and the default four), the
groups holding them (``support``) and admin log entries point at the content
type by id, so they follow without being touched; the codename is checked as
``entries.restore_bodyweight`` from now on.
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.db import IntegrityError, migrations, models, transaction


def move_content_type(apps, schema_editor, *, source: str, target: str) -> None:
    """Relabel the body weight content type from ``source`` to ``target`` app.

    As Django's own ``RenameContentType`` (contenttypes.management): a stale
    row already under ``target`` (only ``post_migrate`` could have made it)
    wins the name and the old one stays for ``remove_stale_contenttypes``.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    moved = ContentType.objects.db_manager(db).filter(app_label=source, model="bodyweight")
    try:
        with transaction.atomic(using=db):
            moved.update(app_label=target)
    except IntegrityError:
        return
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    move_content_type(apps, schema_editor, source="devices", target="entries")


def backwards(apps, schema_editor):
    move_content_type(apps, schema_editor, source="entries", target="devices")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("devices", "0007_move_bodyweight_to_entries"),
        ("entries", "0004_nutrient_help_text"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="BodyWeight",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(default=django.utils.timezone.now, editable=False),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "deleted_at",
                            models.DateTimeField(
                                blank=True, db_index=True, editable=False, null=True
                            ),
                        ),
                        (
                            "version",
                            models.BigIntegerField(
                                default=0,
                                editable=False,
                                help_text="Change version, for sync (see countonme.sync).",
                            ),
                        ),
                        ("day", models.DateField(help_text="The user's local calendar day.")),
                        ("weight_kg", models.DecimalField(decimal_places=3, max_digits=7)),
                        (
                            "device",
                            models.ForeignKey(
                                db_index=False,
                                editable=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="devices.device",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "body weight",
                        "verbose_name_plural": "body weights",
                        "permissions": [("restore_bodyweight", "Can restore deleted body weights")],
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["device", "version"], name="entries_bodyweight_sync"
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("deleted_at__isnull", True)),
                                fields=("device", "day"),
                                name="bodyweight_one_live_per_day",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("weight_kg__gt", 0), ("weight_kg__lte", 1000)),
                                name="bodyweight_weight_range",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
