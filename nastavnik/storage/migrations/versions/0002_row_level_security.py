"""row-level security on every tenant-owned table (PostgreSQL)

Each transaction of the application sets ``app.tenant_id`` (storage.tenancy); these
policies make PostgreSQL itself show and accept only that tenant's rows, even to raw SQL.
They bind roles that neither own the tables nor are superusers: the application's role.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

TABLES = ("person", "mentorship", "assignment", "absence", "paper", "council",
          "council_member", "meeting", "attendance", "agenda_item", "vote", "audit_entry")
CURRENT = "nullif(current_setting('app.tenant_id', true), '')::integer"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant_isolation ON {table} "
                   f"USING (tenant_id = {CURRENT}) WITH CHECK (tenant_id = {CURRENT})")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP POLICY tenant_isolation ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
