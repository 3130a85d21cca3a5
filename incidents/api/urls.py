from django.urls import path
from rest_framework.routers import DefaultRouter

from . import auth, views

router = DefaultRouter()
router.register("organizations", views.OrganizationViewSet)
router.register("incidents", views.IncidentViewSet)
router.register("milestones", views.MilestoneViewSet)
router.register("engagements", views.EngagementViewSet)
router.register("findings", views.FindingViewSet)
router.register("evidence", views.EvidenceViewSet)
router.register("actions", views.ActionViewSet)
router.register("obligations", views.ObligationViewSet)
router.register("individual-notices", views.IndividualNoticeViewSet)
router.register("unresolved-items", views.UnresolvedItemViewSet)

urlpatterns = [
    path("auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("ping/", auth.PingView.as_view(), name="api-ping"),
    *router.urls,
]
