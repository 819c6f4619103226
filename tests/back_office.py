"""What the back-office tests share: the admin's pages, its actions, staff clients, history."""

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User

DEVICES = "/admin/devices/device/"
PRODUCTS = "/admin/products/product/"
PORTIONS = "/admin/products/portion/"
ENTRIES = "/admin/entries/foodentry/"
WEIGHTS = "/admin/entries/bodyweight/"
GOALS = "/admin/devices/goal/"

# Every custom action, the page it is on, and the permission it needs.
ACTIONS = [
    (DEVICES, "revoke", "revoke_device"),
    (DEVICES, "unrevoke", "revoke_device"),
    (DEVICES, "allow_repairing", "allow_repairing_device"),
    (DEVICES, "revoke_codes", "revoke_devicecode"),
    (DEVICES, "export", "export_device"),
    (DEVICES, "erase", "erase_device"),
    (PRODUCTS, "restore", "restore_product"),
    (PORTIONS, "restore", "restore_portion"),
    (ENTRIES, "restore", "restore_foodentry"),
    (WEIGHTS, "restore", "restore_bodyweight"),
    (GOALS, "restore", "restore_goal"),
]


def staff_client(client, username: str, *, superuser: bool = False, group: str | None = None):
    user = User.objects.create_user(username, password="a-long-password-1", is_staff=True)
    if superuser:
        user.is_superuser = True
        user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    client.user = user
    return client


def run_action(client, page: str, action: str, rows, **extra):
    ids = [str(row.pk) for row in rows]
    return client.post(page, {"action": action, "_selected_action": ids, **extra})


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def history(obj) -> list[tuple[int, str]]:
    return list(
        LogEntry.objects.filter(object_id=str(obj.pk))
        .order_by("action_time")
        .values_list("action_flag", "change_message")
    )
