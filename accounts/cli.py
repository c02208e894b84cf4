"""Account commands: `flask users create` and the embedded default's `flask bootstrap`."""

from __future__ import annotations

import secrets
from pathlib import Path

import click
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask.cli import with_appcontext

from accounts.passwords import set_password
from models import User, db
from models.user import ROLES

users_cli = click.Group("users", help="Manage staff and jury accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES[1:]), required=True, help="instructeur, jury or admin")
@click.option("--name", default=None, help="Display name")
@click.option("--password", default=None, help="Set this password (default: a random one, printed)")
@with_appcontext
def create_user(email: str, role: str, name: str | None, password: str | None) -> None:
    """Create (or update the role of) a staff account and print its password."""
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise click.BadParameter(f"invalid address: {exc}") from None
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
    if user is None:
        user = User(email=email)
        db.session.add(user)
    user.role, user.display_name = role, name or user.display_name
    password = password or secrets.token_urlsafe(12)
    set_password(user, password)
    db.session.commit()
    click.echo(f"{role} account {email} ready; password: {password}")


@click.command("bootstrap")
@with_appcontext
def bootstrap() -> None:
    """Create the local staff account on first start and print how to sign in (embedded default)."""
    record = Path(current_app.instance_path) / "local-staff-account.txt"
    admin = db.session.execute(db.select(User).filter_by(role="admin")).scalars().first()
    if admin is None:
        email, password = "equipe@appels.localhost", secrets.token_urlsafe(12)
        admin = User(email=email, role="admin", display_name="Équipe du programme (compte local)")
        set_password(admin, password)
        db.session.add(admin)
        db.session.commit()
        record.write_text(f"{email}\n{password}\n")
        record.chmod(0o600)
    registry = current_app.extensions["editions"]
    click.echo("")
    click.echo(f"  Editions served: {', '.join(e.id for e in registry.all()) or 'none'}")
    for path, errors in registry.errors.items():
        click.echo(f"  Refused: {path} ({len(errors)} error(s); run `flask --app app workflows check`)")
    if record.exists():
        email, password = record.read_text().split()[:2]
        click.echo(f"  Local staff account: {email} / {password}  (sign in at /connexion/equipe)")
    click.echo("  Mail is kept locally: see the log lines 'mail kept' and the files in instance/mail/")
    click.echo("")
