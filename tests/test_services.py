"""The services apply the regulation when they change records (civil service, order
No. 06-7/148 of 18 October 2013), and refuse bad input without changing anything.

Dates: Monday 2 March 2026 is the first day of each assignment; a term of 2 months from it
ends on 1 May 2026 (p.6). Kazakhstan's calendar: 21-25 March 2026 are Nauryz days off.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from nastavnik import services
from nastavnik.core.errors import InputError, NotFound, Refused
from nastavnik.storage.models import Absence, Assignment, AuditEntry, Mentorship, Paper, db

ON = dt.date(2026, 3, 2)
ELIGIBLE = {"public_service_start": "2010-01-01",
            "last_assessment": {"year": 2025, "mark": "effective"}}
#: 1 year 6 months of public service on 2 March 2026, otherwise fine
JUNIOR = {"public_service_start": "2024-09-01",
          "last_assessment": {"year": 2025, "mark": "effective"}}
#: enough service, but "satisfactory" at the last assessment (p.8(2))
SATISFACTORY = {"public_service_start": "2016-05-01",
                "last_assessment": {"year": 2025, "mark": "satisfactory"}}
PENALISED = {**ELIGIBLE, "disciplinary_penalties": [
    {"kind": "reprimand", "imposed": "2026-02-02", "until": "2026-08-01"}]}
MENTEE = {"corps": "B", "category": "C-5", "first_appointment": True}


def _body(people: dict[str, tuple[dict, str | None]], slug: str = "cs") -> None:
    """A civil service body with people: number -> (attributes, direct manager)."""
    services.create_tenant(slug, "Civil service body", "civil_service_2013", actor="admin")
    with services.tenant(slug, "hr") as t:
        for number, (attributes, manager) in people.items():
            services.add_person(t, number=number, full_name=f"Person {number}",
                                manager=manager, attributes=attributes)


def _rules(findings) -> list[str]:
    return sorted({f.rule_id if hasattr(f, "rule_id") else f["rule"] for f in findings})


def _state(slug: str = "cs") -> dict:
    """Everything a service could have written: row counts and the audit trail."""
    with services.tenant(slug, "auditor") as t:
        count = lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
        state = {model.__tablename__: count(model)
                 for model in (Mentorship, Assignment, Absence, Paper, AuditEntry)}
        state["people"] = [(p.number, p.full_name) for p in services.list_people(t)]
        state["tenant"] = (t.tenant.name, t.tenant.locale)
    return state


# --- p.8: who may mentor ------------------------------------------------------------------------

def test_a_mentor_with_less_than_two_years_of_service_is_refused_and_nothing_is_written(app):
    """p.8(1): a mentor needs at least 2 years of public service. Assigning someone with
    1 year 6 months is refused with a finding citing p.8, and nothing is recorded."""
    _body({"M1": (ELIGIBLE, None), "J1": (JUNIOR, None), "S1": (MENTEE, "M1")})
    before = _state()
    with pytest.raises(Refused) as refused:
        with services.tenant("cs", "hr") as t:
            services.assign_mentor(t, "S1", "J1", ON)
    assert "civil_service_2013.p8.service" in _rules(refused.value.findings)
    [finding] = [f for f in refused.value.findings if f.rule_id == "civil_service_2013.p8.service"]
    assert finding.paragraph == "8.1" and finding.facts["mentor"] == "J1"
    assert _state() == before


def test_when_nobody_is_eligible_the_direct_manager_is_assigned_as_the_exception(app):
    """p.8, last sentence: if nobody meets the requirements, the servant's direct manager
    is assigned. The assignment is allowed, and recorded as made under the exception."""
    _body({"D1": (JUNIOR, None), "B1": (PENALISED, None), "A1": (SATISFACTORY, None),
           "S1": (MENTEE, "D1")})
    with services.tenant("cs", "hr") as t:
        mentorship, check = services.assign_mentor(t, "S1", "D1", ON)
        assert check.allowed and check.fallback
        assert "civil_service_2013.p8.fallback" in _rules(check.findings)
        assert "civil_service_2013.p8.service" not in _rules(check.findings)
    with services.tenant("cs", "hr") as t:
        [assignment] = services.assignments_of(services.find_mentorship(t, "S1"))
        assert assignment.fallback is True
        assert assignment.mentor_id == services.find_person(t, "D1").id


def test_the_exception_names_only_the_direct_manager(app):
    """p.8's exception is for the direct manager alone: with nobody eligible, a colleague
    who is not the servant's manager and fails p.8 is still refused."""
    _body({"D1": (JUNIOR, None), "A1": (SATISFACTORY, None), "S1": (MENTEE, "D1")})
    before = _state()
    with pytest.raises(Refused) as refused:
        with services.tenant("cs", "hr") as t:
            services.assign_mentor(t, "S1", "A1", ON)
    assert "civil_service_2013.p8.assessment" in _rules(refused.value.findings)
    assert "civil_service_2013.p8.fallback" not in _rules(refused.value.findings)
    assert _state() == before


