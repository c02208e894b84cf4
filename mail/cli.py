"""`flask --app app mail …`: deliver the outbox (a pass or a worker), send reminders, follow and requeue messages."""

from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup

from mail.messages import reminder_due, send_reminders
from mail.outbox import latest_messages, requeue, status_counts
from mail.sender import deliver_pending
from mail.worker import run_worker
from models import OutboxMessage, db
from models.outbox import FAILED, STATUS_LABELS
from timekeeping import now

mail_cli = AppGroup("mail", help="Distribuer les courriels en attente, envoyer les rappels, suivre les envois.")


@mail_cli.command("send-pending")
@click.option("--limit", type=int, default=None, help="Nombre maximal de messages pour ce passage.")
def send_pending(limit: int | None) -> None:
    """Distribuer une fois les messages dus, puis s'arrêter."""
    report = deliver_pending(limit=limit)
    click.echo(f"Courriels : {report}.")


@mail_cli.command("worker")
@click.option("--interval", type=float, default=None, help="Secondes entre deux passages (défaut : MAIL_POLL_SECONDS).")
def worker(interval: float | None) -> None:
    """Distribuer les messages en continu, jusqu'à Ctrl-C ou SIGTERM (le message en cours est terminé)."""
    stop = threading.Event()

    def request_stop(signum: int, frame: object) -> None:
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, request_stop)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    seconds = interval if interval is not None else float(app.config.get("MAIL_POLL_SECONDS", 2))
    click.echo(f"Distribution des courriels toutes les {seconds:g} s (Ctrl-C pour arrêter).")
    run_worker(app, seconds, stop)


@mail_cli.command("reminders")
@click.option("--edition", "edition_id", default=None,
              help="Une seule édition (défaut : toutes les éditions ouvertes).")
def reminders(edition_id: str | None) -> None:
    """Rappeler la date limite aux dossiers en brouillon (7 jours et 1 jour avant) ; sans risque toutes les heures."""
    registry = current_app.extensions["editions"]
    if edition_id is not None and registry.get(edition_id) is None:
        raise click.BadParameter(f"édition inconnue : {edition_id}", param_hint="--edition")
    editions = [registry.get(edition_id)] if edition_id is not None else registry.all()
    for edition in editions:
        days = reminder_due(edition, now())
        if days is None:
            click.echo(f"{edition.id} : aucun rappel à envoyer maintenant.")
            continue
        count = send_reminders(edition.id)
        db.session.commit()
        click.echo(f"{edition.id} : {count} rappel(s) « J-{days} » mis en file.")


@mail_cli.command("status")
@click.option("--failed", "show_failed", is_flag=True, help="Lister les messages en échec.")
def status(show_failed: bool) -> None:
    """Compter les messages par état ; avec --failed, lister ceux en échec et leur erreur."""
    import ledger

    counts = status_counts()
    if ledger.mail_paused():
        click.echo(f"Envoi en pause ({ledger.mail_paused()}) : `flask --app app mail resume` pour reprendre.")
    click.echo(", ".join(f"{STATUS_LABELS[s]} : {n}" for s, n in counts.items()))
    if show_failed:
        for message in reversed(latest_messages(FAILED, limit=counts[FAILED])):
            click.echo(f"#{message.id} {message.kind} → {', '.join(message.to)} « {message.subject} » : "
                       f"{message.last_error}")


@mail_cli.command("requeue")
@click.argument("message_id", type=int)
def requeue_command(message_id: int) -> None:
    """Renvoyer un message en échec (une nouvelle série d'essais)."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise click.BadParameter(f"aucun message #{message_id}", param_hint="MESSAGE_ID")
    try:
        requeue(message)
    except ValueError:
        raise click.BadParameter(f"le message #{message_id} n'est pas en échec ({message.status_label})",
                                 param_hint="MESSAGE_ID") from None
    db.session.commit()
    click.echo(f"Message #{message_id} remis en file.")


@mail_cli.command("resume")
def resume() -> None:
    """Reprendre l'envoi après une restauration : les messages que le registre sait envoyés ne partent pas deux fois."""
    import ledger
    from backup.restore import resume_mail

    reason = ledger.mail_paused()
    if reason is None:
        click.echo("L'envoi des courriels n'est pas en pause.")
        return
    settled, waiting = resume_mail()
    click.echo(f"Envoi repris (pause : {reason}). {settled} message(s) déjà envoyé(s) marqué(s) comme tel(s) ; "
               f"{waiting} en attente d'envoi.")
