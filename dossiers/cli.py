"""`flask --app app purge`: apply each edition's RGPD retention (dry run unless --apply)."""

from __future__ import annotations

import click
from flask import current_app

from dossiers.retention import due_for_purge, purge
from models import db

ACTIONS = {"anonymise": "anonymiser", "delete": "supprimer"}


@click.command("purge")
@click.option("--edition", "edition_id", default=None, help="Une seule édition (défaut : toutes).")
@click.option("--apply", "really", is_flag=True, help="Agir (sans cette option, la liste seulement).")
def purge_command(edition_id: str | None, really: bool) -> None:
    """Anonymiser ou supprimer les dossiers dont la durée de conservation (YAML `retention`) est passée."""
    if edition_id is not None and current_app.extensions["editions"].get(edition_id) is None:
        raise click.BadParameter(f"édition inconnue : {edition_id}", param_hint="--edition")
    due = due_for_purge(edition_id=edition_id)
    for item in due:
        d = item.dossier
        click.echo(f"{d.edition_id} dossier {d.id} {d.reference or '(sans référence)'} — {item.reason} depuis le "
                   f"{item.since:%d/%m/%Y} : {ACTIONS[item.action]}")
    if not really:
        click.echo(f"{len(due)} dossier(s) à traiter ; rien n'a été modifié (relancer avec --apply).")
        return
    for item in due:
        purge(item)
    db.session.commit()
    click.echo(f"{len(due)} dossier(s) traité(s). Les fichiers libérés partent avec `flask --app app storage gc`.")
