"""Kept results: every finding and deadline of a tenant's mentorships and councils, kept in
the database (kept_owner, kept_finding, kept_deadline) and brought up to date in the
transaction of each change, for exactly the mentorships and councils it can affect.

What a change can affect (``affected``):
- a mentorship, its assignments or papers: itself, and every mentorship that shares a
  mentor with it (capacity is counted over the mentor's intervals);
- a person, their versions or absences: the mentorships they are mentee or mentor of (and
  those sharing a mentor with them), the councils they sit on;
- a verdict that searched the whole staff (civil service p.8's "nobody eligible",
  ``kept_owner.reads_staff``) is reached by a change of the eligible people its search
  found (their facts or their load), or by any change of people or mentorships when it
  found nobody (``kept_owner.staff_found``);
- a council, its members, meetings, attendance, agenda or votes: the council, and the
  mentorships its agenda hears (the hearing deadlines read the quorate meetings).
Those are evaluated on the part of the tenant they need (storage.case.load_part). A
verdict that searched the staff in that part is worked out again on the whole tenant.

A change whose rows are not known (statements on many rows, COPY) and a change of what the
rules are (the regime, its amendments, settings, calendar, a new version of the regime's
rules: ``fingerprint``) leave the results out of date: a whole re-evaluation is due
(services.jobs), and reads answer from the results kept until it is done.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import gc
import hashlib
import itertools
import json
import os
import time
import uuid

import sqlalchemy as sa
from sqlalchemy import event

from ..core.findings import remembering_messages
from ..core.subjects import Subject
from ..storage import bulk, revision, tenancy
from ..storage.case import load_case, load_part
from ..storage.models import (Absence, AgendaItem, Assignment, Attendance, Council,
                              CouncilMember, KeptDeadline, KeptFinding, KeptOwner, KeptTally,
                              Meeting,
                              Mentorship, Paper, Person, PersonVersion, Tenant, Vote, db)
from . import kept_counts
from .unit import TenantWork

BATCH = 2000  # rows a statement when writing many
#: the tables storage.case reads into what the rules judge
READ_BY_RULES = frozenset({"person", "person_version", "mentorship", "assignment", "paper",
                           "absence", "council", "council_member", "meeting", "attendance",
                           "agenda_item", "vote"})
TOUCHED = "nastavnik.results.touched"


def fingerprint(work: TenantWork) -> str:
    """What the tenant's answers are worked out under: its regime's rules as installed,
    its amendments, settings and calendar."""
    t = work.tenant
    text = json.dumps([work.regime.fingerprint, t.regime, sorted(t.amendments or ()),
                       t.settings or {}, sorted(t.extra_days_off or ()),
                       sorted(t.extra_working_days or ())], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def is_current(work: TenantWork) -> bool:
    """Whether the kept results were worked out under the tenant's rules as they are, and
    have followed every change of its data (none got past them: a write by SQL)."""
    t = work.tenant
    revisions = work.session.execute(sa.select(Tenant.revision, Tenant.results_revision)
                                     .where(Tenant.id == t.id)).one()
    return t.results_fingerprint == fingerprint(work) and revisions[0] == revisions[1]


# -- what a change touches --------------------------------------------------------------------

class Touched:
    """Ids (uuids) a transaction changed, by what they are; ``unknown``: rows changed that
    are not known one by one."""

    __slots__ = ("mentorships", "mentors", "people", "councils", "meetings", "items", "unknown")

    def __init__(self):
        self.mentorships, self.mentors, self.people = set(), set(), set()
        self.councils, self.meetings, self.items = set(), set(), set()
        self.unknown = False

    def __bool__(self):
        return self.unknown or any(getattr(self, n) for n in self.__slots__[:-1])

    def size(self) -> int:
        return sum(len(getattr(self, n)) for n in self.__slots__[:-1])

    def note(self, obj, old) -> None:
        """``obj`` added, changed or deleted; ``old(name)``: an attribute's value before."""
        def both(name):
            return {v for v in (getattr(obj, name, None), old(name)) if v is not None}
        if isinstance(obj, Mentorship):
            self.mentorships.add(obj.id)
            self.people |= both("mentee_id")
        elif isinstance(obj, Assignment):
            self.mentorships |= both("mentorship_id")
            self.mentors |= both("mentor_id")
        elif isinstance(obj, Paper):
            self.mentorships |= both("mentorship_id")
        elif isinstance(obj, Person):
            self.people.add(obj.id)
        elif isinstance(obj, (PersonVersion, Absence)):
            self.people |= both("person_id")
        elif isinstance(obj, Council):
            self.councils.add(obj.id)
        elif isinstance(obj, CouncilMember):
            self.councils |= both("council_id")
        elif isinstance(obj, Meeting):
            self.councils |= both("council_id")
            self.meetings.add(obj.id)
        elif isinstance(obj, Attendance):
            self.meetings |= both("meeting_id")
        elif isinstance(obj, AgendaItem):
            self.meetings |= both("meeting_id")
            self.mentorships |= both("hearing_id")
            self.items.add(obj.id)
        elif isinstance(obj, Vote):
            self.items |= both("agenda_item_id")

    def note_rows(self, table: str | None, rows) -> None:
        """Rows a statement inserted (a staff import); rows not known one by one make the
        whole tenant's results out of date. Tables the rules do not read do not count."""
        if table is not None and table not in READ_BY_RULES:
            return
        key = {"person": "id", "person_version": "person_id", "absence": "person_id"}.get(table)
        if key is None or not rows or not all(isinstance(r, dict) and key in r for r in rows):
            self.unknown = True
            return
        self.people.update(r[key] for r in rows)


