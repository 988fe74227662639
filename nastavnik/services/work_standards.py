"""Work standards: technological schemes, work recorded against them, workload and staff
number, and the stage-3 evaluation view of a mentorship.

Only for tenants whose regime answers the ``work_standards`` hook (prosecutor_2022: order
No. 159 of 26.12.2015); any other tenant is refused with ``NoWorkStandards``.

Versions: importing a scheme for a position and direction makes a new draft version; an
approved version (p.6: approved by the head of the structural unit, p.8: coordinated with
the HR department) is in force from its date until the next approved version's date. An
approved version is never edited. A work record points at the action it was recorded
against, and its period must lie within that action's version's term.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from ..core import workload as wl
from ..core.errors import InputError, NotFound, RegimeError
from ..core.i18n import LANGUAGES, Text
from ..core.validation import optional_date
from ..storage.models import (Absence, Assignment, MenteeAssessment, Mentorship, Person,
                              WorkAction, WorkRecord, WorkScheme, WorkType, db)
from . import spreadsheet
from .mentorships import find_mentorship, papers_of
from .people import find_person
from .unit import TenantWork, regime_of

ONE_DAY = dt.timedelta(days=1)
COLUMNS = ("work_type", "action_code", "action", "time_norm_minutes", "result_requirement")
ASSESSMENT_FIELDS = ("training_level", "work_efficiency", "legal_culture", "ability", "conclusion")
ASSESSOR_ROLES = ("mentor", "manager")


class NoWorkStandards(InputError):
    """The tenant's regime keeps no work standards."""


class SchemeRejected(InputError):
    """The scheme file has errors; nothing was written. ``errors``: (line, cell, field,
    message), the line as the spreadsheet shows it (the header is line 1)."""

    def __init__(self, errors: list[tuple[int, str, str, str]], total: int | None = None):
        self.errors = sorted(errors, key=lambda e: (e[0], e[1]))
        self.total = max(total or 0, len(errors))
        super().__init__(f"{self.total} error(s) in the file; nothing was imported", field="file")


def standards(work: TenantWork) -> wl.WorkStandards:
    """The tenant's regime's work standards, or ``NoWorkStandards``."""
    answers = [a for a in work.regime.hook.work_standards(ctx=work.rules().ctx) if a is not None]
    if not answers:
        title = work.regime.info.title.get("en", work.regime.id)
        raise NoWorkStandards(f"the regime of this tenant ({work.regime.id}: {title}) keeps no "
                              "work standards", field="regime")
    if len(answers) > 1:
        raise RegimeError(f"regime {work.regime.id}: {len(answers)} plugins answer work_standards")
    return answers[0]


def regime_keeps_work_standards(tenant) -> bool:
    """Whether the tenant's regime implements the hook at all: cheap, for menus and page
    sections."""
    return bool(regime_of(tenant).hook.work_standards.get_hookimpls())


def has_work_standards(work: TenantWork) -> bool:
    try:
        standards(work)
    except NoWorkStandards:
        return False
    return True


# --- schemes ------------------------------------------------------------------------------

def _uuid(ref, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(ref).strip())
    except ValueError:
        raise NotFound(f"{ref!r} is not an id", field=field) from None


def find_scheme(work: TenantWork, ref) -> WorkScheme:
    standards(work)
    scheme = db.session.get(WorkScheme, {"tenant_id": work.tenant.id, "id": _uuid(ref, "scheme")})
    if scheme is None:
        raise NotFound(f"no scheme {ref}", field="scheme")
    return scheme


def list_schemes(work: TenantWork) -> list[WorkScheme]:
    standards(work)
    return list(db.session.scalars(sa.select(WorkScheme).order_by(
        WorkScheme.position, WorkScheme.direction, WorkScheme.version)))


def _versions(position: str, direction: str) -> list[WorkScheme]:
    return list(db.session.scalars(sa.select(WorkScheme).where(
        WorkScheme.position == position, WorkScheme.direction == direction)
        .order_by(WorkScheme.version)))


def term_of(scheme: WorkScheme) -> tuple[dt.date | None, dt.date | None]:
    """The days an approved version is in force: from its date until the day before the
    next approved version's date (None: open-ended). A draft is never in force."""
    if scheme.status != "approved":
        return None, None
    later = [s.in_force_from for s in _versions(scheme.position, scheme.direction)
             if s.status == "approved" and s.in_force_from > scheme.in_force_from]
    return scheme.in_force_from, (min(later) - ONE_DAY if later else None)


