"""What every endpoint shares: one error format, permissions, pagination."""

import contextlib
import json
import math
from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from django_filters import rest_framework as filters
from rest_framework import exceptions, pagination, parsers, permissions, renderers, serializers
from rest_framework.fields import get_error_detail
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import get_view_name

from incidents.access import visible
from incidents.filtersets import FilterSet
from incidents.history import changes
from incidents.limits import in_range, validate_in_range
from incidents.models import Incident, IncidentError


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = _("The request conflicts with the record's current state.")
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = _("The request is too large.")
    default_code = "too_large"


def messages_of(value) -> list[str]:
    """A field's messages as text. A list's item ({1: [...]} from a ListField, one entry per
    item from a nested list) or a nested field says where it is: "Item 2: ..."."""

    def where(key) -> str:
        return str(_("Item %(number)d") % {"number": key + 1}) if isinstance(key, int) else key

    if isinstance(value, dict):
        return [f"{where(k)}: {m}" for k, inner in value.items() for m in messages_of(inner)]
    if isinstance(value, list):
        if any(isinstance(item, dict | list) for item in value):
            return [
                f"{where(i)}: {m}"
                for i, item in enumerate(value)
                if isinstance(item, dict | list)
                for m in messages_of(item)
            ] + [str(item) for item in value if not isinstance(item, dict | list)]
        return [str(m) for m in value]
    return [str(value)]


def exception_handler(exc, context):
    """Every error answers {"error": {"status", "code", "message", "fields"}}."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=get_error_detail(exc))
    elif getattr(exc, "api_status", None) == 413:
        exc = PayloadTooLarge(str(exc))
    elif getattr(exc, "api_status", None) == 415:
        exc = exceptions.UnsupportedMediaType("", detail=str(exc))
    elif isinstance(exc, IncidentError):
        exc = Conflict(exc.message)
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = Conflict(
            _("Other records depend on this one (%(count)d); it cannot be deleted.")
            % {
                "count": len(
                    exc.protected_objects
                    if isinstance(exc, ProtectedError)
                    else exc.restricted_objects
                )
            }
        )
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
        fields = {key: messages_of(value) for key, value in detail.items()}
        # DRF's own errors say {"detail": ...}; in a validation error "detail" is a field
        # (a milestone's detail), whose messages stay under its name.
        message = fields.pop("non_field_errors", None)
        if not message and not isinstance(exc, exceptions.ValidationError):
            message = fields.pop("detail", None)
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
    index and the need-to-know join alone (no row, no join of the serializer's). A page in
    the back half is read from the end, in the reverse order (a total one: the paginator
    is given lists ordered to the last row, `with_tie_breaker`), so it steps over the rows
    after it instead: the last page costs what the first does, and no page steps over
    more than half the list.
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
        if queryset.ordered and bottom > self.count - top:
            ids = list(
                queryset.reverse().values_list("pk", flat=True)[
                    self.count - top : self.count - bottom
                ]
            )
            ids.reverse()
        else:
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


class CheckedCursorPagination(pagination.CursorPagination):
    """DRF's cursor, with its position checked before it reaches the database: a cursor is
    only base64, anyone can forge one, and a position that is not a value of the ordering
    field (a year-1 time, "zz" for an id) answers as any bad cursor does (404)."""

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        field = self.model._meta.get_field(str(self.ordering[0]).lstrip("-"))
        try:
            value = field.to_python(cursor.position)
            if isinstance(value, date) and not in_range(value):
                raise ValueError(cursor.position)
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            raise exceptions.NotFound(self.invalid_cursor_message) from None
        return cursor


class CursorOrNumberPagination(Pagination):
    """Page numbers, or, for a client that asks with ``?cursor=`` (empty for the first
    page), a cursor: the next page starts after the last row shown (keyset), so page 4,000
    of a long timeline costs what page 1 does, and a row added meanwhile neither repeats nor
    skips one. Cursor pages carry no count. Only for lists ordered by a field that is never
    empty (a cursor is the position of that field)."""

    cursor_query_param = "cursor"
    cursor_query_description = _(
        "Keyset paging: give it empty for the first page, then follow `next`. Without it, "
        "pages are numbered (`page`)."
    )

    def __init__(self):
        super().__init__()
        self.cursor: pagination.CursorPagination | None = None

    def paginate_queryset(self, queryset, request, view=None):
        if self.cursor_query_param not in request.query_params:
            return super().paginate_queryset(queryset, request, view)
        self.cursor = CheckedCursorPagination()
        self.cursor.page_size = self.get_page_size(request) or self.page_size
        # The view's ordering filter chooses the order; this is for a view without one.
        self.cursor.ordering = tuple(map(str, with_tie_breaker(queryset).query.order_by)) or ("pk",)
        return self.cursor.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if self.cursor is not None:
            return self.cursor.get_paginated_response(data)
        return super().get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        paged = super().get_paginated_response_schema(schema)
        paged["required"] = ["results"]  # a cursor page has no count
        return paged

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(self.cursor_query_description),
                "schema": {"type": "string"},
            },
        ]


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


class NeedToKnowFilterBackend(filters.DjangoFilterBackend):
    """Every filter offering rows of a model (incident, engagement, organization, ...)
    offers only the ones the user may see, so a hidden id (or an incident's hidden
    reference, IncidentKeyFilter) is refused exactly as a missing one (400); every date
    filter keeps to the sane date range (400 beyond it)."""

    filterset_base = FilterSet  # a view's filterset_fields too: named in the reader's language

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            limit_filters(filterset, request.user)
        return filterset


def limit_filters(filterset, user) -> None:
    for filter_ in filterset.filters.values():
        model = getattr(getattr(filter_, "queryset", None), "model", None)
        if model is not None:
            choices = visible(model, user)
            if choices is not None:
                filter_.queryset = choices
        if issubclass(filter_.field_class, (forms.DateField, forms.DateTimeField)) or issubclass(
            filter_.field_class, filter_fields.IsoDateTimeField
        ):
            filter_.extra["validators"] = [*filter_.extra.get("validators", []), validate_in_range]


class BoundedSearchFilter(SearchFilter):
    """A search of at most SEARCH_MAX_LENGTH characters: a longer one is a 400, never a
    query the database cannot run (SQLite refuses LIKE patterns of 50,000 bytes)."""

    SEARCH_MAX_LENGTH = 200

    def get_search_terms(self, request):
        text = request.query_params.get(self.search_param, "")
        if len(text) > self.SEARCH_MAX_LENGTH:
            raise exceptions.ValidationError(
                {
                    self.search_param: [
                        _("A search may be at most %(length)d characters.")
                        % {"length": self.SEARCH_MAX_LENGTH}
                    ]
                }
            )
        return super().get_search_terms(request)


class LimitedJSONParser(parsers.JSONParser):
    """JSON bodies within bounds: at most API_JSON_MAX_BYTES and API_JSON_MAX_DEPTH levels
    of nesting. Beyond them (or a number like 1e999999) the answer is a clear 400/413."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_JSON_MAX_BYTES
        request = (parser_context or {}).get("request")
        length = int((request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0)
        if length > limit:
            raise PayloadTooLarge(_("A JSON body may be at most %(size)d bytes.") % {"size": limit})
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise PayloadTooLarge(_("A JSON body may be at most %(size)d bytes.") % {"size": limit})
        if _nesting(body) > settings.API_JSON_MAX_DEPTH:
            raise exceptions.ParseError(
                _("JSON nested more than %(depth)d levels deep is refused.")
                % {"depth": settings.API_JSON_MAX_DEPTH}
            )
        encoding = parsers.get_encoding(parser_context or {})
        try:
            # Numbers beyond a float (1e999999) would come back as infinity and overflow
            # every int field and id after it: refused here, like NaN and Infinity.
            return json.loads(
                body.decode(encoding), parse_float=_finite_float, parse_constant=_no_constant
            )
        except (RecursionError, OverflowError, ValueError) as exc:
            raise exceptions.ParseError(_("The body is not valid JSON.")) from exc


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _no_constant(text: str):
    raise ValueError(text)


def _nesting(body: bytes) -> int:
    """The deepest bracket nesting, counted without parsing (strings skipped)."""
    if body.count(b"[") + body.count(b"{") <= settings.API_JSON_MAX_DEPTH:
        return 0
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


class HistoryEntrySerializer(serializers.Serializer):
    """One change of a record: when, by whom (null: the system), what kind, which fields."""

    at = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True)
    type = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    event = serializers.CharField(allow_blank=True)
    changed = serializers.ListField(child=serializers.CharField())


