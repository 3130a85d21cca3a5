"""The personas and what each may do, as Django groups and permissions."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _

CASE_MODELS = [
    "incident",
    "milestone",
    "engagement",
    "finding",
    "evidence",
    "custodyentry",
    "action",
    "unresolveditem",
]
REFERENCE_MODELS = ["organization", "senderaddress", "statuschange"]
# Legal clocks: computed rows; only legal records filings (changes an obligation).
CLOCK_MODELS = ["obligation", "reminder", "individualnotice"]
# The incident's scope (the scope app): assets, their checks, indicators.
SCOPE_MODELS = ["asset", "check", "indicator"]


def _perms(actions, models, app="incidents"):
    return [f"{app}.{action}_{model}" for action in actions for model in models]


# Every permission as "app_label.codename". Reports live in the reporting app, assets and
# indicators in the scope app; naming their permissions here imports nothing from them.
ROLES: dict[str, dict] = {
    "committee": {
        "label": _("Response committee"),
        "permissions": [
            *_perms(["view", "add", "change"], CASE_MODELS),
            *_perms(["delete"], ["milestone", "engagement", "finding", "action", "unresolveditem"]),
            *_perms(["view"], REFERENCE_MODELS + CLOCK_MODELS),
            # Their own organization's profile and sender addresses (never creating one).
            "incidents.change_organization",
            *_perms(["add", "change", "delete"], ["senderaddress"]),
            "incidents.change_incident_status",
            *_perms(["view", "add"], ["report"], app="reporting"),
            *_perms(["view", "add", "change", "delete"], SCOPE_MODELS, app="scope"),
            "scope.export_red_indicators",
        ],
    },
    "legal": {
        "label": _("Legal"),
        "permissions": [
            *_perms(["view"], CASE_MODELS + REFERENCE_MODELS + CLOCK_MODELS),
            "incidents.change_obligation",
            "incidents.add_individualnotice",
            *_perms(["view", "add"], ["report"], app="reporting"),
            "reporting.submit_report",
            *_perms(["view"], SCOPE_MODELS, app="scope"),
        ],
    },
    "executive": {
        "label": _("Executive"),
        "permissions": [
            *_perms(["view"], CASE_MODELS + REFERENCE_MODELS + CLOCK_MODELS),
            "reporting.view_report",
            *_perms(["view"], SCOPE_MODELS, app="scope"),
        ],
    },
    "auditor": {
        "label": _("Auditor"),
        "permissions": [
            *_perms(["view"], CASE_MODELS + REFERENCE_MODELS + CLOCK_MODELS),
            "incidents.view_all_incidents",
            "reporting.view_report",
            *_perms(["view"], SCOPE_MODELS, app="scope"),
        ],
    },
}


@transaction.atomic
def ensure_roles() -> dict[str, Group]:
    """Create or update one group per role with exactly its permissions (idempotent)."""
    wanted = {perm for role in ROLES.values() for perm in role["permissions"]}
    perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            content_type__app_label__in={w.split(".")[0] for w in wanted},
            codename__in={w.split(".")[1] for w in wanted},
        )
    }
    missing = wanted - perms.keys()
    if missing:
        raise RuntimeError(f"Permissions missing (run migrate first): {sorted(missing)}")
    groups = {}
    for name, role in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([perms[p] for p in role["permissions"]])
        groups[name] = group
    return groups
