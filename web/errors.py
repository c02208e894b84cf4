"""Error pages in French, for every status a person may meet."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

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


def init_app(app: Flask) -> None:
    def render(status: int):
        title, text = MESSAGES[status]
        return render_template("error.html", status=status, title=title, text=text), status

    for status in MESSAGES:
        app.register_error_handler(status, lambda e, s=status: render(s))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template(
            "error.html", status=400, title="Session expirée",
            text="Le formulaire a expiré ou a été envoyé depuis un autre onglet. Rechargez la page : "
                 "vos réponses déjà enregistrées sont conservées.",
        ), 400
