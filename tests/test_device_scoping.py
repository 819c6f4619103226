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


# Every routed view over device-owned rows, by class and model name (names, not
# modules, so a view that moves between apps keeps its entry). A new one must be
# added here on purpose.
SCOPED_VIEWS = {
    ("ProductViewSet", "Product"),
    ("PortionViewSet", "Portion"),
    ("ProductPortionViewSet", "Portion"),
    ("FoodEntryViewSet", "FoodEntry"),
    ("DiaryStatsViewSet", "FoodEntry"),
    ("DeviceDataViewSet", "FoodEntry"),
    ("QuickAddViewSet", "Product"),
    ("GoalViewSet", "Goal"),
    ("BodyWeightViewSet", "BodyWeight"),
    ("WeightStatsViewSet", "BodyWeight"),
}


def test_every_view_over_device_owned_rows_is_device_scoped():
    scoped = set()
    for view_class in all_views():
        queryset = getattr(view_class, "queryset", None)
        model = getattr(queryset, "model", None)
        if model is not None and issubclass(model, DeviceOwnedModel):
            assert issubclass(view_class, DeviceScopedViewSet), view_class
            assert view_class.get_queryset is DeviceScopedViewSet.get_queryset, view_class
            scoped.add((view_class.__name__, model.__name__))
    assert scoped == SCOPED_VIEWS


def test_a_subclass_cannot_replace_the_device_filter():
    with pytest.raises(TypeError, match="override get_base_queryset"):

        class Leaky(DeviceScopedViewSet):
            def get_queryset(self):  # pragma: no cover - never called
                return None
