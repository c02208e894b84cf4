"""`flask --app app reports …`: the daily reminders of the reports laureates still owe."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from models import db
from reports.reminders import send_report_reminders

reports_cli = AppGroup("reports", help="Rapports des lauréats : rappels avant l'échéance.")


@reports_cli.command("remind")
@click.option("--edition", "edition_id", default=None, help="Une seule édition (défaut : toutes).")
def remind(edition_id: str | None) -> None:
    """Rappeler les rapports à rendre (14 jours puis 1 jour avant l'échéance) ; une fois par jour (cron), sans risque
    plus souvent : chaque rappel part une seule fois."""
    if edition_id is not None and current_app.extensions["editions"].get(edition_id) is None:
        raise click.BadParameter(f"édition inconnue : {edition_id}", param_hint="--edition")
    count = send_report_reminders(edition_id)
    db.session.commit()
    click.echo(f"{count} rappel(s) de rapport mis en file.")
