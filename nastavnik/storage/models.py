"""The system of record: tenants and what the regulations talk about.

Every tenant-owned table has the primary key ``(tenant_id, id)`` and refers to other rows
of the same tenant through composite foreign keys ``(tenant_id, x_id)``: a row can never
point at another tenant's person, and the schema can be distributed by ``tenant_id`` (as
Citus does for multi-tenant apps). Ids are UUIDs made by the application, so no sequence
is shared between tenants or shards.
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from .database import Database


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


db = Database(Base)

LOCALES = ("ru", "kk", "en")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Tenant(db.Model):
    """An agency using the platform under one regime."""

    __tablename__ = "tenant"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(63), unique=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    regime: Mapped[str] = mapped_column(sa.String(63))
    # the regime's amendments the tenant has chosen (entry-point names), sorted
    amendments: Mapped[list] = mapped_column(sa.JSON, default=list, server_default="[]")
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    locale: Mapped[str] = mapped_column(sa.String(2), default="ru")
    extra_days_off: Mapped[list] = mapped_column(sa.JSON, default=list)  # ISO dates
    extra_working_days: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=_now)
    # raised by every transaction that changes the tenant's data (storage.revision): what
    # a cached read of the data is keyed by
    revision: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    # what the kept results (kept_*) were worked out under: the regime's rules, amendments,
    # settings and calendar (services.results.fingerprint); None: never, or out of date
    results_fingerprint: Mapped[str | None] = mapped_column(sa.String(64))
    # the revision the kept results follow: behind ``revision`` when a change got past them
    results_revision: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")

    __table_args__ = (sa.CheckConstraint("locale in ('ru', 'kk', 'en')", name="locale"),)


def _same_tenant_fk(columns: list[str], target: str, ondelete: str | None = None):
    """A foreign key through the tenant: (tenant_id, x_id) -> target(tenant_id, id)."""
    return sa.ForeignKeyConstraint(["tenant_id", *columns],
                                   [f"{target}.tenant_id", f"{target}.id"], ondelete=ondelete)


class TenantOwned:
    """Rows of one tenant. Scoping is enforced in ``storage.tenancy``, not per query."""

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(sa.Integer, sa.ForeignKey("tenant.id"), primary_key=True)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)


class Person(TenantOwned, db.Model):
    """A member of staff: a mentee, a mentor, a manager, a council member."""

    __tablename__ = "person"
    number: Mapped[str] = mapped_column(sa.String(63))  # personnel number, the human key
    full_name: Mapped[str] = mapped_column(sa.String(255))
    unit: Mapped[str | None] = mapped_column(sa.String(255))
    position: Mapped[str | None] = mapped_column(sa.String(255))
    manager_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    hired_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    attributes: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # regime's person schema

    __table_args__ = (sa.UniqueConstraint("tenant_id", "number"),
                      _same_tenant_fk(["manager_id"], "person"),
                      sa.Index(None, "tenant_id", "full_name"),
                      sa.Index(None, "tenant_id", "manager_id"),
                      sa.Index(None, "tenant_id", "unit"))


class PersonVersion(TenantOwned, db.Model):
    """A person's facts (unit, position, manager, regime's attributes) as they hold from
    ``valid_from`` until the next version's: what the rules read as of a date. The
    person row keeps the latest version's values, for listing."""

    __tablename__ = "person_version"
    person_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    valid_from: Mapped[dt.date] = mapped_column(sa.Date)
    unit: Mapped[str | None] = mapped_column(sa.String(255))
    position: Mapped[str | None] = mapped_column(sa.String(255))
    manager_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    attributes: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    # the unique constraint is also the index a person's history is read by
    __table_args__ = (_same_tenant_fk(["person_id"], "person", ondelete="CASCADE"),
                      _same_tenant_fk(["manager_id"], "person"),
                      sa.UniqueConstraint("tenant_id", "person_id", "valid_from"),
                      sa.Index(None, "tenant_id", "unit"),
                      sa.Index(None, "tenant_id", "manager_id"))


