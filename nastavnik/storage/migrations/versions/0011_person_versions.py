"""a person's facts in time (issue 13): person_version, one row per date a person's unit,
position, manager or regime attributes changed; the rules read a person as they stood on
the day they judge

Every existing person gets one version holding their stored values, with the first
version's id the person's own (so the copy is one INSERT ... SELECT, on any backend).
It holds from the person's hiring date, or, where none is recorded, from 1 January
1900: before their first version a person is read as that version (core.model), so the
date only orders the first version before any later one, which a change dated in the
past (after hiring) then follows. The person row keeps the latest version's values.

Tenant-owned: on PostgreSQL the row-level security policy of 0002.

Downgrade drops the table once each person has only the one version the person row
holds; with a history of several versions it refuses, as 0009's schema cannot hold it.

Revision ID: 0011
Revises: 0010
"""
import datetime as dt

from alembic import op
import sqlalchemy as sa

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

CURRENT = "nullif(current_setting('app.tenant_id', true), '')::integer"
FIRST_DAY = dt.date(1900, 1, 1)  # of a version whose person has no hiring date

person = sa.table("person", sa.column("tenant_id", sa.Integer), sa.column("id", sa.Uuid),
                  sa.column("unit", sa.String), sa.column("position", sa.String),
                  sa.column("manager_id", sa.Uuid), sa.column("hired_on", sa.Date),
                  sa.column("attributes", sa.JSON))


def upgrade():
    version = op.create_table('person_version',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('unit', sa.String(length=255), nullable=True),
    sa.Column('position', sa.String(length=255), nullable=True),
    sa.Column('manager_id', sa.Uuid(), nullable=True),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'manager_id'], ['person.tenant_id', 'person.id'], name=op.f('fk_person_version_tenant_id_manager_id_person')),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['person.tenant_id', 'person.id'], name=op.f('fk_person_version_tenant_id_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_person_version_tenant_id_tenant')),
    sa.PrimaryKeyConstraint('id', 'tenant_id', name=op.f('pk_person_version')),
    sa.UniqueConstraint('tenant_id', 'person_id', 'valid_from', name=op.f('uq_person_version_tenant_id_person_id_valid_from'))
    )
    op.execute(version.insert().from_select(
        ["tenant_id", "id", "person_id", "valid_from", "unit", "position", "manager_id",
         "attributes"],
        sa.select(person.c.tenant_id, person.c.id, person.c.id,
                  sa.func.coalesce(person.c.hired_on, sa.literal(FIRST_DAY, sa.Date)),
                  person.c.unit, person.c.position, person.c.manager_id,
                  sa.func.coalesce(person.c.attributes, sa.literal({}, sa.JSON)))))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE person_version ENABLE ROW LEVEL SECURITY")
        op.execute("CREATE POLICY tenant_isolation ON person_version "
                   f"USING (tenant_id = {CURRENT}) WITH CHECK (tenant_id = {CURRENT})")


def downgrade():
    several = op.get_bind().execute(sa.text(
        "SELECT count(*) FROM (SELECT person_id FROM person_version "
        "GROUP BY tenant_id, person_id HAVING count(*) > 1) AS h")).scalar()
    if several:
        raise RuntimeError(f"{several} people have a history of several versions, which the "
                           "schema before 0011 cannot hold; downgrade refused")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY tenant_isolation ON person_version")
    op.drop_table('person_version')