def _ids(statement) -> set:
    return {r[0] for r in db.session.execute(statement)}


def affected(touched: Touched) -> tuple[set, set]:
    """The mentorships and councils (uuids) whose results ``touched`` may change."""
    mentorships = set(touched.mentorships)
    councils = set(touched.councils)
    meetings = set(touched.meetings)
    if touched.items:
        meetings |= _ids(sa.select(AgendaItem.meeting_id).where(AgendaItem.id.in_(touched.items)))
    if meetings:
        councils |= _ids(sa.select(Meeting.council_id).where(Meeting.id.in_(meetings)))
    mentors = set(touched.mentors)
    if touched.people:
        people = touched.people
        mentorships |= _ids(sa.select(Mentorship.id).where(Mentorship.mentee_id.in_(people)))
        mentors |= people
        councils |= _ids(sa.select(CouncilMember.council_id)
                         .where(CouncilMember.person_id.in_(people)))
    if councils:
        mentorships |= _ids(sa.select(AgendaItem.hearing_id).join(
            Meeting, sa.and_(Meeting.tenant_id == AgendaItem.tenant_id,
                             Meeting.id == AgendaItem.meeting_id))
            .where(Meeting.council_id.in_(councils), AgendaItem.hearing_id.is_not(None)))
    mentorships |= _sharing_a_mentor(mentorships, mentors)
    if touched.people or touched.mentorships or touched.mentors:
        searched = _searches_reached(touched.people | mentors, mentorships) - mentorships
        mentorships |= searched | _sharing_a_mentor(searched)
    return mentorships, councils


def _searches_reached(people: set, mentorships: set) -> set:
    """The kept verdicts that searched the staff (civil service p.8) which a change of
    ``people`` and of ``mentorships`` may turn: those that found nobody (anyone may now
    be eligible, or have room), and those all of whose eligible people found are among
    the people changed or the mentors of the mentorships changed (their facts or load)."""
    rows = db.session.execute(sa.select(KeptOwner.id, KeptOwner.staff_found)
                              .where(KeptOwner.reads_staff.is_(True))).all()
    if not rows:
        return set()
    mentors = _ids(sa.select(Assignment.mentor_id).where(Assignment.mentorship_id.in_(mentorships)))
    watched = set(db.session.scalars(sa.select(Person.number)
                                     .where(Person.id.in_(set(people) | mentors))))
    return {owner for owner, found in rows
            if any(not eligible or set(eligible) <= watched for eligible in (found or {}).values())
            or not found}


def assignment_case(mentee_id, mentor_ids):
    """The part of the tenant an assignment of any of ``mentor_ids`` to the mentee is
    judged on (uuids): their mentorships, as mentees and as mentors, and them. Whether it
    sufficed, ``needs_whole_tenant`` tells after the judging."""
    people = {mentee_id, *mentor_ids}
    return load_part(mentorships_of(people), people=people)


def needs_whole_tenant(engine) -> bool:
    """Whether a judgement on a part searched the staff and found nobody eligible: only
    the whole staff can say that (civil service p.8's exception)."""
    return bool(engine.staff_found_nobody)


