"""The device page's buttons, notes and the back office's frame, without a browser (issue 24).

Each button runs its changelist action after a confirmation, with the same
permission and history line; a view-only user sees none and a hand-made POST
gets an HTML 403 and changes nothing. The browser tests
(``test_back_office_device_page``, ``test_back_office_dashboard``) cover
the same as support staff click them.
"""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission

from devices.codes.models import CodeKind
from devices.codes.services import device_code_make
from devices.models import Device, DeviceCode, DeviceNote
from entries.admin.device_tools import TOOLS
from tests.back_office import history
from tests.factories import DeviceFactory, FoodEntryFactory, PortionFactory, ProductFactory


def page_of(device) -> str:
    return f"/admin/devices/device/{device.pk}/change/"


def tool_url(device, name: str) -> str:
    return f"/admin/devices/device/{device.pk}/tool/{name}/"


@pytest.mark.parametrize("tool", TOOLS, ids=lambda tool: tool.name)
def test_a_view_only_user_sees_no_button_and_a_forged_post_gets_403(viewer_client, device, tool):
    device_code_make(device=device, kind=CodeKind.RECOVERY)
    if tool.name == "unrevoke":
        Device.objects.filter(pk=device.pk).update(revoked_at="2026-01-01T00:00Z")
    page = viewer_client.get(page_of(device)).content.decode()
    assert 'class="device-tool"' not in page
    assert 'id="note-form"' not in page

    for method in (viewer_client.get, viewer_client.post):
        refused = method(tool_url(device, tool.name), {"post": "yes"})
        assert refused.status_code == 403
        assert refused["Content-Type"].startswith("text/html")
        assert "Permission denied" in refused.content.decode()
    refused = viewer_client.post(f"/admin/devices/device/{device.pk}/notes/add/", {"text": "x"})
    assert refused.status_code == 403
    device.refresh_from_db()
    assert Device.objects.filter(pk=device.pk, repairing_allowed_until__isnull=True).exists()
    assert DeviceCode.objects.filter(device_id=device.pk).count() == 1
    assert not DeviceNote.objects.exists()
    assert not LogEntry.objects.exists()


def test_support_sees_the_buttons_its_group_may_press(support_client, device):
    page = support_client.get(page_of(device)).content.decode()
    for name in ["revoke", "allow_repairing", "export"]:
        assert f'id="tool-{name}"' in page
    # Not revoked: no un-revoke; no code: no revoke codes; erasure is superusers'.
    for name in ["unrevoke", "revoke_codes", "erase"]:
        assert f'id="tool-{name}"' not in page
    device_code_make(device=device, kind=CodeKind.TRANSFER)
    assert 'id="tool-revoke_codes"' in support_client.get(page_of(device)).content.decode()
    refused = support_client.post(tool_url(device, "erase"))
    assert refused.status_code == 403
    assert Device.objects.filter(pk=device.pk).exists()


def test_revoke_asks_first_then_revokes_and_logs(support_client, device, device_client):
    question = support_client.get(tool_url(device, "revoke"))
    assert question.status_code == 200
    assert "Lock this device out?" in question.content.decode()
    device.refresh_from_db()
    assert device.revoked_at is None

    done = support_client.post(tool_url(device, "revoke"))
    assert (done.status_code, done["Location"]) == (302, page_of(device))
    assert device_client.get("/v1/devices/me").status_code == 403
    assert history(device) == [(CHANGE, "Revoked: its token now gets 403 device_revoked")]
    page = support_client.get(page_of(device)).content.decode()
    assert "Revoked 1 device." in page
    assert 'id="tool-unrevoke"' in page
    assert 'id="tool-revoke"' not in page

    support_client.post(tool_url(device, "unrevoke"))
    assert device_client.get("/v1/devices/me").status_code == 200


