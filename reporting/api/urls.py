from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("reports", views.ReportViewSet, basename="report")

urlpatterns = [
    path(
        "incidents/<str:pk>/readiness/",
        views.ReadinessView.as_view(),
        name="incident-readiness",
    ),
    *router.urls,
]
