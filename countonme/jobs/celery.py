"""The Celery app: Redis broker, Django settings (``CELERY_*``), the beat schedule.

Workers find the jobs in each installed app's ``tasks`` module and in
``countonme.sync.tasks``. One beat process schedules them (README, "Scaling");
a second beat, or a message redelivered while its job still runs, costs
nothing but a skipped run: every job takes its single-run lock first.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "countonme.settings")

app = Celery("countonme")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["countonme.sync"])


def beat_schedule() -> dict[str, dict]:
    """The periodic jobs, by task name, at the times the settings give (crontab, UTC)."""
    from django.conf import settings  # read when the schedule is built, not at import

    return {
        "purge-deleted": {
            "task": "countonme.purge_deleted",
            "schedule": crontab.from_string(settings.JOBS_PURGE_CRONTAB),
        },
        "import-off-deltas": {
            "task": "products.import_off_deltas",
            "schedule": crontab.from_string(settings.JOBS_OFF_DELTA_CRONTAB),
        },
    }


@app.on_after_configure.connect
def _schedule(sender: Celery, **kwargs: object) -> None:
    sender.conf.beat_schedule = beat_schedule()
