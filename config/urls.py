from django.conf import settings
from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.views import defaults
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound

from incidents.api.common import exception_handler
from incidents.views import evidence_file

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", evidence_file, name="evidence-file"),
    path("api/v1/", include("incidents.api.urls")),
    path("api/v1/", include("reporting.api.urls")),
    path("api/v1/", include("scope.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("incidents.urls")),
    path("", include("reporting.urls")),
    path("", include("dashboard.urls")),
    path("", include("operations.urls")),
    path("admin/", admin.site.urls),
]


def not_found(request, exception=None):
    """A path nobody serves (e.g. a malformed id in an API path): under /api/ the project's
    JSON error, as every API refusal; elsewhere the page in the reader's language."""
    if request.path.startswith("/api/"):
        refusal = exception_handler(NotFound(), {})  # the one definition of the error format
        return JsonResponse(refusal.data, status=refusal.status_code)
    return defaults.page_not_found(request, exception)


handler404 = not_found
