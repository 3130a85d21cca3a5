"""The admin site: the committee's workbench, with the readers sent where they read."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Who reads rather than records: after logging in they land on the dashboard.
READER_GROUPS = ("executive", "auditor")


def deletion_refused(response):
    """The admin's "cannot delete" page (one row or several chosen for the delete action)
    answers 409 when other records depend on them, 403 when the user lacks the right to
    delete what they would take with them; any other page is left as it is."""
    context = getattr(response, "context_data", None) or {}
    if context.get("protected"):
        response.status_code = 409
    elif context.get("perms_lacking"):
        response.status_code = 403
    return response


class ClearRefusalsMixin:
    """Every model admin of the site (ours and third-party ones): a row that cannot be found
    (missing, malformed id) answers 404 on its change, delete and history pages, not a
    redirect to the index; ids chosen for an action that cannot be ids answer 400; a delete
    refused because other records depend on the rows answers 409."""

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django's one hook for "not found" on change, delete and history pages.
        raise Http404

    def delete_view(self, request, object_id, extra_context=None):
        return deletion_refused(super().delete_view(request, object_id, extra_context))

    def response_action(self, request, queryset):
        key = self.model._meta.pk
        for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
            try:
                key.clean(value, None)
            except ValidationError as exc:
                raise BadRequest(gettext("Not a valid selection.")) from exc
        return deletion_refused(super().response_action(request, queryset))


class TaisakuAdminSite(admin.AdminSite):
    site_header = _("Taisaku — incident response")
    site_title = _("Taisaku")
    index_title = _("Incident records")

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model admin registered here refuses clearly (ClearRefusalsMixin)."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, ClearRefusalsMixin):
            admin_class = type(admin_class.__name__, (ClearRefusalsMixin, admin_class), {})
        return super().register(model_or_iterable, admin_class, **options)

    def index(self, request, extra_context=None):
        user = request.user
        if (
            not user.is_superuser
            and "admin" not in request.GET
            and user.groups.filter(name__in=READER_GROUPS).exists()
        ):
            return redirect("dashboard")
        return super().index(request, extra_context)
