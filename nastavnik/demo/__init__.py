"""Demo tenants, one per regime, so that a newcomer sees the system work at once.

    from nastavnik import demo
    results = demo.load(dt.date(2026, 3, 16), actor="demo")

Every date is counted back (or forward) from the as-of date, so that the demo tells the
same story on any day: a mentorship just assigned, one in progress with its papers done,
one with a paper overdue, one whose mentor was replaced, one closed with its reports, a
mentor at full capacity, and per regime what only it has (the prosecutors' Council of
mentors, the civil service's term extended by an absence and its p.8 exception). The data
go through the services (``assign_mentor``, ``replace_mentor``, ...), so every rule runs:
a ``Refused`` while loading is a bug in the demo data, never something to swallow.

Each regime ships its own demo tenant through the ``regime_demo`` hook (the built-in ones in
their plugin's ``demo.py``); every installed regime that ships one gets its tenant here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from .. import services
from ..core import registry
from ..core.calendar import FIRST_YEAR, LAST_YEAR
from ..core.counting import last_day_of_term
from ..core.errors import InputError, Refused
from ..core.months import add_months, days_in_month
from ..core.samples import Demo
# imported so that a story reaches it as story.services.work_standards
from ..services import work_standards as _work_standards  # noqa: F401
from ..storage.models import (AgendaItem, Absence, Assignment, Attendance, Council, CouncilMember,
                              Meeting, Mentorship, Paper, Person, PersonVersion, Tenant, Vote, db)
from ..storage.models import MenteeAssessment, WorkAction, WorkRecord, WorkScheme, WorkType
from ..storage.models import DocumentTemplate, KeptDeadline, KeptFinding, KeptOwner, KeptTally

ACTOR = "demo"
ONE_DAY = dt.timedelta(days=1)

#: the stories reach about 14 months back and 13 months ahead (service dates some decades
#: back, as plain dates): the regimes' parameters and the calendars cover these as-of dates
MIN_AS_OF = dt.date(2024, 1, 1)
MAX_AS_OF = dt.date(LAST_YEAR - 2, 12, 31)
assert MIN_AS_OF.year > FIRST_YEAR

#: tenant-owned tables in an order that deletes children before their parents
#: the kept results, worked out from the rest: deleted by statement, not audited row by row
_DERIVED = (KeptFinding, KeptDeadline, KeptOwner, KeptTally)
_DELETE_ORDER = (DocumentTemplate, WorkRecord, WorkAction, WorkType, WorkScheme, MenteeAssessment,
                 Vote, Attendance, AgendaItem, Meeting, CouncilMember, Council, Paper, Absence,
                 Assignment, Mentorship, PersonVersion, Person)


def _plain(value):
    """Attributes as the JSON the person schemas expect (dates as ISO strings)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class Story:
    """What the data modules write with: dates relative to the as-of date in the tenant's
    calendar, and thin wrappers over the services that keep the ids the story needs."""

    def __init__(self, work: services.TenantWork, as_of: dt.date, order_format: str):
        self.work = work
        self.services = services  # for what the wrappers below do not cover
        self.as_of = as_of
        self.cal = work.rules().ctx.calendar
        self._order_format = order_format
        self._orders = 100

    # -- dates ------------------------------------------------------------------------
    def wd(self, n: int, day: dt.date | None = None) -> dt.date:
        """``day`` (default: the as-of date) moved by n working days; the day itself not
        counted, so the result is always a working day (for n != 0)."""
        return self.cal.add_working_days(day or self.as_of, n)

    def working(self, day: dt.date) -> dt.date:
        """The day itself if it is a working day, else the next one."""
        return self.cal.roll_forward(day)

    def years_ago(self, years: int, month: int = 9, day: int = 1) -> dt.date:
        """A date in the year ``years`` before the as-of year: service starts, awards."""
        year = self.as_of.year - years
        return dt.date(year, month, min(day, days_in_month(year, month)))

    def months(self, day: dt.date, n: int) -> dt.date:
        return add_months(day, n)

    @staticmethod
    def term_end(start: dt.date, months: int = 0, years: int = 0) -> dt.date:
        return last_day_of_term(start, months=months, years=years)

    def start_for(self, guess: dt.date, ok) -> dt.date:
        """The working day nearest to ``guess`` for which ``ok(day)`` holds (a story that
        needs, e.g., a deadline to fall within the next five working days)."""
        for offset in range(0, 40):
            for day in (guess + dt.timedelta(days=offset), guess - dt.timedelta(days=offset)):
                if self.cal.is_working_day(day) and ok(day):
                    return day
        raise AssertionError(f"demo data: no start near {guess} meets the story's condition")

    def order(self) -> str:
        self._orders += 1
        return self._order_format.format(n=self._orders)

    # -- data -------------------------------------------------------------------------
    def person(self, number, full_name, unit=None, position=None, manager=None, hired_on=None,
               **attributes):
        services.add_person(self.work, number=number, full_name=full_name, unit=unit,
                            position=position, manager=manager, hired_on=hired_on,
                            attributes=_plain(attributes))
        return number

    def update(self, number, **changes):
        if "attributes" in changes:
            changes["attributes"] = _plain(changes["attributes"])
        services.update_person(self.work, number, **changes)

    def assign(self, mentee, mentor, on, *, order=True, order_date=None, expect_fallback=False,
               **kwargs) -> str:
        """Open a mentorship; returns its id. By default with an order of the head dated
        the first day."""
        number = self.order() if order else None
        m, check = services.assign_mentor(self.work, mentee, mentor, on, order_number=number,
                                          order_date=(order_date or on) if order else None,
                                          **kwargs)
        if check.fallback != expect_fallback:
            raise AssertionError(f"demo data: {mentor} -> {mentee} on {on}: exception "
                                 f"{'applied' if check.fallback else 'did not apply'}")
        return str(m.id)

    def replace(self, ref, mentor, on, reason, **kwargs) -> None:
        services.replace_mentor(self.work, ref, mentor, on, reason, order_number=self.order(),
                                order_date=on, **kwargs)

    def paper(self, ref, kind, done_on, approved_by=None, attributes=None) -> None:
        services.record_paper(self.work, ref, kind, done_on, approved_by, attributes)

    def absence(self, person, start, end, reason="", valid=True) -> None:
        services.record_absence(self.work, person, start, end, valid, reason)

    def close(self, ref, on) -> None:
        services.close_mentorship(self.work, ref, on)


