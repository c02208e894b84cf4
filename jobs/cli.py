"""`flask --app app jobs …`: the RQ worker of production, its relay, and the state of the jobs."""

from __future__ import annotations

import threading

import click
from flask import current_app
from flask.cli import AppGroup

from jobs.queue import QUEUE_NAME, redis_client
from jobs.relay import relay_once, start_relay
from jobs.status import failed_jobs, job_counts
from jobs.tasks import WORKER_STARTS
from models.jobs import JOB_STATUS_LABELS

jobs_cli = AppGroup("jobs", help="Tâches en arrière-plan (RQ sur Redis, en production).")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="S'arrêter quand la file est vide.")
def worker(burst: bool) -> None:
    """Exécuter les tâches de la file « appels » (documents, courriels) et y remettre celles restées en attente."""
    from rq import SimpleWorker

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL n'est pas défini : sans Redis, les tâches tournent dans l'application.")
    from jobs.scheduler import SchedulerThread

    stop = threading.Event()
    if burst:
        relay_once(app)
    else:
        start_relay(app, stop)  # jobs recorded while Redis was down, or whose worker died
    # Retries come back from a scheduler thread of this process (jobs.scheduler), never from a process that
    # could outlive a killed worker and renew its lock.
    scheduler = SchedulerThread([QUEUE_NAME], redis_client(app))
    scheduler.start()
    for start in WORKER_STARTS:  # registered by their packages (documents: the warm LibreOffice)
        start()
    try:
        # SimpleWorker runs jobs in this process, inside the app context the `flask` command pushed.
        SimpleWorker([QUEUE_NAME], connection=redis_client(app)).work(burst=burst, with_scheduler=False)
    finally:
        stop.set()
        scheduler.stop()


@jobs_cli.command("relay")
def relay() -> None:
    """Remettre dans la file les tâches restées en attente (Redis indisponible) ou abandonnées (worker arrêté)."""
    handed = relay_once(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(f"{handed} tâche(s) remise(s) dans la file.")


@jobs_cli.command("status")
@click.option("--failed", "show_failed", is_flag=True, help="Lister les tâches en échec et leur raison.")
def status(show_failed: bool) -> None:
    """Compter les tâches par état (et la file RQ) ; avec --failed, lister celles en échec."""
    counts = job_counts()
    click.echo(", ".join(f"{JOB_STATUS_LABELS[s]} : {n}" for s, n in counts.items()))
    click.echo(queue_summary())
    if show_failed:
        for job in failed_jobs():
            click.echo(f"#{job.id} {job.task} {job.args} — {job.attempts} essai(s) : {job.last_error}")


def queue_summary() -> str:
    """The RQ side: how many RQ jobs wait and how many RQ recorded as failed; or why it cannot tell."""
    from rq import Queue

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        return "File RQ : aucune (REDIS_URL n'est pas défini, les tâches tournent dans l'application)."
    try:
        queue = Queue(QUEUE_NAME, connection=redis_client(app))
        return f"File RQ : {len(queue)} en attente, {queue.failed_job_registry.count} en échec."
    except Exception as exc:
        return f"File RQ : injoignable ({type(exc).__name__}) ; les tâches attendent dans la base."
