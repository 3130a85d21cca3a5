"""Assets in the admin: their state from the latest check, a check round over the selected
ones, and the imports of assets and of checks."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import services
from ..filtersets import AssetStateFilter
from ..models import Asset, Check
from ..progress import local_date
from .base import ScopeAdmin, VisibleIncidentFilter
from .checks import CheckInline, CheckRoundForm, RecordedCheckInline
from .imports import import_page


@admin.register(Asset)
class AssetAdmin(ScopeAdmin):
    list_display = ["name", "kind", "owner", "role", "state", "incident_reference"]
    list_filter = [VisibleIncidentFilter, AssetStateFilter, "kind", "role"]
    list_select_related = ["incident"]
    search_fields = ["name", "owner"]
    autocomplete_fields = ["incident"]
    fields = ["incident", "kind", "name", "owner", "role", "note"]
    # The new check first: its forms keep the prefix "checks" the page has always posted.
    inlines = [CheckInline, RecordedCheckInline]
    actions = ["record_check_round"]

    @admin.action(description=_("Record a check round for the selected assets"))
    def record_check_round(self, request, queryset):
        """The same check (tool, result, time) of every selected asset, on a page of its own;
        all recorded or none. A round is one incident's: its time is read in its zone."""
        if not request.user.has_perm("scope.add_check"):
            raise PermissionDenied
        assets = list(queryset.select_related("incident"))
        incidents = {asset.incident for asset in assets}
        if len(incidents) != 1:
            messages.error(request, gettext("Choose assets of one incident for a check round."))
            return None
        (incident,) = incidents
        with timezone.override(incident.tzinfo):
            form = CheckRoundForm(request.POST if "apply" in request.POST else None)
            if form.is_bound and form.is_valid():
                try:
                    checks = services.record_check_round(
                        assets, user=request.user, **form.cleaned_data
                    )
                except ValidationError as exc:
                    for name, errors in exc.update_error_dict({}).items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    messages.success(
                        request, gettext("%(n)d check(s) recorded.") % {"n": len(checks)}
                    )
                    return None
            form.fields["checked_at"].help_text = gettext(
                "In the incident's time zone (%(zone)s)."
            ) % {"zone": incident.time_zone}
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("Record a check round"),
                "opts": self.opts,
                "form": form,
                "media": self.media + form.media,
                "incident": incident,
                "assets": assets,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/scope/check_round.html", context).render()

    def get_queryset(self, request):
        return super().get_queryset(request).with_state()

    @admin.display(description=_("state (latest check)"), ordering="state")
    def state(self, obj):
        """Where the asset stands, as the progress counts it, with its latest check's date."""
        if obj.last_checked_at is None:
            return obj.get_state_display()
        day = timezone.localtime(obj.last_checked_at, obj.incident.tzinfo).date()
        return format_html("{}<br><small>{}</small>", obj.get_state_display(), local_date(day))

    def save_model(self, request, obj, form, change):
        services.save_asset(obj, user=request.user)

    def get_deleted_objects(self, objs, request):
        """An asset with checks is refused as a protected one is (services.delete_asset):
        the page names why and what to do instead, and deletes nothing."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for asset in objs:
            try:
                services.delete_asset_allowed(asset)
            except services.AssetHasChecks as exc:
                protected.append(f"{asset}: {exc}")
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        services.delete_asset(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for asset in queryset:
            services.delete_asset(asset, user=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Check:
            return super().save_formset(request, form, formset, change)
        for check in formset.save(commit=False):
            if check.pk is None:  # the add-only inline: recorded rows are never posted
                fields = {
                    name: getattr(check, name)
                    for name in ["tool", "result", "checked_at", "checked_by", "note"]
                }
                services.record_check(form.instance, user=request.user, **fields)
        return None

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="scope_asset_import",
            ),
            path(
                "import-checks/",
                self.admin_site.admin_view(self.import_checks_view),
                name="scope_check_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        return import_page(
            self,
            request,
            title=gettext("Import assets from CSV"),
            help=gettext(
                "An inventory export in UTF-8 or Shift_JIS, kind and name required. Assets "
                "already recorded are left as they are; the same asset twice in the file is an "
                "error. If any row is wrong, nothing is imported; each error names the line of "
                "the file, the header being line 1."
            ),
            headers=services.accepted_headers(services.ASSET_HEADERS, ["kind", "name"]),
            formats={"csv": services.import_assets_csv},
            permission="scope.add_asset",
        )

    def import_checks_view(self, request):
        return import_page(
            self,
            request,
            title=gettext("Import checks from CSV"),
            help=gettext(
                "A round of checks (an EmoCheck run over every PC): one row per check, the asset "
                "by its name as recorded for the incident (add a kind column if two kinds of "
                "asset share a name), the result clean, infected or error, the time as "
                "2022-03-17 10:00 or 2022/3/17 10:00 in the incident's time zone. A check "
                "already recorded with the same result is left as it is. If any row is wrong, "
                "nothing is imported; each error names the line of the file, the header being "
                "line 1."
            ),
            headers=services.accepted_headers(
                services.CHECK_HEADERS, ["asset", "tool", "result", "checked_at"]
            ),
            formats={"csv": services.import_checks_csv},
            permission="scope.add_check",
        )
