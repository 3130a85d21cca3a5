"""Snapshot + language -> template context. Pure: no database, no clock.

One builder per kind of document (ppc, public, gdpr: one module each); the templates of every
language read the same context. Labels of the case's vocabularies come from incidents.choices,
translated in the document's language; dates are written as the document's language writes
them.
"""

from collections.abc import Callable

from django.utils import translation

from incidents.narratives import NARRATIVES

from ..choices import ReportKind
from ..dates import format_date, format_datetime, format_month_day, wareki
from .formatter import Formatter, narrative
from .gdpr import gdpr_context
from .ppc import ppc_context
from .public import individual_context, public_context
from .words import KIND_WORDS, WORDS

__all__ = [
    "BUILDERS",
    "KIND_WORDS",
    "WORDS",
    "Formatter",
    "build_context",
    "format_date",
    "format_datetime",
    "format_month_day",
    "in_language",
    "narrative",
    "wareki",
]

BUILDERS: dict[str, Callable[[str, dict, Formatter], dict]] = {
    ReportKind.PPC_PRELIMINARY: ppc_context,
    ReportKind.PPC_FINAL: ppc_context,
    ReportKind.PUBLIC_NOTICE: public_context,
    ReportKind.PUBLIC_FINAL: public_context,
    ReportKind.GDPR_ART33: gdpr_context,
    ReportKind.INDIVIDUAL_NOTICE: individual_context,
}


def _upgrade(snapshot: dict) -> dict:
    """A snapshot stored by an older version, with the keys the builders read today."""
    if snapshot.get("schema", 0) >= 3:
        return snapshot
    incident = dict(snapshot["incident"])
    incident.setdefault("support_for_affected", incident.pop("response_to_affected", ""))
    incident.setdefault("request_to_customers", "")
    return {**snapshot, "incident": incident}


def in_language(snapshot: dict, language: str) -> dict:
    """The snapshot with each narrative under its plain key, in exactly `language` ("" where
    it is not recorded in it), so that the builders and templates cannot print the other one."""

    def pick(obj: dict, model_name: str) -> dict:
        return {**obj, **{f: narrative(obj, f, language) for f in NARRATIVES[model_name]}}

    return {
        **snapshot,
        "organization": pick(snapshot["organization"], "organization"),
        "incident": pick(snapshot["incident"], "incident"),
        "milestones": [pick(m, "milestone") for m in snapshot["milestones"]],
        "engagements": [
            {
                **pick(e, "engagement"),
                "findings": [pick(f, "finding") for f in e["findings"]],
            }
            for e in snapshot["engagements"]
        ],
        "actions": [pick(a, "action") for a in snapshot["actions"]],
    }


def build_context(kind: str, language: str, snapshot: dict) -> dict:
    if kind not in BUILDERS:
        raise ValueError(f"Unknown report kind: {kind!r}")
    if language not in WORDS:
        raise ValueError(f"Unknown report language: {language!r}")
    if language not in ReportKind.languages(kind):
        raise ValueError(f"A {kind!r} report is not written in {language!r}")
    words = KIND_WORDS.get(kind, {}).get(language)
    snapshot = in_language(_upgrade(snapshot), language)
    fmt = Formatter(language, snapshot["time_zone"], words)
    with translation.override(language):
        return BUILDERS[kind](kind, snapshot, fmt)
