"""`flask --app app decisions …`: send an edition's decisions from the command line, showing progress."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

import states
from models import DecisionBatch, db
from staff.sending import SendingRefused, progress, run_batch, running_batch, start_batch, unsent_decisions

decisions_cli = AppGroup("decisions", help="Décisions du jury : envoi des résultats et des conventions.")


def _edition(edition_id: str):
    edition = current_app.extensions["editions"].get(edition_id)
    if edition is None:
        raise click.ClickException(f"Édition « {edition_id} » inconnue ou invalide (voir `workflows check`).")
    return edition


@decisions_cli.command("send")
@click.argument("edition_id")
@click.option("--yes", is_flag=True, help="Envoyer sans demander de confirmation.")
def send(edition_id: str, yes: bool) -> None:
    """Envoyer les décisions non encore envoyées (ou reprendre un envoi interrompu), en affichant la progression."""
    edition = _edition(edition_id)
    batch = running_batch(edition)
    if batch is None:
        pending = unsent_decisions(edition)
        if not pending:
            click.echo("Aucune décision à envoyer.")
            return
        laureates = sum(d.state == states.LAUREATE for d in pending)
        click.echo(f"{len(pending)} décision(s) à envoyer, dont {laureates} lauréat(s) (avec la convention).")
        if not yes:
            click.confirm("Envoyer maintenant ?", abort=True)
        try:
            batch = start_batch(edition, actor=None, dispatch=False)
        except SendingRefused as refused:
            raise click.ClickException(str(refused)) from None
        db.session.commit()
    else:
        click.echo(f"Reprise de l'envoi n° {batch.id}.")

    def show(state, notice) -> None:
        outcome = "envoyé" if notice.status == "sent" else f"ÉCHEC : {notice.error}"
        reference = notice.dossier.reference or notice.dossier_id
        click.echo(f"[{state.sent + state.failed}/{state.total}] {reference} — {outcome}")

    result = run_batch(batch.id, on_progress=show)
    click.echo(f"Envoi n° {batch.id} : {result.sent} envoyé(s), {result.failed} en échec, {result.pending} restant(s).")
    if result.failed:
        raise SystemExit(1)


@decisions_cli.command("status")
@click.argument("edition_id")
def status(edition_id: str) -> None:
    """Afficher la progression des envois de décisions d'une édition."""
    edition = _edition(edition_id)
    batches = db.session.execute(sa.select(DecisionBatch).filter_by(edition_id=edition.id)
                                 .order_by(DecisionBatch.id)).scalars().all()
    if not batches:
        click.echo("Aucun envoi de décisions pour cette édition.")
    for batch in batches:
        state = progress(batch.id)
        stage = "terminé" if batch.finished_at else "en cours"
        click.echo(f"Envoi n° {batch.id} ({stage}) : {state.sent}/{state.total} envoyé(s), {state.failed} en échec "
                   f"— {state.percent} %")
    click.echo(f"Décisions restant à envoyer : {len(unsent_decisions(edition))}")
