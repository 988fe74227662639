"""The order in which people are offered as mentors of a mentee, worked out in the
database (services.suggestions asks the rules about them in this order).

The mentee's unit first; within it, by how far above the mentee a person stands in the
line of management (one level above, then the mentee's level, then further up, then
below; the head of the body, who has no manager and manages others, last); then the most
free places under the regime's limit on the day, then the longest time with the body.
Units and managers are read as they stood on the day (person_version), the load as the
rules count it (an assignment runs to its end, else its mentorship's end or planned end:
kept_owner.last_day)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..storage.models import Assignment, KeptOwner, Mentorship, Person, PersonVersion, db

FAR_FUTURE = dt.date(9999, 12, 31)
NO_LIMIT = 10**6


def _as_of(tenant_id: int, on: dt.date):
    """Each person's unit and manager as they stood on ``on``: the latest version from
    before it, else the first one, else the person row (as core.model.Person.on reads)."""
    v = PersonVersion
    latest = (sa.select(v.person_id, sa.func.max(v.valid_from).label("valid_from"))
              .where(v.tenant_id == tenant_id, v.valid_from <= on).group_by(v.person_id))
    first = (sa.select(v.person_id, sa.func.min(v.valid_from).label("valid_from"))
             .where(v.tenant_id == tenant_id).group_by(v.person_id))
    latest, first = latest.subquery(), first.subquery()
    chosen = sa.func.coalesce(latest.c.valid_from, first.c.valid_from)
    version = sa.orm.aliased(PersonVersion)
    p = Person
    return (sa.select(p.id, p.number, p.hired_on,
                      sa.func.coalesce(version.unit, p.unit).label("unit"),
                      sa.case((version.id.is_not(None), version.manager_id),
                              else_=p.manager_id).label("manager_id"))
            .outerjoin(latest, latest.c.person_id == p.id)
            .outerjoin(first, first.c.person_id == p.id)
            .outerjoin(version, sa.and_(version.tenant_id == p.tenant_id,
                                        version.person_id == p.id,
                                        version.valid_from == chosen))
            .where(p.tenant_id == tenant_id)).cte("staff")


def _levels(staff):
    """Person id -> level in the line of management (0: has no manager among the staff)."""
    known = sa.select(staff.c.id)
    root = (sa.select(staff.c.id, sa.literal(0).label("level"))
            .where(sa.or_(staff.c.manager_id.is_(None), staff.c.manager_id.not_in(known))))
    chain = root.cte("chain", recursive=True)
    below = (sa.select(staff.c.id, (chain.c.level + 1).label("level"))
             .join(chain, staff.c.manager_id == chain.c.id).where(chain.c.level < 64))
    return chain.union_all(below)


def _loads(tenant_id: int, on: dt.date, mentee_id):
    """Mentor id -> mentees on ``on``, the mentee's own mentorships left out."""
    a, o = Assignment, KeptOwner
    own = sa.select(Mentorship.id).where(Mentorship.tenant_id == tenant_id,
                                         Mentorship.mentee_id == mentee_id)
    return (sa.select(a.mentor_id, sa.func.count().label("load"))
            .outerjoin(o, sa.and_(o.tenant_id == a.tenant_id, o.id == a.mentorship_id))
            .where(a.tenant_id == tenant_id, a.start <= on,
                   sa.func.coalesce(a.end, o.last_day, FAR_FUTURE) >= on,
                   a.mentorship_id.not_in(own))
            .group_by(a.mentor_id).subquery())


def ranked(tenant_id: int, mentee_id, on: dt.date, capacity: int | None, leave_out=(),
           limit: int | None = None, offset: int = 0) -> list[str]:
    """Personnel numbers in rank order for the mentee (uuid) on ``on``, without the mentee
    and ``leave_out`` (numbers); ``capacity``: the regime's limit on that day, if any."""
    staff = _as_of(tenant_id, on)
    levels = _levels(staff).alias("levels")
    loads = _loads(tenant_id, on, mentee_id)
    manages = sa.select(staff.c.manager_id).where(staff.c.manager_id.is_not(None))
    # (outer: a mentee under a loop of managers has no level, but still a unit)
    mentee = sa.select(staff.c.unit, levels.c.level).outerjoin(
        levels, levels.c.id == staff.c.id).where(staff.c.id == mentee_id).subquery()
    level = sa.func.coalesce(levels.c.level, 0)
    gap = sa.func.coalesce(sa.select(mentee.c.level).scalar_subquery(), 0) - level
    unit = sa.select(mentee.c.unit).scalar_subquery()
    free = (capacity if capacity is not None else NO_LIMIT) - sa.func.coalesce(loads.c.load, 0)
    known = sa.select(staff.c.id)
    head = sa.and_(sa.or_(staff.c.manager_id.is_(None), staff.c.manager_id.not_in(known)),
                   staff.c.id.in_(manages))
    q = (sa.select(staff.c.number)
         .outerjoin(levels, levels.c.id == staff.c.id)
         .outerjoin(loads, loads.c.mentor_id == staff.c.id)
         .where(staff.c.id != mentee_id, staff.c.number.not_in(list(leave_out) or [""]))
         .order_by(sa.case((sa.and_(unit.is_not(None), staff.c.unit == unit), 0), else_=1),
                   sa.case((head, 1), else_=0),
                   sa.case((gap == 1, 0), (gap == 0, 1), (gap > 1, gap), else_=100 - gap),
                   free.desc(), sa.func.coalesce(staff.c.hired_on, dt.date.max),
                   staff.c.number)
         .limit(limit).offset(offset))
    return [n for (n,) in db.session.execute(q)]


