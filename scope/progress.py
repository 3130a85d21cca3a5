"""How far the checking of an incident's assets has come, in one query for any number of
incidents and assets.

Per incident and kind of asset, over the assets in scope (role not "out of scope"), each
asset counted by its state (AssetQuerySet.with_state, the one definition): its latest
check's result (clean, infected, error) once it has been checked; never checked, infected
if it is marked infected, else not yet checked.
checked_since: when every asset has been checked at least once, the earliest of their
latest checks ("every one checked since 03-17"); None while any is never checked.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.utils import formats
from django.utils.translation import gettext as _

from incidents.models import Incident

from .choices import AssetKind, AssetRole, AssetState
from .models import Asset


def local_date(day: date) -> str:
    """A check's day as the admin shows dates, in the page's language (2022年3月17日,
    March 17, 2022): the same on the asset list, the incident's scope tab, its status page
    and the dashboard."""
    return formats.date_format(day, "DATE_FORMAT")


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
        elif self.checked_since and not self.error:
            # Said only when every one has a result: a check without one is not "checked".
            since = self.checked_since.astimezone(tz) if tz else self.checked_since
            text += _("; every one checked since %(date)s") % {"date": local_date(since.date())}
        return text


def scope_progress(incidents) -> dict[int, list[KindProgress]]:
    """incident id -> its progress per kind of asset (kinds in AssetKind order)."""
    rows = (
        Asset.objects.filter(incident__in=incidents)
        .exclude(role=AssetRole.OUT_OF_SCOPE)
        .with_state()
        .order_by()
        .values("incident_id", "kind")
        .annotate(
            total=Count("pk"),
            infected=Count("pk", filter=Q(state=AssetState.INFECTED)),
            clean=Count("pk", filter=Q(state=AssetState.CLEAN)),
            error=Count("pk", filter=Q(state=AssetState.ERROR)),
            unchecked=Count("pk", filter=Q(state=AssetState.UNCHECKED)),
            never_checked=Count("pk", filter=Q(last_checked_at__isnull=True)),
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
                checked_since=row["checked_since"] if not row["never_checked"] else None,
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
