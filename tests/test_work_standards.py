"""Work standards of the prosecutor bodies (order of the Prosecutor General No. 159 of
26 December 2015): technological schemes, work recorded against them, workload and staff
number, and the stage-3 evaluation of a mentee (Rules of mentorship p.6(3), p.11).

The hand-computed case used throughout (Kazakhstan's calendar, March 2026):

    March 2026 has 22 weekdays. Days off among them: Mon 9 March (8 March, Women's Day, fell
    on a Sunday and moved to Monday) and 23, 24, 25 March (Nauryz, 21-23 March, the weekend
    ones moved to 24-25). Working days: 22 - 4 = 18.

    The scheme "assistant prosecutor / supervision of appeals" has three actions:
        A1 review a citizen's appeal       90 min
        A2 draft an act of response        120 min
        A3 enter the result into the register 45 min

    Aigerim (P-1) was absent Mon 16 - Wed 18 March: 3 working days.
    Her working time = (18 - 3) days x 8 h = 120 h.
    Her work in March: A1 x 20 (18 met the requirement), A2 x 10 (all 10), A3 x 24 (20).
    Normative time = 20 x 90 + 10 x 120 + 24 x 45 = 1800 + 1200 + 1080 = 4080 min = 68 h.
    Load = 68 / 120 = 0.5666... = 56.7 %.
    Compliance = (18 + 10 + 20) / (20 + 10 + 24) = 48 / 54 = 88.9 %.

    Bolat (P-2), same unit, no absence: A1 x 40 = 3600 min = 60 h.
    Staff number of the unit = (68 + 60) h / (18 x 8) h = 128 / 144 = 0.888... = 0.89.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import openpyxl
import pytest
import sqlalchemy as sa

from nastavnik import services
from nastavnik.core import registry
from nastavnik.core import workload as wl
from nastavnik.core.calendar import calendar_for
from nastavnik.core.errors import InputError, NotFound
from nastavnik.services import work_standards as ws
from nastavnik.storage.models import AuditEntry, WorkAction, WorkRecord, WorkScheme, db

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
HEADER = ["work_type", "action_code", "action", "time_norm_minutes", "result_requirement"]
ROWS = [
    ["Appeals", "A1", "Review a citizen's appeal", 90, "Reviewed within the term, every argument answered"],
    ["Appeals", "A2", "Draft an act of response", 120, "Reasoned, cites the law applied"],
    ["Register", "A3", "Enter the result into the register", 45, "Entered on the day of the decision"],
]


def xlsx(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def prosecutors(slug="pros"):
    services.create_tenant(slug, "District prosecutor's office", "prosecutor_2022", actor="admin")
    with services.tenant(slug, "hr") as t:
        services.add_person(t, number="P-1", full_name="Aigerim", unit="Appeals unit",
                            position="assistant prosecutor")
        services.add_person(t, number="P-2", full_name="Bolat", unit="Appeals unit",
                            position="assistant prosecutor")
        services.record_absence(t, "P-1", "2026-03-16", "2026-03-18")


def march_scheme(t, path, **approval):
    approval = approval or dict(approved_by="Head of the appeals department",
                                approved_on="2026-02-20", in_force_from="2026-03-01",
                                hr_coordinated_by="HR department")
    return ws.import_scheme(t, xlsx(path, [HEADER, *ROWS]), "assistant prosecutor",
                            "supervision of appeals", **approval)


def record_march(t):
    ws.record_work(t, "P-1", "A1", *MARCH, 20, 18)
    ws.record_work(t, "P-1", "A2", *MARCH, 10)
    ws.record_work(t, "P-1", "A3", *MARCH, 24, 20)
    ws.record_work(t, "P-2", "A1", *MARCH, 40)


# --- the arithmetic, without a database -------------------------------------------------------

def test_working_days_of_march_2026_in_kazakhstan():
    """18 working days: 22 weekdays less 9 March and 23-25 March (see the module's docstring);
    an absence of Mon 16 - Wed 18 March takes 3 of them, one overlapping it counts once."""
    cal = calendar_for("KZ")
    time = wl.working_time(cal, *MARCH, Fraction(8))
    assert (time.calendar_working_days, time.absent_working_days, time.hours) == (18, 0, 144)
    time = wl.working_time(cal, *MARCH, Fraction(8), [(dt.date(2026, 3, 16), dt.date(2026, 3, 18)),
                                                      (dt.date(2026, 3, 17), dt.date(2026, 3, 25))])
    # 16-18 and 17-25 together: 16, 17, 18, 19, 20 (23-25 are days off) = 5 working days
    assert time.absent_working_days == 5 and time.hours == 13 * 8


def test_load_and_compliance_by_hand():
    """Aigerim's March (module docstring): 68 h / 120 h = 56.7 %, 48 / 54 = 88.9 %."""
    time = wl.working_time(calendar_for("KZ"), *MARCH, Fraction(8),
                           [(dt.date(2026, 3, 16), dt.date(2026, 3, 18))])
    load = wl.Workload("P-1", time, [wl.WorkDone("A1", "", 90, 20, 18),
                                     wl.WorkDone("A2", "", 120, 10, 10),
                                     wl.WorkDone("A3", "", 45, 24, 20)])
    assert load.normative_minutes == 4080 and load.normative_hours == 68
    assert time.hours == 120
    assert load.load == Fraction(68, 120) and wl.percent(load.load) == wl.rounded(Fraction(567, 10), 1)
    assert str(wl.percent(load.load)) == "56.7"
    assert load.compliance == Fraction(48, 54) and str(wl.percent(load.compliance)) == "88.9"


def test_staff_number_by_hand():
    """(68 + 60) h over one staff unit's 18 x 8 = 144 h: 0.89 staff units."""
    one = wl.working_time(calendar_for("KZ"), *MARCH, Fraction(8))
    staff = wl.staff_number(4080 + 3600, one)
    assert staff == Fraction(128, 144) and str(wl.rounded(staff, 2)) == "0.89"


def test_a_period_without_working_days_has_no_load():
    """1-8 January 2026 in Kazakhstan: New Year (1-2), weekends, Christmas (7) - 2 working
    days (5, 6 and 8 January are working days: 3). An absence over all of them leaves no
    working time: the load is undefined, not a division by zero."""
    cal = calendar_for("KZ")
    start, end = dt.date(2026, 1, 1), dt.date(2026, 1, 8)
    time = wl.working_time(cal, start, end, Fraction(8), [(start, end)])
    assert time.hours == 0
    assert wl.Workload("x", time, [wl.WorkDone("A", "", 60, 1, 1)]).load is None


def test_prosecutor_regime_answers_with_its_act_and_other_regimes_do_not():
    regime = registry.get("prosecutor_2022")
    (answer,) = regime.hook.work_standards(ctx=regime.context({}))
    assert answer.act == "prosecutor_work_standards_2015" and answer.hours_per_day == 8
    assert answer.hours_source == "default" and "№ 159" in answer.citation["ru"]
    assert answer.rules["load"].cite("en") == "prosecutor_work_standards_2015, p.3"
    (answer,) = regime.hook.work_standards(ctx=regime.context({"working_day_hours": 7.5}))
    assert answer.hours_per_day == Fraction(15, 2) and answer.hours_source == "setting"
    r = registry.get("civil_service_2013")
    assert [a for a in r.hook.work_standards(ctx=r.context({})) if a] == []
    with pytest.raises(InputError):
        regime.context({"working_day_hours": 0})


# --- the services ------------------------------------------------------------------------------

def test_workload_report_matches_the_hand_computation(app, tmp_path):
    """The module docstring's case through import, approval, records and the report, with
    every figure explained in ru, kk and en citing order No. 159."""
    prosecutors()
    with services.tenant("pros", "hr") as t:
        scheme = march_scheme(t, tmp_path / "scheme.xlsx")
        assert (scheme.version, scheme.status, scheme.in_force_from) == (1, "approved", dt.date(2026, 3, 1))
        record_march(t)
    with services.tenant("pros", "viewer") as t:
        report = ws.workload_report(t, "P-1", *MARCH)
        data = report.to_json()
        assert (data["calendar_working_days"], data["absent_working_days"], data["working_days"]) == (18, 3, 15)
        assert data["working_hours"] == "120" and data["normative_minutes"] == 4080
        assert data["normative_hours"] == "68" and data["load_percent"] == "56.7"
        assert (data["results"], data["results_met"], data["compliance_percent"]) == (54, 48, "88.9")
        rules = [f["rule"] for f in data["findings"]]
        assert rules == ["prosecutor_work_standards_2015.p3.working_time",
                         "prosecutor_work_standards_2015.p5.normative_time",
                         "prosecutor_work_standards_2015.p3.load",
                         "prosecutor_work_standards_2015.p4.compliance"]
        messages = {f["rule"].rsplit(".", 1)[1]: f["message"] for f in data["findings"]}
        assert "20×90 + 10×120 + 24×45 = 4080 min = 68 h" in messages["normative_time"]["en"]
        assert "(18 working days of the calendar − 3 days absent) × 8 h = 15 × 8 = 120 h" in messages["working_time"]["en"]
        assert "68 ч / 120 ч = 56.7%" in messages["load"]["ru"]
        assert "54 нәтиженің 48 сәйкес келеді = 88.9%" in messages["compliance"]["kk"]
        staff = ws.staff_number_report(t, "Appeals unit", *MARCH).to_json()
        assert (staff["normative_hours"], staff["one_employee_hours"], staff["staff_number"]) == ("128", "144", "0.89")
        assert staff["people"] == ["P-1", "P-2"]
        assert "128 h / 144 h (18 working days × 8 h) = 0.89 staff units" in staff["findings"][0]["message"]["en"]


def test_the_working_day_setting_changes_working_time(app, tmp_path):
    """With working_day_hours 7.5: Aigerim's working time is 15 x 7.5 = 112.5 h and the
    load 68 / 112.5 = 60.4 %."""
    prosecutors()
    services.update_tenant("pros", "admin", settings={"working_day_hours": 7.5})
    with services.tenant("pros", "hr") as t:
        march_scheme(t, tmp_path / "s.xlsx")
        record_march(t)
        data = ws.workload_report(t, "P-1", *MARCH).to_json()
    assert (data["working_hours"], data["hours_per_day_source"], data["load_percent"]) == ("112.5", "setting", "60.4")


def test_records_straddling_the_period_are_excluded_not_prorated(app, tmp_path):
    prosecutors()
    with services.tenant("pros", "hr") as t:
        march_scheme(t, tmp_path / "s.xlsx")
        ws.record_work(t, "P-1", "A1", "2026-03-01", "2026-03-15", 4)
        ws.record_work(t, "P-1", "A1", "2026-03-10", "2026-03-20", 6)
        data = ws.workload_report(t, "P-1", "2026-03-01", "2026-03-15").to_json()
    assert data["normative_minutes"] == 4 * 90
    assert [r["count"] for r in data["excluded_records"]] == [6]


def test_import_rejects_the_whole_file_with_lines_and_cells(app, tmp_path):
    prosecutors()
    bad = [HEADER,
           ["Appeals", "A1", "Review", 90, "Reviewed"],
           ["Appeals", "A1", "Again A1", 30, "x"],           # line 3: duplicate code
           ["Appeals", "A4", "Half a minute", 12.5, "x"],     # line 4: not whole minutes
           [None, None, None, None, None],                    # line 5: empty, skipped
           ["Appeals", "A5", "No requirement", 10, None],     # line 6: E6 empty
           ["Appeals", "A6", "Negative", -5, "x"]]            # line 7
    with services.tenant("pros", "hr") as t:
        with pytest.raises(ws.SchemeRejected) as caught:
            ws.import_scheme(t, xlsx(tmp_path / "bad.xlsx", bad), "assistant prosecutor", "appeals")
    assert [(e[0], e[1], e[2]) for e in caught.value.errors] == [
        (3, "B3", "action_code"), (4, "D4", "time_norm_minutes"), (6, "E6", "result_requirement"),
        (7, "D7", "time_norm_minutes")]
    assert "line 2" in caught.value.errors[0][3]
    with services.tenant("pros", "hr") as t:
        assert ws.list_schemes(t) == []
        with pytest.raises(ws.SchemeRejected) as caught:
            ws.import_scheme(t, [["work_type", "code", "action"]], "p", "d")
        assert ("B1", "code") in [(e[1], e[2]) for e in caught.value.errors]
        assert "time_norm_minutes" in [e[2] for e in caught.value.errors]
        with pytest.raises(InputError) as caught:
            ws.import_scheme(t, tmp_path / "scheme.txt", "p", "d")
        assert caught.value.field == "file"


def test_import_reads_csv_and_keeps_types_in_order(app, tmp_path):
    prosecutors()
    path = tmp_path / "scheme.csv"
    path.write_text("work_type;action_code;action;time_norm_minutes;result_requirement\n"
                    "Проверка;B1;Изучение материалов;60;Изучены полностью\n"
                    "Акт;B2;Составление акта;30,0;Мотивирован\n"
                    "Проверка;B3;Беседа;15;Оформлена справкой\n", encoding="utf-8")
    with services.tenant("pros", "hr") as t:
        scheme = ws.import_scheme(t, path, "prosecutor", "inspections")
        assert scheme.status == "draft" and scheme.source == "scheme.csv"
        groups = [(wt.title, [a.code for a in acts]) for wt, acts in ws.types_and_actions(scheme)]
    assert groups == [("Проверка", ["B1", "B3"]), ("Акт", ["B2"])]


def test_versions_supersede_from_their_date_and_records_keep_their_action(app, tmp_path):
    """Version 1 from 1 March; version 2 (A1 now 60 min) from 1 April. March work stays on
    version 1's action (90 min), April work goes to version 2's."""
    prosecutors()
    with services.tenant("pros", "hr") as t:
        v1 = march_scheme(t, tmp_path / "v1.xlsx")
        ws.record_work(t, "P-1", "A1", *MARCH, 2)
        rows = [HEADER, ["Appeals", "A1", "Review a citizen's appeal", 60, "Reviewed"]]
        v2 = ws.import_scheme(t, xlsx(tmp_path / "v2.xlsx", rows), "assistant prosecutor",
                              "supervision of appeals")
        assert v2.version == 2 and v2.status == "draft"
        with pytest.raises(InputError) as caught:  # a draft is not in force
            ws.record_work(t, "P-1", "A1", "2026-04-01", "2026-04-30", 1, scheme=v2.id)
        assert caught.value.field == "action"
        with pytest.raises(InputError) as caught:  # March work of version 1 reaches 31 March
            ws.approve_scheme(t, v2.id, "Head", "2026-03-20", "2026-03-15")
        assert caught.value.field == "in_force_from"
        ws.approve_scheme(t, v2.id, "Head", "2026-03-25", "2026-04-01")
        assert ws.term_of(v1) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
        assert ws.term_of(v2) == (dt.date(2026, 4, 1), None)
        with pytest.raises(InputError, match="already approved"):
            ws.approve_scheme(t, v1.id, "Head", "2026-05-01")
        april = ws.record_work(t, "P-1", "A1", "2026-04-01", "2026-04-30", 3)
        with pytest.raises(InputError) as caught:  # across the change of versions
            ws.record_work(t, "P-1", "A1", "2026-03-20", "2026-04-10", 1)
        assert "split the record" in str(caught.value)
    with services.tenant("pros", "viewer") as t:
        rows = ws.list_records(t, "P-1")
        assert [(r.scheme.version, r.action.time_norm_minutes, r.record.count) for r in rows] == [
            (1, 90, 2), (2, 60, 3)]
        assert db.session.get(WorkAction, {"tenant_id": t.tenant.id, "id": april.action_id}).scheme_id == v2.id
        march = ws.workload_report(t, "P-1", *MARCH).to_json()
        assert march["normative_minutes"] == 180


def test_bad_records_are_refused_and_nothing_is_written(app, tmp_path):
    prosecutors()
    with services.tenant("pros", "hr") as t:
        march_scheme(t, tmp_path / "s.xlsx")
    cases = [(dict(person="P-9"), "person"), (dict(action="ZZ"), "action"),
             (dict(count=0), "count"), (dict(count="many"), "count"),
             (dict(results_met=21), "results_met"), (dict(end="2026-02-01"), "to"),
             (dict(start="2026-02-01"), "from")]
    for change, field in cases:
        args = dict(person="P-1", action="A1", start="2026-03-01", end="2026-03-31", count=20,
                    results_met=None)
        args.update(change)
        with pytest.raises(InputError) as caught:
            with services.tenant("pros", "hr") as t:
                ws.record_work(t, **args)
        assert caught.value.field == field, change
    with services.tenant("pros", "hr") as t:
        assert ws.list_records(t) == []


def test_schemes_are_audited(app, tmp_path):
    prosecutors()
    with services.tenant("pros", "hr:aigerim") as t:
        scheme = march_scheme(t, tmp_path / "s.xlsx")
        ws.record_work(t, "P-1", "A1", *MARCH, 1)
    with services.tenant("pros", "viewer") as t:
        entries = db.session.scalars(sa.select(AuditEntry).where(
            AuditEntry.entity.in_(["work_scheme", "work_action", "work_record"]))).all()
        assert {(e.entity, e.actor) for e in entries} == {
            ("work_scheme", "hr:aigerim"), ("work_action", "hr:aigerim"), ("work_record", "hr:aigerim")}
        approvals = [e for e in entries if e.entity == "work_scheme" and e.action == "update"]
        assert approvals and approvals[0].after["approved_by"] == "Head of the appeals department"
        assert approvals[0].entity_id == str(scheme.id)


def test_tenants_without_work_standards_are_refused(app, tmp_path):
    services.create_tenant("cs", "Civil service body", "civil_service_2013", actor="admin")
    with services.tenant("cs", "hr") as t:
        assert not ws.has_work_standards(t)
        for call in (lambda: ws.list_schemes(t),
                     lambda: ws.import_scheme(t, [HEADER, *ROWS], "p", "d"),
                     lambda: ws.workload_report(t, "X", *MARCH)):
            with pytest.raises(ws.NoWorkStandards) as caught:
                call()
            assert caught.value.field == "regime" and "civil_service_2013" in str(caught.value)


def test_tenants_do_not_see_each_others_schemes_or_records(app, tmp_path):
    prosecutors("aa")
    prosecutors("bb")
    with services.tenant("aa", "hr") as t:
        scheme_id = march_scheme(t, tmp_path / "s.xlsx").id
        record_id = ws.record_work(t, "P-1", "A1", *MARCH, 20).id
    with services.tenant("bb", "hr") as t:
        assert ws.list_schemes(t) == [] and ws.list_records(t) == []
        with pytest.raises(NotFound):
            ws.find_scheme(t, scheme_id)
        with pytest.raises(NotFound):  # A's action code is not in B's schemes
            ws.record_work(t, "P-1", "A1", *MARCH, 1)
        with pytest.raises(NotFound):
            ws.delete_record(t, record_id)
        assert ws.workload_report(t, "P-1", *MARCH).workload.normative_minutes == 0
    with services.tenant("aa", "hr") as t:
        assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkRecord)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkScheme)) == 1
    if db.engine.dialect.name == "postgresql":  # row-level security, even for raw SQL
        with services.tenant("bb", "hr"):
            for table in ("work_scheme", "work_type", "work_action", "work_record"):
                assert db.session.execute(sa.text(f"select count(*) from {table}")).scalar() == 0


