"""Running a regime over a case: coverage, terms, eligibility, capacity, deadlines, councils.

These are the service functions the CLI (and later the web and the API) call. The
regime's hooks are called once per batch; the core adds what every regime shares:
capacity counted over date intervals, the exception machinery, conflict detection and
deadline status as of a date.
"""

from __future__ import annotations

import datetime as dt
import itertools
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from .errors import InputError, RuleConflict
from .heap import cyclic_gc_paused
from .findings import Coverage, Deadline, Finding, MeetingOutcome, Severity, Term
from .i18n import Named
from .model import Case, Mentorship
from .regime_info import Candidacy
from .subjects import Subject, assignment_subject, within
from .trace import Trace

FAR_FUTURE = dt.date(9999, 12, 31)


def _single(answers: list, question: str, key=lambda a: a):
    """One answer to one question; two rules in force that disagree are an error."""
    if not answers:
        return None
    first = answers[0]
    for other in answers[1:]:
        if key(other) != key(first):
            raise RuleConflict(question, {a.rule.id: key(a) for a in answers})
    return first


def _flatten(results) -> list:
    out = []
    for part in results:
        if part:
            out.extend(part)
    return out


@dataclass
class Evaluation:
    regime: str
    as_of: dt.date
    coverage: dict = field(default_factory=dict)  # mentorship id -> Coverage
    terms: dict = field(default_factory=dict)  # mentorship id -> Term
    findings: list = field(default_factory=list)
    deadlines: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)
    trace: Trace | None = None
    soon: dt.date | None = None  # last day counted as "due soon"

    def findings_for(self, subject: str) -> list[Finding]:
        return [f for f in self.findings if within(f.subject, subject)]

    def to_json(self):
        return {
            "regime": self.regime, "as_of": self.as_of.isoformat(),
            "findings": [f.to_json() for f in self.findings],
            "deadlines": [d.to_json(self.as_of, self.soon) for d in self.deadlines],
            "terms": {k: {"start": t.start.isoformat(),
                          "planned_end": t.planned_end.isoformat() if t.planned_end else None,
                          "rule": t.rule.id, "paragraph": t.rule.paragraph}
                      for k, t in self.terms.items()},
            "councils": [o.to_json() for o in self.outcomes],
        }


@dataclass
class AssignmentCheck:
    """The answer to "may this person mentor that mentee from that day?"."""

    mentor: str
    mentee: str
    on: dt.date
    allowed: bool
    findings: list
    fallback: bool = False
    trace: Trace | None = None
    kind: str | None = None  # the kind of mentee, as the regime's coverage gave it

    @property
    def subject(self) -> str:
        return f"{self.mentee}<-{self.mentor}@{self.on.isoformat()}"

    def to_json(self):
        return {"mentor": self.mentor, "mentee": self.mentee, "on": self.on.isoformat(),
                "allowed": self.allowed, "fallback": self.fallback,
                "findings": [f.to_json() for f in self.findings]}


