"""The programme team's review of reports: the reports of an edition, a report's answers and annexes, the decision.

Instructeurs and admins only (the jury gets 403, as for every page of the team); the laureate is told by mail.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from forms.answers import visible_steps
from forms.french import FrenchForm
from models import Dossier, Report, db
from reports import lifecycle
from reports.documents import copy_key, has_copy
from reports.review import review
from reports.schedule import due_instant
from web.applicant.access import report_or_404
from web.staff import bp
from web.staff.access import edition_or_404, manage_required


class ReviewForm(FrenchForm):
    decision = RadioField("Décision", choices=[SelectChoice(lifecycle.ACCEPTED, "Accepter le rapport"),
                                               SelectChoice(lifecycle.TO_COMPLETE, "Demander des compléments")],
                          validators=[InputRequired("Choisissez « Accepter le rapport » ou « Demander des "
                                                    "compléments ».")])
    comment = TextAreaField("Commentaire au lauréat",
                            description="Obligatoire pour une demande de compléments : dites ce qui manque. Il est "
                                        "envoyé au lauréat par courriel.",
                            validators=[Optional(), Length(max=4000)])


@bp.get("/editions/<edition_id>/rapports")
@manage_required
def reports_page(edition_id: str):
    """The edition's reports, those to review first, then by due day."""
    edition = edition_or_404(edition_id)
    rows = db.session.execute(
        sa.select(Report, Dossier).join(Dossier, Dossier.id == Report.dossier_id).where(Report.edition_id == edition.id)
        .order_by(sa.case((Report.state == lifecycle.SUBMITTED, 0), else_=1), Report.due_on, Dossier.reference)
    ).all()
    titles = {r.key: r.title for r in edition.definition.reports}
    return render_template("staff/reports.html", edition=edition, rows=rows, titles=titles)


@bp.get("/dossiers/<int:dossier_id>/rapports/<report_key>")
@manage_required
def report_page(dossier_id: int, report_key: str, form: ReviewForm | None = None, status: int = 200):
    report, dossier, report_form, edition = report_or_404(dossier_id, report_key)
    return render_template(
        "staff/report.html", report=report, record=report, dossier=dossier, edition=edition, form=report_form,
        definition=report_form.report, steps=visible_steps(report_form, report.answers or {}),
        files={f.id: f for f in report.files},
        review_form=form or ReviewForm(), reviewable=report.state == lifecycle.SUBMITTED,
        has_copy=has_copy(report, report_form), copy_key=copy_key(report.report_key),
        due_at=due_instant(report, edition)), status


@bp.post("/dossiers/<int:dossier_id>/rapports/<report_key>/examen")
@manage_required
def review_report(dossier_id: int, report_key: str):
    report, dossier, _, edition = report_or_404(dossier_id, report_key)
    form = ReviewForm()
    if not form.validate_on_submit():
        return report_page(dossier_id, report_key, form, 422)
    try:
        review(report, dossier, edition, form.decision.data, form.comment.data, current_user)
    except lifecycle.ReportRefused as refused:
        db.session.rollback()
        form.comment.errors = [*form.comment.errors, str(refused)]
        return report_page(dossier_id, report_key, form, 422)
    except StaleDataError:  # another member's decision landed since this one read the report
        db.session.rollback()
        flash("Ce rapport vient d'être examiné par ailleurs : votre décision n'est pas enregistrée. "
              "Voici où il en est.", "warning")
        return redirect(url_for("staff.report_page", dossier_id=dossier.id, report_key=report_key))
    db.session.commit()
    flash(f"Le rapport est « {lifecycle.label(report.state)} » : le lauréat en est informé par courriel.", "success")
    return redirect(url_for("staff.report_page", dossier_id=dossier.id, report_key=report_key))
