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
]
REFERENCE_MODELS = ["organization", "senderaddress", "statuschange"]


def _perms(actions, models):
    return [f"{action}_{model}" for action in actions for model in models]


ROLES: dict[str, dict] = {
    "committee": {
        "label": _("Response committee"),
        "permissions": [
            *_perms(["view", "add", "change"], CASE_MODELS),
            *_perms(["delete"], ["milestone", "engagement", "finding", "action"]),
            *_perms(["view"], REFERENCE_MODELS),
            "change_incident_status",
        ],
    },
    "legal": {
        "label": _("Legal"),
        "permissions": _perms(["view"], CASE_MODELS + REFERENCE_MODELS),
    },
    "executive": {
        "label": _("Executive"),
        "permissions": _perms(["view"], CASE_MODELS + REFERENCE_MODELS),
    },
    "auditor": {
        "label": _("Auditor"),
        "permissions": [*_perms(["view"], CASE_MODELS + REFERENCE_MODELS), "view_all_incidents"],
    },
}


@transaction.atomic
def ensure_roles() -> dict[str, Group]:
    """Create or update one group per role with exactly its permissions (idempotent)."""
    groups = {}
    wanted = {codename for role in ROLES.values() for codename in role["permissions"]}
    perms = {
        p.codename: p
        for p in Permission.objects.filter(content_type__app_label="incidents", codename__in=wanted)
    }
    missing = wanted - perms.keys()
    if missing:
        raise RuntimeError(f"Permissions missing (run migrate first): {sorted(missing)}")
    for name, role in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([perms[c] for c in role["permissions"]])
        groups[name] = group
    return groups