def mentorships_of(people) -> set:
    """The mentorships (uuids) of ``people`` (uuids), as mentees and as mentors."""
    people = list(people)
    return (_ids(sa.select(Mentorship.id).where(Mentorship.mentee_id.in_(people)))
            | _ids(sa.select(Assignment.mentorship_id).where(Assignment.mentor_id.in_(people))))


def _sharing_a_mentor(mentorships: set, mentors: set = frozenset()) -> set:
    """The mentorships with an assignment to a mentor of ``mentorships`` or in ``mentors``."""
    # two index lookups (a subquery OR'd with a list would scan every assignment)
    of_them = _ids(sa.select(Assignment.mentor_id).where(Assignment.mentorship_id.in_(mentorships)))
    return _ids(sa.select(Assignment.mentorship_id)
                .where(Assignment.mentor_id.in_(of_them | set(mentors))))


# -- evaluating and keeping -------------------------------------------------------------------

def refresh(work: TenantWork, mentorships: set, councils: set = frozenset()) -> None:
    """Evaluate ``mentorships`` and ``councils`` (uuids) again and keep what they give;
    the results of those that no longer exist are dropped."""
    mentorships, councils = set(mentorships), set(councils)
    if not mentorships and not councils:
        return
    # those sharing a mentor with them are part of their capacity, not re-judged here
    case = load_part(mentorships | _sharing_a_mentor(mentorships), councils)
    engine = work.rules()
    evaluation = engine.evaluate(case, _today())
    wanted = {str(x) for x in mentorships | councils}
    # a search of the staff that found someone eligible is sound on the part (it asks only
    # the people whose load the part knows: case.pool); "nobody" needs more of the staff
    if _owners(engine.staff_found_nobody) & wanted:
        case, engine, evaluation = _with_staff(work, mentorships, councils, wanted)
    _keep(work, case, evaluation, engine, wanted)


#: how many of the staff a search for an eligible person is first given (see _with_staff)
STAFF_SAMPLE = 400


def _owners(subjects) -> set:
    return {Subject(s).owner for s in subjects}


def _with_staff(work, mentorships, councils, wanted):
    """Evaluate again where a verdict searched the staff for anyone eligible (civil
    service p.8). Someone eligible is usually among the first few asked: the part is
    given a sample of the staff with everything their eligibility and load are judged on
    (their mentorships as mentors); only when nobody there is eligible is the whole
    tenant loaded, since "nobody" needs everyone asked."""
    sample = _ids(sa.select(Person.id).order_by(Person.number).limit(STAFF_SAMPLE))
    theirs = _ids(sa.select(Assignment.mentorship_id).where(Assignment.mentor_id.in_(sample)))
    part = mentorships | theirs
    case = load_part(part | _sharing_a_mentor(part), councils, people=sample)
    engine = work.rules()
    evaluation = engine.evaluate(case, _today())
    if _owners(engine.staff_found_nobody) & wanted:
        case = load_case()[0]
        engine = work.rules()
        evaluation = engine.evaluate(case, _today())
    return case, engine, evaluation


def evaluate_all(work: TenantWork, progress=None, attempts: int = 3) -> dict:
    """Evaluate the whole tenant and keep its results in place of all those kept;
    ``progress(done, total)`` is told as rows are written. Returns figures.

    Changes committed meanwhile (each kept its own results up to date) would be undone by
    results worked out before them: the tenant's row is locked before writing, and if its
    revision moved since the data was read, the work is done again."""
    with _no_collections(), remembering_messages():
        return _evaluate_all(work, progress, attempts)


