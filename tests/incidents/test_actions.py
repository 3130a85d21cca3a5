from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from incidents.choices import ActionStatus
from incidents.models import Action
from tests.conftest import jst

pytestmark = pytest.mark.django_db


def test_done_at_is_present_exactly_when_done(make_incident):
    incident = make_incident()
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(incident=incident, title="x", category="technical", status="done")
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(
            incident=incident, title="x", category="technical", done_at=jst(2022, 5, 1)
        )
    action = Action(incident=incident, title="x", category="technical", status="done")
    with pytest.raises(ValidationError) as excinfo:
        action.full_clean()
    assert "done_at" in excinfo.value.message_dict


def test_overdue_is_derived_from_the_due_date_and_status(make_incident):
    incident = make_incident()
    today = incident.today()
    late = Action.objects.create(
        incident=incident, title="late", category="education", due_date=today - timedelta(days=1)
    )
    on_time = Action.objects.create(
        incident=incident, title="today", category="education", due_date=today
    )
    done = Action.objects.create(
        incident=incident,
        title="done late",
        category="education",
        due_date=date(2020, 1, 1),
        status=ActionStatus.DONE,
        done_at=timezone.now(),
    )
    assert (late.is_overdue, on_time.is_overdue, done.is_overdue) == (True, False, False)
    assert list(Action.objects.overdue()) == [late]
    late.status = ActionStatus.CANCELLED
    late.save()
    assert not late.is_overdue
