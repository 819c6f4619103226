"""No view can serve device-owned rows without the device filter of DeviceScopedViewSet."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from countonme.base.models import DeviceOwnedModel
from countonme.base.viewsets import DeviceScopedViewSet


def all_views(patterns=None) -> list:
    views = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            views += all_views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            view_class = getattr(pattern.callback, "cls", None)
            if view_class is not None:
                views.append(view_class)
    return views


def test_every_view_over_device_owned_rows_is_device_scoped():
    scoped = []
    for view_class in all_views():
        queryset = getattr(view_class, "queryset", None)
        model = getattr(queryset, "model", None)
        if model is not None and issubclass(model, DeviceOwnedModel):
            assert issubclass(view_class, DeviceScopedViewSet), view_class
            assert view_class.get_queryset is DeviceScopedViewSet.get_queryset, view_class
            scoped.append(view_class)
    assert len(scoped) >= 3  # products, portions, nested portions at least


def test_a_subclass_cannot_replace_the_device_filter():
    with pytest.raises(TypeError, match="override get_base_queryset"):

        class Leaky(DeviceScopedViewSet):
            def get_queryset(self):  # pragma: no cover - never called
                return None
