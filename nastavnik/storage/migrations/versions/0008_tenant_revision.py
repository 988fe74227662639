"""tenant.revision: a counter of the transactions that changed a tenant's data; an index
on people's managers

Every writing transaction raises the revision in the same transaction (storage.revision);
reads remembered in a worker (services.cache) are keyed by it. Without the index, every
foreign-key check of a person deleted or renumbered, and every insert SQLite checks while a
manager is still owed in an import, scans the tenant's people.

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('tenant', sa.Column('revision', sa.BigInteger(), nullable=False,
                                      server_default='0'))
    op.create_index('ix_person_tenant_id_manager_id', 'person', ['tenant_id', 'manager_id'])


def downgrade():
    op.drop_index('ix_person_tenant_id_manager_id', table_name='person')
    with op.batch_alter_table('tenant') as batch:
        batch.drop_column('revision')
