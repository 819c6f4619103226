from django.urls import path
from rest_framework.routers import SimpleRouter

from entries import views
from entries.body_weights.views import BodyWeightViewSet
from entries.quick_add.views import QuickAddViewSet

router = SimpleRouter(trailing_slash=False)
router.register("food-entries", views.FoodEntryViewSet, basename="food-entry")
router.register("body-weights", BodyWeightViewSet, basename="body-weight")

urlpatterns = [
    path(
        "stats/day/<str:day>",
        views.DiaryStatsViewSet.as_view({"get": "day"}),
        name="stats-day",
    ),
    path("stats/daily", views.DiaryStatsViewSet.as_view({"get": "daily"}), name="stats-daily"),
    path("stats/weight", views.WeightStatsViewSet.as_view({"get": "weight"}), name="stats-weight"),
    path("data/reset", views.DeviceDataViewSet.as_view({"delete": "reset"}), name="data-reset"),
    path("data/export", views.DeviceDataViewSet.as_view({"get": "export"}), name="data-export"),
    path("quick-add/parse", QuickAddViewSet.as_view({"post": "parse"}), name="quick-add-parse"),
    *router.urls,
]
