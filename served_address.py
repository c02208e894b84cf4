"""The address mailed links use: APPELS_PUBLIC_URL when given, else where `flask run` serves the app.

Messages are built outside requests too (workers, reminders), so links cannot take the host of a request;
and the Host header is the visitor's to choose, never to be trusted in a sign-in link. The embedded default
therefore reads the host and port `flask run` was given (options or FLASK_RUN_HOST / FLASK_RUN_PORT), so that
`PORT=5201 make run` mails links to :5201. Outside `flask run` (gunicorn, commands) without the setting,
links point to the embedded default's usual address.
"""

from __future__ import annotations

import datetime as dt

import click

FALLBACK = "http://127.0.0.1:5000"
# A server listening on every interface is reached, from this machine, on the loopback.
WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}


def served_by_flask_run() -> str | None:
    """The base address of `flask run` when it is the command loading the app, else None."""
    context = click.get_current_context(silent=True)
    if context is None or context.info_name != "run" or "port" not in context.params:
        return None
    host = str(context.params.get("host") or "")
    host = WILDCARDS.get(host, f"[{host}]" if ":" in host else host)
    scheme = "https" if context.params.get("cert") else "http"
    return f"{scheme}://{host}:{context.params['port']}"


def resolve_public_url(configured: str | None) -> str:
    """The setting when given; otherwise the address `flask run` serves on, or the fallback."""
    if configured:
        return configured.rstrip("/")
    return served_by_flask_run() or FALLBACK


def announce(public_url: str, frozen: dt.datetime | None) -> None:
    """Under `flask run`, say where mailed links lead and whether the clock is frozen (README, `make run`)."""
    if served_by_flask_run() is None:
        return
    click.echo(f"  Adresse des liens dans les courriels : {public_url}  (APPELS_PUBLIC_URL pour la changer)")
    if frozen is not None:
        from formatting import format_datetime

        click.echo(f"  Horloge arrêtée : {format_datetime(frozen)} (heure de Paris ; APPELS_FROZEN_NOW)")
