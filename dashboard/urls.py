from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("incidents/<str:reference>/", views.incident_status, name="incident-status"),
]
