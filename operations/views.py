import logging

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .health import health

logger = logging.getLogger("taisaku.health")

# What this process last answered: a change is logged once, not every poll of the monitor.
_last_stale: frozenset[str] = frozenset()


@never_cache
@require_safe
def health_view(request):
    """Open to anyone (health checkers carry no credentials): counts and ages only.

    A 503 here is the answer, not a fault of the server: it is logged as a warning naming
    what is stale, when that changes, instead of django.request's error on every poll."""
    global _last_stale
    result = health()
    stale = frozenset(name for name, check in result["checks"].items() if not check["ok"])
    if stale != _last_stale:
        if stale:
            logger.warning("Health: stale: %s", ", ".join(sorted(stale)))
        else:
            logger.info("Health: every check is ok again")
        _last_stale = stale
    response = JsonResponse(result, status=503 if stale else 200)
    response._has_been_logged = True  # read by django.utils.log.log_response
    return response
