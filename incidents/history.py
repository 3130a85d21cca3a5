"""What a record's history shows of one change, the same on the admin's history page and in
the API's history: every field the history keeps, set by a form or not, but the automatic
timestamps (which change with every save).

simple-history compares only the fields a form may edit (it reads them with model_to_dict),
so the incident's status, which only the lifecycle moves (Incident.set_status), never showed
as changed: a status move was a history row without a change.
"""

from django.db import models
from simple_history.models import ModelChange, ModelDelta


def _not_editable(history_model) -> list[models.Field]:
    """The fields the history keeps that no form sets, but the automatic timestamps."""
    return [
        field
        for field in history_model.tracked_fields
        if not field.editable
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    ]


def changes(record, previous, *, foreign_keys_are_objs: bool = False) -> ModelDelta:
    """What changed from `previous` to `record`, two history records of one row, by field
    name as simple-history's diff_against gives them."""
    delta = record.diff_against(previous, foreign_keys_are_objs=foreign_keys_are_objs)
    found = list(delta.changes)
    for field in _not_editable(type(record)):
        old, new = getattr(previous, field.attname), getattr(record, field.attname)
        if old != new:
            found.append(ModelChange(field.name, old, new))
    found.sort(key=lambda change: change.field)
    return ModelDelta(found, [change.field for change in found], previous, record)
