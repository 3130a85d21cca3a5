"""Need-to-know, asked the same way of any model: forms, widgets and filters call this.

The rule itself lives in one place, `Incident.objects.visible_to(user)`; every model of
the case record (and reports) has a `visible_to` that follows it. A form field, a raw-id
widget, an autocomplete or an API filter offering rows of a model asks `visible()` for
its choices, so a hidden row and a missing one get the same answer everywhere.
"""

from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Incident, OrganizationMembership
from .roles import ROLES


def visible(model: type[Model], user) -> QuerySet | None:
    """The rows of `model` this user may see, or None for a model the rule does not cover
    (groups, permissions): those are left to the caller's own permissions."""
    if model is get_user_model():
        return visible_users(user)
    queryset = model._default_manager.all()
    visible_to = getattr(queryset, "visible_to", None)
    return visible_to(user) if visible_to is not None else None


def visible_users(user) -> QuerySet:
    """The people a user may name on a case (incident members) or see named in a choice.

    The response team one may pick: active staff in one of the roles, of one's own
    organizations when one belongs to any (OrganizationMembership), else of the whole
    installation (a single company that never links people to it); the superuser picks from
    the whole team. Plus the members of the incidents one
    may see, so that a member who has left still shows where they are named. Anyone else
    (another organization's people, superusers outside the roles, deactivated accounts,
    people only on hidden incidents) is offered nowhere and refused like a missing id.
    """
    users = get_user_model()._default_manager
    if not user or not user.is_authenticated or not user.is_active:
        return users.none()
    team = users.filter(is_active=True, is_staff=True, groups__name__in=list(ROLES))
    own = OrganizationMembership.objects.filter(user=user).values("organization")
    if not user.is_superuser and own.exists():
        team = team.filter(organization_memberships__organization__in=own)
    # Not visible_to(user).values("members"): that reuses the join of visible_to's own
    # members filter and would name only the user.
    on_my_cases = users.filter(incidents__in=Incident.objects.visible_to(user)).values("pk")
    return users.filter(Q(pk__in=team.values("pk")) | Q(pk__in=on_my_cases))


MEMBERS_OUTSIDE = _(
    "Not people of the incident's organization: %(people)s. Only those who belong to it "
    "can be named on its incidents."
)


def members_outside_the_organization(organization, people, incident=None) -> str | None:
    """Why `people` may not all be named on an incident of `organization` (None when they
    may): when the organization has people linked to it (OrganizationMembership), only they
    may be named, besides those already on the incident (a member who has left stays). A
    case is not shared with another company's people through someone who works on both.
    The admin's form and the API say it on `members`."""
    if organization is None or not people or not organization.memberships.exists():
        return None
    belong = set(
        OrganizationMembership.objects.filter(organization=organization).values_list(
            "user_id", flat=True
        )
    )
    if incident is not None and incident.pk:
        belong |= set(incident.members.values_list("pk", flat=True))
    outside = [person for person in people if person.pk not in belong]
    if not outside:
        return None
    return str(MEMBERS_OUTSIDE % {"people": ", ".join(map(str, outside))})
