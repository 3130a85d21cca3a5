"""The incident's legal clocks: computed from its facts, kept in step, fulfilled by filings."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from incidents import founding_case, services
from incidents.choices import FilingChannel, ObligationState
from incidents.models import FilingRefused, IncidentError, Obligation
from incidents.obligations import facts_for
from incidents.regimes import RULES
from tests.conftest import JST, jst

pytestmark = pytest.mark.django_db


def clocks(incident):
    return {(o.regime, o.stage): o for o in Obligation.objects.filter(incident=incident)}


def local(incident, moment):
    return moment.astimezone(incident.tzinfo).strftime("%Y-%m-%d %H:%M:%S.%f %Z")


# The founding case -------------------------------------------------------------------


def test_founding_case_shows_its_clocks(founding):
    rows = clocks(founding)
    assert set(rows) == {("appi", "preliminary"), ("appi", "final"), ("appi", "individuals")}
    preliminary, final, individuals = (
        rows["appi", "preliminary"],
        rows["appi", "final"],
        rows["appi", "individuals"],
    )
    # Preliminary report filed through the PPC's web form on the day of awareness.
    assert preliminary.fulfilled_at.astimezone(JST).date() == date(2022, 2, 3)
    assert preliminary.channel == FilingChannel.WEB_FORM
    assert preliminary.state_at() == ObligationState.FULFILLED
    # Final: 60 days (wrongful purpose), day 1 = 3 Feb, the last day 3 April is a Sunday.
    assert local(founding, final.due_at) == "2022-04-04 23:59:59.999999 JST"
    assert final.due_at == datetime(2022, 4, 4, 14, 59, 59, 999999, tzinfo=UTC)
    assert "60 days" in final.rule
    assert final.state_at(jst(2022, 3, 1)) == ObligationState.PENDING
    assert final.state_at(jst(2022, 3, 29)) == ObligationState.DUE_SOON
    assert final.state_at(jst(2022, 4, 5)) == ObligationState.OVERDUE
    # Notice to individuals: "promptly", no date.
    assert individuals.applies and individuals.due_at is None


def test_loading_the_founding_case_twice_keeps_one_filing(founding):
    founding_case.load()
    preliminary = founding.obligations.get(stage="preliminary")
    assert founding.obligations.count() == 3
    assert preliminary.history.filter(fulfilled_at__isnull=False).count() == 1


# Recomputed on every write path -------------------------------------------------------


def incident_form_data(incident, **overrides):
    def dt(moment):
        if moment is None:
            return {"0": "", "1": ""}
        moment = moment.astimezone(incident.tzinfo)
        return {"0": moment.strftime("%Y-%m-%d"), "1": moment.strftime("%H:%M:%S")}

    def nb(value):
        return {None: "unknown", True: "true", False: "false"}[value]

    data = {
        "organization": incident.organization_id,
        "title_ja": incident.title_ja or "",
        "title_en": incident.title_en or "",
        "category": incident.category,
        "severity": incident.severity,
        "time_zone": incident.time_zone,
        "members": [u.pk for u in incident.members.all()],
        "personal_data_items": incident.personal_data_items,
        "affected_count": incident.affected_count or "",
        "affected_count_qualifier": incident.affected_count_qualifier,
        "contractor_involved": nb(incident.contractor_involved),
        "sensitive_data": nb(incident.sensitive_data),
        "financial_damage_risk": nb(incident.financial_damage_risk),
        "wrongful_purpose": nb(incident.wrongful_purpose),
        "publication_status": incident.publication_status,
        "regimes": incident.regimes,
        "high_risk": nb(incident.high_risk),
        "gdpr_unlikely_risk": nb(incident.gdpr_unlikely_risk),
        "significant_incident": nb(incident.significant_incident),
    }
    for name in ["occurred_at", "detected_at", "aware_at", "contained_at", "published_at"]:
        data |= {f"{name}_{k}": v for k, v in dt(getattr(incident, name)).items()}
    for prefix in ["obligations", "milestones", "engagements", "evidence", "actions", "reports"]:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    data["status_changes-TOTAL_FORMS"] = data["status_changes-INITIAL_FORMS"] = "0"
    data.update(overrides)
    return data


def test_admin_change_form_recomputes_when_facts_change(client, persona, make_incident):
    committee = persona["committee"]
    incident = make_incident(
        members=[committee], aware_at=jst(2024, 3, 1, 9, 30), financial_damage_risk=True
    )
    url = reverse("admin:incidents_incident_change", args=[incident.pk])
    client.force_login(committee)
    final = clocks(incident)["appi", "final"]
    # 1 March 2024 + 30 days - 1 = 30 March, a Saturday: moved to Monday 1 April.
    assert local(incident, final.due_at).startswith("2024-04-01 23:59")

    facts = f"{url}?tab=facts"  # the facts are on their tab, when it was known on the first
    response = client.post(facts, incident_form_data(incident, wrongful_purpose="true"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    final.refresh_from_db()
    # 60 days: 29 April 2024 (Shōwa Day) moves to 30 April.
    assert local(incident, final.due_at).startswith("2024-04-30 23:59")
    assert "60 days" in final.rule

    incident.refresh_from_db()
    response = client.post(
        url,
        incident_form_data(incident, aware_at_0="2024-03-04", aware_at_1="08:00:00"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    final.refresh_from_db()
    assert local(incident, final.due_at).startswith("2024-05-02 23:59")  # 4 Mar + 59 days

    incident.refresh_from_db()
    response = client.post(facts, incident_form_data(incident, wrongful_purpose="false"))
    assert response.status_code == 302
    final.refresh_from_db()
    assert local(incident, final.due_at).startswith("2024-04-02 23:59")  # 30 days again
    assert final.history.count() == 4


def test_fulfilment_survives_a_recompute(make_incident, english):
    incident = make_incident(aware_at=jst(2024, 3, 1, 9), sensitive_data=True)
    preliminary = clocks(incident)["appi", "preliminary"]
    services.record_filing(
        preliminary,
        user=None,
        at=jst(2024, 3, 2, 10),
        channel=FilingChannel.WEB_FORM,
        reference="PPC-123",
    )
    incident.aware_at = jst(2024, 2, 28, 9)
    with pytest.raises(IncidentError, match="reason"):
        services.save_incident(incident, user=None)
    services.save_incident(incident, user=None, reason="The log showed an earlier alert.")
    assert incident.history.first().history_change_reason == "The log showed an earlier alert."
    preliminary.refresh_from_db()
    assert preliminary.fulfilled_at == jst(2024, 3, 2, 10)
    assert preliminary.authority_reference == "PPC-123"
    assert local(incident, preliminary.due_at).startswith("2024-03-03 23:59")

    # No Art. 7 case any more: not applicable, but the filing that happened stays.
    incident.sensitive_data = False
    incident.financial_damage_risk = incident.wrongful_purpose = False
    incident.over_1000_people = False
    services.save_incident(incident, user=None)
    preliminary.refresh_from_db()
    assert not preliminary.applies and preliminary.fulfilled_at is not None
    assert preliminary.state_at() == ObligationState.FULFILLED
    assert clocks(incident)["appi", "final"].state_at() == ObligationState.NOT_APPLICABLE


def test_aware_at_unknown_means_no_due_time_yet(make_incident):
    incident = make_incident(wrongful_purpose=True)
    rows = clocks(incident)
    assert set(rows) == {("appi", "preliminary"), ("appi", "final"), ("appi", "individuals")}
    assert all(o.applies and o.due_at is None for o in rows.values())
    assert rows["appi", "final"].state_at() == ObligationState.PENDING
    incident.aware_at = jst(2024, 6, 3, 12)
    services.save_incident(incident, user=None)
    assert clocks(incident)["appi", "final"].due_at is not None


def test_regimes_added_and_removed(make_incident):
    incident = make_incident(
        aware_at=jst(2024, 6, 3, 12),
        regimes=["appi", "gdpr", "nis2"],
        significant_incident=False,
    )
    rows = clocks(incident)
    assert {r for r, _s in rows} == {"appi", "gdpr", "nis2"}
    assert rows["nis2", "early-warning"].reason_not_applicable  # not significant
    gdpr = rows["gdpr", "authority"]
    assert gdpr.due_at == jst(2024, 6, 3, 12) + timedelta(hours=72)
    services.record_filing(gdpr, user=None, at=jst(2024, 6, 4), channel=FilingChannel.EMAIL)
    incident.regimes = ["appi"]
    services.save_incident(incident, user=None)
    rows = clocks(incident)
    assert set(rows) == {("appi", s) for s in ["preliminary", "final", "individuals"]} | {
        ("gdpr", "authority")
    }
    kept = rows["gdpr", "authority"]
    assert not kept.applies and kept.fulfilled_at is not None


def test_every_regime_gets_rows_from_the_incidents_facts(make_incident):
    incident = make_incident(
        aware_at=jst(2024, 6, 3, 12),
        regimes=["appi", "gdpr", "uk-gdpr", "nis2", "sec", "hipaa"],
        sensitive_data=True,
        high_risk=True,
        significant_incident=True,
        materiality_determined_on=date(2024, 6, 5),
        affected_count=2000,
        affected_count_qualifier="exact",
        max_persons_in_one_state=800,
    )
    rows = clocks(incident)
    assert set(rows) == {(r.regime, r.stage) for r in RULES}
    waiting = {key for key, o in rows.items() if o.applies and o.due_at is None}
    assert waiting == {
        ("appi", "individuals"),
        ("gdpr", "individuals"),
        ("uk-gdpr", "individuals"),
        ("nis2", "final"),  # starts with the notification's filing
        ("nis2", "progress"),  # likewise, and only if handling goes on for a month
        ("sec", "8-k-amendment"),  # provisional: whether information is pending is open
    }
    # Everything applies (some provisionally) but the intermediate report nobody asked for.
    assert [key for key, o in rows.items() if not o.applies] == [("nis2", "intermediate")]
    # SEC: 4 business days after Wednesday 5 June 2024, New York time.
    sec = rows["sec", "8-k"].due_at.astimezone(timezone.get_fixed_timezone(-240))
    assert sec.date() == date(2024, 6, 11)
    # NIS2: filing the notification starts the final report's one-month clock.
    services.record_filing(
        rows["nis2", "notification"], user=None, at=jst(2024, 6, 5, 9), channel="web_form"
    )
    final = clocks(incident)["nis2", "final"]
    assert local(incident, final.due_at).startswith("2024-07-05 23:59")
    assert final.depends_on_stage()


def test_facts_mapping_reads_every_fact(make_incident):
    incident = make_incident(
        aware_at=jst(2024, 6, 3, 12),
        regimes=["gdpr"],
        gdpr_unlikely_risk=True,
        gdpr_unlikely_risk_reason="Encrypted at rest; key not exposed.",
        affected_count=10,
        affected_count_qualifier="estimated",
        max_persons_in_one_state=3,
        time_zone="Europe/Berlin",
    )
    facts = facts_for(incident)
    assert facts.regimes == {"gdpr"} and facts.gdpr_unlikely_risk
    assert (facts.persons, facts.max_persons_in_one_state, facts.tz) == (10, 3, "Europe/Berlin")
    assert not clocks(incident)["gdpr", "authority"].applies


def test_new_facts_are_validated(make_incident):
    with pytest.raises(ValidationError) as error:
        make_incident(regimes=["appi", "ccpa"])
    assert "regimes" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_incident(high_risk=True, gdpr_unlikely_risk=True, gdpr_unlikely_risk_reason="x")
    assert "gdpr_unlikely_risk" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_incident(gdpr_unlikely_risk=True)
    assert "gdpr_unlikely_risk_reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_incident(
            affected_count=5, affected_count_qualifier="exact", max_persons_in_one_state=9
        )
    assert "max_persons_in_one_state" in error.value.message_dict


# Filings ------------------------------------------------------------------------------


def test_record_filing_refuses_what_cannot_be_a_filing(make_incident, english):
    incident = make_incident(
        aware_at=jst(2024, 3, 1, 9),
        regimes=["appi", "nis2"],
        sensitive_data=True,
        significant_incident=False,
    )
    rows = clocks(incident)
    not_applicable = rows["nis2", "early-warning"]
    with pytest.raises(FilingRefused, match="does not apply"):
        services.record_filing(not_applicable, user=None, at=jst(2024, 3, 2), channel="web_form")
    assert issubclass(FilingRefused, IncidentError)
    preliminary = rows["appi", "preliminary"]
    future = timezone.now() + timedelta(hours=1)
    with pytest.raises(FilingRefused, match="future"):
        services.record_filing(preliminary, user=None, at=future, channel="web_form")
    with pytest.raises(FilingRefused, match="precede"):
        services.record_filing(preliminary, user=None, at=jst(2024, 2, 1), channel="web_form")
    with pytest.raises(FilingRefused, match="channel"):
        services.record_filing(preliminary, user=None, at=jst(2024, 3, 2), channel="pigeon")
    preliminary.refresh_from_db()
    assert preliminary.fulfilled_at is None


def test_rule_text_is_stored_in_english_and_shown_translated(founding):
    final = founding.obligations.get(stage="final")
    assert final.rule.startswith("Within 60 days of the day the organization knew")
    with translation.override("en"):
        assert final.rule_text == final.rule


# Derived state ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (jst(2022, 3, 27, 23, 59), ObligationState.PENDING),
        (jst(2022, 3, 28, 0, 0), ObligationState.DUE_SOON),
        (jst(2022, 4, 4, 23, 59), ObligationState.DUE_SOON),
        (jst(2022, 4, 5, 0, 0), ObligationState.OVERDUE),
    ],
)
def test_state_is_derived_from_the_clock(founding, now, state):
    final = founding.obligations.get(stage="final")
    assert final.state_at(now) == state
    annotated = Obligation.objects.with_state(now).get(pk=final.pk)
    assert annotated.state == state
    states = dict(Obligation.objects.with_state(now).values_list("stage", "state"))
    assert states["preliminary"] == ObligationState.FULFILLED
    assert states["individuals"] == ObligationState.PENDING
