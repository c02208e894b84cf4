"""Register the command groups of `flask --app app …`, each defined beside its concern."""

from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    from accounts.cli import bootstrap, users_cli
    from backup.cli import backup_command, restore_command
    from documents.cli import documents_cli
    from dossiers.cli import laureate_command, purge_command
    from editions.cli import editions_cli, workflows_cli
    from jobs.cli import jobs_cli
    from mail.cli import mail_cli
    from opendata.cli import opendata_cli
    from reports.cli import reports_cli
    from staff.cli import decisions_cli
    from storage.cli import storage_cli

    app.cli.add_command(workflows_cli)
    app.cli.add_command(editions_cli)
    app.cli.add_command(jobs_cli)
    documents_cli.add_command(laureate_command)  # a decision, so dossiers' own; listed with the documents
    app.cli.add_command(documents_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(decisions_cli)
    app.cli.add_command(opendata_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(storage_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(purge_command)
    app.cli.add_command(bootstrap)