@contextlib.contextmanager
def _no_collections():
    """The cyclic garbage collector paused: a whole evaluation makes millions of objects
    that live until it ends (the case, the answers, the rows), and the collections their
    number sets off scan them again and again (half of the time spent making the rows to
    keep, 2.4 of 4.6 s at 50,000 mentorships). Reference counting still frees what is let
    go; whatever cycles were made are collected once the collector runs again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _evaluate_all(work: TenantWork, progress, attempts: int) -> dict:
    tid = work.tenant.id
    for _ in range(attempts):
        seen = _revision_of(tid)
        started = _clock()
        case = load_case()[0]
        loaded = _clock()
        engine = work.rules()
        evaluation = engine.evaluate(case, _today())
        evaluated = _clock()
        locked = work.session.execute(sa.select(Tenant.revision).where(Tenant.id == tid)
                                      .with_for_update()).scalar_one()
        if locked == seen:
            break
    owners = {m.id for m in case.mentorships} | {c.id for c in case.councils}
    db.session.execute(sa.delete(KeptFinding))
    db.session.execute(sa.delete(KeptDeadline))
    db.session.execute(sa.delete(KeptOwner))
    db.session.execute(sa.delete(KeptTally))
    _keep(work, case, evaluation, engine, owners, progress, replace=False)
    current = fingerprint(work) if locked == seen else None  # else: again, later
    work.tenant.results_fingerprint = current
    db.session.execute(sa.update(Tenant).where(Tenant.id == tid)
                       .values(results_fingerprint=current, results_revision=locked)
                       .execution_options(synchronize_session=False))
    return {"owners": len(owners), "load": loaded - started, "rules": evaluated - loaded,
            "write": _clock() - evaluated}


def _revision_of(tenant_id: int) -> int:
    return db.session.execute(sa.select(Tenant.revision).where(Tenant.id == tenant_id)).scalar_one()


def _keep(work, case, evaluation, engine, owners: set, progress=None, replace=True) -> None:
    delta = collections.Counter()
    if replace:
        keys = [uuid.UUID(o) for o in owners]
        f, d = KeptFinding, KeptDeadline
        for chunk in _chunks(keys, BATCH):
            delta.update(kept_counts.of_rows(
                db.session.execute(sa.delete(f).where(f.owner.in_(chunk))
                                   .returning(f.severity, f.closed)),
                db.session.execute(sa.delete(d).where(d.owner.in_(chunk))
                                   .returning(d.due, d.done_on, d.closed)), sign=-1))
            db.session.execute(sa.delete(KeptOwner).where(KeptOwner.id.in_(chunk)))
    tables = _rows_of(work.tenant.id, case, evaluation, engine, owners)
    made = dict(tables)
    delta.update(kept_counts.of_rows(made[KeptFinding], made[KeptDeadline]))
    kept_counts.add(work.tenant.id, delta)
    total, done = sum(len(rows) for _, rows in tables), 0
    for table, rows in tables:
        for chunk in _chunks(rows, BATCH):
            bulk.insert(db.session, table.__table__, chunk)  # COPY on PostgreSQL
            done += len(chunk)
            if progress is not None:
                progress(done, total)


def _rows_of(tid, case, evaluation, engine, owners: set) -> list[tuple]:
    """The rows to keep of ``owners``' results: [(table, rows)]."""
    mentorships = {m.id: m for m in case.mentorships if m.id in owners}
    councils = {c.id for c in case.councils if c.id in owners}
    searched = _owners(engine.staff_searched)
    outcomes: dict = {}
    for o in evaluation.outcomes:
        outcomes.setdefault(o.council, []).append(o.to_json())
    found: dict = {}
    for subject, eligible in engine.staff_found.items():
        found.setdefault(Subject(subject).owner, {})[subject] = eligible
    keys = {o: uuid.UUID(o) for o in (*mentorships, *councils)}
    owner_rows = [{"tenant_id": tid, "id": keys[mid], "kind": "mentorship",
                   "closed": m.status == "closed", "reads_staff": mid in searched,
                   "staff_found": found.get(mid),
                   "last_day": m.ended_on or getattr(evaluation.terms.get(mid), "planned_end", None),
                   "term": _term_json(evaluation.terms.get(mid)), "outcomes": None}
                  for mid, m in mentorships.items()]
    owner_rows += [{"tenant_id": tid, "id": keys[cid], "kind": "council", "closed": False,
                    "reads_staff": False, "staff_found": None, "last_day": None, "term": None,
                    "outcomes": outcomes.get(cid, [])} for cid in councils]
    findings, deadlines = [], []
    ids = _new_ids(len(evaluation.findings) + len(evaluation.deadlines))
    for n, f in enumerate(evaluation.findings):
        owner = Subject(f.subject).owner
        if owner in mentorships or owner in councils:
            m = mentorships.get(owner)
            findings.append({"tenant_id": tid, "id": next(ids), "owner": keys[owner],
                             "subject": f.subject, "rule": f.rule.id, "severity": f.level.value,
                             "closed": bool(m and m.status == "closed"),
                             "mentee": m.mentee if m else None, "position": n,
                             "data": f.to_json()})
    for d in evaluation.deadlines:
        owner = Subject(d.subject).owner
        if owner in mentorships or owner in councils:
            m = mentorships.get(owner)
            deadlines.append({"tenant_id": tid, "id": next(ids), "owner": keys[owner],
                              "subject": d.subject, "rule": d.rule.id, "kind": d.kind,
                              "due": d.due, "done_on": d.done_on,
                              "closed": bool(m and m.status == "closed"),
                              "mentee": m.mentee if m else None, "data": d.to_json()})
    return [(KeptOwner, owner_rows), (KeptFinding, findings), (KeptDeadline, deadlines)]


