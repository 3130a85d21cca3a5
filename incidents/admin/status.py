"""The guarded status move: its form, its page, and the button to it on the incident's page."""

from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import services
from ..choices import IncidentStatus
from ..limits import NOTE_MAX_LENGTH
from ..localtime import LocalSplitDateTimeField
from ..models import Incident, IncidentError, lifecycle


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=_("new status"))
    effective_at = LocalSplitDateTimeField(
        label=_("effective at"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=_(
            "When the move happened, in the incident's time zone; empty for now. For a case "
            "entered after the fact."
        ),
    )
    note = forms.CharField(
        label=_("note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=NOTE_MAX_LENGTH,
    )

    def __init__(self, incident: Incident, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident = incident
        to_status = cast(forms.ChoiceField, self.fields["to_status"])
        to_status.choices = [
            (status, IncidentStatus(status).label) for status in incident.allowed_transitions()
        ]

    def clean_effective_at(self):
        """Not before the incident was found nor before the previous move: said here."""
        value = self.cleaned_data.get("effective_at")
        if value is not None:
            problem = lifecycle.effective_at_problem(self.incident, value)
            if problem:
                raise forms.ValidationError(problem)
        return value


class StatusMoveMixin:
    """The incident admin's page for a status move (admin:incidents_incident_status)."""

    def may_change_status(self, request, incident) -> bool:
        """Whether the user may move this incident's status (the button is shown only then)."""
        return self.has_change_permission(request, incident) and request.user.has_perm(  # type: ignore[attr-defined]
            "incidents.change_incident_status"
        )

    @admin.display(description=_("status"))
    def status_label(self, obj):
        """The status without the button to move it (for users who may not)."""
        return obj.get_status_display()

    @admin.display(description=_("status"))
    def status_with_action(self, obj):
        label = obj.get_status_display()
        if not obj.pk:
            return label
        return format_html(
            '{} &nbsp; <a class="button" href="{}">{}</a>',
            label,
            reverse("admin:incidents_incident_status", args=[obj.pk]),
            gettext("Change status"),
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/status/",
                self.admin_site.admin_view(self.status_view),
                name="incidents_incident_status",
            ),
            *super().get_urls(),
        ]

    def status_view(self, request, object_id):
        incident = self.visible_or_404(request, object_id)
        with timezone.override(incident.tzinfo):  # the effective time is told in its zone
            response = self._status_view(request, incident)
            if hasattr(response, "render"):
                response.render()
        return response

    def _status_view(self, request, incident):
        change_url = reverse("admin:incidents_incident_change", args=[incident.pk])
        if not self.may_change_status(request, incident):
            raise PermissionDenied(gettext("You may not change the status of this incident."))
        form = StatusChangeForm(incident, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.change_status(
                    incident,
                    form.cleaned_data["to_status"],
                    user=request.user,
                    note=form.cleaned_data["note"],
                    effective_at=form.cleaned_data.get("effective_at"),
                )
            except IncidentError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    gettext("%(reference)s is now “%(status)s”.")
                    % {"reference": incident.reference, "status": incident.get_status_display()},
                )
                return HttpResponseRedirect(change_url)
        elif request.method == "POST":
            if "to_status" in form.errors:
                messages.error(request, gettext("Choose one of the allowed statuses."))
            else:  # the status is fine; the time or the note is not (their errors say why)
                errors = len(form.errors)
                messages.error(
                    request,
                    ngettext(
                        "Please correct the error below.",
                        "Please correct the errors below.",
                        errors,
                    ),
                )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Change the status of %(reference)s")
            % {"reference": incident.reference},
            "opts": self.model._meta,
            "original": incident,
            "form": form,
            "media": self.media + form.media,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/incidents/incident/change_status.html", context)
