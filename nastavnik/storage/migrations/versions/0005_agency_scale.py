"""indexes for agency-scale tenants (issue 6)

Open mentorships are what every sweep, dashboard and capacity check reads first; people
are listed and searched by name. ``tenant.revision`` counts the transactions that changed
a tenant's data: cached reads (services.cache) are keyed by it.

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


import sqlalchemy as sa


def upgrade():
    op.add_column('tenant', sa.Column('revision', sa.BigInteger(), nullable=False,
                                      server_default='0'))
    op.create_index('ix_mentorship_tenant_id_status', 'mentorship', ['tenant_id', 'status'])
    op.create_index('ix_person_tenant_id_full_name', 'person', ['tenant_id', 'full_name'])


def downgrade():
    op.drop_index('ix_person_tenant_id_full_name', table_name='person')
    op.drop_index('ix_mentorship_tenant_id_status', table_name='mentorship')
    op.drop_column('tenant', 'revision')
