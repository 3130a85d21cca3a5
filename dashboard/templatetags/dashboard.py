"""Filters for the dashboard templates: durations and time left, in the reader's language."""

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def span(value: timedelta | None) -> str:
    """A duration as days and hours (or hours and minutes when under a day)."""
    if value is None:
        return ""
    seconds = abs(int(value.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        text = _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    else:
        text = _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return f"-{text}" if value.total_seconds() < 0 else text


@register.filter
def from_awareness(value: timedelta | None) -> str:
    """A duration from awareness: a dash when the moment is not reached; a moment recorded
    before awareness (a containment may come first) is said so, never as a negative span
    (the medians leave it out)."""
    if value is None:
        return "—"
    if value.total_seconds() < 0:
        return _("before awareness")
    return span(value)


@register.filter
def time_left(value: timedelta | None) -> str:
    """“2 d 5 h left” or “overdue by 3 d 1 h”."""
    if value is None:
        return _("no fixed deadline")
    if value.total_seconds() < 0:
        return _("overdue by %(span)s") % {"span": span(-value)}
    return _("%(span)s left") % {"span": span(value)}
