"""What every endpoint shares: one error format, permissions, pagination."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import QuerySet
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


class IdsFirstPaginator(DjangoPaginator):
    """A page past the first reads the ids of its rows first, then only those rows.

    The database still steps over the rows before the page, but through the ordering's
    index and the need-to-know join alone (no row, no join of the serializer's), so a
    deep page costs about what the first one does.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom == 0 or not isinstance(self.object_list, QuerySet):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        ids = list(queryset.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = IdsFirstPaginator

    def paginate_queryset(self, queryset, request, view=None):
        return super().paginate_queryset(with_tie_breaker(queryset), request, view)


def with_tie_breaker(queryset):
    """Ordered to the last row: rows that tie on the chosen ordering (?ordering=severity)
    keep one order from page to page, so no row is shown twice or skipped."""
    if not isinstance(queryset, QuerySet):
        return queryset
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering or [])
    if any(str(field).lstrip("-") in ("pk", "id") for field in ordering):
        return queryset
    return queryset.order_by(*ordering, "pk")


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
