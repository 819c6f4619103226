from django.urls import path

from devices import views

urlpatterns = [
    path("devices/register", views.RegisterView.as_view(), name="devices-register"),
    path("auth/register", views.AuthRegisterView.as_view(), name="auth-register"),
    path("devices/me", views.CurrentDeviceView.as_view(), name="devices-me"),
]
