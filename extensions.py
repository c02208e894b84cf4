"""Flask extensions as module-level singletons, initialised on the app by init_extensions()."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_wtf import CSRFProtect

from models import db

csrf = CSRFProtect()
login_manager = LoginManager()
mail = Mail()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def init_extensions(app: Flask) -> None:
    db.init_app(app)
    app.extensions["migrate"] = _Migrations(app)
    app.cli.add_command(_MigrationCommands(app))
    csrf.init_app(app)
    mail.init_app(app)
    if str(app.config.get("RATELIMIT_STORAGE_URI", "")).startswith("redis"):
        # a Redis down or frozen answers within REDIS_TIMEOUT_SECONDS; the limiter then counts in memory
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        timeout = float(app.config.get("REDIS_TIMEOUT_SECONDS", 0.5))
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {
            "socket_timeout": timeout, "socket_connect_timeout": timeout, "retry": Retry(NoBackoff(), 0)})
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Connectez-vous pour accéder à cette page."
    login_manager.login_message_category = "info"


def set_up_migrations(app: Flask) -> Any:
    """Flask-Migrate on `app` (its config, its `flask db` commands), set up the first time something needs it.

    Importing it imports Alembic: 0.3 s at the start of every worker, for what only `flask db …` and the
    migration tests use. Until then `app.extensions["migrate"]` and the `db` command stand in for it.
    """
    if isinstance(app.extensions.get("migrate"), _Migrations):
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(app.root_path + "/migrations"), render_as_batch=True, compare_type=True)
    return app.extensions["migrate"]


class _Migrations:
    """Stands for Flask-Migrate's config in `app.extensions` until something reads it."""

    def __init__(self, app: Flask) -> None:
        self._app = app

    def __getattr__(self, name: str) -> Any:
        return getattr(set_up_migrations(self._app), name)


class _MigrationCommands(click.Group):
    """`flask db …`: Flask-Migrate's commands, imported when one is asked for."""

    def __init__(self, app: Flask) -> None:
        super().__init__(name="db", help="Migrations de la base (Flask-Migrate, Alembic).")
        self._app = app

    def _commands(self) -> click.Group:
        set_up_migrations(self._app)
        from flask_migrate.cli import db as commands

        return commands

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        real = self._commands()  # its options (--directory, -x) and its callback, which the commands rely on
        self.params, self.callback, self.help = real.params, real.callback, real.help
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._commands().list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self._commands().get_command(ctx, name)
