"""People's rights and the third-party pages of the admin, in the reader's language.

Django stores a permission's name in English in the database ("Can add incident"): the user's
and the group's permission pickers name each one from its code and its model's (translated)
name instead. django-axes' texts are translated by our catalog (locale/), except the names
its records give themselves, set here; django-knox has none, so its app, model and field
names are set here. The names are set on the running models, not in their Meta: the
migrations read Meta, and they stay as the apps ship them.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from knox.admin import AuthTokenAdmin
from knox.models import AuthToken

from ..timeformat import format_datetime

BUILT_IN = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def model_name(model, fallback: str) -> str:
    """A model's name in the reader's language; simple-history's models of past versions
    ("historical incident") and of a many-to-many field's past links too."""
    if model is None:
        return fallback
    instance = getattr(model, "instance_type", None)
    if instance is None:
        return str(model._meta.verbose_name)
    owner = instance._meta.auto_created  # a many-to-many field's links: the model with it
    if owner:
        field = next(f for f in owner._meta.many_to_many if f.remote_field.through is instance)
        return gettext("history of %(model)s: %(field)s") % {
            "model": owner._meta.verbose_name,
            "field": field.verbose_name,
        }
    return gettext("history of %(model)s") % {"model": instance._meta.verbose_name}


def permission_label(permission: Permission) -> str:
    """“Incident response | incident | Can add incident”, in the reader's language."""
    content_type = permission.content_type
    model = content_type.model_class()
    name = model_name(model, content_type.model)
    action = permission.codename.split("_", 1)[0]
    if action in BUILT_IN and permission.codename == f"{action}_{content_type.model}":
        what = BUILT_IN[action] % {"model": name}
    else:
        what = gettext(permission.name)  # our own permissions' names are in the catalog
    try:
        app = apps.get_app_config(content_type.app_label).verbose_name
    except LookupError:
        app = content_type.app_label
    return f"{app} | {name} | {what}"


class PermissionLabelsMixin:
    """The permission picker of a user's or a group's page names permissions readably."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(PermissionLabelsMixin, GroupAdmin):
    pass


# django-knox: the API's login tokens.
apps.get_app_config("knox").verbose_name = _("API tokens")
apps.get_app_config("axes").verbose_name = _("Login attempts")
AuthToken._meta.verbose_name = _("API token")
AuthToken._meta.verbose_name_plural = _("API tokens")
KNOX_LABELS = {
    "digest": _("digest"),
    "token_key": _("token key"),
    "user": _("user"),
    "created": _("created at"),
    "expiry": _("expires at"),
}

if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(AuthTokenAdmin):
    list_display = ["token_digest", "token_user", "token_created", "token_expiry"]

    @admin.display(description=KNOX_LABELS["digest"], ordering="digest")
    def token_digest(self, obj):
        # Its start names it (128 hex digits would push the list past the page's width); the
        # whole digest is on the token's own page.
        return f"{obj.digest[:16]}…"

    @admin.display(description=KNOX_LABELS["user"], ordering="user")
    def token_user(self, obj):
        return obj.user

    @admin.display(description=KNOX_LABELS["created"], ordering="created")
    def token_created(self, obj):
        return obj.created

    @admin.display(description=KNOX_LABELS["expiry"], ordering="expiry")
    def token_expiry(self, obj):
        return obj.expiry

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in KNOX_LABELS:
            field.label = KNOX_LABELS[db_field.name]
        return field


# django-axes: two columns of the attempts' list are named after their methods, in English.
if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)

    @admin.register(AccessAttempt)
    class LoginAttemptAdmin(AccessAttemptAdmin):
        @admin.display(description=_("status"))
        def status(self, obj):
            return super().status(obj)

        @admin.display(description=_("Expires At"))
        def expiration(self, obj):
            return super().expiration(obj)


# django-axes names its records in English in code (“Attempted Access: <time>”, the models'
# __str__), which no catalog reaches; the admin shows that name as the title and breadcrumb
# of a record's page, on its delete and history pages and in its messages. Each model is
# given a translated name instead, the time in the reader's zone and format. (Re-registered
# admins could retitle the change page only; a proxy model would move the pages' addresses
# and need permissions of its own.)
def _when(moment) -> str:
    return format_datetime(moment) if moment else ""


def _attempt_name(attempt: AccessAttempt) -> str:
    return gettext("Login attempt: %(time)s") % {"time": _when(attempt.attempt_time)}


def _log_name(log: AccessLog) -> str:
    return gettext("Login by %(username)s: %(time)s") % {
        "username": log.username or "-",
        "time": _when(log.attempt_time),
    }


def _failure_name(failure: AccessFailureLog) -> str:
    if failure.locked_out:
        text = gettext("Failed login by %(username)s from %(address)s, locked out: %(time)s")
    else:
        text = gettext("Failed login by %(username)s from %(address)s: %(time)s")
    return text % {
        "username": failure.username or "-",
        "address": failure.ip_address or "-",
        "time": _when(failure.attempt_time),
    }


AccessAttempt.__str__ = _attempt_name
AccessLog.__str__ = _log_name
AccessFailureLog.__str__ = _failure_name
