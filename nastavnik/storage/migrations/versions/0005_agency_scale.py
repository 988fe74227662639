"""indexes for agency-scale tenants (issue 6)

Open mentorships are what every sweep, dashboard and capacity check reads first; people
are listed and searched by name.

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_mentorship_tenant_id_status', 'mentorship', ['tenant_id', 'status'])
    op.create_index('ix_person_tenant_id_full_name', 'person', ['tenant_id', 'full_name'])


def downgrade():
    op.drop_index('ix_person_tenant_id_full_name', table_name='person')
    op.drop_index('ix_mentorship_tenant_id_status', table_name='mentorship')
