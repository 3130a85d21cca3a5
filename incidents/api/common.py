"""What every endpoint shares: one error format, permissions, pagination."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, permissions
from rest_framework.fields import get_error_detail
from rest_framework.views import exception_handler as drf_exception_handler

from incidents.models import Incident, IncidentError


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = _("The request conflicts with the record's current state.")
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = _("The upload is too large.")
    default_code = "too_large"


def exception_handler(exc, context):
    """Every error answers {"error": {"status", "code", "message", "fields"}}."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=get_error_detail(exc))
    elif isinstance(exc, IncidentError):
        exc = Conflict(exc.message)
    elif getattr(exc, "api_status", None) == 409:
        # Refusals of other apps' records (e.g. a submitted report) declare their status.
        exc = Conflict(str(exc))
    elif getattr(exc, "api_status", None) == 400:
        exc = exceptions.ValidationError(detail={"non_field_errors": [str(exc)]})
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    fields = {}
    if isinstance(detail, dict):
        fields = {
            key: [str(m) for m in value] if isinstance(value, list) else [str(value)]
            for key, value in detail.items()
        }
        message = fields.pop("non_field_errors", None) or fields.pop("detail", None)
        message = " ".join(message) if message else str(_("The request has errors."))
    elif isinstance(detail, list):
        message = " ".join(str(m) for m in detail)
    else:
        message = str(detail)
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
    response.data = {
        "error": {
            "status": response.status_code,
            "code": code,
            "message": message,
            "fields": fields,
        }
    }
    return response


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class CasePermissions(permissions.DjangoModelPermissions):
    """Model permissions for every method, reading included.

    Which rows a user reaches is decided by the view's queryset (need-to-know), so an
    object the user may not see answers 404, never 403. A view can ask for other
    permissions per action with ``action_permissions``.
    """

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        extra = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if extra is not None:
            return request.user.has_perms(extra)
        return super().has_permission(request, view)


def visible_incidents(request):
    return Incident.objects.visible_to(request.user)
