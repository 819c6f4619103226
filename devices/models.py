"""The anonymous account: a device, and the goals and body weights it records."""

from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone

from countonme.models import ChangeCounterModel

# last_seen_at is refreshed at most this often: a write per request would turn
# every read into a write.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)


class Device(ChangeCounterModel):
    """A phone running the app. The device id is the account; it has no password.

    ``token_hash`` is the keyed hash of the current token's secret
    (``devices.tokens``); a rotation replaces it and the old token stops working.
    """

    id = models.UUIDField(primary_key=True, help_text="Chosen by the app.")
    token_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    token_rotated_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set by support staff to lock the device out (403 device_revoked).",
    )

    class Meta:
        verbose_name = "device"
        verbose_name_plural = "devices"
        ordering = ["-created_at"]

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

    def last_seen_is_stale(self, now: datetime) -> bool:
        """Whether ``last_seen_at`` is old enough to be written again."""
        return self.last_seen_at is None or now - self.last_seen_at >= LAST_SEEN_RESOLUTION
