"""The programme team's dossier list and dossier page, and the actions taken from it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

import states
from documents.generate import documents_for
from dossiers import lifecycle, permissions
from forms.answers import visible_steps
from models import JuryAssignment, db
from payments import overview as payments_overview
from payments.history import describe as describe_payment_change
from payments.history import history_of as payment_history
from staff import agreements, assignments, decisions, instruction, listing, scoring
from staff.ranking import review_of
from timekeeping import today
from web.staff import bp
from web.staff.access import edition_or_404, manage_required, managed_dossier
from web.staff.forms import AssignForm, ButtonForm, CountersignForm, DecisionForm, RefusedDecision, TransitionForm


@bp.get("/editions/<edition_id>/dossiers")
@manage_required
def dossier_list(edition_id: str):
    edition = edition_or_404(edition_id)
    filters = listing.Filters.from_args(request.args)
    page = listing.list_dossiers(edition, filters, request.args.get("apres"))
    return render_template("staff/dossier_list.html", edition=edition, filters=filters, page=page,
                           sorts=listing.SORTS, state_choices=states.STATES,
                           administrations=listing.administrations(edition),
                           page_number=request.args.get("page", 1, type=int))


@bp.get("/dossiers/<int:dossier_id>")
@manage_required
def dossier_page(dossier_id: int):
    dossier, edition = managed_dossier(dossier_id)
    return _render_dossier(dossier, edition)


def _render_dossier(dossier, edition, refused: RefusedDecision | None = None):
    taken = {a.juror_id for a in assignments.assignments_of(dossier)}
    assign_form = AssignForm().offer(j for j in assignments.jury_members() if j.id not in taken)
    ranked = review_of(edition, dossier)
    payments, blockers = payments_overview.dossier_payments(dossier), instruction.closing_blockers(dossier)
    db.session.commit()  # the lines of a convention signed before payments were followed, made as they were read
    return render_template(
        "staff/dossier.html", dossier=dossier, edition=edition, steps=visible_steps(edition, dossier.answers or {}),
        files={f.id: f for f in dossier.files}, documents=documents_for(dossier, "staff"),
        targets=instruction.manual_targets(dossier, current_user), comment_required=instruction.comment_required,
        assignments=assignments.assignments_of(dossier), assign_form=assign_form, ranked=ranked,
        criteria=scoring.criteria(edition),
        decision_form=DecisionForm(), decision=decisions.decision_line(dossier, ranked),
        agreement=agreements.stage(dossier), countersign_form=CountersignForm(), button=ButtonForm(),
        transition_form=TransitionForm(), refused=refused, closing_blockers=blockers,
        payments=payments, payment_history=payment_history(dossier) if payments else [],
        describe_payment_change=describe_payment_change, today=today(edition.zone),
        can_release=permissions.is_admin(current_user)), 422 if refused else 200


def _carried_out(action, *refusals: type[Exception]) -> bool:
    """Run a business action and commit it; on a refusal, roll back and show its French message."""
    try:
        action()
    except refusals as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return False
    db.session.commit()
    return True


def _back_to(dossier_id: int, anchor: str | None = None):
    return redirect(url_for("staff.dossier_page", dossier_id=dossier_id, _anchor=anchor))


@bp.post("/dossiers/<int:dossier_id>/etat")
@manage_required
def change_state(dossier_id: int):
    dossier, _ = managed_dossier(dossier_id)
    form = TransitionForm()
    if not form.validate_on_submit():
        flash("Le changement d'état n'a pas été pris en compte : rechargez la page et recommencez.", "error")
        return _back_to(dossier.id)
    if not _carried_out(lambda: instruction.change_state(dossier, form.to_state.data, current_user,
                                                         form.comment.data), lifecycle.TransitionRefused):
        return _back_to(dossier.id, "instruction")
    flash(f"Le dossier est maintenant « {states.LABELS[dossier.state]} ».", "success")
    return _back_to(dossier.id)


@bp.post("/dossiers/<int:dossier_id>/jury")
@manage_required
def assign(dossier_id: int):
    dossier, _ = managed_dossier(dossier_id)
    form = AssignForm().offer(assignments.jury_members())
    if not form.validate_on_submit():
        flash("Choisissez un membre du jury dans la liste.", "error")
        return _back_to(dossier.id, "jury")
    juror = next(j for j in assignments.jury_members() if j.id == form.juror_id.data)
    if not _carried_out(lambda: assignments.assign(dossier, juror, current_user), assignments.AssignmentRefused):
        return _back_to(dossier.id, "jury")
    flash(f"Dossier attribué à {juror.display_name or juror.email}.", "success")
    return _back_to(dossier.id, "jury")


@bp.post("/dossiers/<int:dossier_id>/jury/<int:assignment_id>/retrait")
@manage_required
def unassign(dossier_id: int, assignment_id: int):
    dossier, _ = managed_dossier(dossier_id)
    assignment = db.session.get(JuryAssignment, assignment_id)
    if assignment is None or assignment.dossier_id != dossier.id or not ButtonForm().validate_on_submit():
        flash("Cette attribution n'existe plus.", "error")
        return _back_to(dossier.id, "jury")
    if not _carried_out(lambda: assignments.unassign(assignment), assignments.AssignmentRefused):
        return _back_to(dossier.id, "jury")
    flash("L'attribution est retirée.", "success")
    return _back_to(dossier.id, "jury")


@bp.post("/dossiers/<int:dossier_id>/decision")
@manage_required
def decide(dossier_id: int):
    """Record a decision; a refused one comes back as typed, the error next to its input, on the page it came from."""
    from web.staff.results import render_decisions

    dossier, edition = managed_dossier(dossier_id)
    form = DecisionForm()
    from_decisions = form.back.data == "decisions"
    refused = RefusedDecision(dossier.id, form)
    if not form.validate_on_submit():
        for name, errors in form.errors.items():
            for message in errors:
                refused.add(name if name in ("outcome", "amount", "comment") else None,
                            message if name != "csrf_token" else "Rechargez la page et recommencez.")
    else:
        try:
            decisions.record_decision(dossier, form.outcome.data, form.amount.data, form.comment.data, current_user)
        except decisions.DecisionRefused as error:
            db.session.rollback()
            refused.add(error.field, str(error))
        else:
            db.session.commit()
            flash(f"{dossier.reference} : décision « {states.label(dossier.state)} » enregistrée. Elle sera "
                  "communiquée au porteur lors de l'envoi des décisions.", "success")
            if from_decisions:
                return redirect(url_for("staff.decisions_page", edition_id=edition.id,
                                        _anchor=f"dossier-{dossier.id}"))
            return _back_to(dossier.id, "decision")
    return render_decisions(edition, refused) if from_decisions else _render_dossier(dossier, edition, refused)


@bp.post("/dossiers/<int:dossier_id>/convention/contresignature")
@manage_required
def countersign(dossier_id: int):
    dossier, _ = managed_dossier(dossier_id)
    form = CountersignForm()
    if not form.validate_on_submit():
        flash("La contresignature n'a pas été enregistrée : rechargez la page et recommencez.", "error")
        return _back_to(dossier.id, "convention")
    if not _carried_out(lambda: agreements.countersign(dossier, current_user, form.comment.data),
                        agreements.AgreementRefused, lifecycle.TransitionRefused):
        return _back_to(dossier.id, "convention")
    flash("La convention est contresignée : le dossier est « Convention signée ».", "success")
    return _back_to(dossier.id, "convention")
