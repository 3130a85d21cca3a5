"""Shared pieces of the admin: need-to-know, time zones, history, display-only inlines."""

from __future__ import annotations

import dataclasses
import itertools
import zoneinfo
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

from ..access import visible
from ..history import changes
from ..limits import EARLIEST_DATE, LATEST_DATE
from ..localtime import LocalSplitDateTimeField
from ..models import (
    Incident,
)
from ..timeformat import format_datetime

SIMPLE_HISTORY_TITLES = (
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop("View %s"),
    gettext_noop("Revert %s"),
)


def local_time(incident: Incident, moment) -> str:
    """A time of the case, in the incident's zone, as the admin writes every date-time."""
    return format_datetime(moment, incident.tzinfo)


# Times typed in the page's zone; a daylight-saving gap or overlap is refused, never shifted.
LOCAL_TIMES: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.DateTimeField: {"form_class": LocalSplitDateTimeField}
}
# Text areas in table rows stay small.
COMPACT_TEXT: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    **LOCAL_TIMES,
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 36})},
}


class FactSelect(forms.Select):
    """A fact that decides a notification: yes, no, or not yet known (never read as no)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs,
            choices=[
                ("unknown", _("Not yet known")),
                ("true", _("Yes")),
                ("false", _("No")),
            ],
        )

    def format_value(self, value):
        return {True: "true", False: "false", "true": "true", "false": "false"}.get(
            value, "unknown"
        )

    def value_from_datadict(self, data, files, name):
        return {"true": True, "false": False, True: True, False: False}.get(data.get(name))


class VisibleRawIdWidget(widgets.ForeignKeyRawIdWidget):
    """A raw-id input that names a prefilled or posted row only when the user may see it."""

    def __init__(self, rel, admin_site, queryset, **kwargs):
        self.visible_queryset = queryset
        super().__init__(rel, admin_site, **kwargs)

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            seen = self.visible_queryset.filter(**{key: value}).exists()
        except (ValueError, TypeError, OverflowError, ValidationError):
            seen = False
        return super().label_and_url_for_value(value) if seen else ("", "")


class BoundedChangeList(ChangeList):
    """A list whose filters or date drill-down fall outside the sane date range (or cannot
    be computed) answers like any wrong filter: the admin's "?e=1" page, not an error."""

    def get_queryset(self, request, exclude_parameters=None):
        hierarchy = self.date_hierarchy
        if hierarchy:
            year = self.params.get(f"{hierarchy}__year")
            year = year[-1] if isinstance(year, list) else year
            if year is not None:
                try:
                    sane = EARLIEST_DATE.year <= int(year) <= LATEST_DATE.year
                except (TypeError, ValueError):
                    sane = False
                if not sane:
                    raise IncorrectLookupParameters(year)
        try:
            return super().get_queryset(request, exclude_parameters)
        except (OverflowError, ValidationError) as exc:
            raise IncorrectLookupParameters(exc) from exc

    def get_results(self, request):
        try:
            return super().get_results(request)
        except (OverflowError, ValueError) as exc:
            raise IncorrectLookupParameters(exc) from exc


