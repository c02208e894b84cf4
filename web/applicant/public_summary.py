"""The laureate's page to review, rewrite or confirm the public summary of their project (publication.summaries)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from wtforms import TextAreaField

from dossiers import permissions
from forms.french import FrenchForm
from models import db
from publication import operations, summaries
from web.applicant import bp
from web.applicant.access import dossier_or_404


class PublicSummaryForm(FrenchForm):
    summary = TextAreaField("Résumé public du projet",
                            description=f"Quelques phrases pour le grand public : le besoin des agents, la solution, "
                                        f"ce qui change. {summaries.SUMMARY_MAX_LENGTH} caractères au plus.")


@bp.route("/dossiers/<int:dossier_id>/resume-public", methods=["GET", "POST"])
@login_required
def public_summary(dossier_id: int):
    dossier, _ = dossier_or_404(dossier_id)
    if not permissions.can_write_public_summary(current_user, dossier):
        abort(404)  # another's dossier, the team, or a project not selected: nothing to see here
    edition = current_app.extensions["editions"].get(dossier.edition_id)  # as served now: its `public` field
    summary = summaries.summary_of(edition, dossier)
    form = PublicSummaryForm(data={"summary": summary.text})
    status = 200
    if form.is_submitted():
        if form.validate():
            try:
                summaries.write_summary(dossier, form.summary.data, current_user)
                db.session.commit()
            except summaries.SummaryRefused as refused:
                db.session.rollback()
                form.summary.errors = [str(refused)]
            except IntegrityError:  # saved at the same instant from another tab: theirs is kept
                db.session.rollback()
                flash("Le résumé vient d'être enregistré depuis un autre onglet : vérifiez-le.", "warning")
                return redirect(url_for("applicant.public_summary", dossier_id=dossier.id))
            else:
                flash("Votre résumé est enregistré. Il paraîtra sur la page des lauréats à sa prochaine "
                      "publication par l'équipe du programme.", "success")
                return redirect(url_for("applicant.public_summary", dossier_id=dossier.id))
        status = 422 if form.summary.errors else 400
    return render_template("applicant/public_summary.html", dossier=dossier, edition=edition, form=form,
                           summary=summary, max_length=summaries.SUMMARY_MAX_LENGTH,
                           publication=operations.current(edition.id),
                           card=operations.published_card(edition.id, dossier.id)), status
