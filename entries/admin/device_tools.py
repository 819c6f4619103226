"""The device page's buttons: each changelist action on this one device, after a confirmation.

``DeviceToolsMixin`` adds ``<id>/tool/<name>/`` (GET: what will happen and a
button; POST: do it) and ``<id>/notes/add/``. Every tool runs the
changelist's action itself, so it checks the same permission and writes the
same history line; a tool the user may not run is neither shown nor
accepted (403, even from a hand-made POST).
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from countonme.base.admin import log_action
from countonme.base.strict_input import RefusedCharacter, visible_text
from devices.codes.models import DeviceCode
from devices.models import Device, DeviceNote


@dataclass(frozen=True)
class Tool:
    """A button of the device page: the action it runs and what it asks first."""

    name: str  # the changelist action's name, and the URL's
    label: str
    permission: str  # as in @admin.action(permissions=[...])
    question: str
    button: str
    danger: bool = False


TOOLS = [
    Tool(
        "revoke",
        "Revoke",
        "revoke",
        "Lock this device out? Its token gets 403 device_revoked from its next request "
        "until someone un-revokes it.",
        "Yes, revoke",
        danger=True,
    ),
    Tool(
        "unrevoke",
        "Un-revoke",
        "revoke",
        "Give this device its access back? Its token works again at once.",
        "Yes, un-revoke",
    ),
    Tool(
        "allow_repairing",
        "Allow re-pairing",
        "allow_repairing",
        "Let the app register this id again, once, without its token (a new phone or a "
        "reinstall)? The grant lasts a day.",
        "Yes, allow re-pairing",
    ),
    Tool(
        "revoke_codes",
        "Revoke codes",
        "revoke_codes",
        "Revoke this device's transfer and recovery codes? They stop claiming it; the app "
        "can make new ones.",
        "Yes, revoke the codes",
        danger=True,
    ),
    Tool(
        "export",
        "Export data",
        "export",
        "Download this device's data, the document of GET /v1/data/export?",
        "Download",
    ),
    Tool(
        "erase",
        "Erase",
        "erase",
        "Erase this device and every row it owns, for good? Its token stops working; "
        "nothing can be restored.",
        "Yes, erase it and all its data",
        danger=True,
    ),
]
TOOLS_BY_NAME = {tool.name: tool for tool in TOOLS}


class DeviceToolsMixin:
    """Buttons on the device page for ``DeviceBackOfficeAdmin``'s actions."""

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/tool/<str:name>/", view(self.tool_view), name="devices_tool"),
            path("<path:object_id>/notes/add/", view(self.add_note_view), name="devices_note"),
            *super().get_urls(),
        ]

    def available_tools(self, request: HttpRequest, device: Device) -> list[Tool]:
        """The buttons this user may press on this device's page, in its current state."""
        has_codes = DeviceCode.objects.filter(device_id=device.pk).exists()
        shown = []
        for tool in TOOLS:
            if tool.name == "revoke" and device.is_revoked:
                continue
            if tool.name == "unrevoke" and not device.is_revoked:
                continue
            if tool.name == "revoke_codes" and not has_codes:
                continue
            if self._allowed(request, tool):
                shown.append(tool)
        return shown

    def _allowed(self, request: HttpRequest, tool: Tool) -> bool:
        return getattr(self, f"has_{tool.permission}_permission")(request)

    def _device_or_404(self, request: HttpRequest, object_id: str) -> Device:
        device = self.get_object(request, object_id)
        if device is None or not self.has_view_permission(request, device):
            raise Http404("No such device.")
        return device

    def tool_view(self, request: HttpRequest, object_id: str, name: str) -> HttpResponse:
        tool = TOOLS_BY_NAME.get(name)
        if tool is None:
            raise Http404("No such tool.")
        device = self._device_or_404(request, object_id)
        if not self._allowed(request, tool):
            raise PermissionDenied
        page = reverse("admin:devices_device_change", args=[device.pk])
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "title": f"{tool.label}: are you sure?",
                "opts": self.model._meta,
                "device": device,
                "tool": tool,
                "counts": self.owned_row_counts([device]) if tool.name == "erase" else None,
                "export_name": self.export_name(device) if tool.name == "export" else None,
                "device_url": page,
            }
            return TemplateResponse(request, "admin/entries/device_tool.html", context)
        rows = Device.objects.filter(pk=device.pk)
        if tool.name == "erase":
            self.erase_device(request, device)
            self.message_user(request, f"Erased {device.pk} and all its data.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:devices_device_changelist"))
        response = getattr(self, tool.name)(request, rows)
        return response if response is not None else HttpResponseRedirect(page)

    def add_note_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        device = self._device_or_404(request, object_id)
        if request.method != "POST":
            raise Http404("Notes are added from the device page.")
        if not request.user.has_perm("devices.add_devicenote"):
            raise PermissionDenied
        page = reverse("admin:devices_device_change", args=[device.pk]) + "#device-notes"
        limit = DeviceNote._meta.get_field("text").max_length
        try:
            # The API's rule for text people read: a note shows what it says
            # (no bidirectional overrides or control characters hiding words).
            text = visible_text(request.POST.get("text", ""), multiline=True)
        except RefusedCharacter as refused:
            self.message_user(
                request,
                f"A note cannot hold the invisible character U+{ord(refused.character):04X}.",
                messages.ERROR,
            )
            return HttpResponseRedirect(page)
        if not text or len(text) > limit:
            self.message_user(
                request, f"A note needs some text, at most {limit} characters.", messages.ERROR
            )
            return HttpResponseRedirect(page)
        DeviceNote.objects.create(device=device, author=request.user, text=text)
        log_action(request, device, f"Note: {text}")
        self.message_user(request, "Note added.", messages.SUCCESS)
        return HttpResponseRedirect(page)

    def tools_context(self, request: HttpRequest, device: Device) -> dict[str, Any]:
        return {
            "device_tools": [
                (tool, reverse("admin:devices_tool", args=[device.pk, tool.name]))
                for tool in self.available_tools(request, device)
            ],
            "notes": DeviceNote.objects.filter(device=device).select_related("author"),
            "can_add_note": request.user.has_perm("devices.add_devicenote"),
            "add_note_url": reverse("admin:devices_note", args=[device.pk]),
        }
