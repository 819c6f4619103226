from django.urls import path
from rest_framework.routers import SimpleRouter

from entries import views

router = SimpleRouter(trailing_slash=False)
router.register("food-entries", views.FoodEntryViewSet, basename="food-entry")

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
    *router.urls,
]