class NeedToKnowMixin:
    """Need-to-know for an admin page and every form, widget and lookup on it.

    Its rows are the model's `visible_to(user)`; every foreign key offers only rows of
    the related model's `visible_to(user)` (selects, raw-id inputs and their labels,
    autocompletes, which ask the related model's admin); an id that is malformed, missing
    or hidden finds nothing, and the admin answers as it does for a missing object.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_changelist(self, request, **kwargs):
        return BoundedChangeList

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = visible(db_field.related_model, request.user)
        if choices is not None:
            if "queryset" in kwargs:
                kwargs["queryset"] = kwargs["queryset"] & choices
            else:
                kwargs["queryset"] = choices
            if db_field.name in self.raw_id_fields and "widget" not in kwargs:
                kwargs["widget"] = VisibleRawIdWidget(
                    db_field.remote_field,
                    self.admin_site,
                    queryset=kwargs["queryset"],
                    using=kwargs.get("using"),
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = visible(db_field.related_model, request.user)
        if choices is not None:
            kwargs["queryset"] = kwargs["queryset"] & choices if "queryset" in kwargs else choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_object(self, request, object_id, from_field=None):
        """The row, fetched once per request: the admin's change view asks again for the row
        the time zone and the 404 already found."""
        fetched = request.__dict__.setdefault("_taisaku_objects", {})
        key = (self.model, str(object_id), from_field)
        if key not in fetched:
            fetched[key] = super().get_object(request, object_id, from_field)
        return fetched[key]

    def visible_object(self, request, object_id):
        """The row, or None when the id is malformed, missing or not the user's to see.

        Asked once per request and page (the time zone, the warnings and the 404 all ask)."""
        seen = request.__dict__.setdefault("_taisaku_visible", {})
        key = (self.model, object_id)
        if key not in seen:
            try:
                seen[key] = self.get_object(request, unquote(object_id))
            except (OverflowError, ValueError, TypeError):
                seen[key] = None
        return seen[key]

    def visible_or_404(self, request, object_id):
        """A page about one row answers 404 when the row is malformed, missing or hidden:
        the same page for all three (Django's admin would redirect to its index with a
        message that names the id)."""
        obj = self.visible_object(request, object_id)
        if obj is None:
            raise Http404
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self.visible_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self.visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self.visible_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        if request.method == "GET":
            self._refuse_hidden_prefill(request)
        return super().add_view(request, form_url, extra_context)

    def _refuse_hidden_prefill(self, request):
        """An add page prefilled from the URL (`?incident=7`) with a row the user may not see,
        or one that does not exist or is malformed, answers 404: the same for all three, and
        nothing of the row reaches the page."""
        for name, value in request.GET.items():
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            related = field.many_to_one or field.one_to_one or field.many_to_many
            if not value or not related or not field.concrete:
                continue
            rows = visible(field.related_model, request.user)
            if rows is None:
                rows = field.related_model._default_manager.all()
            keys = set(value.split(",")) if field.many_to_many else {value}
            target = field.target_field
            try:
                cleaned = {target.clean(key, None) for key in keys}
                seen = rows.filter(**{f"{target.attname}__in": cleaned}).count() == len(cleaned)
            except (ValidationError, ValueError, TypeError, OverflowError):
                seen = False
            if not seen:
                raise Http404


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    """Changed values as the history page's `history_value` filter wants them: the values
    themselves (times, yes/no, nothing), a choice as its label, a related row as its name,
    and no "Deleted user (pk=None)" for a field that was simply empty."""

    def format_delta_change(self, change: ModelChange) -> ModelChange:
        field = self.model._meta.get_field(change.field)
        return dataclasses.replace(
            change,
            field=capfirst(str(field.verbose_name)),
            old=self.readable(field, self.prepare_delta_change_value(change, change.old)),
            new=self.readable(field, self.prepare_delta_change_value(change, change.new)),
        )

    @staticmethod
    def readable(field, value):
        if isinstance(value, list):
            return ", ".join(map(str, value)) or None
        if value is not None and not isinstance(value, str | int | float | bool | date):
            # A related row (or simple-history's stand-in for a missing one).
            return None if getattr(value, "pk", None) is None else str(value)
        choices = getattr(field, "flatchoices", None)
        if choices and value not in (None, ""):
            return dict(choices).get(value, value)
        return value


def viewing_history(request) -> bool:
    """Whether the page shows a past version of a record (history_form_view)."""
    return getattr(request, "viewing_history", False)


class VisibleHistoryMixin:
    """simple-history falls back to old rows for objects it cannot find: never for hidden ones.
    Its changes are shown readably (ReadableHistoryHelper)."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """simple-history's, with what the history shows of a change (incidents.history):
        the incident's status moves too. The oldest row of a page is compared with the
        record before it, on the next page (simple-history left it showing no change)."""
        records = list(historical_records)
        if records and records[-1].history_type != "+":
            older = records[-1].prev_record
            if older is not None:
                records.append(older)
        for record, previous in itertools.pairwise(records):
            delta = changes(record, previous, foreign_keys_are_objs=foreign_keys_are_objs)
            helper = self.get_historical_record_context_helper(request, record)
            record.history_delta_changes = helper.context_for_delta_changes(delta)

    def history_view(self, request, object_id, extra_context=None):
        self._ensure_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A past version of the record, to read: every field disabled and no button that acts
        (reverting is off, SIMPLE_HISTORY_REVERT_DISABLED)."""
        self._ensure_visible(request, object_id)
        if request.method not in ("GET", "HEAD"):
            # simple-history saves a posted past version even with reverting off: it would
            # overwrite the record behind the services' back.
            return HttpResponseNotAllowed(["GET", "HEAD"])
        request.viewing_history = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, *args, **kwargs):
        form: Any = super().get_form(request, *args, **kwargs)
        if not viewing_history(request):
            return form

        class PastVersionForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for field in self.fields.values():
                    field.disabled = True

        return PastVersionForm

    def _ensure_visible(self, request, object_id):
        self.visible_or_404(request, object_id)


