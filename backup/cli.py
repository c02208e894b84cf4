"""`flask --app app backup OUT` and `flask --app app restore IN`: the database and the files folder together."""

from __future__ import annotations

import re
from pathlib import Path

import click

from backup.archive import BackupFailed, take_backup
from backup.database import RestoreRefused
from backup.restore import restore_backup


@click.command("backup")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
def backup_command(out: Path) -> None:
    """Sauvegarder la base et le dossier des fichiers dans le dossier OUT (nouveau ou vide)."""
    try:
        manifest = take_backup(out)
    except BackupFailed as failure:
        raise click.ClickException(f"sauvegarde incomplète : {failure}") from None
    click.echo(f"Sauvegarde du {manifest['taken_at']} écrite dans {out} : base {manifest['engine']}, "
               f"{manifest['files']} fichier(s) dont {manifest['referenced_files']} désigné(s) par la base.")


def _last_reference(value: str) -> tuple[str, int]:
    match = re.fullmatch(r"([A-Za-z0-9._-]+)=(\d+)", value)
    if not match:
        raise click.BadParameter(f"« {value} » : attendu ÉDITION=NUMÉRO, par exemple etna-2019-2=42")
    return match.group(1), int(match.group(2))


@click.command("restore")
@click.argument("source", metavar="IN", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Remplacer les données d'une base qui n'est pas vide.")
@click.option("--last-reference", "last_references", multiple=True, metavar="ÉDITION=NUMÉRO",
              help="Dernier numéro de référence connu d'une édition (si le registre a été perdu).")
def restore_command(source: Path, replace: bool, last_references: tuple[str, ...]) -> None:
    """Restaurer la sauvegarde IN ; l'envoi des courriels reste en pause jusqu'à `mail resume`."""
    marks = dict(_last_reference(v) for v in last_references)
    try:
        manifest = restore_backup(source, replace=replace, last_references=marks)
    except (BackupFailed, RestoreRefused) as refused:
        raise click.ClickException(f"restauration impossible : {refused}") from None
    click.echo(f"Sauvegarde du {manifest['taken_at']} restaurée ({manifest['files']} fichier(s)).")
    click.echo("L'envoi des courriels est en pause : vérifiez la boîte d'envoi puis lancez "
               "`flask --app app mail resume`.")
