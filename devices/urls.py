"""Routes of the devices app, mounted under ``/v1/`` by the root URLconf.

No trailing slashes and no redirects (docs/api.md §1). Goals are routed by hand:
they are not a collection (no list, no ``POST /v1/goals``), only named actions.
"""

from django.urls import path

from devices import views
from devices.codes import views as code_views
from devices.goals.views import GoalViewSet

goal_detail = GoalViewSet.as_view(
    {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
)

urlpatterns = [
    path("devices/register", views.RegisterView.as_view(), name="devices-register"),
    path("auth/register", views.AuthRegisterView.as_view(), name="auth-register"),
    path("devices/me", views.CurrentDeviceView.as_view(), name="devices-me"),
    path(
        "devices/me/transfer-code",
        code_views.TransferCodeView.as_view(),
        name="devices-me-transfer-code",
    ),
    path(
        "devices/me/recovery-code",
        code_views.RecoveryCodeView.as_view(),
        name="devices-me-recovery-code",
    ),
    path("devices/claim", code_views.ClaimView.as_view(), name="devices-claim"),
    path(
        "goals/calculate",
        GoalViewSet.as_view({"post": "calculate"}),
        name="goals-calculate",
    ),
    path(
        "goals/calculated",
        GoalViewSet.as_view({"post": "calculated"}),
        name="goals-calculated",
    ),
    path("goals/manual", GoalViewSet.as_view({"post": "manual"}), name="goals-manual"),
    path("goals/current", GoalViewSet.as_view({"get": "current"}), name="goals-current"),
    path("goals/<uuid:pk>", goal_detail, name="goal-detail"),
]
