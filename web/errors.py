"""Error pages in French, for every status a person may meet; a static page when the database is down.

The usual pages extend base.html, which asks for the signed-in user (a database query): during a database
outage they would fail in turn and leave gunicorn's bare English « Internal Server Error ». So a database
error gets a static page read once at start-up, which needs no database, no user and no edition.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, Response, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Requête incorrecte", "La demande n'a pas pu être comprise. Revenez à la page précédente et réessayez."),
    403: ("Accès refusé", "Vous n'avez pas accès à cette page ou à ce document."),
    404: ("Page introuvable", "La page que vous cherchez n'existe pas ou a été déplacée."),
    405: ("Action impossible", "Cette action n'est pas possible sur cette page."),
    413: ("Fichier trop volumineux", "Le fichier envoyé dépasse la taille autorisée."),
    429: ("Trop de demandes", "Vous avez fait trop de demandes en peu de temps. Patientez quelques minutes."),
    500: ("Erreur inattendue",
          "Une erreur est survenue de notre côté. Vos réponses déjà enregistrées sont conservées."),
}
# What the database driver raises when the server is down, restarting or out of connections.
DATABASE_DOWN = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError, sa_exc.TimeoutError)
RETRY_AFTER_SECONDS = 60
UNAVAILABLE_PAGE = (Path(__file__).parent / "templates" / "unavailable.html").read_text(encoding="utf-8")


def unavailable() -> Response:
    """The static 503 page: nothing in it is computed."""
    return Response(UNAVAILABLE_PAGE, status=503, mimetype="text/html",
                    headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"})


def init_app(app: Flask) -> None:
    def render(status: int):
        title, text = MESSAGES[status]
        try:
            return render_template("error.html", status=status, title=title, text=text), status
        except DATABASE_DOWN:
            return unavailable()

    for status in MESSAGES:
        app.register_error_handler(status, lambda e, s=status: render(s))

    def database_down(error: Exception) -> Response:
        log.error("database unavailable: %s", error.__class__.__name__, exc_info=error)
        return unavailable()

    for error_class in DATABASE_DOWN:
        app.register_error_handler(error_class, database_down)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        try:
            return render_template(
                "error.html", status=400, title="Session expirée",
                text="Le formulaire a expiré ou a été envoyé depuis un autre onglet. Rechargez la page : "
                     "vos réponses déjà enregistrées sont conservées.",
            ), 400
        except DATABASE_DOWN:
            return unavailable()