def loads_of(tenant_id: int, on: dt.date, mentee_id, mentor_ids) -> dict:
    """Mentor id -> mentees on ``on`` (the mentee's own left out), for ``mentor_ids``."""
    loads = _loads(tenant_id, on, mentee_id)
    return dict(db.session.execute(sa.select(loads.c.mentor_id, loads.c.load)
                                   .where(loads.c.mentor_id.in_(mentor_ids))).all())


# -- the mentee's unit first, without ranking the whole staff ---------------------------------

def ranked_in_unit(tenant_id: int, mentee_id, on: dt.date, capacity: int | None,
                   leave_out=()) -> list[str]:
    """The first of ``ranked``: the people of the mentee's unit on ``on``, in the same
    order, worked out from them and the line of management above them only (a few
    index lookups, where ``ranked`` orders the whole staff). Empty when the mentee has
    no unit."""
    facts = _Facts(on)
    unit = facts.of([mentee_id]).get(mentee_id, (None, None))[0]
    if unit is None:
        return []
    p, v = Person, PersonVersion
    listed = _ids(sa.select(p.id).where(p.unit == unit)) | _ids(
        sa.select(v.person_id).where(v.unit == unit))
    members = [i for i, (u, _) in facts.of(listed).items() if u == unit and i != mentee_id]
    rows = db.session.execute(sa.select(p.id, p.number, p.hired_on).where(p.id.in_(members))
                              .order_by(p.number)).all()  # the database's order of numbers
    left_out = set(leave_out)
    rows = [r for r in rows if r.number not in left_out]
    if not rows:
        return []
    ids = [r.id for r in rows]
    level = facts.levels([mentee_id, *ids])
    managers = facts.managers_among(ids)
    loads = loads_of(tenant_id, on, mentee_id, ids)
    limit = capacity if capacity is not None else NO_LIMIT
    mentee_level = level[mentee_id]

    def key(row, position):
        gap = mentee_level - level[row.id]
        head = facts.is_top(row.id) and row.id in managers
        return (1 if head else 0, 0 if gap == 1 else 1 if gap == 0 else gap if gap > 1 else 100 - gap,
                -(limit - loads.get(row.id, 0)), row.hired_on or dt.date.max, position)
    order = sorted(enumerate(rows), key=lambda pr: key(pr[1], pr[0]))
    return [row.number for _, row in order]


MAX_LEVEL = 64  # as deep as _levels follows the line of management


class _Facts:
    """People's unit and manager as they stood on a day, read as ``_as_of`` reads them
    (the latest version from before the day, else the first, else the person row), for
    the people asked about, remembered."""

    def __init__(self, on: dt.date):
        self.on, self.known = on, {}

    def of(self, ids) -> dict:
        wanted = [i for i in ids if i not in self.known]
        if wanted:
            p, v = Person, PersonVersion
            versions: dict = {}
            for row in db.session.execute(sa.select(v.person_id, v.valid_from, v.unit, v.manager_id)
                                          .where(v.person_id.in_(wanted)).order_by(v.valid_from)):
                versions.setdefault(row.person_id, []).append(row)
            for pid, unit, manager in db.session.execute(
                    sa.select(p.id, p.unit, p.manager_id).where(p.id.in_(wanted))):
                held = versions.get(pid)
                if held:
                    before = [x for x in held if x.valid_from <= self.on]
                    chosen = before[-1] if before else held[0]
                    self.known[pid] = (chosen.unit if chosen.unit is not None else unit,
                                       chosen.manager_id)
                else:
                    self.known[pid] = (unit, manager)
        return {i: self.known[i] for i in ids if i in self.known}

    def levels(self, ids) -> dict:
        """Person id -> steps up to someone with no manager (0 when there is none within
        MAX_LEVEL steps, as for a loop of managers: ``_levels`` gives them none)."""
        chains = {i: [i] for i in ids}
        out = {}
        for _ in range(MAX_LEVEL + 1):
            tops = {chain[-1] for i, chain in chains.items() if i not in out}
            known = self.of(tops)
            self.of({m for _, m in known.values() if m is not None})  # one query a step
            for i, chain in chains.items():
                if i in out:
                    continue
                manager = known.get(chain[-1], (None, None))[1]
                if self.is_top(chain[-1]):
                    out[i] = len(chain) - 1 if len(chain) - 1 <= MAX_LEVEL else 0
                elif manager in chain:
                    out[i] = 0  # a loop: no one in it reaches the top
                else:
                    chain.append(manager)
            if len(out) == len(chains):
                break
        return {i: out.get(i, 0) for i in ids}

    def is_top(self, person_id) -> bool:
        """No manager among the staff on the day (``_levels``' level 0)."""
        manager = self.of([person_id]).get(person_id, (None, None))[1]
        return manager is None or not self.of([manager])

    def managers_among(self, ids) -> set:
        """Those of ``ids`` who manage someone on the day."""
        p, v = Person, PersonVersion
        below = _ids(sa.select(p.id).where(p.manager_id.in_(ids))) | _ids(
            sa.select(v.person_id).where(v.manager_id.in_(ids)))
        return {m for _, m in self.of(below).values()} & set(ids)


def _ids(statement) -> set:
    return {r[0] for r in db.session.execute(statement)}
