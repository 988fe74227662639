"""tenant.amendments: the amendments of its regime a tenant has chosen (entry-point names
in ``nastavnik.amendments``), a JSON list; every tenant starts with none

A downgrade drops the column: the schema before it has no place for a tenant's
amendments, and without them a tenant runs its regime as enacted.

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('tenant', sa.Column('amendments', sa.JSON(), nullable=False,
                                      server_default='[]'))


def downgrade():
    with op.batch_alter_table('tenant') as batch:
        batch.drop_column('amendments')
