"""Small helpers for the admin's templates (the history pages)."""

from datetime import datetime

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext

from ..timeformat import format_datetime

register = template.Library()


@register.filter
def field_label(name: str, opts) -> str:
    """A changed field's name as its label in the reader's language (aware_at: 事態を知った日時)."""
    try:
        return str(opts.get_field(name).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        return name


@register.filter
def history_value(value):
    """A changed value as a reader wants it: times in the page's zone, nothing as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return value


@register.filter
def history_event(reason: str | None, opts) -> str:
    """The change's reason; an event code of the model (a report's "submitted") as its label."""
    events = getattr(getattr(opts, "model", None), "HISTORY_EVENTS", None)
    if events is not None and reason in events.values:
        return str(events(reason).label)
    return reason or ""
