"""Account commands: `flask users create` and the embedded default's `flask bootstrap`."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from accounts.identities import revoke_sessions
from accounts.passwords import set_password
from addresses import InvalidAddress, checked_address
from models import User, db
from roles import ADMIN, PASSWORD_ROLES
from timekeeping import now

users_cli = click.Group("users", help="Comptes de l'équipe et du jury.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(PASSWORD_ROLES), required=True, help="instructeur, jury ou admin")
@click.option("--name", default=None, help="Nom affiché")
@click.option("--password", default=None, help="Mot de passe (par défaut : tiré au hasard et affiché)")
@with_appcontext
def create_user(email: str, role: str, name: str | None, password: str | None) -> None:
    """Créer un compte de l'équipe ou du jury (ou changer son rôle) et afficher son mot de passe."""
    try:
        email = checked_address(email).lower()  # the address mail will be sent to, refused as the forms refuse it
    except InvalidAddress as refused:
        raise click.BadParameter(str(refused)) from None
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
    if user is None:
        user = User(email=email)
        db.session.add(user)
    elif user.role != role:
        revoke_sessions(user)  # a session opened by link must not become a staff session without a password
    user.role, user.display_name = role, name or user.display_name
    password = password or secrets.token_urlsafe(12)
    set_password(user, password)
    db.session.commit()
    click.echo(f"Compte {role} {email} prêt ; mot de passe : {password}")


def _account(email: str) -> User:
    user = db.session.execute(db.select(User).filter_by(email=email.strip().lower())).scalar_one_or_none()
    if user is None:
        raise click.BadParameter(f"aucun compte pour {email}")
    return user


@users_cli.command("lock")
@click.argument("email")
@click.option("--days", type=click.IntRange(min=1), default=36500, show_default=True, help="Durée du blocage")
@with_appcontext
def lock_user(email: str, days: int) -> None:
    """Bloquer un compte : plus aucune connexion (lien ou mot de passe), ses sessions ouvertes prennent fin."""
    user = _account(email)
    user.locked_until = now() + dt.timedelta(days=days)
    revoke_sessions(user)
    db.session.commit()
    click.echo(f"Compte {user.email} bloqué ; ses sessions sont fermées.")


@users_cli.command("unlock")
@click.argument("email")
@with_appcontext
def unlock_user(email: str) -> None:
    """Débloquer un compte bloqué par `flask users lock`."""
    user = _account(email)
    user.locked_until = None
    db.session.commit()
    click.echo(f"Compte {user.email} débloqué.")


@click.command("bootstrap")
@with_appcontext
def bootstrap() -> None:
    """Créer au premier démarrage le compte local de l'équipe et dire comment se connecter (profil embarqué)."""
    record = Path(current_app.instance_path) / "local-staff-account.txt"
    admin = db.session.execute(db.select(User).filter_by(role=ADMIN)).scalars().first()
    if admin is None:
        email, password = "equipe@appels.localhost", secrets.token_urlsafe(12)
        admin = User(email=email, role=ADMIN, display_name="Équipe du programme (compte local)")
        set_password(admin, password)
        db.session.add(admin)
        db.session.commit()
        record.write_text(f"{email}\n{password}\n")
        record.chmod(0o600)
    registry = current_app.extensions["editions"]
    click.echo("")
    click.echo(f"  Éditions servies : {', '.join(e.id for e in registry.all()) or 'aucune'}")
    for path, errors in registry.errors.items():
        click.echo(f"  Refusée : {path} ({len(errors)} erreur(s) ; lancer `flask --app app workflows check`)")
    if record.exists():
        email, password = record.read_text().split()[:2]
        click.echo(f"  Compte local de l'équipe : {email} / {password}  (connexion sur /connexion/equipe)")
    click.echo("  Les courriels sont conservés localement : fichiers .eml dans instance/mail/")
    click.echo("")
