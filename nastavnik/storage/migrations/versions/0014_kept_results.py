"""kept results: the findings and deadlines of every mentorship and council, kept in the
database and brought up to date by each change (services.results); the tenant's record
of what they were worked out under and of the revision they follow

The tables are tenant-owned like the others (composite keys, row-level security). A
downgrade drops them: they are worked out again from the data.

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

TABLES = ("kept_owner", "kept_finding", "kept_deadline")
CURRENT = "nullif(current_setting('app.tenant_id', true), '')::integer"


def _owned(name, *columns, indexes=()):
    op.create_table(
        name,
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=f'fk_{name}_tenant_id_tenant'),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=f'pk_{name}'))
    for columns_ in indexes:
        op.create_index(f"ix_{name}_{'_'.join(columns_)}", name, list(columns_))


def _result(name, *columns, indexes=()):
    _owned(name, sa.Column('owner', sa.Uuid(), nullable=False),
           sa.Column('subject', sa.String(255), nullable=False),
           sa.Column('rule', sa.String(127), nullable=False), *columns,
           sa.Column('closed', sa.Boolean(), nullable=False),
           sa.Column('mentee', sa.String(63)),
           sa.Column('data', sa.JSON(), nullable=False),
           sa.ForeignKeyConstraint(['tenant_id', 'owner'], ['kept_owner.tenant_id', 'kept_owner.id'],
                                   name=f'fk_{name}_tenant_id_owner_kept_owner', ondelete='CASCADE'),
           indexes=(('tenant_id', 'owner'), *indexes))


def upgrade():
    op.add_column('tenant', sa.Column('results_fingerprint', sa.String(64)))
    op.add_column('tenant', sa.Column('results_revision', sa.BigInteger(), nullable=False,
                                      server_default='0'))
    _owned('kept_owner',
           sa.Column('kind', sa.String(15), nullable=False),
           sa.Column('closed', sa.Boolean(), nullable=False),
           sa.Column('reads_staff', sa.Boolean(), nullable=False),
           sa.Column('staff_found', sa.JSON()),
           sa.Column('last_day', sa.Date()),
           sa.Column('term', sa.JSON()),
           sa.Column('outcomes', sa.JSON()),
           sa.CheckConstraint("kind in ('mentorship', 'council')", name='ck_kept_owner_kind'),
           indexes=(('tenant_id', 'reads_staff'),))
    _result('kept_finding', sa.Column('severity', sa.String(15), nullable=False),
            sa.Column('position', sa.Integer(), nullable=False),
            indexes=(('tenant_id', 'closed', 'severity'),))
    _result('kept_deadline', sa.Column('kind', sa.String(63), nullable=False),
            sa.Column('due', sa.Date(), nullable=False), sa.Column('done_on', sa.Date()),
            indexes=(('tenant_id', 'due'),))
    # the hearings of a mentorship: what a change of it reads
    op.create_index('ix_agenda_item_tenant_id_hearing_id', 'agenda_item', ['tenant_id', 'hearing_id'])
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY tenant_isolation ON {table} "
                       f"USING (tenant_id = {CURRENT}) WITH CHECK (tenant_id = {CURRENT})")


def downgrade():
    op.drop_index('ix_agenda_item_tenant_id_hearing_id', table_name='agenda_item')
    for table in reversed(TABLES):
        op.drop_table(table)
    with op.batch_alter_table('tenant') as batch:
        batch.drop_column('results_revision')
        batch.drop_column('results_fingerprint')
