"""logged-in sessions kept on the server, login attempts (throttling), the security log;
on PostgreSQL the database stamps audit entries and security events with who and when

- user_session: a session ends at logout (a copied cookie is refused after it), and all
  of a user's at a new password, a deactivation or a role taken away;
- login_attempt: failed logins per e-mail and per client address, which lock an account
  (and throttle an address) for a time that doubles with further failures;
- security_event: logins, failed ones, lockouts, users, roles and API tokens made and
  taken away, with actor, time and address (not tenant-owned; no row-level security);
- a BEFORE INSERT trigger on audit_entry and security_event sets ``at`` to the database's
  clock and ``actor`` to the transaction's ``app.actor`` (which the application sets, as
  it sets ``app.tenant_id``), and refuses the row when no actor is set: the application's
  role, which owns neither table nor the function, cannot backdate an entry nor write one
  in another's name than its transaction's. The function runs with a fixed search_path,
  so that no function of the same name elsewhere is called in its stead.

SQLite has no roles (whoever runs the application owns the file and every trigger in
it): no trigger there; the application's own guards keep its trail (storage.audit).

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

STAMPED = ("audit_entry", "security_event")

STAMP = """
CREATE FUNCTION stamp_actor_and_time() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    who text := pg_catalog.current_setting('app.actor', true);
BEGIN
    IF who IS NULL OR who = '' THEN
        RAISE EXCEPTION 'no actor for % (set app.actor in the transaction)', TG_TABLE_NAME;
    END IF;
    NEW.actor := pg_catalog.left(who, 255);
    NEW.at := pg_catalog.clock_timestamp();
    RETURN NEW;
END
$$
"""


def upgrade():
    op.create_table('user_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_why', sa.String(length=31), nullable=True),
    sa.Column('address', sa.String(length=45), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_user_session_user_id_app_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_user_session_key_hash'))
    )
    op.create_index(op.f('ix_user_session_user_id'), 'user_session', ['user_id'], unique=False)
    op.create_table('login_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('address', sa.String(length=45), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=7), nullable=False),
    sa.CheckConstraint("outcome in ('pending', 'failed', 'ok', 'refused')", name=op.f('ck_login_attempt_outcome')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempt'))
    )
    op.create_index(op.f('ix_login_attempt_email_at'), 'login_attempt', ['email', 'at'], unique=False)
    op.create_index(op.f('ix_login_attempt_address_at'), 'login_attempt', ['address', 'at'], unique=False)
    op.create_index(op.f('ix_login_attempt_at'), 'login_attempt', ['at'], unique=False)
    op.create_table('security_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=31), nullable=False),
    sa.Column('address', sa.String(length=45), nullable=True),
    sa.Column('subject_email', sa.String(length=255), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_security_event'))
    )
    op.create_index(op.f('ix_security_event_at'), 'security_event', ['at'], unique=False)
    op.create_index(op.f('ix_security_event_subject_email'), 'security_event', ['subject_email'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(STAMP)
        for table in STAMPED:
            op.execute(f"CREATE TRIGGER stamp_actor_and_time BEFORE INSERT ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION stamp_actor_and_time()")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in STAMPED:
            op.execute(f"DROP TRIGGER stamp_actor_and_time ON {table}")
        op.execute("DROP FUNCTION stamp_actor_and_time()")
    op.drop_index(op.f('ix_security_event_subject_email'), table_name='security_event')
    op.drop_index(op.f('ix_security_event_at'), table_name='security_event')
    op.drop_table('security_event')
    op.drop_index(op.f('ix_login_attempt_at'), table_name='login_attempt')
    op.drop_index(op.f('ix_login_attempt_address_at'), table_name='login_attempt')
    op.drop_index(op.f('ix_login_attempt_email_at'), table_name='login_attempt')
    op.drop_table('login_attempt')
    op.drop_index(op.f('ix_user_session_user_id'), table_name='user_session')
    op.drop_table('user_session')
