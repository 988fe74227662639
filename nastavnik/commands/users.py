"""nastavnik user create|grant, and nastavnik serve."""

from __future__ import annotations

import click

from ..services import users
from ..storage.accounts import ROLES
from . import with_app


@click.group("user")
def user_group():
    """Users of the web admin and their roles per tenant."""


@user_group.command("create")
@click.argument("email")
@click.option("--name", help="Shown in the admin (default: the e-mail).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help=f"At least {users.MIN_PASSWORD} characters (asked for when omitted).")
@click.option("--platform-admin", is_flag=True, help="May see and manage every tenant.")
@click.option("--tenant", "tenant_slug", help="Give a role in this tenant at once.")
@click.option("--role", type=click.Choice(ROLES), default="hr_officer", show_default=True)
@with_app
def create(email, name, password, platform_admin, tenant_slug, role):
    """Create a user (the first one is usually a --platform-admin)."""
    user = users.create_user(email, name or email, password, platform_admin)
    click.echo(f"created user {user.email}" + (" (platform admin)" if platform_admin else ""))
    if tenant_slug:
        users.grant(user.email, tenant_slug, role)
        click.echo(f"{user.email} is {role} in {tenant_slug}")


@user_group.command("grant")
@click.argument("email")
@click.argument("tenant_slug")
@click.argument("role", type=click.Choice(ROLES))
@with_app
def grant(email, tenant_slug, role):
    """Give a user a role in a tenant."""
    users.grant(email, tenant_slug, role)
    click.echo(f"{email} is {role} in {tenant_slug}")


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
@with_app
def token_create(email, name):
    """Make an API token for a user; it is shown once, only its hash is kept."""
    from ..services import tokens

    row, token = tokens.create_token(email, name)
    click.echo(f"token {row.id} ({row.name}) for {email}:\n{token}\n"
               "Keep it now: it cannot be shown again. Use it as `Authorization: Bearer <token>`.")


@token_group.command("list")
@click.argument("email")
@with_app
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
@with_app
def token_revoke(email, token_id):
    """Revoke a token: it stops working at once."""
    from ..services import tokens

    tokens.revoke_token(email, token_id)
    click.echo(f"token {token_id} revoked")
