"""The first moments of an incident the dashboard measures from awareness, kept on the row.

containment: the first containment milestone (the dashboard prefers `contained_at`);
regulator report: the earlier of the first regulator_report milestone and the first filing
with an authority (Obligation.is_filed_with_authority: regimes.AUTHORITY_STAGES);
public notice: the first public_notice milestone;
final report: the first final_report_published milestone.

Every save or delete of a milestone or an obligation recomputes its incident's row (one
UPDATE, receivers connected in IncidentsConfig.ready); rows written in bulk (bulk_create,
queryset.update) are refreshed by whoever writes them, with `refresh`.
"""

from collections.abc import Iterable

from django.db.models import Min, OuterRef, Subquery
from django.db.models.functions import Coalesce, Least

from .choices import MilestoneKind

KEY_KINDS = [
    MilestoneKind.CONTAINMENT,
    MilestoneKind.REGULATOR_REPORT,
    MilestoneKind.PUBLIC_NOTICE,
    MilestoneKind.FINAL_REPORT_PUBLISHED,
]


def first_times(milestone_model, obligation_model) -> dict:
    """The four values as expressions over OuterRef("pk"), for an UPDATE of incidents."""

    def first_milestone(kind: str):
        return Subquery(
            milestone_model.objects.filter(incident=OuterRef("pk"), kind=kind)
            .order_by()
            .values("incident")
            .annotate(first=Min("occurred_at"))
            .values("first")
        )

    # Filings with an authority count as "reported to the regulator" (the one definition).
    from .models.clocks import FILED_WITH_AUTHORITY

    filing = Subquery(
        obligation_model.objects.filter(FILED_WITH_AUTHORITY, incident=OuterRef("pk"))
        .order_by()
        .values("incident")
        .annotate(first=Min("fulfilled_at"))
        .values("first")
    )
    regulator = first_milestone(MilestoneKind.REGULATOR_REPORT)
    return {
        "first_containment_milestone_at": first_milestone(MilestoneKind.CONTAINMENT),
        # The earlier of two moments either of which may be missing, on every backend.
        "first_regulator_report_at": Least(
            Coalesce(regulator, filing), Coalesce(filing, regulator)
        ),
        "first_public_notice_at": first_milestone(MilestoneKind.PUBLIC_NOTICE),
        "first_final_report_at": first_milestone(MilestoneKind.FINAL_REPORT_PUBLISHED),
    }


def refresh(incident_ids: Iterable[int] | None = None, *, models=None) -> int:
    """Recompute the first moments of these incidents (all of them with None)."""
    if models is None:
        from .models import Incident, Milestone, Obligation

        models = (Incident, Milestone, Obligation)
    incident_model, milestone_model, obligation_model = models
    incidents = incident_model.objects.all()
    if incident_ids is not None:
        incidents = incidents.filter(pk__in=list(incident_ids))
    return incidents.update(**first_times(milestone_model, obligation_model))


def on_change(sender, instance, **kwargs) -> None:
    """post_save / post_delete of a Milestone or an Obligation."""
    if instance.incident_id is not None:
        refresh([instance.incident_id])
