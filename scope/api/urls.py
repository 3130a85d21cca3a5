from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("assets", views.AssetViewSet, basename="asset")
router.register("checks", views.CheckViewSet, basename="check")
router.register("indicators", views.IndicatorViewSet, basename="indicator")

urlpatterns = [
    path("incidents/<str:pk>/stix/", views.StixExportView.as_view(), name="incident-stix"),
    path("incidents/<str:pk>/misp/", views.MispExportView.as_view(), name="incident-misp"),
    *router.urls,
]
