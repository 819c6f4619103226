"""``DeviceNote``: a staff-only note on a device, with its author and time.

Part of the ``devices`` app (``devices.models`` imports it). Never served by
the API; erased with its device (``devices.services.device_erase``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class DeviceNote(models.Model):
    """What support staff wrote about a device; kept as written (no edits)."""

    device = models.ForeignKey(
        "devices.Device", on_delete=models.CASCADE, related_name="notes", editable=False
    )
    # A staff account removed later leaves its notes, unsigned.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The back office's activity page (countonme.backoffice.activity): every
        # staff member's actions, for support leads only.
        permissions = [("see_staff_activity", "Can see every staff member's actions")]

    def __str__(self) -> str:
        return f"Note on {self.device_id} by {self.author or 'a removed user'}"
