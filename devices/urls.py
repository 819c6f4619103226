"""Routes of the devices app, mounted under ``/v1/`` by the root URLconf.

No trailing slashes and no redirects (docs/api.md §1). Goals are routed by hand:
they are not a collection (no list, no ``POST /v1/goals``), only named actions.
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from devices import views

router = SimpleRouter(trailing_slash=False)
router.register("body-weights", views.BodyWeightViewSet, basename="body-weight")

goal_detail = views.GoalViewSet.as_view(
    {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
)

urlpatterns = [
    path("devices/register", views.RegisterView.as_view(), name="devices-register"),
    path("auth/register", views.AuthRegisterView.as_view(), name="auth-register"),
    path("devices/me", views.CurrentDeviceView.as_view(), name="devices-me"),
    path(
        "goals/calculate",
        views.GoalViewSet.as_view({"post": "calculate"}),
        name="goals-calculate",
    ),
    path(
        "goals/calculated",
        views.GoalViewSet.as_view({"post": "calculated"}),
        name="goals-calculated",
    ),
    path("goals/manual", views.GoalViewSet.as_view({"post": "manual"}), name="goals-manual"),
    path("goals/current", views.GoalViewSet.as_view({"get": "current"}), name="goals-current"),
    path("goals/<uuid:pk>", goal_detail, name="goal-detail"),
    *router.urls,
]
