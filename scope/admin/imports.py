"""The import page every scope import shares: a file for one incident, all rows or none,
each refused row's errors listed."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from incidents.models import Incident

from .. import services


class ImportForm(forms.Form):
    incident: "forms.ModelChoiceField[Incident]" = forms.ModelChoiceField(
        label=_("incident"), queryset=Incident.objects.none()
    )
    format = forms.ChoiceField(
        label=_("format"), choices=[("csv", "CSV"), ("stix", "STIX 2.1 (JSON)")]
    )
    file = forms.FileField(label=_("file"))

    def __init__(self, request, formats, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = Incident.objects.visible_to(request.user)
        self.fields["format"].choices = [
            c for c in self.fields["format"].choices if c[0] in formats
        ]


def import_page(model_admin, request, *, title, help, formats, permission, headers=""):
    if not request.user.has_perm(permission):
        raise PermissionDenied
    initial = {"incident": request.GET.get("incident")}
    form = ImportForm(
        request, formats, request.POST or None, request.FILES or None, initial=initial
    )
    row_errors = []
    position = gettext("Line")
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["format"] == "stix":
            position = gettext("Object no.")
        importer = formats[form.cleaned_data["format"]]
        incident = form.cleaned_data["incident"]
        try:
            result = importer(incident, form.cleaned_data["file"].read(), user=request.user)
        except services.ImportRejected as exc:
            messages.error(request, str(exc))
            row_errors = [
                (error.row, name, " ".join(msgs))
                for error in exc.errors
                for name, msgs in error.fields.items()
            ]
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                gettext("%(rows)d row(s) read: %(created)d added, %(merged)d already recorded.")
                % result.as_dict(),
            )
            for skipped in result.skipped:
                messages.warning(request, skipped)
            if result.kept_public:
                messages.warning(
                    request,
                    gettext(
                        "Kept public although the file marks them stricter than TLP:CLEAR "
                        "(they are in the public documents; change them by hand if they "
                        "must be taken back): %(values)s"
                    )
                    % {"values": ", ".join(result.kept_public)},
                )
            changelist = reverse(
                f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_changelist"
            )
            return HttpResponseRedirect(f"{changelist}?{urlencode({'incident': incident.pk})}")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "help": help,
        "headers": headers,
        "opts": model_admin.opts,
        "form": form,
        "row_errors": row_errors,
        "position": position,
    }
    return TemplateResponse(request, "admin/scope/import.html", context)
