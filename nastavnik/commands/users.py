"""nastavnik user create|grant|revoke|set-password|deactivate|activate, nastavnik
security-log, nastavnik token, and nastavnik serve."""

from __future__ import annotations

import os
import sys

import click

from ..services import users
from ..storage.accounts import ROLES
from . import DATE, actor_option, dump, with_database

PASSWORD_ENV = "NASTAVNIK_PASSWORD"
_PASSWORD_HELP = ("The password is asked for, hidden, twice. For scripts: --password-stdin "
                  f"reads it from the first line of standard input, or set ${PASSWORD_ENV}. "
                  "Never on the command line, where other users of the machine see it. At "
                  f"least {users.MIN_PASSWORD} characters, not the e-mail or name, not easy "
                  "to guess.")
password_stdin_option = click.option(
    "--password-stdin", is_flag=True,
    help=f"Read the password from the first line of standard input (else ${PASSWORD_ENV}, "
         "else asked for).")


def read_password(from_stdin: bool) -> str:
    """The new password: from standard input's first line, $NASTAVNIK_PASSWORD, or asked
    for (hidden, with confirmation)."""
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.group("user", help=f"Users of the web admin and their roles per tenant. {_PASSWORD_HELP}")
def user_group():
    pass


@user_group.command("create", help=f"Create a user (the first one is usually a "
                                   f"--platform-admin). {_PASSWORD_HELP}")
@click.argument("email")
@click.option("--name", help="Shown in the admin (default: the e-mail).")
@password_stdin_option
@click.option("--platform-admin", is_flag=True, help="May see and manage every tenant.")
@click.option("--tenant", "tenant_slug", help="Give a role in this tenant at once.")
@click.option("--role", type=click.Choice(ROLES), default="hr_officer", show_default=True)
@actor_option
@with_database
def create(email, name, password_stdin, platform_admin, tenant_slug, role, actor):
    password = read_password(password_stdin)
    user = users.create_user(email, name or email, password, platform_admin, actor=actor)
    click.echo(f"created user {user.email}" + (" (platform admin)" if platform_admin else ""))
    if tenant_slug:
        users.grant(user.email, tenant_slug, role, actor=actor)
        click.echo(f"{user.email} is {role} in {tenant_slug}")


@user_group.command("grant")
@click.argument("email")
@click.argument("tenant_slug")
@click.argument("role", type=click.Choice(ROLES))
@actor_option
@with_database
def grant(email, tenant_slug, role, actor):
    """Give a user a role in a tenant."""
    users.grant(email, tenant_slug, role, actor=actor)
    click.echo(f"{email} is {role} in {tenant_slug}")


@user_group.command("revoke")
@click.argument("email")
@click.argument("tenant_slug")
@actor_option
@with_database
def revoke(email, tenant_slug, actor):
    """Take a user's role in a tenant away; their logged-in sessions end."""
    role = users.revoke(email, tenant_slug, actor=actor)
    click.echo(f"{email} is no longer {role} in {tenant_slug}; their sessions are ended")


@user_group.command("set-password", help=f"Give a user a new password; every session of "
                                         f"theirs ends. {_PASSWORD_HELP}")
@click.argument("email")
@password_stdin_option
@actor_option
@with_database
def set_password(email, password_stdin, actor):
    users.find_user(email)  # an unknown e-mail is said before the password is asked for
    users.set_password(email, read_password(password_stdin), actor=actor)
    click.echo(f"new password set for {email}; their sessions are ended")


@user_group.command("deactivate")
@click.argument("email")
@actor_option
@with_database
def deactivate(email, actor):
    """The user can no longer log in nor use their API tokens; their sessions end."""
    users.deactivate(email, actor=actor)
    click.echo(f"{email} is deactivated")


@user_group.command("activate")
@click.argument("email")
@actor_option
@with_database
def activate(email, actor):
    """Let a deactivated user log in again (with the password they had)."""
    users.activate(email, actor=actor)
    click.echo(f"{email} is active")


@click.command("security-log")
@click.option("--since", type=DATE, help="From this day on (YYYY-MM-DD, UTC).")
@click.option("--kind", help="Only events of this kind (login_failed, account_locked, ...).")
@click.option("--email", help="Only events about this user's account.")
@click.option("--limit", type=int, default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_database
def security_log(since, kind, email, limit, as_json):
    """The platform's security log, newest first: logins and failed ones, lockouts, users
    created, deactivated and activated, roles granted and revoked, passwords changed, API
    tokens created and revoked; with who, when (UTC) and from which address."""
    from ..services import security_log as log

    events = log.list_events(since=since, kind=kind, email=email, limit=limit)
    if as_json:
        dump([log.as_json(e) for e in events])
        return
    for e in events:
        row = log.as_json(e)
        details = " ".join(f"{k}={v}" for k, v in (e.details or {}).items())
        click.echo(f"{row['at'][:19]}  {e.kind:<18} {e.subject_email or '-':<30} "
                   f"by {e.actor}" + (f" from {e.address}" if e.address else "")
                   + (f"  {details}" if details else ""))


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host, port):
    """Run the web admin with Flask's server (for a workstation; production runs gunicorn:
    `gunicorn 'nastavnik.web:create_app()'`)."""
    run_server(host, port)


def run_server(host: str, port: int) -> None:
    import os

    from ..web import create_app

    if host in ("127.0.0.1", "localhost"):
        # plain HTTP on this machine only: a Secure cookie would never be sent back
        os.environ.setdefault("NASTAVNIK_SECURE_COOKIES", "0")
    app = create_app()
    click.echo(f"\nnastavnik admin: http://{host}:{port}/   (Ctrl+C stops it)")
    app.run(host=host, port=port, debug=False)


@click.group("token")
def token_group():
    """API tokens (for agencies' HR systems): create, list, revoke."""


@token_group.command("create")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for, e.g. the HR system's name.")
@actor_option
@with_database
def token_create(email, name, actor):
    """Make an API token for a user; it is shown once, only its hash is kept."""
    from ..services import tokens

    row, token = tokens.create_token(email, name, actor=actor)
    click.echo(f"token {row.id} ({row.name}) for {email}:\n{token}\n"
               "Keep it now: it cannot be shown again. Use it as `Authorization: Bearer <token>`.")


@token_group.command("list")
@click.argument("email")
@with_database
def token_list(email):
    """A user's tokens (never the tokens themselves)."""
    from ..services import tokens

    for row in tokens.list_tokens(email):
        state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
        used = f"last used {row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never used"
        click.echo(f"{row.id:>4}  {row.prefix}…  {row.name:<30} {state}, {used}")


@token_group.command("revoke")
@click.argument("email")
@click.argument("token_id", type=int)
@actor_option
@with_database
def token_revoke(email, token_id, actor):
    """Revoke a token: it stops working at once."""
    from ..services import tokens

    tokens.revoke_token(email, token_id, actor=actor)
    click.echo(f"token {token_id} revoked")
