"""Body weights move to the diary app (``entries``), rows untouched: the devices side.

The table and its sync index take the names the model gets in ``entries``
(``entries_bodyweight``, ``entries_bodyweight_sync``), so the database reads
like the code. Renaming is a catalog change: PostgreSQL rewrites no row
(``ALTER TABLE ... RENAME``, ``ALTER INDEX ... RENAME``); SQLite renames the
table in place and rebuilds the one index (it cannot rename an index). The
constraints (``bodyweight_one_live_per_day``, a partial unique index, and
``bodyweight_weight_range``) name no app and follow the table unchanged.

Then devices forgets the model (state only); ``entries/0005`` declares it
over the same table and moves its content type, so permissions, admin
history and the ``support`` group follow. Runs after ``entries/0003``: that
data migration gives the group ``devices.restore_bodyweight``, which must
still exist then on a fresh database.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("devices", "0006_back_office_permissions"),
        ("entries", "0003_support_group"),
    ]

    operations = [
        migrations.AlterModelTable(name="bodyweight", table="entries_bodyweight"),
        migrations.RenameIndex(
            model_name="bodyweight",
            new_name="entries_bodyweight_sync",
            old_name="devices_bodyweight_sync",
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="BodyWeight")],
            database_operations=[],
        ),
    ]
