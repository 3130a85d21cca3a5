"""Need-to-know, asked the same way of any model: forms, widgets and filters call this.

The rule itself lives in one place, `Incident.objects.visible_to(user)`; every model of
the case record (and reports) has a `visible_to` that follows it. A form field, a raw-id
widget, an autocomplete or an API filter offering rows of a model asks `visible()` for
its choices, so a hidden row and a missing one get the same answer everywhere.
"""

from django.db.models import Model, QuerySet


def visible(model: type[Model], user) -> QuerySet | None:
    """The rows of `model` this user may see, or None for a model the rule does not cover
    (users, groups): those are left to the caller's own permissions."""
    queryset = model._default_manager.all()
    visible_to = getattr(queryset, "visible_to", None)
    return visible_to(user) if visible_to is not None else None
