"""Views of the applicant's dossiers list, start, summary and submission."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

import states
from documents.generate import documents_for
from dossiers import editing, operations, permissions
from dossiers.carry_over import previous_dossiers
from dossiers.navigation import progress
from editions import deadline
from forms.answers import step_errors
from forms.french import FrenchForm
from models import Dossier, db
from payments.lines import statuses
from rules.evaluation import findings
from web.applicant import bp
from web.applicant.access import dossier_or_404
from web.applicant.steps import DossierFilling
from web.public.routes import get_edition_or_404


@bp.get("/mes-dossiers")
@login_required
def my_dossiers():
    dossiers = db.session.execute(
        db.select(Dossier).filter_by(owner_id=current_user.id).order_by(Dossier.updated_at.desc())
    ).scalars().all()
    return render_template("applicant/my_dossiers.html", dossiers=dossiers)


@bp.route("/appels/<edition_id>/candidater", methods=["GET", "POST"])
@login_required
def start(edition_id: str):
    edition = get_edition_or_404(edition_id)
    try:
        operations.ensure_can_apply(current_user)
    except operations.ActionRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("public.call_page", edition_id=edition.id))
    form = FrenchForm()
    drafts = db.session.execute(
        db.select(Dossier).filter_by(owner_id=current_user.id, edition_id=edition.id)
    ).scalars().all()
    previous = previous_dossiers(edition, current_user)
    if form.validate_on_submit() and (not drafts or request.form.get("confirm") == "nouveau"):
        source = next((d for d in previous if str(d.id) == request.form.get("reprendre")), None)
        try:
            dossier, dropped = operations.start_dossier(
                edition, current_user, source, source and current_app.extensions["editions"].get(source.edition_id))
        except operations.ActionRefused as refused:
            flash(str(refused), "error")
            return redirect(url_for("public.call_page", edition_id=edition.id))
        db.session.commit()
        if source is not None:
            flash("Les réponses de votre dossier de l'édition précédente ont été reprises. Vérifiez chaque étape."
                  + (" Non reprises (à compléter) : " + " ; ".join(dropped) + "." if dropped else ""), "info")
        return redirect(url_for("applicant.step", dossier_id=dossier.id, step_key=edition.steps[0].key))
    return render_template("applicant/start.html", edition=edition, drafts=drafts, form=form, previous=previous,
                           phase=deadline.phase(edition))


@bp.get("/dossiers/<int:dossier_id>")
@login_required
def dossier(dossier_id: int):
    """Send the applicant where they left off, or to the summary once every step is done."""
    dossier, edition = dossier_or_404(dossier_id)
    if not permissions.can_edit_answers(current_user, dossier) or not deadline.accepts_submissions(edition):
        return redirect(url_for("applicant.summary", dossier_id=dossier.id))
    resume = progress(edition, dossier).resume_point()
    if resume is None:
        return redirect(url_for("applicant.summary", dossier_id=dossier.id))
    return redirect(url_for("applicant.step", dossier_id=dossier.id, step_key=resume.step.key))


@bp.get("/dossiers/<int:dossier_id>/recapitulatif")
@login_required
def summary(dossier_id: int):
    dossier, edition = dossier_or_404(dossier_id)
    state = progress(edition, dossier)
    errors = {s.step.key: step_errors(edition, s.step, dossier.answers or {}) for s in state.steps}
    editable = permissions.can_edit_answers(current_user, dossier) and deadline.accepts_submissions(edition)
    found = findings(edition, dossier.answers or {}) if dossier.is_draft else []
    payment_lines = statuses(dossier) if dossier.state in states.SIGNED else []
    db.session.commit()  # the lines of a convention signed before payments were followed, made as they were read
    return render_template("applicant/summary.html", dossier=dossier, edition=edition, progress=state,
                           filling=DossierFilling(dossier, edition),
                           errors=errors, findings=found, editable=editable, form=FrenchForm(),
                           phase=deadline.phase(edition),
                           page_token=editing.new_page_token(),
                           files={f.id: f for f in dossier.files},
                           documents=[] if dossier.is_draft else documents_for(dossier, "applicant"),
                           payment_lines=payment_lines)


@bp.post("/dossiers/<int:dossier_id>/deposer")
@login_required
def submit(dossier_id: int):
    dossier, edition = dossier_or_404(dossier_id)
    form = FrenchForm()
    if not form.validate_on_submit():
        flash("Le formulaire a expiré : rechargez la page et déposez à nouveau.", "error")
        return redirect(url_for("applicant.summary", dossier_id=dossier.id))
    if dossier.state != states.DRAFT and permissions.is_owner(current_user, dossier):
        flash(f"Ce dossier a déjà été déposé sous la référence {dossier.reference}.", "info")
        return redirect(url_for("applicant.summary", dossier_id=dossier.id))
    seen = request.form.get("version", "")
    if seen.isdigit() and int(seen) != dossier.version:  # what is deposited is what the summary showed
        flash("Ce dossier a été modifié depuis l'affichage de ce récapitulatif (dans un autre onglet ?) : "
              "vérifiez-le avant de le déposer.", "warning")
        return redirect(url_for("applicant.summary", dossier_id=dossier.id))
    try:
        operations.submit(edition, dossier, current_user)
        reference = dossier.reference  # read before the commit expires it: no query to read it back
        db.session.commit()
    except operations.ActionRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("applicant.summary", dossier_id=dossier.id))
    except StaleDataError:
        db.session.rollback()
        flash("Ce dossier a été modifié entre-temps (autre onglet ?). Vérifiez-le avant de le déposer.", "warning")
        return redirect(url_for("applicant.summary", dossier_id=dossier.id))
    flash(f"Votre dossier est déposé sous la référence {reference}. Un accusé de dépôt vous est "
          f"envoyé par courriel ; le dossier mis en forme (PDF et Word) suit dans un second message.", "success")
    return redirect(url_for("applicant.summary", dossier_id=dossier_id))
