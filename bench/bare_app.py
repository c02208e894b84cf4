"""The baseline: a bare Flask + WTForms (Flask-WTF for CSRF) app serving the fields of the ETNA « porteur »
step, written by hand, without a database. `make bench` compares the product's step page with it.

Run by gunicorn as `bench.bare_app:create_bare_app()`.
"""

from __future__ import annotations

import os

from flask import Flask, redirect, render_template_string, session
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp

PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Porteur du projet</title></head>
<body><main><h1>Porteur du projet</h1>
<form method="post" novalidate>{{ form.csrf_token }}
{% for field in form if field.name != 'csrf_token' %}
<div class="fr-input-group">{{ field.label(class_="fr-label") }}{{ field(class_="fr-input") }}
{% for e in field.errors %}<p class="fr-message fr-message--error">{{ e }}</p>{% endfor %}</div>
{% endfor %}
<button type="submit" name="action" value="next">Suivant</button></form></main></body></html>"""


class PorteurForm(FlaskForm):
    administration = StringField("Administration ou opérateur", validators=[InputRequired(), Length(max=200)])
    direction = StringField("Direction ou service", validators=[InputRequired(), Length(max=200)])
    type_structure = RadioField("Type de structure", validators=[InputRequired()], choices=[
        SelectChoice("administration_centrale", "Administration centrale"),
        SelectChoice("service_deconcentre", "Service déconcentré"), SelectChoice("operateur", "Opérateur de l’État")])
    contact_nom = StringField("Nom et prénom", validators=[InputRequired(), Length(max=120)])
    contact_fonction = StringField("Fonction", validators=[InputRequired(), Length(max=200)])
    contact_email = EmailField("Adresse électronique", validators=[InputRequired(), Email()])
    contact_telephone = TelField("Téléphone", validators=[
        InputRequired(), Regexp(r"^(\+33 ?|0)[1-9]([ .-]?[0-9]{2}){4}$")])
    signataire_nom = StringField("Nom et prénom du signataire", validators=[InputRequired(), Length(max=120)])
    signataire_fonction = StringField("Fonction du signataire", validators=[InputRequired(), Length(max=200)])
    participation_edition_1 = RadioField("Première édition ?", validators=[InputRequired()],
                                         choices=[SelectChoice("oui", "Oui"), SelectChoice("non", "Non")])
    projet_edition_1 = StringField("Titre du projet de la première édition", validators=[Optional()])


def create_bare_app() -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("BENCH_SECRET_KEY", "bench")

    @app.route("/dossiers/<int:dossier_id>/etapes/porteur", methods=["GET", "POST"])
    def step(dossier_id: int):
        form = PorteurForm()
        if form.validate_on_submit():
            session["porteur"] = {k: v for k, v in form.data.items() if k != "csrf_token"}
            return redirect(f"/dossiers/{dossier_id}/etapes/cas_usage")
        return render_template_string(PAGE, form=form)

    return app