HISTORY_LIMIT = 500


def history_entries(history) -> list[dict]:
    """The newest HISTORY_LIMIT changes of a record, newest first."""
    records = list(
        history.select_related("history_user").order_by("-history_date", "-pk")[:HISTORY_LIMIT]
    )
    return [
        {
            "at": record.history_date,
            "user": record.history_user.get_username() if record.history_user else None,
            "type": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
            "event": record.history_change_reason or "",
            "changed": [c.field for c in changes(record, record.prev_record).changes]
            if record.prev_record
            else [],
        }
        for record in records
    ]


# The browsable API, in the reader's language --------------------------------------------
# Django REST framework names a view from its code (“Incident List”, “Transition”, “Api Root”)
# and the two fields of its raw-data form in English; its page (templates/rest_framework/)
# says its language. The JSON the API answers is unchanged.
VIEW_NAMES = {
    "Api Root": _("API root"),
    "Transition": _("Change status"),
    "History": _("History"),
    "Custody": _("custody"),
    "File": _("file"),
    "Download": _("Download"),
    "Text": _("text"),
    "Sent": _("Record as sent"),
    "Submit": _("Mark as submitted or published"),
    "Import csv": _("import (CSV)"),
    "Import stix": _("import (STIX)"),
    "Readiness": _("readiness"),
    "Export": _("export"),
    "Token": _("API token"),
    "Ping": _("connection check"),
}


def view_name(view) -> str:
    """A view's name as the browsable API shows it (title, breadcrumbs): a list or a record
    by its model's name, another view by its name in VIEW_NAMES."""
    model = getattr(getattr(view, "queryset", None), "model", None)
    suffix = getattr(view, "suffix", None)
    if getattr(view, "name", None) is None and model is not None and suffix in ("List", "Instance"):
        name = model._meta.verbose_name_plural if suffix == "List" else model._meta.verbose_name
        return capfirst(name)
    name = get_view_name(view)
    return str(capfirst(VIEW_NAMES[name])) if name in VIEW_NAMES else name


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def get_raw_data_form(self, data, view, method, request):
        form = super().get_raw_data_form(data, view, method, request)
        if form is not None:
            form.fields["_content_type"].label = _("Media type")
            form.fields["_content"].label = _("Content")
        return form


class NamedOrderingFilter(OrderingFilter):
    """The browsable API's orderings by the model field's name (重大度 - 昇順), not its code."""

    def get_valid_fields(self, queryset, view, context=None):
        named = []
        for name, label in super().get_valid_fields(queryset, view, context or {}):
            if label == name:
                with contextlib.suppress(FieldDoesNotExist):
                    label = capfirst(queryset.model._meta.get_field(name).verbose_name)
            named.append((name, label))
        return named
