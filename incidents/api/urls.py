from django.urls import path
from rest_framework.routers import DefaultRouter

from . import auth, views


class Router(DefaultRouter):
    """The API's root (/api/v1/) lists every list of the API, the reports' and the scope's
    too (their routers are mounted beside this one under the same prefix)."""

    def get_api_root_view(self, api_urls=None):
        from reporting.api.urls import router as reporting
        from scope.api.urls import router as scope

        list_name = self.routes[0].name
        api_root_dict = {
            prefix: list_name.format(basename=basename)
            for r in (self, reporting, scope)
            for prefix, _viewset, basename in r.registry
        }
        return self.APIRootView.as_view(api_root_dict=api_root_dict)


router = Router()
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
