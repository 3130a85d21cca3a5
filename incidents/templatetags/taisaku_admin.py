"""Small helpers for the admin's templates (the history pages)."""

from django import template
from django.core.exceptions import FieldDoesNotExist

register = template.Library()


@register.filter
def field_label(name: str, opts) -> str:
    """A changed field's name as its label in the reader's language (aware_at: 事態を知った日時)."""
    try:
        return str(opts.get_field(name).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        return name