class Mentorship(TenantOwned, db.Model):
    __tablename__ = "mentorship"
    mentee_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    kind: Mapped[str | None] = mapped_column(sa.String(63))
    start: Mapped[dt.date] = mapped_column(sa.Date)
    joined_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    planned_end: Mapped[dt.date | None] = mapped_column(sa.Date)  # as stated by the order
    term_months: Mapped[int | None] = mapped_column(sa.Integer)  # as stated by the order
    ended_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(15), default="open")
    attributes: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # regime's mentorship schema

    __table_args__ = (_same_tenant_fk(["mentee_id"], "person"),
                      sa.CheckConstraint("status in ('open', 'closed')", name="status"),
                      sa.CheckConstraint("ended_on is null or ended_on >= start", name="dates"),
                      sa.Index(None, "tenant_id", "mentee_id"),
                      sa.Index(None, "tenant_id", "status", "start"))


class Assignment(TenantOwned, db.Model):
    """A mentor's period within a mentorship, by order of the head."""

    __tablename__ = "assignment"
    mentorship_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    mentor_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    start: Mapped[dt.date] = mapped_column(sa.Date)
    end: Mapped[dt.date | None] = mapped_column(sa.Date)
    end_reason: Mapped[str | None] = mapped_column(sa.String(31))
    order_number: Mapped[str | None] = mapped_column(sa.String(63))
    order_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    fallback: Mapped[bool] = mapped_column(sa.Boolean, default=False)  # under an exception rule
    attributes: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # regime's assignment schema

    __table_args__ = (_same_tenant_fk(["mentorship_id"], "mentorship"),
                      _same_tenant_fk(["mentor_id"], "person"),
                      sa.CheckConstraint('"end" is null or "end" >= start', name="dates"),
                      sa.Index(None, "tenant_id", "mentor_id"),
                      sa.Index(None, "tenant_id", "mentorship_id"),
                      sa.Index(None, "tenant_id", "end"))


class Absence(TenantOwned, db.Model):
    __tablename__ = "absence"
    person_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    start: Mapped[dt.date] = mapped_column(sa.Date)
    end: Mapped[dt.date] = mapped_column(sa.Date)
    valid_reason: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    reason: Mapped[str] = mapped_column(sa.String(255), default="")

    __table_args__ = (_same_tenant_fk(["person_id"], "person"),
                      sa.CheckConstraint('"end" >= start', name="dates"),
                      sa.Index(None, "tenant_id", "person_id"))


class Paper(TenantOwned, db.Model):
    """A paper the tenant's regime requires, recorded done (its kinds are the regime's)."""

    __tablename__ = "paper"
    mentorship_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    kind: Mapped[str] = mapped_column(sa.String(31))
    done_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    approved_by: Mapped[str | None] = mapped_column(sa.String(255))
    attributes: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # the regime's fields

    __table_args__ = (_same_tenant_fk(["mentorship_id"], "mentorship"),
                      sa.UniqueConstraint("tenant_id", "mentorship_id", "kind"))


class Council(TenantOwned, db.Model):
    """A council of mentors (prosecutor_2022 p.18-22)."""

    __tablename__ = "council"
    name: Mapped[str] = mapped_column(sa.String(255))
    created_on: Mapped[dt.date] = mapped_column(sa.Date)
    order_number: Mapped[str | None] = mapped_column(sa.String(63))
    order_date: Mapped[dt.date | None] = mapped_column(sa.Date)


class CouncilMember(TenantOwned, db.Model):
    __tablename__ = "council_member"
    council_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    role: Mapped[str] = mapped_column(sa.String(15), default="member")
    basis: Mapped[str | None] = mapped_column(sa.String(63))  # qualification ground
    attributes: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    __table_args__ = (_same_tenant_fk(["council_id"], "council"),
                      _same_tenant_fk(["person_id"], "person"),
                      sa.UniqueConstraint("tenant_id", "council_id", "person_id"),
                      sa.CheckConstraint("role in ('chair', 'deputy_chair', 'secretary', 'member')",
                                         name="role"))


class Meeting(TenantOwned, db.Model):
    __tablename__ = "meeting"
    council_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    date: Mapped[dt.date] = mapped_column(sa.Date)

    __table_args__ = (_same_tenant_fk(["council_id"], "council"),)


class Attendance(TenantOwned, db.Model):
    __tablename__ = "attendance"
    meeting_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)

    __table_args__ = (_same_tenant_fk(["meeting_id"], "meeting", ondelete="CASCADE"),
                      _same_tenant_fk(["person_id"], "person"),
                      sa.UniqueConstraint("tenant_id", "meeting_id", "person_id"))


