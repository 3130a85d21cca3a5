"""Requests no view should ever see."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RefuseNulMiddleware:
    """A NUL character in the path or the query string is refused with 400.

    No page or filter means one; PostgreSQL cannot even compare text with it, so
    letting it through would answer 500 on one database and "not found" on the other.
    Bodies are the forms' and serializers' business (they refuse NUL in text fields).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            message = _("The address contains a NUL character.")
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"error": {"status": 400, "code": "invalid", "message": message, "fields": {}}},
                    status=400,
                )
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
