"""``DeviceScopedViewSet``: the one base of every device-owned resource.

What it guarantees, so that no resource view has to remember it:

* the queryset is filtered by the authenticated device (``get_queryset`` is
  final: subclasses shape the rows in ``get_base_queryset`` and the device
  filter is applied on top), so another device's id is a plain 404;
* creates are stamped with the device and run under the device's write lock;
* creates with a client-chosen ``id`` are idempotent (docs/api.md §3): a replay
  returns the stored row (200), the id of the device's own soft-deleted row
  restores it (201), an id held by another device or another kind is 409
  ``id_conflict``;
* DELETE is a soft delete; writes run in a transaction.
"""

import uuid
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet, Value
from django.http import Http404
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from countonme.base.errors import Conflict
from countonme.base.models import ChangeCounterModel, DeviceOwnedModel, device_owned_models
from countonme.base.serializers import shared_serializer
from countonme.base.strict_input import StrictUUIDField

Fields = dict[str, Any]
"""The validated fields of a write body, ``id`` excluded (``posted_fields``)."""

ClientId = uuid.UUID | None
"""The ``id`` a client chose for a create; ``None`` when the server makes it, or not a create."""


UUID_PATTERN = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"


class IdConflict(Conflict):
    """409 ``id_conflict``: the id belongs to another device or another kind of row."""

    default_detail = "This id is already used by another resource."
    default_code = "id_conflict"


def find_owner_of_id(pk: uuid.UUID) -> tuple[type[DeviceOwnedModel], Any] | None:
    """Which model and device hold a row with primary key ``pk``, deleted or not.

    One ``UNION ALL`` query over every device-owned table: ids are unique per
    table, and a client id must not be reused across kinds either.
    """
    by_label = {model._meta.label: model for model in device_owned_models()}
    queries = [
        model.all_objects.filter(pk=pk)
        .annotate(kind=Value(label, output_field=models.CharField()))
        .values_list("kind", "device_id")
        for label, model in by_label.items()
    ]
    first, *rest = queries
    rows = list(first.union(*rest, all=True)[:1])
    if not rows:
        return None
    label, device_id = rows[0]
    return by_label[label], device_id


def client_supplied_id(data: Any) -> uuid.UUID | None:
    """The ``id`` a client put in a create body, validated; ``None`` when absent."""
    if not isinstance(data, dict) or data.get("id") is None:
        return None
    try:
        return StrictUUIDField().to_internal_value(data["id"])
    except serializers.ValidationError as error:
        raise serializers.ValidationError({"id": error.detail}) from None


class DeviceScopedViewSet(GenericViewSet):
    """Generic viewset over the requesting device's rows of ``queryset.model``."""

    lookup_value_regex = UUID_PATTERN

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__} overrides get_queryset(); override get_base_queryset() "
                "instead, so the device filter of DeviceScopedViewSet always applies."
            )

    @property
    def device(self) -> ChangeCounterModel:
        """The authenticated device (``request.auth``)."""
        return self.request.auth

    def get_base_queryset(self) -> QuerySet:
        """The rows to serve before the device filter: joins, annotations, order."""
        return self.queryset.all()

    def get_queryset(self) -> QuerySet:
        """``get_base_queryset()`` restricted to the authenticated device. Final."""
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.model.objects.none()
        return self.get_base_queryset().filter(device=self.request.auth)

    def lock_device(self) -> None:
        """Take the device's write lock for this transaction (see ``countonme.base.models``).

        A device erased while this request waited for the lock is gone: 401,
        as for any unknown token.
        """
        if not self.device.lock_for_writes():
            raise AuthenticationFailed("This device no longer exists.")

    def scoped(self, rows: QuerySet | models.Manager) -> QuerySet:
        """Another device-owned model's rows, restricted to the authenticated device.

        For views that compose several kinds (stats, export): the one place
        besides ``get_queryset`` that applies the device filter.
        """
        return rows.filter(device=self.request.auth)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["device"] = getattr(self.request, "auth", None)
        return context

    def represent(self, instance: models.Model) -> Any:
        """The response body for one row after a write (hook: re-read with joins)."""
        return self.get_serializer(instance).data