def test_evaluation_view_shows_workload_beside_the_two_assessments(app, tmp_path):
    """Stage 3 (p.6(3), p.11): the mentee's workload over the mentorship beside the mentor's
    and the direct manager's assessments. The mentorship of P-1 starts on 2 March 2026; as
    of 31 March the period is 2-31 March: 18 working days (1 March is a Sunday) less 3 days
    absent = 15 x 8 = 120 h, the same 68 h of work: 56.7 %."""
    prosecutors()
    with services.tenant("pros", "hr") as t:
        services.add_person(t, number="M-1", full_name="Mentor", attributes={
            "prosecution_service_start": "2010-01-01", "position_level": "district_prosecutor"})
        services.add_person(t, number="H-1", full_name="Head of unit")
        services.save_person(t, {"number": "P-1", "full_name": "Aigerim", "unit": "Appeals unit",
                                 "position": "assistant prosecutor", "manager": "H-1",
                                 "attributes": {"entry_route": "competition", "first_entry": True},
                                 "valid_from": "2026-03-01"})  # as recorded from 1 March
        services.assign_mentor(t, "P-1", "M-1", dt.date(2026, 3, 2), order_number="15",
                               order_date=dt.date(2026, 3, 2))
        march_scheme(t, tmp_path / "s.xlsx")
        # her work since she joined on 2 March; a record from 1 March would straddle the
        # mentorship's start and be listed as excluded, not counted
        ws.record_work(t, "P-1", "A1", "2026-03-02", "2026-03-31", 20, 18)
        ws.record_work(t, "P-1", "A2", "2026-03-02", "2026-03-31", 10)
        ws.record_work(t, "P-1", "A3", "2026-03-02", "2026-03-31", 24, 20)
        ws.record_assessment(t, "P-1", "mentor", "2026-03-31", training_level="good",
                             conclusion="Ready for independent work")
    with services.tenant("pros", "viewer") as t:
        view = ws.evaluation_view(t, "P-1", as_of="2026-03-31").to_json()
    assert view["stage"] == 3 and view["rule"] == "prosecutor_2022.p11.evaluation"
    assert (view["mentor"], view["manager"]) == ("M-1", "H-1")
    assert view["workload"]["from"] == "2026-03-02" and view["workload"]["working_hours"] == "120"
    assert view["workload"]["load_percent"] == "56.7"
    assert view["assessments"]["mentor"]["assessor"] == "M-1"
    assert view["assessments"]["mentor"]["conclusion"] == "Ready for independent work"
    assert view["assessments"]["manager"] is None
    with services.tenant("pros", "hr") as t:
        with pytest.raises(InputError) as caught:
            ws.record_assessment(t, "P-1", "colleague", "2026-03-31", conclusion="x")
        assert caught.value.field == "role"
        with pytest.raises(InputError) as caught:
            ws.record_assessment(t, "P-1", "manager", "2026-03-31")
        assert caught.value.field == "conclusion"
        ws.record_assessment(t, "P-1", "manager", "2026-04-01", conclusion="Agreed")
        view = ws.evaluation_view(t, "P-1", as_of="2026-04-01").to_json()
    assert view["assessments"]["manager"]["assessor"] == "H-1"


def test_the_demo_prosecutors_show_real_figures(app):
    """The demo's prosecutor mentee who finished her year has work recorded month by month
    and both stage-3 assessments; her load and compliance are real figures."""
    from nastavnik import demo

    as_of = dt.date(2026, 11, 23)
    demo.load(as_of)
    with services.tenant("demo-prosecutors", "viewer") as t:
        (scheme,) = ws.list_schemes(t)
        assert scheme.status == "approved" and scheme.hr_coordinated_by
        view = ws.evaluation_view(t, "AP-028", as_of).to_json()
        assert view["assessments"]["mentor"] and view["assessments"]["manager"]
        load = view["workload"]
        assert load["normative_minutes"] > 0 and float(load["load_percent"]) > 0
        assert 0 < float(load["compliance_percent"]) <= 100
        # every figure is the hand formula over the recorded rows
        assert load["normative_minutes"] == sum(r["count"] * r["time_norm_minutes"]
                                                for r in load["records"])