def types_and_actions(scheme: WorkScheme) -> list[tuple[WorkType, list[WorkAction]]]:
    types = list(db.session.scalars(sa.select(WorkType).where(WorkType.scheme_id == scheme.id)
                                    .order_by(WorkType.position)))
    actions = list(db.session.scalars(sa.select(WorkAction).where(WorkAction.scheme_id == scheme.id)
                                      .order_by(WorkAction.position)))
    return [(t, [a for a in actions if a.work_type_id == t.id]) for t in types]


def approval_finding(work: TenantWork, scheme: WorkScheme):
    """How far the version is approved and coordinated (p.6, p.8), as a finding."""
    if scheme.status != "approved":
        state = Text("проект, не утвержден", "жоба, бекітілмеген", "a draft, not approved")
    else:
        date = {lang: wl_date(scheme.approved_on, lang) for lang in LANGUAGES}
        since = {lang: wl_date(scheme.in_force_from, lang) for lang in LANGUAGES}
        hr = ({lang: f"{scheme.hr_coordinated_by}, {wl_date(scheme.hr_coordinated_on, lang)}"
               if scheme.hr_coordinated_on else scheme.hr_coordinated_by for lang in LANGUAGES}
              if scheme.hr_coordinated_by else None)
        state = Text(
            f"утверждена {scheme.approved_by} {date['ru']}, действует с {since['ru']}; "
            + (f"согласована с кадровой службой ({hr['ru']})" if hr
               else "согласование с кадровой службой не отмечено"),
            f"{scheme.approved_by} {date['kk']} бекіткен, {since['kk']} бастап қолданылады; "
            + (f"кадр қызметімен келісілген ({hr['kk']})" if hr
               else "кадр қызметімен келісу белгіленбеген"),
            f"approved by {scheme.approved_by} on {date['en']}, in force from {since['en']}; "
            + (f"coordinated with HR ({hr['en']})" if hr else "coordination with HR not recorded"))
    return standards(work).finding("approval", str(scheme.id), position=scheme.position,
                                   direction=scheme.direction, version=scheme.version, state=state)


def wl_date(value: dt.date | None, lang: str) -> str:
    from ..core.i18n import format_date

    return format_date(value, lang) if value else "-"


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def _minutes(value) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        number = float(str(value).strip().replace(",", "."))
    if not number.is_integer() or number <= 0:
        raise ValueError
    return int(number)


