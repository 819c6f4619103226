"""``DeviceCode``: a transfer or recovery code, kept only as its keyed hash.

Part of the ``devices`` app (``devices.models`` imports it): the table and its
migrations are ``devices``'.
"""

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone


class CodeKind(models.TextChoices):
    """A short-lived code to move to a new phone, or a lasting one to recover the account."""

    TRANSFER = "transfer", "transfer code"
    RECOVERY = "recovery", "recovery code"


def live_codes(now: datetime) -> Q:
    """The codes a claim may still use at ``now``: recovery codes, unexpired transfer codes."""
    return Q(expires_at__isnull=True) | Q(expires_at__gt=now)


class DeviceCode(models.Model):
    """A device's current code of one kind: at most one per kind, single use.

    ``digest`` is HMAC-SHA256 of the code under the token pepper
    (``devices.codes.services.code_digest``), never the code itself: a leaked
    database yields no usable code, as it yields no usable token. A claim
    deletes the row (single use); a new code of the same kind replaces it.
    """

    # No index of its own: the (device, kind) unique index starts with it.
    device = models.ForeignKey(
        "devices.Device",
        on_delete=models.CASCADE,
        related_name="codes",
        editable=False,
        db_index=False,
    )
    kind = models.CharField(max_length=8, choices=CodeKind.choices, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Transfer codes only; a recovery code lasts until it is used or replaced.",
    )

    class Meta:
        # Support sees codes only through the device page (devices.codes.admin):
        # whether one is live and when it was made, never a digest.
        default_permissions = ()
        permissions = [("revoke_devicecode", "Can revoke a device's transfer and recovery codes")]
        constraints = [
            # A new code replaces the previous one of its kind.
            models.UniqueConstraint(fields=["device", "kind"], name="devicecode_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.device_id}"

    def is_live(self, now: datetime) -> bool:
        """Whether a claim could still use it at ``now`` (the Python side of ``live_codes``)."""
        return self.expires_at is None or self.expires_at > now
