"""What-if calculator: "if we knew of the situation at T, with these facts, what is due when?"

Reads no database: it feeds the facts given on the command line to the same rules engine
(`incidents.regimes`) that computes an incident's obligations. A fact named with --fact is
yes, one named with --unknown is not yet known (its obligations are provisional, with the
earliest deadline), and one not named is no.
"""

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from incidents.limits import EARLIEST_DATE, LATEST_DATE, in_range
from incidents.localtime import LocalTimeError, resolve_local
from incidents.regimes import FACT_FLAGS, REGIMES, Facts, ObligationSpec, compute_obligations

# --fact takes the yes/no facts; --unknown also the numbers and times that may be open.
YES_NO_FACTS = [name for name in FACT_FLAGS if name not in {"persons", "nis2-handling-ended"}]

DEFAULT_REGIME = "appi"
DEFAULT_TZ = "Asia/Tokyo"


class Command(BaseCommand):
    help = (
        "Show the notification deadlines that follow from a moment of awareness and a set "
        "of facts, e.g. --aware 2022-02-03T10:00 --regime appi --fact wrongful-purpose."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--aware",
            required=True,
            metavar="DATETIME",
            help="When the organisation became aware (ISO 8601; naive means local in --tz).",
        )
        parser.add_argument(
            "--tz",
            default=DEFAULT_TZ,
            help=f"Time zone of the incident and of the output (default {DEFAULT_TZ}).",
        )
        parser.add_argument(
            "--regime",
            action="append",
            metavar="CODE",
            help=f"Repeatable; one of {', '.join(REGIMES)} (default {DEFAULT_REGIME}).",
        )
        parser.add_argument(
            "--fact",
            action="append",
            metavar="NAME",
            help=f"Repeatable; a fact that holds, one of {', '.join(YES_NO_FACTS)}.",
        )
        parser.add_argument(
            "--unknown",
            action="append",
            metavar="NAME",
            help=(
                "Repeatable; a fact not yet known (the obligations it decides are provisional), "
                f"one of {', '.join(FACT_FLAGS)}."
            ),
        )
        parser.add_argument(
            "--determined", metavar="DATE", help="SEC: date materiality was determined."
        )
        parser.add_argument("--persons", metavar="N", help="Number of people affected.")
        parser.add_argument(
            "--notified",
            metavar="DATETIME",
            help="NIS2: when the incident notification was submitted (naive means --tz).",
        )
        parser.add_argument(
            "--state-max",
            metavar="N",
            help="HIPAA: largest number of affected residents of one state.",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args: Any, **options: Any) -> None:
        zone = _zone(options["tz"] or DEFAULT_TZ)
        regimes = _listed(options.get("regime")) or [DEFAULT_REGIME]
        unknown = sorted(set(regimes) - REGIMES.keys())
        if unknown:
            raise CommandError(
                _("Unknown regime %(codes)s; choose from %(known)s.")
                % {"codes": ", ".join(unknown), "known": ", ".join(REGIMES)}
            )
        facts_named = _listed(options.get("fact"))
        _known_names(facts_named, YES_NO_FACTS, "--fact")
        open_named = _listed(options.get("unknown"))
        _known_names(open_named, FACT_FLAGS, "--unknown")
        both = sorted(set(facts_named) & set(open_named))
        if both:
            raise CommandError(
                _("%(names)s cannot be both a fact and unknown.") % {"names": ", ".join(both)}
            )
        aware_at = _moment(options["aware"], zone, "--aware")
        notified = options.get("notified")
        persons = _count(options.get("persons"), "--persons")
        state_max = _count(options.get("state_max"), "--state-max")
        if "persons" in open_named and persons is not None:
            raise CommandError(_("--persons gives the number: it cannot also be unknown."))
        values: dict[str, Any] = {FACT_FLAGS[name].field: True for name in facts_named}
        values.update({FACT_FLAGS[name].field: None for name in open_named})
        values.pop("persons", None)
        values.pop("nis2_handling_ended_at", None)
        try:
            facts = Facts(
                aware_at,
                tz=str(zone.key),
                regimes=frozenset(regimes),
                persons=persons,
                materiality_determined=_day(options.get("determined"), "--determined"),
                nis2_notification_submitted_at=(
                    _moment(notified, zone, "--notified") if notified is not None else None
                ),
                max_persons_in_one_state=state_max,
                **values,
            )
        except (TypeError, ValueError) as error:
            raise CommandError(str(error)) from error
        specs = compute_obligations(facts)
        if options.get("json"):
            self.stdout.write(
                json.dumps([_as_json(spec, zone) for spec in specs], ensure_ascii=False, indent=2)
            )
        else:
            self.stdout.write(self._table(facts, facts_named, specs, zone))

    def _table(
        self, facts: Facts, facts_named: Sequence[str], specs: list[ObligationSpec], zone: ZoneInfo
    ) -> str:
        lines = [
            _("Knew of the situation: %(when)s (%(tz)s)")
            % {"when": _display(facts.aware_at, zone), "tz": zone.key},
            _("Facts: %(facts)s") % {"facts": ", ".join(facts_named) or "-"},
        ]
        open_named = sorted({n for spec in specs for n in spec.open_facts})
        if open_named:
            lines.append(_("Not yet known: %(facts)s") % {"facts": ", ".join(open_named)})
        lines.append("")
        rows = [
            (
                spec.regime,
                spec.stage,
                _due_text(spec, zone),
                spec.rule
                + (
                    " "
                    + _("[provisional until known: %(facts)s]")
                    % {"facts": ", ".join(spec.open_facts)}
                    if spec.provisional
                    else ""
                ),
            )
            for spec in specs
            if spec.applies
        ]
        if rows:
            header = (_("Regime"), _("Stage"), _("Due (%(tz)s)") % {"tz": zone.key}, _("Rule"))
            widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
            for row in [header, *rows]:
                cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
                lines.append("  ".join([*cells, row[3]]).rstrip())
        else:
            lines.append(_("No obligation applies."))
        skipped = [spec for spec in specs if not spec.applies]
        if skipped:
            lines += ["", _("Not applicable:")]
            lines += [
                f"  {spec.regime} {spec.stage}: {spec.reason_not_applicable}" for spec in skipped
            ]
        return "\n".join(lines)


