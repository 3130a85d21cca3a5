"""How far the checking of an incident's assets has come, in one query for any number of
incidents and assets.

Per incident and kind of asset, over the assets in scope (role not "out of scope"):
* infected: the asset's role is infected, or its latest check found an infection;
* clean: its latest check was clean (and it is not marked infected);
* error: its latest check gave no result; unchecked: never checked;
* checked_since: when every asset has been checked at least once, the earliest of their
  latest checks ("every one checked since 03-17"); None while any is unchecked.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.utils.translation import gettext as _

from incidents.models import Incident

from .choices import AssetKind, AssetRole, CheckResult
from .models import Asset


@dataclass
class KindProgress:
    kind: str
    total: int
    clean: int
    infected: int
    error: int
    unchecked: int
    checked_since: datetime | None
    last_checked_at: datetime | None
    text: str = ""

    @property
    def kind_label(self) -> str:
        return str(AssetKind(self.kind).label)

    def sentence(self, tz=None) -> str:
        text = _("%(kind)s checked: %(clean)d/%(total)d clean, %(infected)d infected") % {
            "kind": self.kind_label,
            "clean": self.clean,
            "total": self.total,
            "infected": self.infected,
        }
        if self.error:
            text += _(", %(n)d without result") % {"n": self.error}
        if self.unchecked:
            text += _(", %(n)d not yet checked") % {"n": self.unchecked}
        elif self.checked_since:
            since = self.checked_since.astimezone(tz) if tz else self.checked_since
            text += _("; every one checked since %(date)s") % {"date": since.strftime("%m-%d")}
        return text


def scope_progress(incidents) -> dict[int, list[KindProgress]]:
    """incident id -> its progress per kind of asset (kinds in AssetKind order)."""
    infected = Q(role=AssetRole.INFECTED) | Q(last_result=CheckResult.INFECTED)
    rows = (
        Asset.objects.filter(incident__in=incidents)
        .exclude(role=AssetRole.OUT_OF_SCOPE)
        .with_last_check()
        .order_by()
        .values("incident_id", "kind")
        .annotate(
            total=Count("pk"),
            infected=Count("pk", filter=infected),
            clean=Count("pk", filter=Q(last_result=CheckResult.CLEAN) & ~infected),
            error=Count("pk", filter=Q(last_result=CheckResult.ERROR) & ~infected),
            unchecked=Count("pk", filter=Q(last_result__isnull=True) & ~Q(role=AssetRole.INFECTED)),
            checked_since=Min("last_checked_at"),
            latest=Max("last_checked_at"),
        )
    )
    order = list(AssetKind.values)
    result: dict[int, list[KindProgress]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r["incident_id"], order.index(r["kind"]))):
        result[row["incident_id"]].append(
            KindProgress(
                kind=row["kind"],
                total=row["total"],
                clean=row["clean"],
                infected=row["infected"],
                error=row["error"],
                unchecked=row["unchecked"],
                checked_since=row["checked_since"] if not row["unchecked"] else None,
                last_checked_at=row["latest"],
            )
        )
    return dict(result)


DASHBOARD_CAP = 25


@dataclass
class IncidentProgress:
    incident: Incident
    kinds: list[KindProgress]


def dashboard_rows(incidents, cap: int = DASHBOARD_CAP) -> list[IncidentProgress]:
    """Open incidents (of those given) that have assets, most recently updated first; two
    queries however many incidents and assets there are."""
    with_assets = incidents.open().filter(Exists(Asset.objects.filter(incident=OuterRef("pk"))))
    chosen = list(with_assets.select_related("organization").order_by("-updated_at", "-id")[:cap])
    progress = scope_progress([i.pk for i in chosen]) if chosen else {}
    rows = [IncidentProgress(i, progress.get(i.pk, [])) for i in chosen]
    for row in rows:
        for kind in row.kinds:
            kind.text = kind.sentence(row.incident.tzinfo)
    return rows


def incident_rows(incident: Incident) -> list[KindProgress]:
    """The incident's progress per kind, each with its sentence in the incident's zone."""
    kinds = scope_progress([incident.pk]).get(incident.pk, [])
    for kind in kinds:
        kind.text = kind.sentence(incident.tzinfo)
    return kinds
