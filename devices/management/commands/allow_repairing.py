"""``manage.py allow_repairing <device_id> [--hours N]``: let a locked-out app register again."""

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from devices.models import Device
from devices.services import device_allow_repairing


class Command(BaseCommand):
    help = (
        "Allow the next POST /v1/devices/register without a token for this device id "
        "(once, within the window): for a user whose app lost its token."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("device_id", help="The device id (a UUID) shown by the app.")
        parser.add_argument(
            "--hours",
            type=int,
            default=None,
            help=f"How long the grant stays usable (default: DEVICE_REPAIRING_WINDOW_HOURS, "
            f"now {settings.DEVICE_REPAIRING_WINDOW_HOURS}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            device_id = uuid.UUID(options["device_id"])
        except ValueError:
            raise CommandError(f"{options['device_id']!r} is not a device id (a UUID).") from None
        hours = options["hours"]
        if hours is not None and hours < 1:
            raise CommandError("--hours must be at least 1.")
        device = Device.objects.filter(pk=device_id).first()
        if device is None:
            raise CommandError(f"No device {device_id}.")
        if device.is_revoked:
            raise CommandError(f"Device {device_id} is revoked: un-revoke it first.")
        until = device_allow_repairing(
            device=device,
            valid_for=timedelta(hours=hours) if hours is not None else None,
            granted_by="manage.py allow_repairing",
        )
        self.stdout.write(
            f"Device {device_id} may register once without a token until {until.isoformat()}."
        )
