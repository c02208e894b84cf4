"""The sign-in forms (CSRF-protected by Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import InputRequired, Length

from mail.addresses import DeliverableAddress


class LinkRequestForm(FlaskForm):
    email = EmailField(
        "Adresse électronique professionnelle",
        description="Format attendu : prenom.nom@administration.gouv.fr",
        validators=[InputRequired("Indiquez votre adresse électronique."),
                    Length(max=254, message="L'adresse électronique est trop longue."),
                    DeliverableAddress("L'adresse électronique n'est pas valide (format attendu : nom@domaine.fr).")],
    )
    next = HiddenField()


class ConfirmLinkForm(FlaskForm):
    """A button to press: mail scanners that open links do not use them up."""


class StaffLoginForm(FlaskForm):
    email = EmailField("Adresse électronique", validators=[InputRequired("Indiquez votre adresse électronique.")])
    password = PasswordField("Mot de passe", validators=[InputRequired("Indiquez votre mot de passe.")])