# --- the tenants ------------------------------------------------------------------------------

def demos(regimes=None) -> dict[str, Demo | None]:
    """Each installed regime's demo (None: it ships none), in the order they are loaded and
    shown; ``regimes`` narrows them to those ids."""
    out = {}
    for regime_id in regimes or registry.available():
        answers = [d for d in registry.get(regime_id).hook.regime_demo() if d is not None]
        out[regime_id] = answers[0] if answers else None
    return dict(sorted(out.items(), key=lambda kv: (0, kv[1].position, kv[1].slug) if kv[1]
                       else (1, 0, kv[0])))


def tenants() -> list[tuple[str, Demo]]:
    """(regime, demo) of every installed regime that ships a demo, in order."""
    return [(regime, d) for regime, d in demos().items() if d is not None]


def slugs() -> tuple[str, ...]:
    """The slugs of the installed regimes' demo tenants, in order."""
    return tuple(d.slug for _, d in tenants())


def __getattr__(name):
    if name == "SLUGS":  # computed, as the installed regimes can change (tests install some)
        return slugs()
    raise AttributeError(name)


@dataclass
class Result:
    slug: str
    name: str
    regime: str
    status: str  # created | skipped | reset | loaded (an existing, empty tenant)
    report: dict = field(default_factory=dict)
    hints: list = field(default_factory=list)  # (command, what it shows)


def check_as_of(as_of: dt.date) -> dt.date:
    if not MIN_AS_OF <= as_of <= MAX_AS_OF:
        raise InputError(f"the demo tells its story for dates from {MIN_AS_OF} to {MAX_AS_OF}",
                         field="as_of")
    return as_of


def _find(slug: str) -> Tenant | None:
    return db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))


def _has_data(work) -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Person)) > 0


def delete_data(work) -> int:
    """Delete every row of the current tenant, children first, through the ORM inside the
    tenant's scope, so that each deletion is audited. The tenant row and its audit trail
    stay. Only for demo tenants. Returns the number of rows deleted."""
    if work.tenant.slug not in slugs():
        raise InputError(f"{work.tenant.slug!r} is not a demo tenant; only demo tenants are reset",
                         field="tenant")
    session, count = db.session, 0
    for model in _DERIVED:
        session.execute(sa.delete(model))
    people = list(session.scalars(sa.select(Person).where(Person.manager_id.is_not(None))))
    for person in people:  # a person's manager is a person: unlink before deleting
        person.manager_id = None
    session.flush()
    for model in _DELETE_ORDER:
        for row in session.scalars(sa.select(model)):
            session.delete(row)
            count += 1
        session.flush()
    return count


def load(as_of: dt.date, reset: bool = False, actor: str = ACTOR, regimes=None) -> list[Result]:
    """Create the demo tenants (of ``regimes``, default every installed regime that ships one)
    and their data as of ``as_of``. An existing demo tenant with data is left alone, or with
    ``reset`` emptied and loaded again. Returns one Result per tenant, with its compliance
    report as of ``as_of``."""
    check_as_of(as_of)
    results = []
    chosen = demos(regimes)
    for regime, shipped in chosen.items():
        if shipped is None and regimes:
            raise InputError(f"regime {regime!r} ships no demo tenant", field="regime")
    for regime, shipped in [(r, d) for r, d in chosen.items() if d is not None]:
        spec = {**shipped.tenant, "regime": regime}
        slug = spec["slug"]
        tenant = _find(slug)
        if tenant is None:
            services.create_tenant(slug, spec["name"], spec["regime"], actor,
                                   settings=spec.get("settings"), locale=spec["locale"])
            status = "created"
        else:
            with services.tenant(slug, actor) as work:
                filled = _has_data(work)
            status = "loaded" if not filled else "reset" if reset else "skipped"
            if status != "skipped":  # put back what the demo expects, if it was changed
                if tenant.regime != spec["regime"] or tenant.settings != (spec.get("settings") or {}):
                    services.set_regime(slug, spec["regime"], actor, spec.get("settings"))
                if tenant.name != spec["name"] or tenant.locale != spec["locale"]:
                    services.update_tenant(slug, actor, name=spec["name"], locale=spec["locale"])
        if status != "skipped":
            with services.tenant(slug, actor) as work:
                if status == "reset":
                    delete_data(work)
                story = Story(work, as_of, spec.get("order_format", "{n}"))
                try:
                    shipped.load(story)
                except Refused as exc:
                    raise Refused(f"demo data of {slug} (a bug in the demo): {exc}",
                                  exc.findings) from exc
        with services.tenant(slug, actor) as work:
            report = services.compliance_report(work, as_of)
            councils = services.list_councils(work) if work.regime.info.has_council else []
            fill = {"council": str(councils[0].id)[:8] if councils else "COUNCIL"}
            hints = [(command.format_map(fill), what) for command, what in shipped.hints]
            results.append(Result(slug, work.tenant.name, work.tenant.regime, status, report,
                                  hints))
    return results
