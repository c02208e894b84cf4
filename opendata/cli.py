"""`flask --app app opendata subventions ÉDITION --out FICHIER.csv`: the SCDL file of the signed conventions."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from formatting import format_amount
from opendata.scdl import THRESHOLD, NotPublishable, publication, write_csv

opendata_cli = AppGroup("opendata", help="Données publiées en open data (données essentielles des conventions).")


@opendata_cli.command("subventions")
@click.argument("edition_id")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Fichier CSV à écrire.")
@click.option("--tous", "everything", is_flag=True,
              help="Toutes les conventions signées, même celles de 23 000 € ou moins.")
def subventions(edition_id: str, out: Path, everything: bool) -> None:
    """Écrire au format SCDL « subventions » 2.1.1 les conventions signées de l'édition (au-dessus du seuil)."""
    edition = current_app.extensions["editions"].get(edition_id)
    if edition is None:
        raise click.ClickException(f"Édition « {edition_id} » inconnue ou invalide (voir `workflows check`).")
    try:
        result = publication(edition, everything=everything)
    except NotPublishable as refused:
        raise click.ClickException(str(refused)) from None
    with out.open("w", encoding="utf-8", newline="") as target:
        write_csv(result, target)
    click.echo(f"{len(result.rows)} convention(s) écrite(s) dans {out}.")
    if result.below_threshold:
        click.echo(f"{len(result.below_threshold)} convention(s) de {format_amount(THRESHOLD, cents=False)} ou "
                   f"moins écartée(s) (--tous pour les publier) : {', '.join(result.below_threshold)}.")
    for reference, warning in result.warnings:
        click.echo(f"{reference} : {warning}.", err=True)
    for reference, reason in result.refused:
        click.echo(f"{reference} : non publiée, {reason}.", err=True)
    if result.refused:
        raise SystemExit(1)
