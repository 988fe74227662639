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
    mentee = sa.select(staff.c.unit, levels.c.level).join(
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