def read_scheme(rows) -> list[dict]:
    """The actions of a scheme file (header first), checked whole. Raises
    ``SchemeRejected`` listing every error with its line and cell."""
    from openpyxl.utils import get_column_letter

    if not rows or not any(c not in (None, "") for c in rows[0]):
        raise SchemeRejected([(1, "A1", "header", "the first line must name the columns: "
                               + ", ".join(COLUMNS))])
    header = [(_cell_text(c) or "").casefold() for c in rows[0]]
    errors, where = [], {}
    for i, name in enumerate(header):
        cell = f"{get_column_letter(i + 1)}1"
        if not name:
            continue
        if name not in COLUMNS:
            errors.append((1, cell, name, f"unknown column {name!r}; the columns are "
                           + ", ".join(COLUMNS)))
        elif name in where:
            errors.append((1, cell, name, "the column appears twice"))
        else:
            where[name] = i
    for name in COLUMNS:
        if name not in where:
            errors.append((1, "A1", name, f"the column {name!r} is missing"))
    if errors:
        raise SchemeRejected(errors)
    actions, codes = [], {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(_cell_text(c) for c in row):
            continue  # an empty line between groups
        values = {}
        for name in COLUMNS:
            i = where[name]
            cell = f"{get_column_letter(i + 1)}{n}"
            raw = row[i] if i < len(row) else None
            text = _cell_text(raw)
            if text is None:
                errors.append((n, cell, name, "empty; every action needs a value here"))
                continue
            if name == "time_norm_minutes":
                try:
                    values[name] = _minutes(raw)
                except ValueError:
                    errors.append((n, cell, name, f"{text!r} is not a time norm in whole "
                                   "minutes greater than 0"))
                continue
            limit = {"action_code": 63, "work_type": 500, "action": 500}.get(name)
            if limit and len(text) > limit:
                errors.append((n, cell, name, f"longer than {limit} characters"))
                continue
            if name == "action_code":
                if text in codes:
                    errors.append((n, cell, name, f"the code {text!r} is already used on "
                                   f"line {codes[text]}"))
                    continue
                codes[text] = n
            values[name] = text
        if len(values) == len(COLUMNS):
            actions.append({**values, "line": n})
    if not actions and not errors:
        errors.append((2, "A2", "action", "the file lists no actions"))
    if errors:
        raise SchemeRejected(errors)
    return actions


def read_rows(path) -> list[list]:
    """The rows of a scheme file (.xlsx or .csv), read within the bounds every imported
    file is (``spreadsheet``); the lines that cannot be read raise ``SchemeRejected``."""
    try:
        return spreadsheet.read_rows(path)
    except spreadsheet.FileRejected as exc:
        raise SchemeRejected([(line, cell or "", field, message) for (line, field, message), cell
                              in zip(exc.errors, exc.cells)], exc.total) from None


def _required(value, field: str, limit: int = 255) -> str:
    text = str(value or "").strip()
    if not text:
        raise InputError("required", field=field)
    if len(text) > limit:
        raise InputError(f"longer than {limit} characters", field=field)
    return text


def import_scheme(work: TenantWork, rows_or_path, position: str, direction: str,
                  source: str | None = None, **approval) -> WorkScheme:
    """A new version of the scheme of ``position`` in ``direction`` from a file (a path
    to .xlsx or .csv, or its rows): a draft, or approved at once if ``approval`` gives
    ``approved_by``, ``approved_on``, ``in_force_from`` (see ``approve_scheme``)."""
    standards(work)
    position, direction = _required(position, "position"), _required(direction, "direction")
    if isinstance(rows_or_path, (str, Path)):
        source = source or Path(rows_or_path).name
        rows = read_rows(rows_or_path)
    else:
        rows = rows_or_path
    actions = read_scheme(rows)
    versions = _versions(position, direction)
    scheme = WorkScheme(id=uuid.uuid4(), tenant_id=work.tenant.id, position=position,
                        direction=direction, version=max((s.version for s in versions), default=0) + 1,
                        status="draft", source=(source or None) and str(source)[:255])
    db.session.add(scheme)
    types: dict[str, WorkType] = {}
    for a in actions:
        if a["work_type"] not in types:
            types[a["work_type"]] = WorkType(id=uuid.uuid4(), tenant_id=work.tenant.id,
                                             scheme_id=scheme.id, position=len(types) + 1,
                                             title=a["work_type"])
    db.session.add_all(types.values())
    # no ORM relationships between these models: flush parents before their children
    db.session.flush()
    for i, a in enumerate(actions, start=1):
        wtype = types[a["work_type"]]
        db.session.add(WorkAction(id=uuid.uuid4(), tenant_id=work.tenant.id, scheme_id=scheme.id,
                                  work_type_id=wtype.id, position=i, code=a["action_code"],
                                  title=a["action"], time_norm_minutes=a["time_norm_minutes"],
                                  result_requirement=a["result_requirement"]))
    db.session.flush()
    if approval.get("approved_by") or approval.get("approved_on") or approval.get("in_force_from"):
        approve_scheme(work, scheme.id, **approval)
    return scheme


def approve_scheme(work: TenantWork, ref, approved_by, approved_on, in_force_from=None,
                   hr_coordinated_by=None, hr_coordinated_on=None) -> WorkScheme:
    """Approve a draft version (p.6) from ``in_force_from`` (default: the day of approval);
    it supersedes the earlier approved versions from that day. Work recorded against an
    earlier version on or after that day is refused: it would fall outside its version."""
    scheme = find_scheme(work, ref)
    if scheme.status != "draft":
        raise InputError(f"version {scheme.version} is already approved; import a new version "
                         "to change it", field="scheme")
    approved_by = _required(approved_by, "approved_by")
    approved_on = optional_date(approved_on, "approved_on")
    if approved_on is None:
        raise InputError("required", field="approved_on")
    in_force_from = optional_date(in_force_from, "in_force_from") or approved_on
    hr_on = optional_date(hr_coordinated_on, "hr_coordinated_on")
    hr_by = str(hr_coordinated_by or "").strip() or None
    if hr_on and not hr_by:
        raise InputError("say who coordinated it (the HR department, p.8)", field="hr_coordinated_by")
    if hr_by and hr_on is None:
        hr_on = approved_on
    approved = [s for s in _versions(scheme.position, scheme.direction)
                if s.status == "approved"]
    latest = max((s.in_force_from for s in approved), default=None)
    if latest is not None and in_force_from <= latest:
        raise InputError(f"must be later than {latest}, when the version in force began",
                         field="in_force_from")
    if approved:
        late = db.session.scalar(
            sa.select(sa.func.count()).select_from(WorkRecord)
            .join(WorkAction, sa.and_(WorkAction.tenant_id == WorkRecord.tenant_id,
                                      WorkAction.id == WorkRecord.action_id))
            .where(WorkAction.scheme_id.in_([s.id for s in approved]),
                   WorkRecord.period_end >= in_force_from))
        if late:
            raise InputError(f"{late} work record(s) against the earlier version reach "
                             f"{in_force_from} or later; approve from a later date",
                             field="in_force_from")
    scheme.status, scheme.approved_by, scheme.approved_on = "approved", approved_by, approved_on
    scheme.in_force_from, scheme.hr_coordinated_by, scheme.hr_coordinated_on = (
        in_force_from, hr_by, hr_on)
    db.session.flush()
    return scheme


# --- work recorded ---------------------------------------------------------------------------

def _period(start, end) -> tuple[dt.date, dt.date]:
    start, end = optional_date(start, "from"), optional_date(end, "to")
    if start is None:
        raise InputError("required", field="from")
    if end is None:
        raise InputError("required", field="to")
    if end < start:
        raise InputError("ends before it starts", field="to")
    return start, end


def _count(value, field: str, minimum: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise InputError(f"{value!r} is not a whole number", field=field) from None
    if number < minimum:
        raise InputError(f"must be at least {minimum}", field=field)
    return number


def record_work(work: TenantWork, person: str, action: str, start, end, count,
                results_met=None, note: str = "", scheme=None) -> WorkRecord:
    """``person`` did ``action`` (its code) ``count`` times from ``start`` to ``end``;
    ``results_met`` of the results met the action's requirement (default: all). The
    action is looked up in the approved versions in force over the whole period (in
    ``scheme``, a version's id, if the code is in several schemes)."""
    standards(work)
    start, end = _period(start, end)
    count = _count(count, "count", 1)
    met = count if results_met in (None, "") else _count(results_met, "results_met", 0)
    if met > count:
        raise InputError(f"more than the count ({count})", field="results_met")
    row = find_person(work, person)
    code = _required(action, "action", 63)
    q = (sa.select(WorkAction, WorkScheme)
         .join(WorkScheme, sa.and_(WorkScheme.tenant_id == WorkAction.tenant_id,
                                   WorkScheme.id == WorkAction.scheme_id))
         .where(WorkAction.code == code, WorkScheme.status == "approved"))
    if scheme not in (None, ""):
        q = q.where(WorkScheme.id == _uuid(scheme, "scheme"))
    candidates = list(db.session.execute(q))
    if not candidates:
        raise NotFound(f"no action {code!r} in an approved scheme", field="action")
    fitting = []
    for a, s in candidates:
        since, until = term_of(s)
        if since <= start and (until is None or end <= until):
            fitting.append((a, s))
    if not fitting:
        terms = "; ".join(f"{s.position} / {s.direction} v{s.version}: {term_of(s)[0]} – "
                          f"{term_of(s)[1] or '…'}" for _, s in candidates)
        raise InputError(f"the period {start} – {end} is not within the term of one version "
                         f"that has action {code!r} ({terms}); split the record", field="from")
    if len(fitting) > 1:
        raise InputError(f"action {code!r} is in {len(fitting)} schemes in force; name the "
                         "scheme", field="scheme")
    record = WorkRecord(id=uuid.uuid4(), tenant_id=work.tenant.id, person_id=row.id,
                        action_id=fitting[0][0].id, period_start=start, period_end=end,
                        count=count, results_met=met, note=str(note or "")[:500])
    db.session.add(record)
    db.session.flush()
    return record


def delete_record(work: TenantWork, ref) -> None:
    standards(work)
    record = db.session.get(WorkRecord, {"tenant_id": work.tenant.id, "id": _uuid(ref, "record")})
    if record is None:
        raise NotFound(f"no work record {ref}", field="record")
    db.session.delete(record)
    db.session.flush()


@dataclass
class RecordRow:
    record: WorkRecord
    person: Person
    action: WorkAction
    scheme: WorkScheme

    def to_json(self):
        r = self.record
        return {"id": str(r.id), "person": self.person.number, "full_name": self.person.full_name,
                "action": self.action.code, "action_title": self.action.title,
                "time_norm_minutes": self.action.time_norm_minutes,
                "scheme": str(self.scheme.id), "scheme_version": self.scheme.version,
                "from": r.period_start.isoformat(), "to": r.period_end.isoformat(),
                "count": r.count, "results_met": r.results_met, "note": r.note}


def list_records(work: TenantWork, person: str | None = None, start=None, end=None,
                 limit: int | None = None, offset: int = 0) -> list[RecordRow]:
    """Records overlapping [start, end] (either may be open), of one person or all; a page
    of them with ``limit`` and ``offset``."""
    standards(work)
    start, end = optional_date(start, "from"), optional_date(end, "to")
    q = (sa.select(WorkRecord, Person, WorkAction, WorkScheme)
         .join(Person, sa.and_(Person.tenant_id == WorkRecord.tenant_id,
                               Person.id == WorkRecord.person_id))
         .join(WorkAction, sa.and_(WorkAction.tenant_id == WorkRecord.tenant_id,
                                   WorkAction.id == WorkRecord.action_id))
         .join(WorkScheme, sa.and_(WorkScheme.tenant_id == WorkAction.tenant_id,
                                   WorkScheme.id == WorkAction.scheme_id))
         .order_by(WorkRecord.period_start, Person.number, WorkAction.position))
    if person:
        q = q.where(WorkRecord.person_id == find_person(work, person).id)
    if start:
        q = q.where(WorkRecord.period_end >= start)
    if end:
        q = q.where(WorkRecord.period_start <= end)
    if limit is not None:
        q = q.limit(limit).offset(offset)
    return [RecordRow(*row) for row in db.session.execute(q)]


# --- workload --------------------------------------------------------------------------------

@dataclass
class WorkloadReport:
    """One person's workload in a period, with the findings that explain each figure."""

    person: Person
    standards: wl.WorkStandards
    workload: wl.Workload
    records: list  # RecordRow counted
    excluded: list  # RecordRow overlapping the period without lying within it
    findings: list = field(default_factory=list)

    @property
    def load_percent(self):
        return wl.percent(self.workload.load)

    @property
    def compliance_percent(self):
        return wl.percent(self.workload.compliance)

    def to_json(self):
        w, wt = self.workload, self.workload.working_time
        return {
            "person": self.person.number, "full_name": self.person.full_name,
            "from": wt.start.isoformat(), "to": wt.end.isoformat(),
            "act": self.standards.act, "citation": dict(self.standards.citation),
            "calendar_working_days": wt.calendar_working_days,
            "absent_working_days": wt.absent_working_days, "working_days": wt.working_days,
            "hours_per_day": wl.hours_text(wt.hours_per_day),
            "hours_per_day_source": self.standards.hours_source,
            "working_hours": wl.hours_text(wt.hours),
            "normative_minutes": w.normative_minutes,
            "normative_hours": wl.hours_text(w.normative_hours),
            "load_percent": None if w.load is None else str(self.load_percent),
            "results": w.results, "results_met": w.results_met,
            "compliance_percent": None if w.compliance is None else str(self.compliance_percent),
            "records": [r.to_json() for r in self.records],
            "excluded_records": [r.to_json() for r in self.excluded],
            "findings": [f.to_json() for f in self.findings],
        }


def _absences(person: Person) -> list[tuple[dt.date, dt.date]]:
    return [(a.start, a.end) for a in db.session.scalars(
        sa.select(Absence).where(Absence.person_id == person.id))]


def workload_report(work: TenantWork, person, start, end) -> WorkloadReport:
    """Normative hours of the work recorded in [start, end] against the person's working
    time (working days of the tenant's calendar, less recorded absences, x the hours of a
    working day), the load, and compliance with the result requirements. Records that
    straddle the period's edges are listed as excluded, not prorated."""
    ws = standards(work)
    row = person if isinstance(person, Person) else find_person(work, person)
    start, end = _period(start, end)
    calendar = work.rules().ctx.calendar
    time = wl.working_time(calendar, start, end, ws.hours_per_day, _absences(row))
    rows = list_records(work, row.number, start, end)
    inside = [r for r in rows if start <= r.record.period_start and r.record.period_end <= end]
    excluded = [r for r in rows if r not in inside]
    done = [wl.WorkDone(r.action.code, r.action.title, r.action.time_norm_minutes,
                        r.record.count, r.record.results_met) for r in inside]
    load = wl.Workload(str(row.id), time, done)
    who = f"{row.full_name} ({row.number})"
    return WorkloadReport(row, ws, load, inside, excluded, wl.workload_findings(ws, load, who))


@dataclass
class StaffNumberReport:
    unit: str
    position: str | None
    standards: wl.WorkStandards
    one_employee: wl.WorkingTime
    normative_minutes: int
    people: list  # Person
    staff_number: object  # Fraction | None
    finding: object

    def to_json(self):
        return {
            "unit": self.unit, "position": self.position,
            "from": self.one_employee.start.isoformat(), "to": self.one_employee.end.isoformat(),
            "working_days": self.one_employee.working_days,
            "hours_per_day": wl.hours_text(self.one_employee.hours_per_day),
            "one_employee_hours": wl.hours_text(self.one_employee.hours),
            "normative_minutes": self.normative_minutes,
            "normative_hours": wl.hours_text(wl.Fraction(self.normative_minutes, 60)),
            "staff_number": None if self.staff_number is None
            else str(wl.rounded(self.staff_number, 2)),
            "people": [p.number for p in self.people],
            "findings": [self.finding.to_json()],
        }


def staff_number_report(work: TenantWork, unit: str, start, end,
                        position: str | None = None) -> StaffNumberReport:
    """p.3: the staff units a unit's recorded work implies: its normative hours in the
    period over the working time of one full staff unit (calendar working days x hours;
    the absences of the people are not deducted: the staff unit is the measure)."""
    ws = standards(work)
    unit = _required(unit, "unit")
    start, end = _period(start, end)
    q = sa.select(Person).where(Person.unit == unit).order_by(Person.number)
    if position:
        q = q.where(Person.position == position)
    people = list(db.session.scalars(q))  # none: no work, 0 staff units (and 0 people said)
    ids = {p.id for p in people}
    minutes = sum(r.record.count * r.action.time_norm_minutes
                  for r in list_records(work, None, start, end)
                  if r.record.person_id in ids and start <= r.record.period_start
                  and r.record.period_end <= end)
    one = wl.working_time(work.rules().ctx.calendar, start, end, ws.hours_per_day)
    staff = wl.staff_number(minutes, one)
    label = unit + (f" / {position}" if position else "")
    finding = ws.finding("staff_number", label, unit=label,
                         normative_hours=wl.hours_text(wl.Fraction(minutes, 60)),
                         one_employee_hours=wl.hours_text(one.hours),
                         working_days=one.working_days, hours_per_day=wl.hours_text(one.hours_per_day),
                         staff_number="-" if staff is None else str(wl.rounded(staff, 2)),
                         people=len(people))
    return StaffNumberReport(unit, position, ws, one, minutes, people, staff, finding)


# --- stage 3 of a mentorship: the evaluation ------------------------------------------------

def record_assessment(work: TenantWork, mentorship, role: str, assessed_on, assessor=None,
                      **texts) -> MenteeAssessment:
    """The mentor's or the direct manager's assessment of the mentee (prosecutor_2022
    p.6(3), p.11): level of professional training, work efficiency, legal culture, ability
    to perform the duties, and a conclusion. One per role; recording again replaces it."""
    standards(work)
    if role not in ASSESSOR_ROLES:
        raise InputError(f"one of {', '.join(ASSESSOR_ROLES)}", field="role")
    unknown = set(texts) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise InputError("unknown field", field=sorted(unknown)[0])
    on = optional_date(assessed_on, "assessed_on")
    if on is None:
        raise InputError("required", field="assessed_on")
    m = find_mentorship(work, mentorship)
    if on < m.start:
        raise InputError(f"before the mentorship's start ({m.start})", field="assessed_on")
    clean = {k: str(texts.get(k) or "").strip() for k in ASSESSMENT_FIELDS}
    if not any(clean.values()):
        raise InputError("an assessment needs at least a conclusion", field="conclusion")
    assessor_row = find_person(work, assessor, field="assessor") if assessor else None
    if assessor_row is None:
        assessor_row = _default_assessor(m, role)
    row = db.session.scalar(sa.select(MenteeAssessment).where(
        MenteeAssessment.mentorship_id == m.id, MenteeAssessment.assessor_role == role))
    if row is None:
        row = MenteeAssessment(id=uuid.uuid4(), tenant_id=work.tenant.id, mentorship_id=m.id,
                               assessor_role=role)
        db.session.add(row)
    row.assessor_id = assessor_row.id if assessor_row else None
    row.assessed_on = on
    for key, value in clean.items():
        setattr(row, key, value)
    db.session.flush()
    return row


def _current_mentor(m: Mentorship) -> Person | None:
    a = db.session.scalar(sa.select(Assignment).where(Assignment.mentorship_id == m.id)
                          .order_by(Assignment.start.desc()).limit(1))
    return db.session.get(Person, {"tenant_id": m.tenant_id, "id": a.mentor_id}) if a else None


def _default_assessor(m: Mentorship, role: str) -> Person | None:
    if role == "mentor":
        return _current_mentor(m)
    mentee = db.session.get(Person, {"tenant_id": m.tenant_id, "id": m.mentee_id})
    if mentee.manager_id is None:
        return None
    return db.session.get(Person, {"tenant_id": m.tenant_id, "id": mentee.manager_id})


@dataclass
class EvaluationView:
    """Stage 3 of a prosecutor mentorship (p.6(3), p.11): the mentee's workload and
    compliance with the work standards beside the mentor's and the manager's assessment."""

    mentorship: Mentorship
    mentee: Person
    mentor: Person | None
    manager: Person | None
    workload: WorkloadReport
    assessments: dict  # role -> (MenteeAssessment, Person | None) or None
    evaluation_paper: object  # Paper | None
    evaluation_rule: object

    def to_json(self):
        def one(role):
            entry = self.assessments.get(role)
            if entry is None:
                return None
            a, who = entry
            return {"role": role, "assessor": who.number if who else None,
                    "assessor_name": who.full_name if who else None,
                    "assessed_on": a.assessed_on.isoformat(),
                    **{k: getattr(a, k) for k in ASSESSMENT_FIELDS}}

        rule = self.evaluation_rule
        return {
            "mentorship": str(self.mentorship.id), "mentee": self.mentee.number,
            "mentor": self.mentor.number if self.mentor else None,
            "manager": self.manager.number if self.manager else None,
            "stage": 3, "rule": rule.id if rule else None,
            "paragraph": rule.paragraph if rule else None,
            "workload": self.workload.to_json(),
            "assessments": {role: one(role) for role in ASSESSOR_ROLES},
            "evaluation_done_on": (self.evaluation_paper.done_on.isoformat()
                                   if self.evaluation_paper and self.evaluation_paper.done_on
                                   else None),
        }


def evaluation_view(work: TenantWork, mentorship, as_of=None) -> EvaluationView:
    """The mentee's workload over the mentorship (its start to its end, or to ``as_of``
    while it runs) with the two assessments p.11 requires."""
    ws = standards(work)
    m = find_mentorship(work, mentorship)
    as_of = optional_date(as_of, "as_of") or dt.date.today()
    end = m.ended_on or min(as_of, m.planned_end or as_of)
    end = max(end, m.start)
    mentee = db.session.get(Person, {"tenant_id": m.tenant_id, "id": m.mentee_id})
    report = workload_report(work, mentee, m.start, end)
    rows = db.session.scalars(sa.select(MenteeAssessment).where(
        MenteeAssessment.mentorship_id == m.id))
    assessments = {}
    for a in rows:
        who = db.session.get(Person, {"tenant_id": m.tenant_id, "id": a.assessor_id}) \
            if a.assessor_id else None
        assessments[a.assessor_role] = (a, who)
    paper = next((p for p in papers_of(m) if p.kind == ws.evaluation_paper), None)
    return EvaluationView(m, mentee, _current_mentor(m), _default_assessor(m, "manager"),
                          report, assessments, paper, ws.evaluation_rule)
