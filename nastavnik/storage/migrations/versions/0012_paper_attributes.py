"""paper.attributes: what a recorded paper carries, as its regime's catalogue declares
(``fields:`` of the paper), in place of the column ``sections`` (issue 13)

Every stored ``sections`` list moves to ``attributes["sections"]`` (the prosecutor
programme's p.9 areas are the only papers that had any); a downgrade moves it back.

Revision ID: 0012
Revises: 0009
"""
import json

from alembic import op
import sqlalchemy as sa

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

PAPER = sa.table('paper', sa.column('tenant_id', sa.Integer), sa.column('id', sa.Uuid),
                 sa.column('sections', sa.JSON), sa.column('attributes', sa.JSON))


def _load(value):
    return json.loads(value) if isinstance(value, str) else value


def upgrade():
    op.add_column('paper', sa.Column('attributes', sa.JSON(), nullable=False,
                                     server_default='{}'))
    bind = op.get_bind()
    for tenant_id, paper_id, sections in bind.execute(
            sa.select(PAPER.c.tenant_id, PAPER.c.id, PAPER.c.sections)).all():
        sections = _load(sections)
        if sections:
            bind.execute(PAPER.update().where(PAPER.c.tenant_id == tenant_id, PAPER.c.id == paper_id)
                         .values(attributes={"sections": list(sections)}))
    with op.batch_alter_table('paper') as batch:
        batch.drop_column('sections')


def downgrade():
    op.add_column('paper', sa.Column('sections', sa.JSON(), nullable=False,
                                     server_default='[]'))
    bind = op.get_bind()
    for tenant_id, paper_id, attributes in bind.execute(
            sa.select(PAPER.c.tenant_id, PAPER.c.id, PAPER.c.attributes)).all():
        attributes = _load(attributes) or {}
        if attributes.get("sections"):
            bind.execute(PAPER.update().where(PAPER.c.tenant_id == tenant_id, PAPER.c.id == paper_id)
                         .values(sections=list(attributes["sections"])))
    with op.batch_alter_table('paper') as batch:
        batch.drop_column('attributes')
