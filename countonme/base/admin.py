"""What every back-office page of device-owned rows shares.

Support staff see soft-deleted rows too (the pages read ``all_objects``),
marked and filterable; the delete button soft-deletes; the **restore** action
brings rows back through the app's services, which stamp a fresh sync
version, so the phone gets the row on its next sync. Every action checks its
own permission (``restore_<model>``) and writes a ``LogEntry``.

Rows are read-only in the admin: the app owns the user's data, and a form
would bypass the rules the services keep (one live default portion, one live
goal, one weight a day).
"""

import re
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.db import transaction
from django.db.models import Count, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from rest_framework.exceptions import APIException

from countonme.base.models import DeviceOwnedModel
from countonme.base.numbers import readable_number

# Shortest leading part of an id the search treats as an id: fewer hex digits
# match words ("cafe", "bead") more often than ids.
MIN_ID_PREFIX = 4
_HEX_PREFIX = re.compile(rf"[0-9a-f]{{{MIN_ID_PREFIX},32}}")


def uuid_prefix_range(term: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    """The ids that start with ``term`` as an inclusive ``(lowest, highest)`` range.

    ``term`` is a whole id or its leading part, with or without dashes, in
    any case ("3F1C2B9E", "3f1c2b9e-7d4a"); ``None`` when it is not one.
    A range on the primary key uses its index on both PostgreSQL (``uuid``)
    and SQLite (32 lowercase hex characters, which sort like the numbers).
    """
    digits = term.strip().strip("{}").lower().replace("-", "")
    if not _HEX_PREFIX.fullmatch(digits):
        return None
    return uuid.UUID(digits.ljust(32, "0")), uuid.UUID(digits.ljust(32, "f"))


def admin_number(value: Decimal | int | None, unit: str = "", *, places: int = 3) -> str:
    """A number in an admin column or page: "100 g", "1,234.5 kcal", never "1E+2"; "—" for none.

    ``countonme.base.numbers.readable_number`` to ``places`` decimals, with the
    locale's separators.
    """
    if value is None:
        return "—"
    return f"{readable_number(value, places=places, localize=True)} {unit}".strip()


def plural(n: int, singular: str, plural_form: str | None = None, *, count: bool = True) -> str:
    """ "1 goal", "2 goals", "0 food entries"; only the word with ``count=False``."""
    word = singular if n == 1 else plural_form or f"{singular}s"
    return f"{n} {word}" if count else word


def status_badge(word: str, tone: str) -> str:
    """A state as a word on a coloured badge (``tone``: ok, off, muted; backoffice.css)."""
    return format_html('<span class="badge badge-{}">{}</span>', tone, word)


def live_count(model: type[Model], owner_field: str) -> Coalesce:
    """Annotation: how many live ``model`` rows point at each row (0 when none).

    A correlated subquery per row of the page rather than a JOIN + GROUP BY,
    which would multiply rows when several counts are annotated.
    """
    rows = (
        model.objects.filter(**{owner_field: OuterRef("pk")})
        .order_by()
        .values(owner_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def device_link(device_id: uuid.UUID) -> str:
    """A link to the device's page showing the first 8 characters of its id."""
    device_meta = apps.get_model(settings.COUNTONME_DEVICE_MODEL)._meta
    url = reverse(
        f"admin:{device_meta.app_label}_{device_meta.model_name}_change", args=[device_id]
    )
    return format_html('<a href="{}" title="{}">{}</a>', url, device_id, str(device_id)[:8])


def log_action(request: HttpRequest, obj: Model, message: str, *, flag: int | None = None) -> None:
    """Write the admin history line of an action on ``obj`` (a change unless ``flag``)."""
    LogEntry.objects.log_actions(
        user_id=request.user.pk,
        queryset=[obj],
        action_flag=CHANGE if flag is None else flag,
        change_message=message,
        single_object=True,
    )


def log_erasure(request: HttpRequest, obj: Model, message: str) -> None:
    """Write the admin history line of an erasure (before the row is gone)."""
    log_action(request, obj, message, flag=DELETION)


# What every page's search box takes; pages with text fields add theirs.
ID_SEARCH_HELP = "An id or a device id, or their first characters (at least 4)"


class DeviceErased(APIException):
    """The row's device was erased while support looked at the row."""

    default_detail = "its device was erased meanwhile."


class TimestampSetFilter(admin.SimpleListFilter):
    """Rows whose ``timestamp`` column is set, rows where it is null, or both (the default).

    The back office's states are timestamps (``deleted_at``, ``revoked_at``):
    ``states`` maps each URL value to its label and whether the stamp is set.
    """

    timestamp: str
    states: dict[str, tuple[str, bool]]

    @property
    def title(self) -> str:
        """The heading over the filter: its URL parameter ("status", "revoked")."""
        return self.parameter_name

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(value, label) for value, (label, _) in self.states.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() not in self.states:
            return queryset
        _, is_set = self.states[self.value()]
        return queryset.filter(**{f"{self.timestamp}__isnull": not is_set})


class LiveOrDeletedFilter(TimestampSetFilter):
    """Live rows, soft-deleted rows, or both (the default)."""

    parameter_name = "status"
    timestamp = "deleted_at"
    states = {"live": ("Live", False), "deleted": ("Deleted", True)}


class DeviceOwnedAdmin(admin.ModelAdmin):
    """Read-only pages of a device-owned model, deleted rows included.

    Subclasses name the service that brings a row back (``undelete``) and,
    where deleting is more than hiding one row, the one that deletes
    (``soft_delete``).
    """

    actions = ["restore"]
    # Deleting here is the API's soft delete: the pages say so.
    delete_confirmation_template = "backoffice/soft_delete_confirmation.html"
    delete_selected_confirmation_template = "backoffice/soft_delete_selected_confirmation.html"
    list_per_page = 50
    show_full_result_count = False
    # Every page searches row and device ids; subclasses add their text fields.
    search_fields = ["id"]
    search_help_text = f"{ID_SEARCH_HELP}."

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = self.model.all_objects.get_queryset()
        ordering = self.get_ordering(request)
        return rows.order_by(*ordering) if ordering else rows

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """Rows whose id or device id starts with the term, or whose text fields hold it.

        ``search_fields`` lists the text fields (``=field`` for an exact,
        case-insensitive match); ``"id"`` alone still shows the search box.
        """
        term = search_term.strip()
        if not term:
            return queryset, False
        matches = Q()
        ids = uuid_prefix_range(term)
        if ids is not None:
            low, high = ids
            matches |= Q(id__gte=low, id__lte=high) | Q(device_id__gte=low, device_id__lte=high)
        for field in self.search_fields:
            if field == "id":
                continue
            if field.startswith("="):
                matches |= Q(**{f"{field[1:]}__iexact": term})
            else:
                matches |= Q(**{f"{field}__icontains": term})
        if not matches:
            return queryset.none(), False
        return queryset.filter(matches), False

    # --- Read-only rows; only superusers (delete) and the restore action write ----------

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            function, name, _ = actions["delete_selected"]
            actions["delete_selected"] = (
                function,
                name,
                "Soft-delete the selected %(verbose_name_plural)s (restorable, synced)",
            )
        return actions

    def has_restore_permission(self, request: HttpRequest) -> bool:
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.restore_{opts.model_name}")

    # --- Columns ------------------------------------------------------------------------

    @admin.display(description="device", ordering="device_id")
    def device_column(self, obj: DeviceOwnedModel) -> str:
        return device_link(obj.device_id)

    @admin.display(description="status", ordering="deleted_at")
    def is_deleted_column(self, obj: DeviceOwnedModel) -> str:
        return status_badge("deleted", "off") if obj.is_deleted else status_badge("live", "ok")

    # --- Restore ------------------------------------------------------------------------

    def undelete(self, obj: DeviceOwnedModel) -> None:
        """Bring ``obj`` back through its service; raise an ``APIException`` to refuse."""
        raise NotImplementedError

    @admin.action(permissions=["restore"], description="Restore the selected deleted rows (synced)")
    def restore(self, request: HttpRequest, queryset: QuerySet) -> None:
        restored = 0
        for obj in queryset.filter(deleted_at__isnull=False):
            try:
                with transaction.atomic():
                    # The device's write lock, as the API takes for every write.
                    if not obj.device_model()(pk=obj.device_id).lock_for_writes():
                        raise DeviceErased()
                    self.undelete(obj)
            except APIException as refusal:
                self.message_user(request, f"{obj} was not restored: {refusal}", messages.ERROR)
                continue
            log_action(request, obj, "Restored (soft delete undone; the app syncs it back)")
            restored += 1
        level = messages.SUCCESS if restored else messages.WARNING
        self.message_user(request, f"Restored {plural(restored, 'row')}.", level)

    # --- Delete = soft delete -----------------------------------------------------------

    def soft_delete(self, obj: DeviceOwnedModel) -> None:
        """Hide ``obj`` as the API's DELETE does."""
        obj.delete()

    def delete_model(self, request: HttpRequest, obj: DeviceOwnedModel) -> None:
        with transaction.atomic():
            # Nothing to hide when the device (and so the row) was erased meanwhile.
            if obj.device_model()(pk=obj.device_id).lock_for_writes():
                self.soft_delete(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset.filter(deleted_at__isnull=True):
            self.delete_model(request, obj)

    def get_deleted_objects(
        self, objs: Iterable[Model], request: HttpRequest
    ) -> tuple[list[str], dict[str, int], set[str], list[str]]:
        """Only the rows themselves: a soft delete cascades nowhere (entries are history)."""
        rows = [str(obj) for obj in objs]
        name = str(self.model._meta.verbose_name_plural)
        return rows, {name: len(rows)}, set(), []