def test_with_an_eligible_candidate_the_ineligible_manager_is_refused(app):
    """The exception applies only when nobody qualifies: if someone in the body meets p.8
    and has room, the direct manager who fails p.8 may not be assigned."""
    _body({"D1": (JUNIOR, None), "M1": (ELIGIBLE, None), "S1": (MENTEE, "D1")})
    before = _state()
    with pytest.raises(Refused) as refused:
        with services.tenant("cs", "hr") as t:
            services.assign_mentor(t, "S1", "D1", ON)
    assert "civil_service_2013.p8.service" in _rules(refused.value.findings)
    assert "civil_service_2013.p8.fallback" not in _rules(refused.value.findings)
    assert _state() == before
    with services.tenant("cs", "hr") as t:
        _, check = services.assign_mentor(t, "S1", "M1", ON)
        assert check.allowed and not check.fallback


# --- replacement, absences, closing ---------------------------------------------------------

def _assigned_body():
    _body({"M1": (ELIGIBLE, None), "M2": (ELIGIBLE, None), "S1": (MENTEE, "M1")})
    with services.tenant("cs", "hr") as t:
        services.assign_mentor(t, "S1", "M1", ON, term_months=2)


def test_replacing_a_dismissed_mentor_keeps_the_term_and_sets_the_p11_deadline(app):
    """p.11: a dismissed mentor's assignment ends the day before the new mentor's first
    day; the mentorship's term does not change; and the new mentor is due within 5
    working days after the dismissal (Nauryz days off are not counted)."""
    _assigned_body()
    with services.tenant("cs", "hr") as t:
        services.replace_mentor(t, "S1", "M2", "2026-03-20", "dismissal")
    with services.tenant("cs", "hr") as t:
        m = services.find_mentorship(t, "S1")
        first, second = services.assignments_of(m)
        assert (first.end, first.end_reason) == (dt.date(2026, 3, 19), "dismissal")
        assert (second.start, second.end) == (dt.date(2026, 3, 20), None)
        assert second.mentor_id == services.find_person(t, "M2").id
        assert (m.start, m.term_months, m.status) == (ON, 2, "open")
        report = services.compliance_report(t, dt.date(2026, 3, 20))
        [deadline] = [d for d in report["deadlines"]
                      if d["rule"] == "civil_service_2013.p11.replacement"]
        assert deadline["paragraph"] == "11" and deadline["event"] == "mentor_dismissal"
        assert (deadline["event_date"], deadline["due"]) == ("2026-03-19", "2026-03-31")
        assert (deadline["done_on"], deadline["status"]) == ("2026-03-20", "done")
        term = services.sweep(t, dt.date(2026, 3, 20))[0].terms[str(m.id)]
        assert term.planned_end == dt.date(2026, 5, 1)


