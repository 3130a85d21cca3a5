from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .health import health


@never_cache
@require_safe
def health_view(request):
    """Open to anyone (health checkers carry no credentials): counts and ages only."""
    result = health()
    return JsonResponse(result, status=200 if result["status"] == "ok" else 503)
