"""The jury member's pages: the dossiers assigned to them, reading and scoring one, declaring a conflict."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from documents.generate import documents_for
from dossiers import permissions
from forms.answers import visible_steps
from models import db
from staff import assignments, scoring
from web.staff import bp
from web.staff.access import jury_required, reviewed_dossier
from web.staff.forms import ConflictForm


@bp.get("/jury")
@jury_required
def my_reviews():
    return render_template("staff/jury_list.html", lines=assignments.dossiers_of_juror(current_user))


@bp.route("/jury/dossiers/<int:dossier_id>", methods=["GET", "POST"])
@jury_required
def review(dossier_id: int):
    dossier, edition, assignment = reviewed_dossier(dossier_id)
    can_score = permissions.can_score(current_user, dossier)
    form = scoring.scoring_form(edition, assignment.score, request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not can_score:
            flash("Ce dossier n'est pas en évaluation : la notation n'est pas ouverte.", "error")
            return redirect(url_for("staff.review", dossier_id=dossier.id))
        if form.validate():
            scoring.save_score(assignment, edition, form)
            db.session.commit()
            flash(f"Votre notation du dossier {dossier.reference} est enregistrée. Vous pouvez la modifier tant que "
                  "le dossier est en évaluation.", "success")
            return redirect(url_for("staff.my_reviews"))
        status = 422
    review_definition = edition.definition.review
    return render_template(
        "staff/review.html", dossier=dossier, edition=edition, steps=visible_steps(edition, dossier.answers or {}),
        files={f.id: f for f in dossier.files}, documents=documents_for(dossier, "applicant"), form=form,
        grid=scoring.scoring_step(edition), scale_help=review_definition.scale_help if review_definition else None,
        can_score=can_score, score=assignment.score, conflict_form=ConflictForm()), status


@bp.post("/jury/dossiers/<int:dossier_id>/conflit")
@jury_required
def declare_conflict(dossier_id: int):
    dossier, _, assignment = reviewed_dossier(dossier_id)
    form = ConflictForm()
    if not form.validate_on_submit():
        flash(" ".join(form.reason.errors) or "Rechargez la page et recommencez.", "error")
        return redirect(url_for("staff.review", dossier_id=dossier.id, _anchor="conflit"))
    try:
        assignments.declare_conflict(assignment, form.reason.data)
    except assignments.AssignmentRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for("staff.review", dossier_id=dossier.id, _anchor="conflit"))
    db.session.commit()
    flash(f"Votre conflit d'intérêts sur le dossier {dossier.reference} est enregistré : le dossier vous est retiré "
          "et l'équipe du programme en est informée sur la page du dossier.", "success")
    return redirect(url_for("staff.my_reviews"))