_VERSION_4 = (~(0xc000 << 48) & ~(0xf000 << 64), (0x8000 << 48) | (4 << 76))


def _new_ids(n: int):
    """``n`` random uuids, as ``uuid.uuid4()`` makes them (16 random bytes, the version and
    variant set), from one read of os.urandom: uuid4's checks of its arguments were a
    tenth of the time spent making the rows of a whole re-evaluation (250,000 ids)."""
    clear, set_ = _VERSION_4
    raw = os.urandom(16 * n)
    for i in range(0, 16 * n, 16):
        yield uuid.UUID(int=int.from_bytes(raw[i:i + 16], "big") & clear | set_)


def differences(work: TenantWork, limit: int = 20) -> list[str]:
    """Where the kept results differ from a whole evaluation made now (nothing: they
    agree): a check an operator can run (``nastavnik evaluate --check``), and the oracle
    of the tests."""
    case = load_case()[0]
    engine = work.rules()
    evaluation = engine.evaluate(case, _today())
    owners = {m.id for m in case.mentorships} | {c.id for c in case.councils}
    fresh = {table.__tablename__: _comparable(rows, table is KeptOwner)
             for table, rows in _rows_of(work.tenant.id, case, evaluation, engine, owners)}
    out = []
    for table in (KeptOwner, KeptFinding, KeptDeadline):
        columns = [getattr(table, c.key) for c in table.__table__.columns]  # ORM: scoped
        kept = _comparable([dict(r._mapping) for r in db.session.execute(sa.select(*columns))],
                           table is KeptOwner)
        made = fresh[table.__tablename__]
        for row in sorted(kept - made)[:limit]:
            out.append(f"{table.__tablename__}: kept, not worked out now: {row}")
        for row in sorted(made - kept)[:limit]:
            out.append(f"{table.__tablename__}: worked out now, not kept: {row}")
    counted, recounted = kept_counts.kept(), kept_counts.recount()
    for key in sorted(set(counted) | set(recounted), key=str)[:limit]:
        if counted[key] != recounted[key]:
            out.append(f"kept_tally: {key} counted {counted[key]}, kept rows {recounted[key]}")
    return out


def _comparable(rows, keep_id: bool) -> set:
    """Rows as comparable values, without their own ids (but an owner's, which is its
    mentorship's or council's) and order, nor whom a search of the staff happened to
    find first (any eligible person gives the same verdict)."""
    dropped = ("position", "staff_found") if keep_id else ("id", "position")
    return {json.dumps({k: v for k, v in r.items() if k not in dropped}, sort_keys=True,
                       default=str) for r in rows}


def _term_json(term) -> dict | None:
    if term is None:
        return None
    return {"start": term.start.isoformat(),
            "planned_end": term.planned_end.isoformat() if term.planned_end else None,
            "rule": term.rule.id, "paragraph": term.rule.paragraph}


def _chunks(items, size):
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _today() -> dt.date:
    return dt.date.today()


_clock = time.perf_counter


# -- in the transaction of each change ------------------------------------------------------

def _touched(session, tenant_id) -> Touched:
    return session.info.setdefault(TOUCHED, {}).setdefault(tenant_id, Touched())