class IncidentTimeZoneMixin:
    """A page shows and reads times in its incident's time zone: change pages, add pages
    (the incident chosen in the form), and history pages."""

    time_zone_path = "incident__time_zone"

    if TYPE_CHECKING:  # provided by the admin class it is mixed into (HistoryAdmin)

        def visible_object(self, request, object_id) -> Any: ...

        def get_queryset(self, request) -> Any: ...

    def change_view(self, request, object_id, form_url="", extra_context=None):
        zone = self._zone_of(request, object_id)
        return self._in_zone(zone, super().change_view, request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        return self._in_zone(
            self.zone_of_new(request), super().add_view, request, form_url, extra_context
        )

    def history_view(self, request, object_id, extra_context=None):
        zone = self._zone_of(request, object_id)
        return self._in_zone(zone, super().history_view, request, object_id, extra_context)

    def get_list_display(self, request):
        """A list's date-time columns in each row's incident zone (a list can hold cases of
        several zones), written as every date-time of the admin is."""
        return [self._row_local(name) for name in super().get_list_display(request)]

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        if not links:
            return links
        shown = {getattr(item, "__name__", item): item for item in list_display}
        return [shown.get(name, name) for name in links]

    def _row_local(self, name):
        try:
            field = self.model._meta.get_field(name) if isinstance(name, str) else None
        except FieldDoesNotExist:
            field = None
        if not isinstance(field, models.DateTimeField):
            return name
        path = self.time_zone_path.split("__")[:-1]

        def shown(obj):
            row = obj
            for step in path:
                row = getattr(row, step)
            return format_datetime(getattr(obj, name), zoneinfo.ZoneInfo(row.time_zone))

        shown.__name__ = name  # its column keeps the field's class (field-occurred_at)
        return admin.display(description=capfirst(field.verbose_name), ordering=name)(shown)

    def _zone_of(self, request, object_id) -> str | None:
        obj = self.visible_object(request, object_id)
        if obj is None:  # malformed, missing or hidden: the admin answers "does not exist"
            return None
        if "__" not in self.time_zone_path:  # the row's own field (the incident's page)
            return getattr(obj, self.time_zone_path)
        return (
            self.get_queryset(request)
            .filter(pk=obj.pk)
            .values_list(self.time_zone_path, flat=True)
            .first()
        )

    def zone_of_new(self, request) -> str | None:
        """The zone of the incident named in the add form (posted or prefilled)."""
        pk = request.POST.get("incident") or request.GET.get("incident")
        if not pk or not str(pk).isdigit():
            return None
        return (
            Incident.objects.visible_to(request.user)
            .filter(pk=pk)
            .values_list("time_zone", flat=True)
            .first()
        )

    @staticmethod
    def _in_zone(zone, view, *args):
        if zone is None:  # not visible or not known: the admin answers as it would
            return view(*args)
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            response = view(*args)
            if hasattr(response, "render"):
                response.render()  # render inside the zone, not after it
        return response


class OneLanguageEnough:
    """Each narrative is edited in both languages, side by side (“title [ja]”, “title [en]”,
    django-modeltranslation). The form requires neither: the model's clean() asks for a
    required one (a title) in one language at least, so that admin and API agree."""

    def patch_translation_field(self, db_field, field, request, **kwargs):
        super().patch_translation_field(db_field, field, request, **kwargs)
        if getattr(db_field, "translated_field", None) is not None:
            field.required = False


class NarrativeAdmin(OneLanguageEnough, TranslationAdmin):
    pass


class NarrativeTabularInline(OneLanguageEnough, TranslationTabularInline):
    pass


class NarrativeStackedInline(OneLanguageEnough, TranslationStackedInline):
    pass


class HistoryAdmin(VisibleHistoryMixin, NeedToKnowMixin, SimpleHistoryAdmin):
    show_full_result_count = False
    formfield_overrides: ClassVar[Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]] = (
        LOCAL_TIMES
    )


class IncidentChoicesMixin:
    """Related selects in inlines offer only the parent incident's rows, queried once per page.

    Without this every inline row would run its own query per select: the page would
    grow with the number of rows.
    """

    incident_scoped: dict[
        str, str
    ] = {}  # field name -> lookup from the related model to the incident id

    def get_formset(self, request, obj=None, **kwargs):
        request._taisaku_incident = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        lookup = self.incident_scoped.get(db_field.name)
        if lookup is None or field is None:
            return field
        incident = getattr(request, "_taisaku_incident", None)
        cache = request.__dict__.setdefault("_taisaku_choices", {})
        key = (db_field.model, db_field.name)
        if key not in cache:
            qs = db_field.related_model.objects.filter(
                **{lookup: incident.pk if incident else None}
            )
            if db_field.name == "finding":
                qs = qs.select_related("engagement")
            if db_field.name == "obligation":
                qs = qs.select_related("incident")
            field.queryset = qs
            cache[key] = [("", "---------"), *((obj.pk, str(obj)) for obj in qs)]
        field.queryset = db_field.related_model.objects.filter(
            **{lookup: incident.pk if incident else None}
        )
        field.choices = cache[key]
        return field


# Organization ------------------------------------------------------------------


class DisplayOnlyFormSet(BaseInlineFormSet):
    """An inline that is shown, never posted: its rows are written by services.

    Never bound, always valid, saves nothing; so a change form posted without its
    management data (e.g. by an older client) still saves.
    """

    def __init__(self, data=None, files=None, *args, **kwargs):
        super().__init__(None, None, *args, **kwargs)
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []

    def is_valid(self):
        return True

    def save(self, commit=True):
        return []


class DisplayOnlyInline(admin.TabularInline):
    """Rows shown on a parent's page and written elsewhere (services, the pipeline)."""

    formset = DisplayOnlyFormSet
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def announce_fulfilment(request, obligation) -> None:
    if obligation is not None:
        messages.info(
            request,
            gettext("Recorded as the filing of “%(obligation)s”.") % {"obligation": obligation},
        )
