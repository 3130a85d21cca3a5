"""How incidents are found: need-to-know (`visible_to`), open and closed, by id or reference.

`OfIncidentQuerySet` carries the same need-to-know to every row that belongs to an incident.
"""

from typing import TYPE_CHECKING, Any, cast

from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from ..choices import ActionStatus, IncidentStatus

if TYPE_CHECKING:
    from .case import Incident

# Closed: the one definition (IncidentQuerySet.open/closed, Incident.is_open).
CLOSED_INCIDENT = Q(status=IncidentStatus.CLOSED)

# Who a deadline reminder goes to: active members of the legal group with an e-mail address.
LEGAL_RECIPIENT = Q(groups__name="legal", is_active=True) & ~Q(email="")


class IncidentQuerySet(models.QuerySet):
    def by_key(self, key: str) -> "Incident | None":
        """The incident by its id or its reference (INC-2022-0001), among these; None for a
        key that names none (missing, malformed, or hidden when these are the visible ones).
        A reference is taken as typed: references are capitals (organization codes are), so
        inc-2022-0001 names INC-2022-0001."""
        key = str(key)
        if key.isascii() and key.isdigit():
            found = self.filter(pk=int(key)).first() if len(key) <= 18 else None
        else:
            found = self.filter(reference=key.upper()).first()
        return cast("Incident | None", found)

    def visible_to(self, user) -> "IncidentQuerySet":
        """The one rule of need-to-know.

        Members see their incidents. Org-wide roles (the auditor: view_all_incidents) see
        every incident of the organizations they belong to (OrganizationMembership); one who
        belongs to none sees every incident of the installation (a single company that never
        links people to it). The superuser, who administers the installation, sees all.
        """
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if not user.has_perm("incidents.view_all_incidents"):
            return self.filter(members=user)
        from .organization import OrganizationMembership

        memberships = OrganizationMembership.objects.filter(user=user)
        own = memberships.values("organization_id")
        # One query either way: no membership at all, or the incident is of one's own
        # organizations, or one is a member of it.
        member_of = (
            cast(Any, self.model).members.through.objects.filter(user=user).values("incident_id")
        )
        return self.filter(
            ~models.Exists(memberships) | Q(organization__in=own) | Q(pk__in=member_of)
        )

    def with_open_action_count(self) -> "IncidentQuerySet":
        # A correlated subquery, not a join + GROUP BY: counted only for the rows shown,
        # and left out of the paginator's COUNT(*).
        from .actions import Action  # actions.py imports this module

        open_actions = (
            Action.objects.filter(incident=models.OuterRef("pk"))
            .exclude(status__in=ActionStatus.closed())
            .order_by()
            .values("incident")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(open_action_count=Coalesce(models.Subquery(open_actions), 0))

    def open(self) -> "IncidentQuerySet":
        """Not closed (Incident.is_open): the one definition of an open incident."""
        return self.exclude(CLOSED_INCIDENT)

    def closed(self) -> "IncidentQuerySet":
        return self.filter(CLOSED_INCIDENT)

    def with_recipients(self) -> "IncidentQuerySet":
        """Annotate whether a deadline reminder would reach anyone (warnings read it)."""
        from django.contrib.auth import get_user_model

        legal = get_user_model().objects.filter(LEGAL_RECIPIENT, incidents=models.OuterRef("pk"))
        return self.annotate(has_legal_recipient=models.Exists(legal))


class OfIncidentQuerySet(models.QuerySet):
    """Rows that belong to an incident are visible exactly when their incident is.

    Subclasses name the path to the incident; every model of the case record has a
    ``visible_to`` so forms, filters and widgets can ask any related model the same way.
    """

    incident_path = "incident"

    def visible_to(self, user):
        from .case import Incident  # case.py builds the incident on these querysets

        visible = Incident.objects.visible_to(user).values("pk")
        return self.filter(**{f"{self.incident_path}__in": visible})