def test_a_replacement_on_written_request_sets_no_p11_deadline(app):
    """The p.11 deadline counts from a dismissal or transfer; a replacement on a written
    request sets none (and is flagged, p.11 not listing that ground)."""
    _assigned_body()
    with services.tenant("cs", "hr") as t:
        services.replace_mentor(t, "S1", "M2", "2026-03-20", "written_request")
        report = services.compliance_report(t, dt.date(2026, 3, 20))
        assert "civil_service_2013.p11.replacement" not in _rules(report["deadlines"])
        assert "civil_service_2013.p11.ground" in _rules(report["findings"])


def test_an_absence_for_a_valid_reason_extends_the_planned_end(app):
    """p.6: the servant's absence for a valid reason is not counted in the term: 7 days
    of sick leave move the end of a 2-month term from 1 May to 8 May 2026."""
    _assigned_body()
    with services.tenant("cs", "hr") as t:
        services.record_absence(t, "S1", "2026-03-10", "2026-03-16", reason="sick leave")
    with services.tenant("cs", "hr") as t:
        report = services.compliance_report(t, dt.date(2026, 3, 20))
        [extension] = [f for f in report["findings"]
                       if f["rule"] == "civil_service_2013.p6.absence_extension"]
        assert extension["facts"]["days"] == 7
        assert extension["facts"]["planned_end"] == "2026-05-08"
        m = services.find_mentorship(t, "S1")
        assert services.sweep(t, dt.date(2026, 3, 20))[0].terms[str(m.id)].planned_end == \
            dt.date(2026, 5, 8)
        report_deadlines = {d["kind"]: d for d in report["deadlines"]}
        assert report_deadlines["mentee_report"]["event_date"] == "2026-05-08"


def test_closing_a_mentorship_ends_it_and_its_current_assignment(app):
    """Closing on a day ends the mentorship and its mentor's assignment on that day; the
    mentorship no longer counts as open, and the papers due at its end count from it."""
    _assigned_body()
    with services.tenant("cs", "hr") as t:
        services.close_mentorship(t, "S1", "2026-04-30")
    with services.tenant("cs", "hr") as t:
        m = services.find_mentorship(t, "S1")
        assert (m.status, m.ended_on) == ("closed", dt.date(2026, 4, 30))
        [a] = services.assignments_of(m)
        assert (a.end, a.end_reason) == (dt.date(2026, 4, 30), "end_of_mentorship")
        report = services.compliance_report(t, dt.date(2026, 5, 4))
        assert report["summary"]["mentorships_open"] == 0
        assert {d["event_date"] for d in report["deadlines"]
                if d["event"] == "end_of_mentorship"} == {"2026-04-30"}
        with pytest.raises(InputError):
            services.close_mentorship(t, "S1", "2026-05-01")


# --- suggestions --------------------------------------------------------------------------------

def test_suggestions_rank_eligible_mentors_by_free_capacity_and_explain_the_others(app):
    """Eligible mentors are listed with the most free places first (p.10: 2 at once);
    those who may not mentor are listed apart, each with the findings that exclude them:
    no room (p.10), too little service (p.8(1)), a penalty in force (p.8(3))."""
    _body({"M1": (ELIGIBLE, None), "M2": (ELIGIBLE, None), "M3": (ELIGIBLE, None),
           "J1": (JUNIOR, None), "P1": (PENALISED, None),
           "X1": (MENTEE, "M1"), "X2": (MENTEE, "M3"), "X3": (MENTEE, "M3"),
           "S1": (MENTEE, "M2")})
    with services.tenant("cs", "hr") as t:
        services.assign_mentor(t, "X1", "M1", ON)
        services.assign_mentor(t, "X2", "M3", ON)
        services.assign_mentor(t, "X3", "M3", ON)
    with services.tenant("cs", "hr") as t:
        suggested = services.suggest_mentors(t, "S1", ON)
    assert suggested["capacity"] == 2
    assert [(e["number"], e["load"], e["free"]) for e in suggested["eligible"]] == \
        [("M2", 0, 2), ("M1", 1, 1)]
    excluded = {e["number"]: _rules(e["findings"]) for e in suggested["excluded"]}
    assert "civil_service_2013.p10.capacity" in excluded["M3"]
    assert "civil_service_2013.p8.service" in excluded["J1"]
    assert "civil_service_2013.p8.no_penalties" in excluded["P1"]
    assert "S1" not in excluded and suggested["eligible_count"] == 2


