"""Create the Appels application: configuration, extensions, editions, blueprints and CLI."""

from __future__ import annotations

import datetime as dt
import secrets
import sys
from pathlib import Path

from flask import Flask

import settings
from jobs.context import configure_logging


def load_registrations() -> None:
    """Import the modules that register into another package: their checks of an edition
    (editions.check_registry), their background tasks (jobs.tasks), what blocks closing a project
    (dossiers.closing) and what follows an accepted report (reports.events). editions, jobs, dossiers and
    reports never import them, so these packages' own imports of them make no circle."""
    import documents.checks  # noqa: F401 — check: the variables of Word templates
    import documents.convert  # noqa: F401 — worker start: the warm LibreOffice
    import documents.generate  # noqa: F401 — task: documents.produce
    import mail.checks  # noqa: F401 — check: the variables of email texts
    import mail.sender  # noqa: F401 — task: mail.deliver
    import payments.closing_check  # noqa: F401 — closing check (dossiers.closing): unpaid instalments
    import payments.report_hook  # noqa: F401 — hook (reports.events): an accepted report releases its instalment
    import reports.checks  # noqa: F401 — check: the variables of reports' Word templates
    import reports.closing  # noqa: F401 — closing check (dossiers.closing): the final report not accepted
    import reports.documents  # noqa: F401 — task: reports.produce
    import staff.checks  # noqa: F401 — check: the variables of the jury's minutes
    import staff.sending  # noqa: F401 — task: decisions.send


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; `flask --app app …` calls this with no argument."""
    app = Flask(__name__, instance_relative_config=True, static_folder="web/static",
                template_folder="web/templates")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(settings.defaults(app.instance_path))
    # test each pooled connection before use: the first request after a database restart succeeds
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    try:
        app.config.from_mapping(settings.from_instance_file(Path(app.instance_path) / "config.py"))
        app.config.from_mapping(settings.from_environment())
    except settings.SettingsError as error:  # one French line per variable for the operator, no traceback
        print(error, file=sys.stderr)
        raise SystemExit(settings.INVALID_SETTINGS) from None
    if test_config:
        app.config.from_mapping(test_config)
    _ensure_secret_key(app)
    from served_address import announce, resolve_public_url

    app.config["PUBLIC_URL"] = resolve_public_url(app.config.get("PUBLIC_URL"))
    from storage.scratch import sweep_dead

    sweep_dead()  # temporary files of killed processes (storage.scratch)
    configure_logging(json_lines=bool(app.config.get("LOG_JSON")))

    frozen = app.config.get("FROZEN_NOW")  # a typed instant from the environment, or text from instance/config.py
    if frozen:
        import timekeeping

        frozen = frozen if isinstance(frozen, dt.datetime) else dt.datetime.fromisoformat(frozen)
        timekeeping.set_now(frozen)
    announce(app.config["PUBLIC_URL"], frozen or None)

    from extensions import init_extensions

    init_extensions(app)

    from editions.checks import all_checks
    from editions.registry import Registry, watch
    from editions.verdicts import Verdicts

    load_registrations()

    # editions are checked at start; what an earlier start checked with the same inputs is not checked again
    verdicts = Verdicts(Path(app.instance_path) / "editions-checked.json", Path(app.root_path), all_checks)
    registry = Registry(Path(app.config["WORKFLOWS_FOLDER"]), Path(app.config["DOC_TEMPLATES_FOLDER"]),
                        verdicts=verdicts)
    registry.load()
    app.extensions["editions"] = registry
    watch(app, registry)  # every worker picks up an edited YAML or template within seconds

    from web import register_web

    register_web(app)

    from cli import register_cli

    register_cli(app)

    if app.config["BACKGROUND_MAIL"] and not app.config.get("REDIS_URL"):
        from mail.worker import start_with_first_request

        start_with_first_request(app)  # the embedded default delivers mail from a thread of the app
    return app


def _ensure_secret_key(app: Flask) -> None:
    """Use the configured key, or one generated once and kept in instance/secret_key."""
    if app.config.get("SECRET_KEY"):
        return
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    app.config["SECRET_KEY"] = path.read_text().strip()
