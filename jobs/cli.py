"""`flask --app app jobs worker`: the RQ worker of production (documents and mail after each commit)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from jobs.queue import QUEUE_NAME, redis_connection

jobs_cli = AppGroup("jobs", help="Tâches en arrière-plan (RQ sur Redis, en production).")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="S'arrêter quand la file est vide.")
def worker(burst: bool) -> None:
    """Exécuter les tâches de la file « appels » (génération des documents, envoi des courriels)."""
    from rq import SimpleWorker

    connection = redis_connection(current_app)
    if connection is None:
        raise click.ClickException("REDIS_URL n'est pas défini : sans Redis, les tâches tournent dans l'application.")
    # SimpleWorker runs jobs in this process, inside the app context the `flask` command pushed.
    SimpleWorker([QUEUE_NAME], connection=connection).work(burst=burst, with_scheduler=True)


@jobs_cli.command("status")
def status() -> None:
    """Afficher la longueur de la file et les tâches en échec."""
    from rq import Queue

    connection = redis_connection(current_app)
    if connection is None:
        click.echo("Pas de file : REDIS_URL n'est pas défini (les tâches tournent dans l'application).")
        return
    queue = Queue(QUEUE_NAME, connection=connection)
    click.echo(f"En attente : {len(queue)} ; en échec : {queue.failed_job_registry.count}")