def install(session_class) -> None:
    """Keep the results up to date in every transaction of ``session_class`` that changes
    what the rules read."""

    @event.listens_for(session_class, "after_flush")
    def _note_objects(session, flush_context):
        for obj in itertools.chain(session.new, session.dirty, session.deleted):
            if type(obj).__tablename__ not in READ_BY_RULES:
                continue
            state = sa.inspect(obj)

            def old(name, state=state):
                attr = state.attrs.get(name)
                deleted = attr.history.deleted if attr is not None else ()
                return deleted[0] if deleted else None
            _touched(session, obj.tenant_id or tenancy.current_tenant(session)).note(obj, old)

    # before storage.revision raises the revisions of the tenants written (insert=True):
    # the results then follow the revision the commit gives them
    @event.listens_for(session_class, "before_commit", insert=True)
    def _bring_up_to_date(session):
        settle(session)
        stale = session.info.pop(STALE, set())
        for tenant_id in session.info.get(revision.WRITTEN, ()):
            if tenant_id is not None and tenant_id not in stale:
                session.execute(sa.update(Tenant).where(
                    Tenant.id == tenant_id, Tenant.results_revision == Tenant.revision)
                    .values(results_revision=Tenant.revision + 1)
                    .execution_options(synchronize_session=False))

    @event.listens_for(session_class, "after_soft_rollback")
    def _forget(session, previous_transaction):
        session.info.pop(TOUCHED, None)
        session.info.pop(STALE, None)


STALE = "nastavnik.results.stale"
#: a change of more rows than this (an import) has the whole tenant evaluated again rather
#: than piece by piece
PIECEMEAL_UP_TO = 500


def _serving(session, tenant_id):
    """The tenant's scope, unless the session serves it already (no statement then)."""
    if tenancy.current_tenant(session) == tenant_id:
        return contextlib.nullcontext()
    return tenancy.tenant_scope(session, tenant_id)


def settle(session) -> None:
    """Bring the kept results up to date with this transaction's changes so far (at its
    commit, and before a read within it)."""
    session.flush()
    for tenant_id, table, rows in revision.marked(session):
        _touched(session, tenant_id).note_rows(table, rows)
    changes = session.info.pop(TOUCHED, {})
    for tenant_id, touched in sorted(changes.items(), key=lambda kv: kv[0] or 0):
        tenant = session.get(Tenant, tenant_id) if tenant_id is not None else None
        if tenant is None or not touched:
            continue
        with _serving(session, tenant_id):
            work = TenantWork(tenant, "results")
            if touched.unknown or touched.size() > PIECEMEAL_UP_TO:
                tenant.results_fingerprint = None
                session.info.setdefault(STALE, set()).add(tenant_id)
            else:
                refresh(work, *affected(touched))
    session.info.pop(TOUCHED, None)  # anything the refresh itself flushed


# -- reading ----------------------------------------------------------------------------------

def status_of(as_of: dt.date, soon: dt.date):
    """The SQL expression of a kept deadline's status as of ``as_of`` (core.findings
    Deadline.status, worked out in the database)."""
    d = KeptDeadline
    return sa.case(
        (sa.and_(d.done_on.is_not(None), d.done_on <= as_of),
         sa.case((d.done_on <= d.due, "done"), else_="done_late")),
        (d.due < as_of, "overdue"),
        (d.due <= soon, "due_soon"),
        else_="due")


OPEN = ("due", "due_soon", "overdue")


def reported_deadlines(as_of: dt.date, soon: dt.date, *columns):
    """A select of the deadlines a report shows (the rows, or ``columns`` of them), with
    their status: every deadline of an open mentorship or a council, and those of closed
    mentorships still not done."""
    status = status_of(as_of, soon).label("status")
    d = KeptDeadline
    return (sa.select(*(columns or (d,)), status)
            .where(sa.or_(d.closed.is_(False), status.in_(OPEN))))


def not_done(as_of: dt.date, soon: dt.date, statuses, done_later: bool = False):
    """``reported_deadlines`` of ``statuses`` (overdue, due soon, due): those not done on
    ``as_of``, by their due dates (the index of what is not done reads them in order);
    ``done_later``: some deadline was done after ``as_of``, and is read too."""
    d = KeptDeadline
    wanted = [s in statuses for s in ("overdue", "due_soon", "due")]
    bounds = [None, d.due < as_of, d.due <= soon]  # up to: nothing, overdue, due soon
    froms = [None, d.due >= as_of, d.due > soon]  # from: anything, due soon, due
    if wanted in ([True, True, False], [False, True, True], [True, True, True]):
        # one range of due dates (what the index is read by, in order)
        first, last = wanted.index(True), 2 - wanted[::-1].index(True)
        within = [c for c in (froms[first], bounds[last + 1] if last < 2 else None)
                  if c is not None]
    else:
        ranges = {"overdue": d.due < as_of, "due_soon": sa.and_(d.due >= as_of, d.due <= soon),
                  "due": d.due > soon}
        within = [sa.or_(*(ranges[s] for s in statuses))]
    open_on = sa.or_(d.done_on.is_(None), d.done_on > as_of) if done_later else d.done_on.is_(None)
    return sa.select(d, status_of(as_of, soon).label("status")).where(open_on, *within)


