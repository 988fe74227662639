"""kept counts and the indexes the dashboard reads by: kept_tally (how many kept deadlines
and findings of each kind, brought up to date with them), what is not done by due date,
the days mentorships and assignments run to, open mentorships by start, people by unit
and by manager in their versions

A downgrade drops them; the counts are worked out again from the kept results.

Revision ID: 0015
Revises: 0014
"""
from alembic import op
import sqlalchemy as sa

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

CURRENT = "nullif(current_setting('app.tenant_id', true), '')::integer"
NOT_DONE = sa.text("done_on IS NULL")
INDEXES = (("ix_kept_owner_tenant_id_last_day", "kept_owner", ["tenant_id", "last_day"]),
           ("ix_kept_deadline_tenant_id_done_on", "kept_deadline", ["tenant_id", "done_on"]),
           ("ix_assignment_tenant_id_end", "assignment", ["tenant_id", "end"]),
           # a mentee's unit, and who manages whom, as of a day (services.ranking)
           ("ix_person_tenant_id_unit", "person", ["tenant_id", "unit"]),
           ("ix_person_version_tenant_id_unit", "person_version", ["tenant_id", "unit"]),
           ("ix_person_version_tenant_id_manager_id", "person_version", ["tenant_id", "manager_id"]))


def upgrade():
    op.create_table(
        'kept_tally',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('what', sa.String(15), nullable=False),
        sa.Column('state', sa.String(15), nullable=False),
        sa.Column('due', sa.Date()),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name='fk_kept_tally_tenant_id_tenant'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name='pk_kept_tally'))
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    op.create_index("ix_kept_deadline_tenant_id_not_done", "kept_deadline",
                    ["tenant_id", "due", "subject", "kind"], postgresql_where=NOT_DONE,
                    sqlite_where=NOT_DONE)
    op.drop_index("ix_mentorship_tenant_id_status", table_name="mentorship")
    op.create_index("ix_mentorship_tenant_id_status_start", "mentorship",
                    ["tenant_id", "status", "start"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE kept_tally ENABLE ROW LEVEL SECURITY")
        op.execute("CREATE POLICY tenant_isolation ON kept_tally "
                   f"USING (tenant_id = {CURRENT}) WITH CHECK (tenant_id = {CURRENT})")
    # the counts of results kept so far: a whole re-evaluation is asked for
    op.execute("UPDATE tenant SET results_fingerprint = NULL")


def downgrade():
    op.drop_index("ix_mentorship_tenant_id_status_start", table_name="mentorship")
    op.create_index("ix_mentorship_tenant_id_status", "mentorship", ["tenant_id", "status"])
    op.drop_index("ix_kept_deadline_tenant_id_not_done", table_name="kept_deadline")
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_table('kept_tally')