class Engine:
    """A regime's rules bound to one context (tenant settings, calendar, trace).

    An engine remembers what it worked out about the last case it was asked about
    (mentors' intervals): a case must not change while one engine is asked about it."""

    def __init__(self, regime, ctx):
        self.regime = regime
        self.ctx = ctx
        self.hook = regime.hook
        self._limits: dict[dt.date, object] = {}
        # (id of the mentor as they stood, period between parameter changes) -> (the
        # mentor's Person, held so the id stays theirs, their CapacityLimit)
        self._mentor_limits: dict[tuple, tuple] = {}
        self._pool_cache: dict[tuple, list] = {}
        # intervals of every mentor in one case, the last case asked about (an engine is
        # often asked many questions about one case: suggestions, a page of checks)
        self._intervals_of: tuple | None = None
        self._by_mentee: tuple | None = None
        #: subjects whose verdict searched the whole staff for an eligible person (an
        #: exception such as civil service p.8): any person's change may alter them; and
        #: those of them whose search found nobody (the exception applied)
        self.staff_searched: set[str] = set()
        self.staff_found_nobody: set[str] = set()
        #: subject -> the eligible people the search found (none: the exception applied);
        #: the verdict stands while one of them is unchanged
        self.staff_found: dict[str, list] = {}

    # -- the pieces ------------------------------------------------------------------
    def coverage(self, case: Case, mentorships) -> dict[str, Coverage]:
        answers = self.regime.resolve(_flatten(
            self.hook.mentee_coverage(ctx=self.ctx, case=case, mentorships=mentorships)))
        by_subject: dict[str, list] = {}
        for c in answers:
            by_subject.setdefault(c.person, []).append(c)
        return {k: _single(v, f"coverage of {k}", lambda c: (c.covered, c.kind))
                for k, v in by_subject.items()}

    def terms(self, case: Case, mentorships) -> dict[str, Term]:
        answers = self.regime.resolve(_flatten(
            self.hook.mentorship_term(ctx=self.ctx, case=case, mentorships=mentorships)))
        by_subject: dict[str, list] = {}
        for t in answers:
            by_subject.setdefault(t.mentorship, []).append(t)
        return {k: _single(v, f"term of {k}", lambda t: (t.start, t.planned_end))
                for k, v in by_subject.items()}

    def capacity_limit(self, on: dt.date, mentor: str | None = None, case: Case | None = None):
        """The ``CapacityLimit`` of ``mentor`` (a person id of ``case``) on ``on``; without
        a mentor, the limit in general. A regime whose hook reads no mentor is asked once
        per day; one that does, once per mentor (as they stood) per period between two
        changes of the regime's parameters: the hook's contract (core/hookspecs.py)."""
        if mentor is None or not self._per_mentor:
            limit = self._limits.get(on)
            if limit is None:
                limit = self._limits[on] = self._ask_capacity(on, None, None)
            return limit
        person = case.people[mentor].on(on)
        key = (id(person), bisect_right(self._parameter_changes, on))
        known = self._mentor_limits.get(key)
        if known is None:
            known = self._mentor_limits[key] = (person, self._ask_capacity(on, person, case))
        return known[1]

    def _ask_capacity(self, on, mentor, case):
        answers = self.regime.resolve([a for a in self.hook.mentor_capacity(
            ctx=self.ctx, on=on, mentor=mentor, case=case) if a is not None])
        who = f" of {mentor.id}" if mentor is not None else ""
        return _single(answers, f"capacity{who} on {on}", lambda a: a.limit)

    @property
    def per_mentor_capacity(self) -> bool:
        """Whether a mentor's capacity may be their own (an implementation of
        mentor_capacity reads the mentor or the case), not the regime's general limit."""
        return self._per_mentor

    @cached_property
    def _per_mentor(self) -> bool:
        """Whether an implementation of mentor_capacity reads the mentor or the case."""
        return any({"mentor", "case"} & set(impl.argnames)
                   for impl in self.hook.mentor_capacity.get_hookimpls())

    @cached_property
    def _parameter_changes(self) -> list:
        """Every date on which one of the regime's parameters takes a new value, sorted."""
        return sorted({v.since for p in self.regime.parameters for v in p.history})

    def eligibility(self, case: Case, candidacies) -> dict[str, list[Finding]]:
        answers = self.regime.resolve(_flatten(
            self.hook.mentor_eligibility(ctx=self.ctx, case=case, candidacies=candidacies)))
        by_subject: dict[str, list] = {c.subject: [] for c in candidacies}
        for f in answers:
            by_subject.setdefault(f.subject, []).append(f)
        return by_subject

    def _has_violation(self, findings) -> bool:
        return any(f.level is Severity.VIOLATION for f in findings)

    def _load_excess(self, intervals, start: dt.date, end: dt.date, mentor=None, case=None):
        """Load of a mentor with ``intervals`` if given one more mentee from start to end.

        Load only rises on the day an interval starts, so the highest load within
        [start, end] is reached on ``start`` or on a later interval's start day.
        """
        days = [start] + [s for s, _, _ in intervals if start < s <= end]
        worst = None
        for day in days:
            active = [mid for s, e, mid in intervals if s <= day <= e]
            load = len(active) + 1
            limit = self.capacity_limit(day, mentor, case)
            if limit is not None and limit.limit is not None and load > limit.limit:
                if worst is None or load > worst[1]:
                    worst = (day, load, limit, active)
        return worst

    def _capacity_finding(self, subject, mentor, excess) -> Finding:
        day, load, limit, active = excess
        self.ctx.note(limit.rule.id, subject, f"load {load} > limit {limit.limit} on {day}",
                      params=limit.params, mentor=mentor, day=day, others=active)
        return Finding(limit.rule, subject, {"mentor": mentor, "load": load,
                                             "limit": limit.limit, "day": day,
                                             "others": active, **limit.facts})

    def _eligible_exists(self, case: Case, mentee, kind, on, intervals_by_mentor, term_end,
                         enough: int = 20) -> list:
        """The first ``enough`` people (in staff order) who could be assigned to ``mentee``
        on ``on``: eligible, with room. Empty when nobody could.

        The staff is asked in growing chunks and the search stops once ``enough`` are
        found, which in a body of any size is usually within its first hundred people;
        only when nobody qualifies is everyone asked."""
        within = case.pool
        pool = (p for pid, p in case.people.items()
                if pid != mentee.id and (within is None or pid in within))
        eligible, chunk = [], 8 * enough
        while len(eligible) < enough:
            batch = list(itertools.islice(pool, chunk))
            if not batch:
                break
            chunk *= 2
            cands = [Candidacy(f"pool/{p.id}", p.on(on), mentee, kind, on) for p in batch]
            findings = self.eligibility(case, cands)
            for p in batch:
                if self._has_violation(findings[f"pool/{p.id}"]):
                    continue
                if self._load_excess(intervals_by_mentor.get(p.id, ()), on, term_end,
                                     p.id, case) is None:
                    eligible.append(p.id)
        return eligible[:enough]

    def _apply_fallback(self, case, subject, mentor_id, mentee, kind, on, findings,
                        intervals_by_mentor, term_end):
        """The exception rule (e.g. CS p.8): when nobody is eligible, its choice stands.

        The exception is asked first who it would choose; only when that is the assigned
        mentor is the whole staff searched for an eligible candidate. A sweep therefore
        searches the pool for the few assignments of a fallback mentor, not for each
        failing one.
        """
        if not self.hook.mentor_fallback.get_hookimpls() or not self._has_violation(findings):
            return findings, False
        answers = self.regime.resolve([a for a in self.hook.mentor_fallback(
            ctx=self.ctx, case=case, mentee=mentee, kind=kind, on=on) if a is not None])
        fallback = _single(answers, f"fallback mentor of {mentee.id} on {on}", lambda a: a.mentor)
        if fallback is None or fallback.mentor != mentor_id:
            self.ctx.note(findings[0].rule.id, subject, "no exception: the mentor is not the "
                          "exception's choice", exception_choice=fallback and fallback.mentor)
            return findings, False
        # the verdict needs one eligible person; an explanation names up to twenty
        enough = 20 if self.ctx.trace else 1
        self.staff_searched.add(subject)
        key = (mentee.id, on, enough)
        eligible = self._pool_cache.get(key)
        if eligible is None:
            eligible = self._pool_cache[key] = self._eligible_exists(
                case, mentee, kind, on, intervals_by_mentor, term_end, enough)
        self.staff_found[subject] = list(eligible)
        if eligible:
            self.ctx.note(fallback.rule.id, subject,
                          "no exception: eligible candidates exist", eligible=eligible)
            return findings, False
        self.staff_found_nobody.add(subject)
        set_aside = set(self.regime.exceptions.get(fallback.rule.id, ()))
        kept = [f for f in findings if f.rule.id not in set_aside]
        self.ctx.note(fallback.rule.id, subject, "exception applies: no eligible candidate, "
                      f"{mentor_id} assigned", set_aside=sorted(set_aside))
        kept.append(Finding(fallback.rule, subject, {"mentor": mentor_id, **fallback.facts}))
        return kept, True

    # -- whole answers -----------------------------------------------------------------
    def evaluate(self, case: Case, as_of: dt.date, soon_working_days: int = 5) -> Evaluation:
        """Every finding, term, deadline and council outcome of the case as of a date."""
        with cyclic_gc_paused():
            result = self._evaluate(case, as_of, soon_working_days)
        names = _Names(case)
        names.apply(result.findings)
        names.apply(result.deadlines)
        return result

    def _evaluate(self, case: Case, as_of: dt.date, soon_working_days: int) -> Evaluation:
        ctx, hook = self.ctx, self.hook
        ms = case.mentorships
        result = Evaluation(self.regime.id, as_of, trace=ctx.trace,
                            soon=ctx.calendar.add_working_days(as_of, soon_working_days))
        result.coverage = self.coverage(case, ms)
        for mid, cov in result.coverage.items():
            if not cov.covered:
                result.findings.append(Finding(cov.rule, mid, cov.facts))
        result.terms = terms = self.terms(case, ms)

        # every assignment: eligibility on its first day, and the mentor's load over time
        candidacies, intervals_by_mentor, where = [], {}, {}
        people = case.people
        for m in ms:
            term = terms.get(m.id)
            default_end = m.ended_on or (term.planned_end if term else None) or FAR_FUTURE
            for n, a in enumerate(m.assignments, 1):
                subject = assignment_subject(m.id, n)
                end = a.end or default_end
                # each person as they stood on the assignment's first day
                candidacies.append(Candidacy(subject, people[a.mentor].on(a.start),
                                             people[m.mentee].on(a.start), m.kind, a.start))
                where[subject] = (m, a, end)
                intervals_by_mentor.setdefault(a.mentor, []).append((a.start, end, subject))
        eligibility = self.eligibility(case, candidacies)
        for subject, found in eligibility.items():
            m, a, end = where[subject]
            if found:
                found, _ = self._apply_fallback(case, subject, a.mentor,
                                                people[m.mentee].on(a.start), m.kind, a.start,
                                                found, intervals_by_mentor, end)
            result.findings.extend(found)
        for mentor, intervals in intervals_by_mentor.items():
            if len(intervals) < 2:
                continue
            intervals.sort()
            # sweep in start order: the load on an interval's first day is the earlier
            # intervals still running then, plus itself
            running: list = []
            for start, end, subject in intervals:
                running = [iv for iv in running if iv[1] >= start]
                excess = self._load_excess(running, start, start, mentor, case)
                if excess:
                    result.findings.append(self._capacity_finding(subject, mentor, excess))
                running.append((start, end, subject))

        result.findings.extend(self.regime.resolve(_flatten(
            hook.mentorship_findings(ctx=ctx, case=case, mentorships=ms, terms=terms))))
        result.deadlines.extend(self.regime.resolve(_flatten(
            hook.mentorship_deadlines(ctx=ctx, case=case, mentorships=ms, terms=terms))))

        if case.councils:
            if not self.regime.info.has_council:
                raise InputError(f"regime {self.regime.id} has no council of mentors",
                                 field="councils")
            result.findings.extend(self.regime.resolve(_flatten(
                hook.council_findings(ctx=ctx, case=case, councils=case.councils))))
            result.deadlines.extend(self.regime.resolve(_flatten(
                hook.council_deadlines(ctx=ctx, case=case, councils=case.councils))))
            for council in case.councils:
                for meeting in council.meetings:
                    outcome = self.outcome(council, meeting)
                    result.outcomes.append(outcome)
                    result.findings.extend(outcome.findings)
        return result

    def outcome(self, council, meeting) -> MeetingOutcome:
        answers = self.regime.resolve([a for a in self.hook.meeting_outcome(
            ctx=self.ctx, council=council, meeting=meeting) if a is not None])
        return _single(answers, f"outcome of meeting {meeting.id}",
                       lambda o: (o.quorate, {k: d.adopted for k, d in o.decisions.items()}))

    def may_assign(self, case: Case, mentor_id: str, mentee_id: str, on: dt.date,
                   kind: str | None = None, planned: Mentorship | None = None) -> AssignmentCheck:
        """May ``mentor_id`` be assigned to ``mentee_id`` from ``on``? With the findings why.

        ``planned`` describes a mentorship about to be opened (its term as the order states
        it); without it, the mentee's running mentorship, or a new one from ``on``."""
        for pid, field_name in ((mentor_id, "mentor"), (mentee_id, "mentee")):
            if pid not in case.people:
                raise InputError(f"no person {pid!r}", field=field_name)
        if mentor_id == mentee_id:
            raise InputError("a person cannot mentor themselves", field="mentor")
        return self.candidates(case, mentee_id, on, kind, planned, only=[mentor_id])[0]

    def candidates(self, case: Case, mentee_id: str, on: dt.date, kind: str | None = None,
                   planned: Mentorship | None = None, only=None) -> list[AssignmentCheck]:
        """Every person (or those in ``only``) as a candidate mentor of ``mentee_id`` from
        ``on``: eligibility in one batch, capacity over the planned term, the exception
        rule for its own choice. The mentee's own mentorships do not count as load."""
        if mentee_id not in case.people:
            raise InputError(f"no person {mentee_id!r}", field="mentee")
        probe, findings = self._probe(case, mentee_id, on, kind, planned)
        term = self.terms(case, [probe]).get(probe.id)
        end = (term.planned_end if term else None) or FAR_FUTURE
        intervals_by_mentor = self._intervals(case, exclude_mentee=mentee_id)
        people = case.people
        mentee = people[mentee_id].on(on)
        ids = [pid for pid in (only if only is not None else people) if pid != mentee_id]
        subjects = {pid: f"{mentee_id}<-{pid}@{on.isoformat()}" for pid in ids}
        eligibility = self.eligibility(case, [Candidacy(subjects[pid], people[pid].on(on), mentee,
                                                        probe.kind, on) for pid in ids])
        out = []
        for pid in ids:
            subject = subjects[pid]
            found = list(eligibility[subject])
            excess = self._load_excess(intervals_by_mentor.get(pid, ()), on, end, pid, case)
            if excess:
                found.append(self._capacity_finding(subject, pid, excess))
            found, fallback = self._apply_fallback(case, subject, pid, mentee, probe.kind, on,
                                                   found, intervals_by_mentor, end)
            found = [Finding(f.rule, subject, f.facts, f.severity) for f in findings] + found
            out.append(AssignmentCheck(pid, mentee_id, on, not self._has_violation(found),
                                       found, fallback, self.ctx.trace, probe.kind))
        names = _Names(case)
        for check in out:
            names.apply(check.findings)
        return out

    def _probe(self, case, mentee_id, on, kind, planned):
        """The mentorship an assignment would join, and its coverage findings."""
        subject = f"{mentee_id}@{on.isoformat()}"
        if planned is not None:
            probe = Mentorship(id=subject, mentee=mentee_id, kind=kind or planned.kind,
                               start=planned.start, joined_on=planned.joined_on,
                               planned_end=planned.planned_end, term_months=planned.term_months,
                               attributes=planned.attributes)
        else:
            existing = next((m for m in self._mentorships_of(case, mentee_id)
                             if m.start <= on and (m.ended_on is None or on <= m.ended_on)), None)
            probe = Mentorship(id=subject, mentee=mentee_id, kind=kind, start=on, joined_on=on)
            if existing is not None:
                probe = Mentorship(id=subject, mentee=mentee_id, kind=kind or existing.kind,
                                   start=existing.start, joined_on=existing.joined_on,
                                   planned_end=existing.planned_end,
                                   term_months=existing.term_months,
                                   attributes=existing.attributes)
        findings = []
        cov = self.coverage(case, [probe]).get(subject)
        if cov is not None:
            if not cov.covered:
                findings.append(Finding(cov.rule, subject, cov.facts))
            probe.kind = probe.kind or cov.kind
        return probe, findings

    def loads(self, case: Case, on: dt.date) -> dict[str, list[str]]:
        """Each mentor's mentorships running on ``on``, counted as capacity counts them
        (an assignment runs to its end, else the mentorship's end, else its planned end)."""
        out: dict[str, list[str]] = {}
        for mentor, intervals in self._intervals(case).items():
            running = [Subject(subject).owner for start, end, subject in intervals
                       if start <= on <= end]
            if running:
                out[mentor] = running
        return out

    def _intervals(self, case: Case, exclude_mentee: str | None = None):
        """Each mentor's (start, end, subject) assignment intervals; without those of the
        mentorships of ``exclude_mentee`` when given."""
        memo = self._intervals_of
        if memo is None or memo[0] is not case:
            memo = self._intervals_of = (case, self._all_intervals(case))
        intervals = memo[1]
        if exclude_mentee is None:
            return intervals
        excluded = {m.id for m in self._mentorships_of(case, exclude_mentee)}
        return _Without(intervals, excluded) if excluded else intervals

    def _mentorships_of(self, case: Case, mentee: str) -> list:
        """The mentee's mentorships in case order (an index built once per case)."""
        memo = self._by_mentee
        if memo is None or memo[0] is not case:
            index: dict[str, list] = {}
            for m in case.mentorships:
                index.setdefault(m.mentee, []).append(m)
            memo = self._by_mentee = (case, index)
        return memo[1].get(mentee, [])

    def _all_intervals(self, case: Case) -> dict:
        terms = self.terms(case, case.mentorships)
        out: dict[str, list] = {}
        for m in case.mentorships:
            term = terms.get(m.id)
            default_end = m.ended_on or (term.planned_end if term else None) or FAR_FUTURE
            for n, a in enumerate(m.assignments, 1):
                out.setdefault(a.mentor, []).append((a.start, a.end or default_end, assignment_subject(m.id, n)))
        return out