def _as_json(spec: ObligationSpec, zone: ZoneInfo) -> dict[str, Any]:
    due = spec.due_at.astimezone(zone) if spec.due_at else None
    soon = spec.soon_from.astimezone(zone) if spec.soon_from else None
    return {
        "regime": spec.regime,
        "regime_label": str(REGIMES[spec.regime]),
        "stage": spec.stage,
        "stage_label": spec.label,
        "applies": spec.applies,
        "due": due.isoformat() if due else None,
        "due_date": due.date().isoformat() if due else None,
        "soon_from": soon.isoformat() if soon else None,
        "rule": spec.rule,
        "reason_not_applicable": spec.reason_not_applicable or None,
        "depends_on": list(spec.depends_on) if spec.depends_on else None,
        "provisional": spec.provisional,
        "open_facts": list(spec.open_facts),
    }


def _due_text(spec: ObligationSpec, zone: ZoneInfo) -> str:
    if spec.due_at is not None:
        return _display(spec.due_at, zone)
    if spec.depends_on is not None:
        return _("after %(regime)s %(stage)s") % {
            "regime": spec.depends_on[0],
            "stage": spec.depends_on[1],
        }
    return _("no fixed date")


def _display(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %a %H:%M %Z")


def _listed(value: str | Sequence[str] | None) -> list[str]:
    """Option values, whether argparse collected them or call_command passed them."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _known_names(names: Sequence[str], known, option: str) -> None:
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise CommandError(
            _("%(option)s: unknown fact %(names)s; choose from %(known)s.")
            % {"option": option, "names": ", ".join(unknown), "known": ", ".join(known)}
        )


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise CommandError(_("Unknown time zone %(tz)s.") % {"tz": name}) from None


def _moment(value: str | datetime, zone: ZoneInfo, option: str) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise CommandError(
                _("%(option)s: %(value)r is not an ISO 8601 date and time.")
                % {"option": option, "value": value}
            ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        try:
            moment = resolve_local(moment, zone)
        except LocalTimeError as error:
            raise CommandError(f"{option}: {error}") from None
    if not in_range(moment):
        raise CommandError(
            _("%(option)s: give a date between %(earliest)s and %(latest)s.")
            % {
                "option": option,
                "earliest": EARLIEST_DATE.isoformat(),
                "latest": LATEST_DATE.isoformat(),
            }
        )
    return moment


def _day(value: str | date | None, option: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        day = date.fromisoformat(str(value).strip())
    except ValueError:
        raise CommandError(
            _("%(option)s: %(value)r is not a date (YYYY-MM-DD).")
            % {"option": option, "value": value}
        ) from None
    if not in_range(day):
        raise CommandError(
            _("%(option)s: give a date between %(earliest)s and %(latest)s.")
            % {
                "option": option,
                "earliest": EARLIEST_DATE.isoformat(),
                "latest": LATEST_DATE.isoformat(),
            }
        )
    return day


def _count(value: str | int | None, option: str) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0 or isinstance(value, bool):
        raise CommandError(
            _("%(option)s: %(value)r is not a number of people (a whole number, 0 or more).")
            % {"option": option, "value": value}
        )
    return number
