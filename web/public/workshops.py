"""Registration to workshops and information sessions; the rules live in workshops/registrations.py."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from wtforms import BooleanField, EmailField, StringField
from wtforms.validators import InputRequired, Length

from addresses import DeliverableAddress
from extensions import limiter
from forms.french import FrenchForm
from models import db
from web.public import bp
from web.public.routes import get_edition_or_404
from workshops import registrations


class WorkshopForm(FrenchForm):
    name = StringField("Nom et prénom", validators=[InputRequired("Indiquez votre nom."), Length(max=200)])
    email = EmailField("Adresse électronique professionnelle",
                       description="La confirmation et l'invitation (agenda) y sont envoyées.",
                       validators=[InputRequired("Indiquez votre adresse électronique."), Length(max=254),
                                   DeliverableAddress("L'adresse électronique n'est pas valide "
                                                      "(format attendu : nom@domaine.fr).")])
    administration = StringField("Administration ou opérateur", validators=[
        InputRequired("Indiquez votre administration."), Length(max=300)])
    remote = BooleanField("Je participerai à distance (visioconférence)")


class CancelForm(FrenchForm):
    """A button to press, so that a mail scanner opening the link cancels nothing."""


class ConfirmForm(FrenchForm):
    """A button to press, so that a mail scanner opening the link confirms nothing."""


def _sign_up_limit() -> str:
    return current_app.config["RATELIMIT_WORKSHOP"]


@bp.route("/appels/<edition_id>/ateliers/<workshop_key>", methods=["GET", "POST"])
@limiter.limit(_sign_up_limit, methods=["POST"])
def workshop_registration(edition_id: str, workshop_key: str):
    edition = get_edition_or_404(edition_id)
    workshop = registrations.find_workshop(edition, workshop_key)
    if workshop is None:
        abort(404)
    form = WorkshopForm()
    if workshop.remote_only or not workshop.remote:  # no choice to make: in the room only, or remote only
        del form.remote
    if form.validate_on_submit():
        try:
            registration = registrations.request_registration(
                edition, workshop, form.email.data, form.name.data, form.administration.data,
                bool(form.remote and form.remote.data))
        except registrations.RegistrationRefused as refused:
            db.session.rollback()
            flash(str(refused), "error")
        else:
            db.session.commit()
            return render_template("public/workshop_check_sent.html", edition=edition, workshop=workshop,
                                   email=registration.email)
    return render_template("public/workshop.html", edition=edition, workshop=workshop, form=form,
                           seats_left=registrations.seats_left(edition, workshop),
                           remote_seats_left=registrations.seats_left(edition, workshop, remote=True))


@bp.route("/ateliers/confirmation/<token>", methods=["GET", "POST"])
def workshop_confirm(token: str):
    try:
        registration = registrations.registration_to_confirm(token)
    except registrations.RegistrationRefused as refused:
        return render_template("public/workshop_confirm.html", error=str(refused)), 410
    edition = get_edition_or_404(registration.edition_id)
    workshop = registrations.find_workshop(edition, registration.workshop_key)
    if workshop is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            registration = registrations.confirm(edition, workshop, registration)
        except registrations.RegistrationRefused as refused:
            db.session.rollback()
            return render_template("public/workshop_confirm.html", error=str(refused)), 410
        db.session.commit()
        if registration.status == "inscrit":
            flash(f"Votre inscription est enregistrée. Une confirmation et une invitation sont envoyées à "
                  f"{registration.email}.", "success")
        else:
            flash("La session est complète : vous êtes sur la liste d'attente. Vous recevrez un courriel si "
                  "une place se libère.", "info")
        return redirect(url_for("public.call_page", edition_id=edition.id))
    return render_template("public/workshop_confirm.html", edition=edition, workshop=workshop,
                           registration=registration, form=form)


@bp.route("/ateliers/annulation/<token>", methods=["GET", "POST"])
def workshop_cancel(token: str):
    try:
        registration = registrations.registration_from_token(token)
    except registrations.RegistrationRefused as refused:
        return render_template("public/workshop_cancel.html", error=str(refused)), 410
    edition = get_edition_or_404(registration.edition_id)
    workshop = registrations.find_workshop(edition, registration.workshop_key)
    if workshop is None:
        abort(404)
    form = CancelForm()
    if form.validate_on_submit():
        registrations.cancel(edition, workshop, registration)
        db.session.commit()
        flash("Votre inscription est annulée. Merci de nous avoir prévenus.", "success")
        return redirect(url_for("public.call_page", edition_id=edition.id))
    return render_template("public/workshop_cancel.html", edition=edition, workshop=workshop,
                           registration=registration, form=form)