class AgendaItem(TenantOwned, db.Model):
    __tablename__ = "agenda_item"
    meeting_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    position: Mapped[int] = mapped_column(sa.Integer)
    title: Mapped[str] = mapped_column(sa.String(500))
    hearing_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)  # a mentorship heard

    __table_args__ = (_same_tenant_fk(["meeting_id"], "meeting"),
                      _same_tenant_fk(["hearing_id"], "mentorship"),
                      sa.UniqueConstraint("tenant_id", "meeting_id", "position"),
                      # the hearings of a mentorship: what a change of it reads (services.results)
                      sa.Index(None, "tenant_id", "hearing_id"))


class Vote(TenantOwned, db.Model):
    __tablename__ = "vote"
    agenda_item_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    person_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    vote: Mapped[str] = mapped_column(sa.String(7))

    __table_args__ = (_same_tenant_fk(["agenda_item_id"], "agenda_item"),
                      _same_tenant_fk(["person_id"], "person"),
                      sa.UniqueConstraint("tenant_id", "agenda_item_id", "person_id"),
                      sa.CheckConstraint("vote in ('for', 'against', 'abstain')", name="vote"))


class AuditEntry(TenantOwned, db.Model):
    """Who changed what, when, with the row before and after. Written by
    ``storage.audit`` on every flush; the application role may not update or delete it."""

    __tablename__ = "audit_entry"
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=_now)
    actor: Mapped[str] = mapped_column(sa.String(255))
    action: Mapped[str] = mapped_column(sa.String(7))  # create | update | delete
    entity: Mapped[str] = mapped_column(sa.String(31))
    entity_id: Mapped[str] = mapped_column(sa.String(36))  # a row's uuid, or a tenant's id
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)

    __table_args__ = (sa.Index(None, "tenant_id", "entity", "entity_id"),
                      sa.Index(None, "tenant_id", "at"))


#: every tenant-owned table, in an order that respects foreign keys
TENANT_TABLES = ("person", "mentorship", "assignment", "absence", "paper", "council",
                 "council_member", "meeting", "attendance", "agenda_item", "vote",
                 "work_scheme", "work_type", "work_action", "work_record", "mentee_assessment",
                 "document_template",
                 "person_version",
                 "kept_owner", "kept_finding", "kept_deadline", "kept_tally",
                 "audit_entry")

#: tables of results worked out from the others (services.results): writing them is not a
#: change of the tenant's data
DERIVED_TABLES = frozenset({"kept_owner", "kept_finding", "kept_deadline", "kept_tally"})


# --- work standards (prosecutor work standards order No. 159 of 26.12.2015) -------------------

class WorkScheme(TenantOwned, db.Model):
    """One version of a technological scheme (work standards p.2, p.5): the work of one
    position in one activity direction. A version is a draft until approved (p.6: by the
    head of the structural unit; p.8: coordinated with the HR department); an approved
    version is in force from its date until the next approved version's date."""

    __tablename__ = "work_scheme"
    position: Mapped[str] = mapped_column(sa.String(255))
    direction: Mapped[str] = mapped_column(sa.String(255))
    version: Mapped[int] = mapped_column(sa.Integer)
    status: Mapped[str] = mapped_column(sa.String(15), default="draft")
    approved_by: Mapped[str | None] = mapped_column(sa.String(255))
    approved_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    hr_coordinated_by: Mapped[str | None] = mapped_column(sa.String(255))
    hr_coordinated_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    in_force_from: Mapped[dt.date | None] = mapped_column(sa.Date)
    source: Mapped[str | None] = mapped_column(sa.String(255))  # file it was imported from
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=_now)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "position", "direction", "version"),
                      sa.CheckConstraint("status in ('draft', 'approved')", name="status"),
                      sa.CheckConstraint("status = 'draft' or (approved_by is not null and "
                                         "approved_on is not null and in_force_from is not null)",
                                         name="approval"),
                      sa.CheckConstraint("version >= 1", name="version"))


class WorkType(TenantOwned, db.Model):
    """A type of work within a scheme (work standards p.5(1))."""

    __tablename__ = "work_type"
    scheme_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    position: Mapped[int] = mapped_column(sa.Integer)  # order in the scheme
    title: Mapped[str] = mapped_column(sa.String(500))

    __table_args__ = (_same_tenant_fk(["scheme_id"], "work_scheme"),
                      sa.UniqueConstraint("tenant_id", "scheme_id", "title"))


