"""The back-office's small forms (CSRF-protected); the scoring grid comes from forms.builder."""

from __future__ import annotations

from dataclasses import dataclass, field

from wtforms import BooleanField, EmailField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from forms.fields import AmountField, FrenchDateField
from forms.french import FrenchForm
from staff.decisions import OUTCOMES


class ButtonForm(FrenchForm):
    """A button that posts nothing but its CSRF token."""


class TransitionForm(FrenchForm):
    to_state = HiddenField(validators=[InputRequired()])
    comment = TextAreaField("Commentaire", validators=[Optional(), Length(max=2000)])


class AssignForm(FrenchForm):
    juror_id = SelectField("Membre du jury", coerce=int,
                           validators=[InputRequired("Choisissez un membre du jury.")])

    def offer(self, jurors) -> AssignForm:
        """Offer these jury members (by id, shown by name)."""
        self.juror_id.choices = [SelectChoice(j.id, j.display_name or j.email) for j in jurors]
        return self


class ConflictForm(FrenchForm):
    reason = TextAreaField("Nature du conflit d'intérêts",
                           description="Par exemple : lien avec l'administration porteuse, participation au projet.",
                           validators=[InputRequired("Précisez la nature du conflit d'intérêts."), Length(max=2000)])


class DecisionForm(FrenchForm):
    outcome = RadioField("Décision", choices=[SelectChoice(value, label) for value, label in OUTCOMES.items()],
                         validators=[InputRequired("Choisissez « Lauréat » ou « Non retenu ».")])
    amount = AmountField("Montant accordé (€)", description="Pour un lauréat : au plus le montant demandé.",
                         validators=[Optional()])
    comment = TextAreaField("Motif ou commentaire",
                            description="Obligatoire pour « Non retenu » : il est communiqué au porteur du projet.",
                            validators=[Optional(), Length(max=2000)])
    back = HiddenField()


@dataclass
class RefusedDecision:
    """A decision the page shows again as it was typed, each error next to its input (422)."""

    dossier_id: int
    form: DecisionForm
    errors: dict[str, list[str]] = field(default_factory=dict)  # input name → messages; "" for the whole form

    def add(self, name: str | None, message: str) -> None:
        self.errors.setdefault(name or "", []).append(message)

    def typed(self, name: str) -> str:
        """What was posted for an input, as typed."""
        raw = self.form[name].raw_data
        return raw[0] if raw else ""


class CountersignForm(FrenchForm):
    comment = TextAreaField("Commentaire (facultatif)", validators=[Optional(), Length(max=2000)])


class SendDecisionsForm(FrenchForm):
    confirm = BooleanField("Je confirme l'envoi des décisions listées ci-dessus",
                           validators=[DataRequired("Cochez la case pour confirmer l'envoi.")])


class InvitationForm(FrenchForm):
    """An admin invites a member of the team or the jury (accounts.invitations)."""

    email = EmailField("Adresse électronique de la personne invitée",
                       validators=[InputRequired("Indiquez l'adresse électronique de la personne invitée."),
                                   Length(max=254, message="L'adresse électronique est trop longue.")])
    name = StringField("Nom affiché (facultatif)", description="Par exemple : Claire Expert.",
                       validators=[Optional(), Length(max=200, message="Le nom est trop long.")])
    role = SelectField("Rôle", validators=[InputRequired("Choisissez le rôle de la personne invitée.")])
    edition_id = SelectField("Édition (pour un membre du jury)", validators=[Optional()])

    def offer(self, roles: dict[str, str], editions) -> InvitationForm:
        self.role.choices = [SelectChoice("", "Choisir un rôle")] + [
            SelectChoice(value, label) for value, label in roles.items()]
        self.edition_id.choices = [SelectChoice("", "—")] + [
            SelectChoice(e.id, f"{e.definition.short_title} — {e.definition.number}e édition") for e in editions]
        return self


class LineMoveForm(FrenchForm):
    """Move a payment line one state forward (payments.moves): the state the page showed, the day, a comment."""

    to_state = HiddenField(validators=[InputRequired()])
    seen = HiddenField()
    on = FrenchDateField("Date", description="Aujourd'hui si elle n'est pas indiquée.", validators=[Optional()])
    comment = TextAreaField("Commentaire (facultatif)", validators=[Optional(), Length(max=2000)])
    back = HiddenField()


class LineReleaseForm(FrenchForm):
    """An admin releases a waiting line by hand (payments.release), with the reason."""

    seen = HiddenField()
    reason = TextAreaField("Motif du déblocage", validators=[Optional(), Length(max=2000)])
    back = HiddenField()


class CommitmentForm(FrenchForm):
    """The convention's n° d'engagement juridique in Chorus (payments.commitment checks its 10 digits)."""

    number = StringField("N° d'engagement juridique (Chorus)", description="10 chiffres, par exemple 2103456789.",
                         validators=[Optional(), Length(max=40)])
    back = HiddenField()
