"""The sign-in forms (CSRF-protected by Flask-WTF)."""

from __future__ import annotations

from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import EqualTo, InputRequired, Length

from accounts.passwords import MIN_LENGTH
from addresses import DeliverableAddress
from forms.french import FrenchForm


class LinkRequestForm(FrenchForm):
    email = EmailField(
        "Adresse électronique professionnelle",
        description="Format attendu : prenom.nom@administration.gouv.fr",
        validators=[InputRequired("Indiquez votre adresse électronique."),
                    Length(max=254, message="L'adresse électronique est trop longue."),
                    DeliverableAddress("L'adresse électronique n'est pas valide (format attendu : nom@domaine.fr).")],
    )
    next = HiddenField()


class ConfirmLinkForm(FrenchForm):
    """A button to press: mail scanners that open links do not use them up."""


class StaffLoginForm(FrenchForm):
    email = EmailField("Adresse électronique", validators=[InputRequired("Indiquez votre adresse électronique.")])
    password = PasswordField("Mot de passe", validators=[InputRequired("Indiquez votre mot de passe.")])


class ChoosePasswordForm(FrenchForm):
    """An invited member of the team or the jury chooses their password (rules: accounts.passwords)."""

    password = PasswordField("Mot de passe", description=f"Au moins {MIN_LENGTH} caractères.",
                             validators=[InputRequired("Choisissez un mot de passe.")])
    confirmation = PasswordField("Confirmation du mot de passe",
                                 validators=[InputRequired("Saisissez le mot de passe une seconde fois."),
                                             EqualTo("password", "Les deux mots de passe saisis sont différents.")])