class WorkAction(TenantOwned, db.Model):
    """An exact action of a type of work (p.5(2)) with its time norm (p.5(3)) and the
    requirement on its result (p.5(4))."""

    __tablename__ = "work_action"
    scheme_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    work_type_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    position: Mapped[int] = mapped_column(sa.Integer)
    code: Mapped[str] = mapped_column(sa.String(63))  # unique within the scheme version
    title: Mapped[str] = mapped_column(sa.String(500))
    time_norm_minutes: Mapped[int] = mapped_column(sa.Integer)
    result_requirement: Mapped[str] = mapped_column(sa.Text)

    __table_args__ = (_same_tenant_fk(["scheme_id"], "work_scheme"),
                      _same_tenant_fk(["work_type_id"], "work_type"),
                      sa.UniqueConstraint("tenant_id", "scheme_id", "code"),
                      sa.CheckConstraint("time_norm_minutes > 0", name="time_norm"))


class WorkRecord(TenantOwned, db.Model):
    """Work a person did against an action of a scheme version: how many times in a
    period, and how many of the results met the action's requirement."""

    __tablename__ = "work_record"
    person_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    action_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    period_start: Mapped[dt.date] = mapped_column(sa.Date)
    period_end: Mapped[dt.date] = mapped_column(sa.Date)
    count: Mapped[int] = mapped_column(sa.Integer)
    results_met: Mapped[int] = mapped_column(sa.Integer)
    note: Mapped[str] = mapped_column(sa.String(500), default="")

    __table_args__ = (_same_tenant_fk(["person_id"], "person"),
                      _same_tenant_fk(["action_id"], "work_action"),
                      sa.CheckConstraint("period_end >= period_start", name="dates"),
                      sa.CheckConstraint("count > 0", name="count"),
                      sa.CheckConstraint("results_met >= 0 and results_met <= count",
                                         name="results_met"),
                      sa.Index(None, "tenant_id", "person_id", "period_start"),
                      sa.Index(None, "tenant_id", "action_id"))


class MenteeAssessment(TenantOwned, db.Model):
    """Stage 3 of a prosecutor mentorship (prosecutor_2022 p.6(3), p.11): the mentor's or
    the direct manager's assessment of the mentee's level of professional training, work
    efficiency, legal culture and ability to perform the duties."""

    __tablename__ = "mentee_assessment"
    mentorship_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    assessor_role: Mapped[str] = mapped_column(sa.String(15))  # mentor | manager
    assessor_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    assessed_on: Mapped[dt.date] = mapped_column(sa.Date)
    training_level: Mapped[str] = mapped_column(sa.Text, default="")
    work_efficiency: Mapped[str] = mapped_column(sa.Text, default="")
    legal_culture: Mapped[str] = mapped_column(sa.Text, default="")
    ability: Mapped[str] = mapped_column(sa.Text, default="")
    conclusion: Mapped[str] = mapped_column(sa.Text, default="")

    __table_args__ = (_same_tenant_fk(["mentorship_id"], "mentorship"),
                      _same_tenant_fk(["assessor_id"], "person"),
                      sa.UniqueConstraint("tenant_id", "mentorship_id", "assessor_role"),
                      sa.CheckConstraint("assessor_role in ('mentor', 'manager')",
                                         name="assessor_role"))


class DocumentTemplate(TenantOwned, db.Model):
    """A tenant's own template of one of its regime's papers in one language, replacing
    the template the regime's plugin ships (the Word file, Jinja tags as docxtpl reads
    them). Checked by rendering sample data before it is stored."""

    __tablename__ = "document_template"
    regime: Mapped[str] = mapped_column(sa.String(63))
    paper: Mapped[str] = mapped_column(sa.String(63))
    language: Mapped[str] = mapped_column(sa.String(2))
    filename: Mapped[str] = mapped_column(sa.String(255))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    uploaded_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=_now)

    __table_args__ = (sa.UniqueConstraint("tenant_id", "regime", "paper", "language"),
                      sa.CheckConstraint("language in ('ru', 'kk', 'en')", name="language"))