class DeviceScopedDocumentViewSet(DeviceScopedViewSet):
    """Endpoints that answer one document of the device's rows: stats, export, quick add.

    Not a list of rows, so no pagination (``?limit=`` means nothing) and no
    filter backend: the query parameters are the action's own.
    """

    pagination_class = None
    filter_backends = []


def reset_unposted_fields(serializer: serializers.BaseSerializer, row: models.Model) -> None:
    """A restore takes the posted fields only: optional ones left out return to their defaults.

    Otherwise a restored row would keep values of its previous life that the
    client never sent (a portion's old gram weight, say).
    """
    for field in serializer.fields.values():
        if field.read_only or field.source == "id" or field.source in serializer.validated_data:
            continue
        try:
            model_field = row._meta.get_field(field.source)
        except FieldDoesNotExist:
            continue
        setattr(row, model_field.attname, model_field.get_default())


def posted_fields(serializer: serializers.BaseSerializer) -> Fields:
    """The validated body without ``id``: the client id is the base's, never a field to save."""
    return {name: value for name, value in serializer.validated_data.items() if name != "id"}


def changes_nothing(instance: DeviceOwnedModel, validated: Fields) -> bool:
    """Whether every validated field already holds its value on ``instance``.

    A field the model does not have (a resource's input that its service
    turns into others) counts as a change: its ``save`` decides.
    """
    missing = object()
    return all(getattr(instance, name, missing) == value for name, value in validated.items())


class DeviceScopedWriteMixin:
    """The one hook of a resource's writes: ``save``."""

    def save(
        self, validated: Fields, id: ClientId, instance: DeviceOwnedModel | None
    ) -> DeviceOwnedModel:
        """Hook: store ``validated`` and return the row.

        ``instance`` is ``None`` for a create (``id``: the client's, or ``None``
        for a server-made one), a soft-deleted row for a restore (its fields
        the client left out already reset to their defaults), a live row for
        an update (PUT/PATCH); ``id`` is ``None`` unless it is a create. The
        base always passes all three, so a resource's ``save`` states them on
        one line. Call the resource's service: the base has taken the device
        lock and opened the transaction; domain errors the service raises are
        the answer.
        """
        raise NotImplementedError(f"{type(self).__name__} must define save().")


