"""`flask --app app storage gc`: list, then delete, the files of the files folder that nothing refers to."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from storage.files import file_store
from storage.gc import DEFAULT_GRACE, delete, find_garbage

storage_cli = AppGroup("storage", help="Dossier des fichiers : fichiers orphelins.")
REASONS = {"orphan": "orphelin", "partial": "écriture inachevée"}


@storage_cli.command("gc")
@click.option("--delete", "really", is_flag=True, help="Supprimer (sans cette option, la liste seulement).")
@click.option("--grace-hours", type=float, default=DEFAULT_GRACE.total_seconds() / 3600, show_default=True,
              help="Garder tout fichier plus récent (un envoi en cours n'a pas encore sa ligne en base).")
def gc(really: bool, grace_hours: float) -> None:
    """Lister les fichiers qu'aucun dossier, document ni courriel ne désigne ; --delete les supprime."""
    store = file_store()
    garbage = find_garbage(store, dt.timedelta(hours=grace_hours))
    for item in garbage:
        click.echo(f"{item.path.relative_to(store.folder)}  {item.size} octets  ({REASONS[item.reason]})")
    total = sum(item.size for item in garbage)
    if not really:
        click.echo(f"{len(garbage)} fichier(s), {total} octets, à supprimer ; rien n'a été supprimé "
                   "(relancer avec --delete).")
        return
    removed = delete(garbage, store)
    click.echo(f"{removed} fichier(s) supprimé(s), {total} octets libérés.")