# --- kept results (services.results): the findings and deadlines of the rules, per owner ----

class KeptOwner(TenantOwned, db.Model):
    """A mentorship or council whose results are kept (``id`` is its own id), with what of
    them is not a finding or deadline: the mentorship's term, the council's meeting
    outcomes; and whether its evaluation searched the whole staff (civil service p.8's
    "nobody eligible"), which any person's change may alter."""

    __tablename__ = "kept_owner"
    kind: Mapped[str] = mapped_column(sa.String(15))  # mentorship | council
    closed: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    reads_staff: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # of such a search: {subject: the eligible people it found (none: the exception applied)}
    staff_found: Mapped[dict | None] = mapped_column(sa.JSON)
    # a mentorship's last day as capacity counts it: its end, else its planned end
    last_day: Mapped[dt.date | None] = mapped_column(sa.Date)
    term: Mapped[dict | None] = mapped_column(sa.JSON)
    outcomes: Mapped[list | None] = mapped_column(sa.JSON)

    __table_args__ = (sa.CheckConstraint("kind in ('mentorship', 'council')", name="kind"),
                      sa.Index(None, "tenant_id", "reads_staff"),
                      sa.Index(None, "tenant_id", "last_day"))


class KeptFinding(TenantOwned, db.Model):
    """A finding as the rules gave it (``data``: its JSON with the message in every
    language), kept until its owner is evaluated again."""

    __tablename__ = "kept_finding"
    owner: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    subject: Mapped[str] = mapped_column(sa.String(255))
    rule: Mapped[str] = mapped_column(sa.String(127))
    severity: Mapped[str] = mapped_column(sa.String(15))
    closed: Mapped[bool] = mapped_column(sa.Boolean, default=False)  # its mentorship's
    mentee: Mapped[str | None] = mapped_column(sa.String(63))  # personnel number
    position: Mapped[int] = mapped_column(sa.Integer)  # the order the rules gave it in
    data: Mapped[dict] = mapped_column(sa.JSON)

    __table_args__ = (_same_tenant_fk(["owner"], "kept_owner", ondelete="CASCADE"),
                      sa.Index(None, "tenant_id", "owner"),
                      sa.Index(None, "tenant_id", "closed", "severity"))


class KeptDeadline(TenantOwned, db.Model):
    """A deadline as the rules gave it; its status (due, due soon, overdue, done, done
    late) is worked out when read, from ``due`` and ``done_on`` and the day."""

    __tablename__ = "kept_deadline"
    owner: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    subject: Mapped[str] = mapped_column(sa.String(255))
    rule: Mapped[str] = mapped_column(sa.String(127))
    kind: Mapped[str] = mapped_column(sa.String(63))
    due: Mapped[dt.date] = mapped_column(sa.Date)
    done_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    closed: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    mentee: Mapped[str | None] = mapped_column(sa.String(63))
    data: Mapped[dict] = mapped_column(sa.JSON)

    __table_args__ = (_same_tenant_fk(["owner"], "kept_owner", ondelete="CASCADE"),
                      sa.Index(None, "tenant_id", "owner"),
                      sa.Index(None, "tenant_id", "due"),
                      sa.Index(None, "tenant_id", "done_on"),
                      # what is not done, by due date: the first overdue and due soon
                      sa.Index("ix_kept_deadline_tenant_id_not_done", "tenant_id", "due",
                               "subject", "kind", postgresql_where=sa.text("done_on IS NULL"),
                               sqlite_where=sa.text("done_on IS NULL")))


class KeptTally(TenantOwned, db.Model):
    """How many kept results there are of each kind, kept with them so that a report's
    counts read a few hundred rows, not every deadline: deadlines not done by their due
    date (``state`` "open"; statuses follow from the day), done on time ("done") or late
    ("done_late"), those of closed mentorships only while not done; findings of open
    mentorships by severity (``state``). ``id`` is made from (what, state, due), so that
    adding to a count is one upsert."""

    __tablename__ = "kept_tally"
    what: Mapped[str] = mapped_column(sa.String(15))  # deadline | finding
    state: Mapped[str] = mapped_column(sa.String(15))
    due: Mapped[dt.date | None] = mapped_column(sa.Date)  # of open deadlines only
    n: Mapped[int] = mapped_column(sa.Integer)