class _Without:
    """Intervals by mentor, leaving out those of some mentorships (read-only, ``get``)."""

    def __init__(self, intervals: dict, mentorships: set):
        self._intervals, self._mentorships = intervals, mentorships

    def get(self, mentor, default=()):
        found = self._intervals.get(mentor)
        if found is None:
            return default
        return [i for i in found if Subject(i[2]).owner not in self._mentorships]


#: facts that hold a person's id (personnel number): a message shows the person's name
PERSON_FACTS = frozenset({"mentor", "mentee", "member", "chair", "person", "manager", "voters"})
#: facts that hold the subjects of other mentorships: a message shows their mentees' names
MENTORSHIP_FACTS = frozenset({"others"})
# and ``meeting`` / ``item`` (ids): a message shows the meeting's date, the item's title


class _Names:
    """Names for the ids rules put in their facts, so that messages speak of people, not
    of personnel numbers or mentorship ids; the ids stay for programs (``to_json``)."""

    def __init__(self, case: Case):
        self.case = case

    @cached_property
    def _mentees(self) -> dict:
        return {m.id: m.mentee for m in self.case.mentorships}

    @cached_property
    def _meetings(self) -> dict:
        return {mt.id: mt for c in self.case.councils for mt in c.meetings}

    @cached_property
    def _items(self) -> dict:
        return {it.id: (n, it) for c in self.case.councils for mt in c.meetings
                for n, it in enumerate(mt.items, 1)}

    def meeting(self, mid):
        meeting = self._meetings.get(mid) if isinstance(mid, str) else None
        return Named(mid, meeting.date) if meeting is not None else mid

    def item(self, iid):
        found = self._items.get(iid) if isinstance(iid, str) else None
        if found is None:
            return iid
        n, item = found
        return Named(iid, item.title or str(n))

    def person(self, pid):
        person = self.case.people.get(pid) if isinstance(pid, str) else None
        return Named(pid, person.name) if person is not None and person.name else pid

    def mentorship(self, subject):
        if not isinstance(subject, str):
            return subject
        mentee = self._mentees.get(Subject(subject).owner)
        named = self.person(mentee) if mentee is not None else None
        return Named(subject, named.name) if isinstance(named, Named) else subject

    def apply(self, findings) -> None:
        namers = {**{k: self.person for k in PERSON_FACTS},
                  **{k: self.mentorship for k in MENTORSHIP_FACTS},
                  "meeting": self.meeting, "item": self.item}
        for finding in findings:
            facts = finding.facts
            if not facts or not (facts.keys() & namers.keys()):
                continue
            named = dict(facts)
            for key in facts.keys() & namers.keys():
                value, name = facts[key], namers[key]
                named[key] = ([name(v) for v in value] if isinstance(value, (list, tuple))
                              else name(value))
            finding.facts = named
