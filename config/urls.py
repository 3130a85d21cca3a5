from django.conf import settings
from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
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


@csrf_exempt
def api_not_found(request):
    """Any other path under /api/, whatever the method: the API's JSON 404 even with DEBUG
    on (Django then answers its own HTML page instead of calling handler404)."""
    return not_found(request)


# Last, and only for paths ending in "/": APPEND_SLASH still sends /api/v1/reports to
# /api/v1/reports/ (a path that ends without one is no path here).
urlpatterns.append(re_path(r"^api/(?:.*/)?$", api_not_found))