def test_export_names_its_file_after_the_device_and_says_so(support_client, device):
    FoodEntryFactory(portion=PortionFactory(product=ProductFactory(device=device)))
    question = support_client.get(tool_url(device, "export")).content.decode()
    assert f"countonme-export-{device.pk}-" in question
    response = support_client.post(tool_url(device, "export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="countonme-export-{device.pk}-'
    )
    assert history(device)[0][1].startswith("Exported its data")
    page = support_client.get(page_of(device)).content.decode()
    assert f"Exported the data of {device.pk} as countonme-export-{device.pk}-" in page


def test_erase_from_the_page_asks_with_counts_then_erases(admin_client, device):
    FoodEntryFactory(portion=PortionFactory(product=ProductFactory(device=device)))
    DeviceNote.objects.create(device=device, text="called")
    question = admin_client.get(tool_url(device, "erase")).content.decode()
    assert "1 food entry" in question
    assert "1 product" in question
    done = admin_client.post(tool_url(device, "erase"))
    assert (done.status_code, done["Location"]) == (302, "/admin/devices/device/")
    assert not Device.objects.filter(pk=device.pk).exists()
    assert not DeviceNote.objects.exists()  # the notes go with the device


def test_revoke_codes_from_the_page(support_client, device):
    device_code_make(device=device, kind=CodeKind.RECOVERY)
    support_client.post(tool_url(device, "revoke_codes"))
    assert not DeviceCode.objects.filter(device_id=device.pk).exists()
    assert history(device)[0][1].startswith("Revoked its codes (1)")


def test_a_note_is_kept_with_its_author_and_in_the_history(support_client, device):
    response = support_client.post(
        f"/admin/devices/device/{device.pk}/notes/add/", {"text": "user called, ticket #123"}
    )
    assert response.status_code == 302
    note = DeviceNote.objects.get()
    assert (note.device_id, note.author, note.text) == (
        device.pk,
        support_client.user,
        "user called, ticket #123",
    )
    assert history(device) == [(CHANGE, "Note: user called, ticket #123")]
    page = support_client.get(page_of(device)).content.decode()
    assert "user called, ticket #123" in page
    assert "helper" in page
    assert (
        support_client.post(
            f"/admin/devices/device/{device.pk}/notes/add/", {"text": "  "}
        ).status_code
        == 302
    )
    assert DeviceNote.objects.count() == 1


def test_a_note_that_hides_text_is_refused_with_a_message(support_client, device):
    # U+202E turns the rest of the line around: what support reads is not what was written.
    url = f"/admin/devices/device/{device.pk}/notes/add/"
    response = support_client.post(url, {"text": "refund \u202eok\u202c"}, follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "A note cannot hold the invisible character U+202E."
    ]
    assert DeviceNote.objects.count() == 0
    # Lines and emoji joiners are what people write: kept.
    support_client.post(url, {"text": "called twice\nsee 👩\u200d💻 ticket"})
    assert DeviceNote.objects.get().text == "called twice\nsee 👩\u200d💻 ticket"


def test_a_tool_of_another_or_no_device_is_a_404_page(support_client, device):
    missing = support_client.get(
        "/admin/devices/device/0000aaaa-0000-4000-8000-000000000000/tool/revoke/"
    )
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("text/html")
    assert support_client.get(tool_url(device, "launch")).status_code == 404


def test_the_support_lead_group_has_support_and_the_activity_permission(db):
    support = set(Group.objects.get(name="support").permissions.values_list("codename", flat=True))
    lead = set(
        Group.objects.get(name="support lead").permissions.values_list("codename", flat=True)
    )
    assert {"add_devicenote", "view_devicenote"} <= support
    assert "see_staff_activity" not in support
    assert lead == support | {"see_staff_activity"}
    assert Permission.objects.filter(codename="see_staff_activity").count() == 1


def test_other_devices_pages_are_untouched(support_client, device):
    other = DeviceFactory()
    support_client.post(tool_url(device, "revoke"))
    other.refresh_from_db()
    assert other.revoked_at is None
