"""The anonymous account: a device.

Goals live in ``devices.goals`` (``devices.goals.models.Goal``), transfer and
recovery codes in ``devices.codes`` (``devices.codes.models.DeviceCode``); they are
imported here so that the app's models are all named by ``devices.models``.
Body weights are a diary: ``entries.body_weights.models.BodyWeight``.
"""

from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone

from countonme.base.models import ChangeCounterModel
from devices.codes.models import CodeKind, DeviceCode
from devices.goals.models import Goal, GoalType
from devices.notes.models import DeviceNote

__all__ = [
    "LAST_SEEN_RESOLUTION",
    "CodeKind",
    "Device",
    "DeviceCode",
    "DeviceNote",
    "Goal",
    "GoalType",
]

# last_seen_at is refreshed at most this often: a write per request would turn
# every read into a write.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)


class Device(ChangeCounterModel):
    """A phone running the app. The device id is the account; it has no password.

    ``token_hash`` is the keyed hash of the current token's secret
    (``devices.tokens``). A rotation moves the old hash to
    ``previous_token_hash``, which keeps working until the new token is first
    used: a rotation whose answer was lost costs the app nothing.
    """

    id = models.UUIDField(primary_key=True, help_text="Chosen by the app.")
    token_hash = models.CharField(max_length=64, editable=False)
    previous_token_hash = models.CharField(
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text="The token a rotation replaced; cleared when the new one is first used.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    token_rotated_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set by support staff to lock the device out (403 device_revoked).",
    )
    repairing_allowed_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text=(
            "Set by support staff (devices.services.device_allow_repairing): until then, "
            "one registration of this id without a token succeeds and takes this grant."
        ),
    )

    class Meta:
        ordering = ["-created_at"]
        # The back office's actions (devices/admin.py); the support group gets
        # all but erasure (entries/migrations/0003_support_group.py).
        permissions = [
            ("revoke_device", "Can revoke and un-revoke devices"),
            ("allow_repairing_device", "Can allow a device to pair again"),
            ("export_device", "Can export a device's data"),
            ("erase_device", "Can erase a device and all its data"),
        ]

    def __str__(self) -> str:
        return str(self.id)

    # DRF's IsAuthenticated asks the authenticated principal these questions.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def is_revoked(self) -> bool:
        """Whether support staff revoked the device."""
        return self.revoked_at is not None

    @property
    def has_authenticated(self) -> bool:
        """Whether the device ever made an authenticated request (only those set last_seen_at).

        A device that never did owns nothing yet: registering its id again
        without a token gives nobody anything (``devices.services.device_register``).
        """
        return self.last_seen_at is not None

    def last_seen_is_stale(self, now: datetime) -> bool:
        """Whether ``last_seen_at`` is old enough to be written again."""
        return self.last_seen_at is None or now - self.last_seen_at >= LAST_SEEN_RESOLUTION
