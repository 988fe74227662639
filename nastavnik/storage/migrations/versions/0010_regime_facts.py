"""regime-owned facts: ``attributes`` on mentorship and assignment

The facts one regulation reads (civil service p.5's head's decision, p.7's submission and
consent; prosecutors' p.9 internship end) leave the core's columns for a JSON object
validated by the tenant's regime (mentorship_schema, assignment_schema hooks). Every
stored value moves into ``attributes`` under the name the regime's schema gives it;
the downgrade moves them back (facts of other regimes have no column to go back to).

Revision ID: 0010
Revises: 0009
"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

#: table -> the old columns and their types, in the regime's attribute names
MOVED = {
    "mentorship": {"internship_end": sa.Date(), "head_decision_number": sa.String(63),
                   "head_decision_date": sa.Date()},
    "assignment": {"manager_submission": sa.Boolean(), "mentor_consent": sa.Boolean()},
}


def _table(name: str, columns: dict) -> sa.Table:
    return sa.table(name, sa.column("tenant_id", sa.Integer), sa.column("id", sa.Uuid),
                    sa.column("attributes", sa.JSON),
                    *(sa.column(k, t) for k, t in columns.items()))


def _json(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _parse(kind, value):
    if value is None:
        return None
    if isinstance(kind, sa.Date):
        return dt.date.fromisoformat(value)
    if isinstance(kind, sa.Boolean):
        return bool(value)
    return str(value)


def upgrade():
    # plain ALTERs, no batch copy: SQLite (3.35+) adds and drops these columns in place,
    # where copying the mentorship table would trip the foreign keys of its assignments
    bind = op.get_bind()
    for name, columns in MOVED.items():
        op.add_column(name, sa.Column('attributes', sa.JSON(), nullable=False,
                                      server_default=sa.text("'{}'")))
        t = _table(name, columns)
        rows = bind.execute(sa.select(t.c.tenant_id, t.c.id, *(t.c[k] for k in columns))
                            .where(sa.or_(*(t.c[k].isnot(None) for k in columns)))).all()
        for tenant_id, row_id, *values in rows:
            attrs = {k: _json(v) for k, v in zip(columns, values) if v is not None}
            bind.execute(t.update().where(t.c.tenant_id == tenant_id, t.c.id == row_id)
                         .values(attributes=attrs))
        for column in columns:
            op.drop_column(name, column)


def downgrade():
    bind = op.get_bind()
    for name, columns in MOVED.items():
        for column, kind in columns.items():
            op.add_column(name, sa.Column(column, kind, nullable=True))
        t = _table(name, columns)
        for tenant_id, row_id, attrs in bind.execute(
                sa.select(t.c.tenant_id, t.c.id, t.c.attributes)).all():
            values = {k: _parse(kind, (attrs or {}).get(k)) for k, kind in columns.items()}
            if any(v is not None for v in values.values()):
                bind.execute(t.update().where(t.c.tenant_id == tenant_id, t.c.id == row_id)
                             .values(**values))
        op.drop_column(name, 'attributes')