# --- bad input ------------------------------------------------------------------------------------

BAD_INPUT = {
    "unknown mentee": lambda t: services.assign_mentor(t, "NOBODY", "M1", ON),
    "unknown mentor": lambda t: services.assign_mentor(t, "S2", "NOBODY", ON),
    "not a date": lambda t: services.assign_mentor(t, "S2", "M1", "2026-02-30"),
    "no first day": lambda t: services.assign_mentor(t, "S2", "M1", None),
    "term ends before it starts": lambda t: services.assign_mentor(
        t, "S2", "M1", ON, planned_end="2026-03-01"),
    "second open mentorship for the mentee": lambda t: services.assign_mentor(t, "S1", "M2", ON),
    "absence ends before it starts": lambda t: services.record_absence(
        t, "S1", "2026-03-10", "2026-03-09"),
    "absence with a bad date": lambda t: services.record_absence(t, "S1", "10.03.2026", "2026-03-12"),
    "replacement without a date": lambda t: services.replace_mentor(t, "S1", "M2", None, "dismissal"),
    "replacement for an unknown reason": lambda t: services.replace_mentor(
        t, "S1", "M2", "2026-03-20", "boredom"),
    "closing before the start": lambda t: services.close_mentorship(t, "S1", "2026-03-01"),
    "closing without a date": lambda t: services.close_mentorship(t, "S1", None),
    "paper of an unknown kind": lambda t: services.record_paper(t, "S1", "memo", "2026-03-05"),
    "person with a taken number": lambda t: services.add_person(t, number="M1", full_name="Twin"),
    "person with attributes outside the schema": lambda t: services.update_person(
        t, "M1", attributes={"rank": "colonel"}),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_refused_and_changes_nothing(app, case):
    """Bad input (an unknown person, a malformed date, an end before its start, a second
    open mentorship for one servant, ...) is reported as an input error naming the field,
    and nothing at all is written, even what the same unit of work did before it."""
    _assigned_body()
    with services.tenant("cs", "hr") as t:
        services.add_person(t, number="S2", full_name="Second servant", manager="M1",
                            attributes=MENTEE)
    before = _state()
    with pytest.raises(InputError) as error:
        with services.tenant("cs", "hr") as t:
            services.update_person(t, "M2", full_name="Changed in the same unit of work")
            BAD_INPUT[case](t)
    assert error.value.field
    if case.startswith("unknown"):
        assert isinstance(error.value, NotFound)
    assert _state() == before


def test_bad_tenant_settings_change_nothing_even_if_found_halfway(app):
    """An agency's details are changed together or not at all: a valid new name with an
    invalid language is refused, and the name is not saved later by another change."""
    _body({"M1": (ELIGIBLE, None)})
    before = _state()
    with pytest.raises(InputError):
        services.update_tenant("cs", "admin", name="Renamed", locale="de")
    with pytest.raises(InputError):
        services.update_tenant("cs", "admin", name="Renamed", extra_days_off=["2026-03-09"],
                               extra_working_days=["2026-03-09"])
    with services.tenant("cs", "hr") as t:
        services.add_person(t, number="M2", full_name="Another", attributes=ELIGIBLE)
    after = _state()
    assert after["tenant"] == before["tenant"] == ("Civil service body", "ru")
    # the person and their first version, nothing else
    assert after["audit_entry"] == before["audit_entry"] + 2
