"""The payments of an edition's signed conventions: the page, a line's move and release, the convention's
legal commitment, and the finance team's export. The programme team only; releasing a line by hand, admins."""

from __future__ import annotations

import tempfile

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from dossiers import permissions
from models import PaymentLine, db
from payments import commitment, moves, overview, release
from payments.line_states import label
from payments.moves import PaymentRefused
from staff import payment_export
from timekeeping import today
from web.downloads import content_disposition, send_download
from web.staff import bp
from web.staff.access import admin_required, edition_or_404, manage_required, managed_dossier
from web.staff.exports import XLSX
from web.staff.forms import CommitmentForm, LineMoveForm, LineReleaseForm


@bp.get("/editions/<edition_id>/versements")
@manage_required
def payments_page(edition_id: str):
    edition = edition_or_404(edition_id)
    conventions, totals = overview.edition_payments(edition)
    db.session.commit()  # the lines of conventions signed before payments were followed, made as they were read
    return render_template("staff/payments.html", edition=edition, conventions=conventions, totals=totals,
                           today=today(edition.zone), can_release=permissions.is_admin(current_user))


@bp.get("/editions/<edition_id>/versements.csv")
@manage_required
def payments_csv(edition_id: str):
    edition = edition_or_404(edition_id)
    text = payment_export.csv_file(edition)
    db.session.commit()
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": content_disposition(f"{edition.id}-versements.csv")})


@bp.get("/editions/<edition_id>/versements.xlsx")
@manage_required
def payments_xlsx(edition_id: str):
    edition = edition_or_404(edition_id)
    target = tempfile.TemporaryFile()  # deleted when the response closes it
    payment_export.write_xlsx(edition, target)
    db.session.commit()
    target.seek(0)
    return send_download(target, XLSX, f"{edition.id}-versements.xlsx")


def _line_or_404(line_id: int) -> PaymentLine:
    line = db.session.get(PaymentLine, line_id)
    if line is None:
        abort(404)
    managed_dossier(line.dossier_id)  # 404 when its edition is no longer served
    return line


def _saved(action) -> bool:
    """Run a change of the payments and commit it; a refusal (or another person's change of the same line in the
    meantime) is rolled back and said in French."""
    try:
        action()
        db.session.commit()
    except PaymentRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return False
    except StaleDataError:
        db.session.rollback()
        flash("Ce versement vient d'être modifié par quelqu'un d'autre : vérifiez-le avant de recommencer.", "error")
        return False
    return True


def _refused(form) -> None:
    """Say why a form was refused: its fields' messages, or the expired form's."""
    messages = [m for name, errors in form.errors.items() for m in errors if name != "csrf_token"]
    flash(" ".join(messages) or "Le formulaire a expiré : rechargez la page et recommencez.", "error")


def _back(dossier_id: int, back: str | None):
    """To the dossier's page, or to its convention on the edition's payments page."""
    if back == "dossier":
        return redirect(url_for("staff.dossier_page", dossier_id=dossier_id, _anchor="versements"))
    _, edition = managed_dossier(dossier_id)
    return redirect(url_for("staff.payments_page", edition_id=edition.id, _anchor=f"convention-{dossier_id}"))


@bp.post("/versements/<int:line_id>/etat")
@manage_required
def move_line(line_id: int):
    line = _line_or_404(line_id)
    form = LineMoveForm()
    if not form.validate_on_submit():
        _refused(form)
        return _back(line.dossier_id, form.back.data)
    if _saved(lambda: moves.advance(line, form.to_state.data, current_user, form.on.data, form.comment.data,
                                    form.seen.data or None)):
        flash(f"Versement « {line.label} » : « {label(line.state)} ».", "success")
    return _back(line.dossier_id, form.back.data)


@bp.post("/versements/<int:line_id>/deblocage")
@admin_required
def release_line(line_id: int):
    line = _line_or_404(line_id)
    form = LineReleaseForm()
    if not form.validate_on_submit():
        _refused(form)
        return _back(line.dossier_id, form.back.data)
    if _saved(lambda: release.release(line, current_user, form.reason.data, form.seen.data or None)):
        flash(f"Versement « {line.label} » débloqué : il est « {label(line.state)} ».", "success")
    return _back(line.dossier_id, form.back.data)


@bp.post("/dossiers/<int:dossier_id>/engagement-juridique")
@manage_required
def record_commitment(dossier_id: int):
    dossier, _ = managed_dossier(dossier_id)
    form = CommitmentForm()
    if not form.validate_on_submit():
        _refused(form)
        return _back(dossier.id, form.back.data)
    if _saved(lambda: commitment.record_commitment(dossier, form.number.data, current_user)):
        flash(f"N° d'engagement juridique enregistré : {commitment.legal_commitment(dossier)}.", "success")
    return _back(dossier.id, form.back.data)