class DeviceScopedCreateMixin(DeviceScopedWriteMixin):
    """POST with idempotent client ids, under the device's write lock."""

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            # One device's creates run one at a time, so the checks of
            # create_row (replay, dedup, uniqueness) cannot race with each other.
            self.lock_device()
            row, created = self.create_row(request.data)
            code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
            return Response(self.represent(row), status=code)

    def create_row(self, data: Any) -> tuple[DeviceOwnedModel, bool]:
        """Store one create body; the row to answer with and whether it was written (201).

        A body with the id of the device's live row returns that row as
        stored; with the id of its soft-deleted row restores it; with anyone
        else's id raises ``IdConflict``. A live row the body would duplicate
        (``find_equivalent``) is the answer instead of a new one. Call under
        the device lock.
        """
        client_id = client_supplied_id(data)
        serializer = self.get_serializer(data=data)
        # A replay is validated like a first create: a body that would be
        # refused as new is refused as a replay too (400/404), whatever is stored.
        serializer.is_valid(raise_exception=True)
        validated = posted_fields(serializer)
        row = self.row_of_client_id(client_id) if client_id is not None else None
        if row is not None and not row.is_deleted:
            self.check(validated)  # the domain rules a first create would apply
            return self.get_queryset().get(pk=client_id), False  # with the view's joins
        # A restore obeys the rules of a create: a live row the restored one
        # would duplicate is the answer, as a create would give it.
        existing = self.find_equivalent(validated, instance=row)
        if existing is not None:
            return existing, False
        if row is not None:
            reset_unposted_fields(serializer, row)
            return self.save(validated, id=None, instance=row), True
        return self.insert(validated, client_id), True

    def row_of_client_id(self, client_id: uuid.UUID) -> DeviceOwnedModel | None:
        """The device's row (live or soft-deleted) with the posted id; ``None`` when it is free.

        An id held by another device, another kind, or a row this endpoint
        does not answer for (``claims``) raises ``IdConflict``.
        """
        owner = find_owner_of_id(client_id)
        if owner is None:
            return None
        model, device_id = owner
        if model is not self.queryset.model or device_id != self.device.pk:
            raise IdConflict()
        row = model.all_objects.get(pk=client_id)
        if not self.claims(row):
            raise IdConflict()
        return row

    def check(self, validated: Fields) -> None:
        """Hook: raise the domain errors ``save`` would raise creating ``validated``; write nothing.

        A replay of the device's live row answers with the stored row, but a
        body a first create would refuse is refused as a replay too: the
        resource runs here the rules its service applies beyond the serializer
        (``save`` runs them itself on every write). Food entries and goals
        override it; the uniqueness rules of products, portions and body
        weights need nothing here (the stored row itself meets them). A new
        resource whose service refuses bodies the serializer accepts must
        override it too (tests/test_replay_validation.py shows how to prove it).
        """

    def claims(self, row: DeviceOwnedModel) -> bool:
        """Hook: whether this endpoint may answer for a row of the device with the posted id.

        A nested endpoint narrows it (a portion id posted under another product
        is a conflict, not a move).
        """
        return True

    def find_equivalent(
        self, validated: Fields, *, instance: DeviceOwnedModel | None = None
    ) -> DeviceOwnedModel | None:
        """Hook: a live row this create (or the restore of ``instance``) would duplicate.

        It is returned with 200 instead of writing anything.
        """
        return None

    def insert(self, validated: Fields, client_id: ClientId) -> DeviceOwnedModel:
        """``save`` a new row; an id taken meanwhile by another device is 409 ``id_conflict``."""
        if client_id is None:
            # A server-made uuid4 clashes with nothing: no savepoint to recover into
            # (two round trips fewer). Any other IntegrityError rolls the whole
            # transaction back and the exception handler answers it.
            return self.save(validated, id=None, instance=None)
        try:
            with transaction.atomic():
                return self.save(validated, id=client_id, instance=None)
        except IntegrityError as error:
            # Only a clash on the id itself is an id conflict; other unique
            # rules keep their own meaning (the exception handler makes them 409).
            if find_owner_of_id(client_id) is not None:
                raise IdConflict() from error
            raise


class DeviceScopedUpdateMixin(DeviceScopedWriteMixin, mixins.UpdateModelMixin):
    """PUT and PATCH, in a transaction under the device's write lock."""

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            self.lock_device()
            partial = kwargs.pop("partial", False)
            instance = self.get_object()
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            validated = posted_fields(serializer)
            if changes_nothing(instance, validated):
                # Nothing to write: no updated_at, no version, so a sync does not
                # hand the row out again as changed (a replayed or empty PATCH,
                # or only fields the serializer ignores, such as a weight's day).
                return Response(self.represent(instance))
            row = self.save(validated, id=None, instance=instance)
        return Response(self.represent(row))


class SoftDestroyMixin(mixins.DestroyModelMixin):
    """DELETE: soft delete (the row stays for sync and the admin), 204.

    A DELETE of the device's own already-deleted row is 204 too, and changes
    nothing: the app's sync queue replays deletes it already applied, and a
    404 kept them queued forever. Another device's id, deleted or not, and
    an unknown one stay 404.
    """

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            self.lock_device()
            try:
                instance = self.get_object()
            except Http404:
                if not self.is_own_deleted_row():
                    raise
            else:
                self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def is_own_deleted_row(self) -> bool:
        """Whether the URL's id is a soft-deleted row of this model and this device."""
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        deleted = self.scoped(self.queryset.model.all_objects.deleted())
        return deleted.filter(**{self.lookup_field: lookup}).exists()


class SharedSerializerListMixin(mixins.ListModelMixin):
    """A list rendered by the process's shared serializer (``shared_serializer``).

    For resources whose list shape needs no request context: the same JSON as
    ``ListModelMixin``, without building the serializer's fields per request.
    """

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = queryset if page is None else page
        represent = shared_serializer(self.get_serializer_class()).to_representation
        data = [represent(row) for row in rows]
        return Response(data) if page is None else self.get_paginated_response(data)


class DeviceScopedModelViewSet(
    DeviceScopedCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    DeviceScopedUpdateMixin,
    SoftDestroyMixin,
    DeviceScopedViewSet,
):
    """List, create, retrieve, update and soft-delete the device's rows."""
