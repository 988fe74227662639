"""tenant.revision: a counter of the transactions that changed a tenant's data

Every writing transaction raises it in the same transaction (storage.revision); reads
remembered in a worker (services.cache) are keyed by it.

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


def downgrade():
    with op.batch_alter_table('tenant') as batch:
        batch.drop_column('revision')
