"""a tenant's own templates of its regime's papers (issue 7: papers as documents)

One Word file per (regime, paper, language) that replaces the template the regime's
plugin ships. Tenant-owned: on PostgreSQL the row-level security policy of 0002.

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

CURRENT = "nullif(current_setting('app.tenant_id', true), '')::integer"

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('document_template',
    sa.Column('regime', sa.String(length=63), nullable=False),
    sa.Column('paper', sa.String(length=63), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("language in ('ru', 'kk', 'en')", name=op.f('ck_document_template_language')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_document_template_tenant_id_tenant')),
    sa.PrimaryKeyConstraint('id', 'tenant_id', name=op.f('pk_document_template')),
    sa.UniqueConstraint('tenant_id', 'regime', 'paper', 'language', name=op.f('uq_document_template_tenant_id_regime_paper_language'))
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE document_template ENABLE ROW LEVEL SECURITY")
        op.execute("CREATE POLICY tenant_isolation ON document_template "
                   f"USING (tenant_id = {CURRENT}) WITH CHECK (tenant_id = {CURRENT})")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY tenant_isolation ON document_template")
    op.drop_table('document_template')
