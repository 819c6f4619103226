"""What the back office shows of a device's codes, and support's revoke action.

Only whether the device has a live transfer or recovery code and when it was
made: the code itself is not stored, and its digest is of no use to staff.
``DeviceCodesAdminMixin`` adds to ``devices.admin.DeviceAdmin`` two read-only
fields and the **Revoke codes** action (permission ``revoke_devicecode``,
logged in the device's history and the application log).
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from countonme.base.admin import log_action, plural
from devices.codes import services
from devices.codes.models import CodeKind, DeviceCode
from devices.models import Device


def code_state(device: Device, kind: CodeKind) -> str:
    """ "none", "live, made … (expires …)" or "expired, made …", in UTC."""
    code = DeviceCode.objects.filter(device_id=device.pk, kind=kind).first()
    if code is None:
        return "none"
    made = f"made {code.created_at:%Y-%m-%d %H:%M} UTC"
    if not code.is_live(timezone.now()):
        return f"expired, {made}"
    if code.expires_at is None:
        return f"live, {made}"
    return f"live, {made} (expires {code.expires_at:%H:%M} UTC)"


class DeviceCodesAdminMixin:
    """The device page's code fields and the changelist's revoke action."""

    code_fields = ("transfer_code", "recovery_code")

    @admin.display(description="transfer code")
    def transfer_code(self, obj: Device) -> str:
        return code_state(obj, CodeKind.TRANSFER)

    @admin.display(description="recovery code")
    def recovery_code(self, obj: Device) -> str:
        return code_state(obj, CodeKind.RECOVERY)

    def has_revoke_codes_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("devices.revoke_devicecode")

    @admin.action(
        permissions=["revoke_codes"],
        description="Revoke codes: the device's transfer and recovery codes stop working",
    )
    def revoke_codes(self, request: HttpRequest, queryset: QuerySet) -> None:
        revoked = 0
        for device in queryset:
            removed = services.device_codes_revoke(
                device=device, revoked_by=request.user.get_username()
            )
            if removed:
                log_action(
                    request, device, f"Revoked its codes ({removed}): they no longer claim it"
                )
                revoked += 1
        self.message_user(
            request, f"Revoked the codes of {plural(revoked, 'device')}.", messages.SUCCESS
        )