def up_to_date(work: TenantWork) -> dict | None:
    """Bring the kept results up to date if they are not: now, with the embedded
    default, or by a job on the queue (services.jobs). None when they are current;
    otherwise the job's progress, and reads answer from the results kept so far."""
    settle(work.session())
    if is_current(work):
        return None
    from . import jobs
    return jobs.request_evaluation(work)


def counts(as_of: dt.date, soon: dt.date) -> dict:
    """How many deadlines of the report have each status, and findings each severity:
    from the kept counts, or for a day before some deadline was done, one by one."""
    counted = kept_counts.counts(as_of, soon)
    return counted if counted is not None else counts_one_by_one(as_of, soon)


def counts_one_by_one(as_of: dt.date, soon: dt.date) -> dict:
    """``counts`` from the kept rows themselves."""
    q = reported_deadlines(as_of, soon).subquery()
    out = {s: 0 for s in ("done", "done_late", "due", "due_soon", "overdue")}
    out.update(dict(db.session.execute(sa.select(q.c.status, sa.func.count())
                                       .group_by(q.c.status)).all()))
    f = KeptFinding
    out.update({"violations": 0, "warnings": 0})
    for severity, n in db.session.execute(sa.select(f.severity, sa.func.count())
                                          .where(f.closed.is_(False)).group_by(f.severity)):
        if severity in ("violation", "warning"):
            out[severity + "s"] = n
    return out


class KeptEvaluation:
    """The kept results of some mentorships and councils, read as views read core's
    ``Evaluation``: findings and deadlines with ``subject`` and ``to_json``, terms with
    ``start``, ``planned_end`` and ``rule``."""

    def __init__(self, work: TenantWork, owners, as_of: dt.date, soon_working_days: int = 5):
        up_to_date(work)
        keys = [o if isinstance(o, uuid.UUID) else uuid.UUID(str(o)) for o in owners]
        rules = work.regime.rules
        self.as_of = as_of
        self.soon = work.rules().ctx.calendar.add_working_days(as_of, soon_working_days)
        self.findings = [_Found(data) for (data,) in db.session.execute(
            sa.select(KeptFinding.data).where(KeptFinding.owner.in_(keys))
            .order_by(KeptFinding.position))]
        self.deadlines = [_Due(rules[d.rule], d) for d in db.session.scalars(
            sa.select(KeptDeadline).where(KeptDeadline.owner.in_(keys))
            .order_by(KeptDeadline.due, KeptDeadline.subject))]
        self.terms = {}
        for owner, term in db.session.execute(sa.select(KeptOwner.id, KeptOwner.term)
                                              .where(KeptOwner.id.in_(keys))):
            if term:
                end = term.get("planned_end")
                self.terms[str(owner)] = _Term(dt.date.fromisoformat(term["start"]),
                                               dt.date.fromisoformat(end) if end else None,
                                               rules[term["rule"]])


class _Found:
    __slots__ = ("subject", "data")

    def __init__(self, data):
        self.subject, self.data = data["subject"], data

    def to_json(self):
        return self.data


class _Due:
    __slots__ = ("subject", "deadline", "data")

    def __init__(self, rule, row: KeptDeadline):
        from ..core.findings import Deadline

        self.subject, self.data = row.subject, row.data
        self.deadline = Deadline(rule, row.subject, row.kind, row.data["event"],
                                 dt.date.fromisoformat(row.data["event_date"]), row.due,
                                 row.done_on)

    def status(self, as_of, soon=None):
        return self.deadline.status(as_of, soon)

    def to_json(self, as_of=None, soon=None):
        if as_of is None:
            return dict(self.data)
        return {**self.data, "status": self.status(as_of, soon).value}


class _Term:
    __slots__ = ("start", "planned_end", "rule")

    def __init__(self, start, planned_end, rule):
        self.start, self.planned_end, self.rule = start, planned_end, rule
