"""The project after its convention: « en cours » at the first payment, « clôturé » only once every instalment
is paid, « abandonné » with a reason (what is not yet with the finance team is then not paid); and what
« granted » means in the follow-up states."""

from __future__ import annotations

import pytest

import states
from documents.generate import documents_for
from dossiers import closing, lifecycle
from models import Dossier, db
from payments import moves, release
from payments.closing_check import unpaid_instalments
from payments.line_states import DUE, ORDERED, PAID, REQUESTED, WAITING
from payments.lines import statuses
from payments.moves import PaymentRefused
from payments.overview import edition_payments
from reports.closing import closing_blockers
from staff import agreements
from staff.decisions import decision_line, granted_total
from tests.payments.world import INTERIM, ODD_AMOUNT, lines, signed_convention
from tests.staff_world import accept_final_report, edition, make_dossier, transitions_of


def pay(line, actor) -> None:
    """Move a due line to « payé », one state at a time."""
    for state in (REQUESTED, ORDERED, PAID)[(DUE, REQUESTED, ORDERED).index(moves.current_status(line).state):]:
        moves.advance(line, state, actor)


def state_of(dossier) -> str:
    db.session.expire_all()
    return db.session.get(Dossier, dossier.id).state


def test_the_payments_register_their_closing_check():
    assert unpaid_instalments in closing.registered_closing_checks()


def test_the_first_line_paid_puts_the_project_in_progress_once(app, world):
    dossier = signed_convention(app, world["owner"], world["instructeur"])
    first, second, _ = lines(dossier)
    moves.advance(first, REQUESTED, world["instructeur"])
    moves.advance(first, ORDERED, world["instructeur"])
    assert state_of(dossier) == states.AGREEMENT_SIGNED  # in the finance team's hands: not paid yet
    moves.advance(first, PAID, world["instructeur"])
    db.session.commit()
    assert state_of(dossier) == states.IN_PROGRESS
    record = transitions_of(dossier)[-1]
    assert (record.from_state, record.to_state, record.actor_id, record.comment) == (
        states.AGREEMENT_SIGNED, states.IN_PROGRESS, None, "Automatique : premier versement payé (« Avance »).")
    release.report_accepted(dossier, INTERIM, None)
    pay(lines(dossier)[1], world["admin"])
    db.session.commit()
    assert [t.to_state for t in transitions_of(dossier)].count(states.IN_PROGRESS) == 1


def test_staff_may_put_a_project_in_progress_by_hand(app, world):
    dossier = signed_convention(app, world["owner"], world["instructeur"])
    lifecycle.transition(dossier, states.IN_PROGRESS, world["admin"], "Projet lancé le 1er octobre.")
    db.session.commit()
    assert state_of(dossier) == states.IN_PROGRESS
    pay(lines(dossier)[0], world["instructeur"])  # then its first payment changes nothing more
    db.session.commit()
    assert [t.to_state for t in transitions_of(dossier)][-1] == states.IN_PROGRESS


def test_closing_is_refused_with_the_unpaid_instalments_then_allowed(app, world, clock):
    dossier = signed_convention(app, world["owner"], world["instructeur"])
    pay(lines(dossier)[0], world["instructeur"])
    db.session.commit()
    with pytest.raises(lifecycle.TransitionRefused) as refused:
        lifecycle.transition(dossier, states.CLOSED, world["admin"])
    assert str(refused.value) == ("Le dossier ne peut pas encore être clôturé : 2 versements ne sont pas payés : "
                                  "« Deuxième versement », « Solde » ; "
                                  "le rapport final d’expérimentation n'est pas accepté.")
    db.session.rollback()
    release.report_accepted(dossier, INTERIM, world["instructeur"])
    pay(lines(dossier)[1], world["instructeur"])
    db.session.commit()
    with pytest.raises(lifecycle.TransitionRefused, match="1 versement n'est pas payé : « Solde »"):
        lifecycle.transition(dossier, states.CLOSED, world["admin"])
    db.session.rollback()
    clock(2020, 7, 6, 9, 0)
    pay(lines(dossier)[2], world["instructeur"])
    db.session.commit()
    with pytest.raises(lifecycle.TransitionRefused, match="clôturé : le rapport final d’expérimentation n'est pas"):
        lifecycle.transition(dossier, states.CLOSED, world["admin"])
    db.session.rollback()
    accept_final_report(dossier)
    lifecycle.transition(dossier, states.CLOSED, world["admin"], "Projet terminé.")
    db.session.commit()
    assert state_of(dossier) == states.CLOSED
    assert sum(line.amount for line in lines(dossier) if line.state == PAID) == ODD_AMOUNT
    with pytest.raises(PaymentRefused):  # nothing moves after the closing
        release.release(lines(dossier)[2], world["admin"], "Pour voir.")


def test_closing_reasons_of_every_registered_check_are_given(app, world):
    dossier = signed_convention(app, world["owner"], world["instructeur"])
    lifecycle.transition(dossier, states.IN_PROGRESS, world["admin"])

    assert closing_blockers in closing.registered_closing_checks()  # the reports' check, beside the payments'
    with pytest.raises(lifecycle.TransitionRefused,
                       match="« Solde » ; le rapport final d’expérimentation n'est pas accepté.$"):
        lifecycle.transition(dossier, states.CLOSED, world["admin"])
    db.session.rollback()


def test_abandoning_needs_a_reason_and_stops_what_the_finance_team_does_not_have(app, world):
    dossier = signed_convention(app, world["owner"], world["instructeur"])
    first = lines(dossier)[0]
    moves.advance(first, REQUESTED, world["instructeur"])
    db.session.commit()
    for blank in (None, "  "):
        with pytest.raises(lifecycle.TransitionRefused, match="Un motif est obligatoire"):
            lifecycle.transition(dossier, states.ABANDONED, world["admin"], blank)
    lifecycle.transition(dossier, states.ABANDONED, world["admin"], "Le ministère arrête le projet.")
    db.session.commit()
    assert transitions_of(dossier)[-1].comment == "Le ministère arrête le projet."
    now = statuses(db.session.get(Dossier, dossier.id))
    assert [(s.state, s.cancelled, s.bucket) for s in now] == [
        (REQUESTED, False, "due"), (WAITING, True, "cancelled"), (WAITING, True, "cancelled")]
    with pytest.raises(PaymentRefused, match="Le projet est « Abandonné » : ses versements ne se débloquent plus"):
        release.release(lines(dossier)[1], world["admin"], "Rapport reçu.")
    assert release.report_accepted(dossier, INTERIM, None) == []
    moves.advance(lines(dossier)[0], ORDERED, world["instructeur"])  # already asked for: it goes on
    moves.advance(lines(dossier)[0], PAID, world["instructeur"])
    db.session.commit()
    assert state_of(dossier) == states.ABANDONED


def test_the_totals_add_up_to_the_amounts_granted(app, world, clock):
    loaded = edition(app)
    before, _ = edition_payments(loaded)
    paid = signed_convention(app, world["owner"], world["instructeur"])
    pay(lines(paid)[0], world["instructeur"])
    dropped = signed_convention(app, world["other applicant"], world["instructeur"])
    lifecycle.transition(dropped, states.ABANDONED, world["admin"], "Abandon.")
    db.session.commit()
    clock(2020, 7, 1, 10, 0)  # the balances are due
    conventions, totals = edition_payments(loaded)
    assert len(conventions) == len(before) + 2
    assert totals.granted == sum((c.dossier.granted_amount for c in conventions), start=0)
    assert sum(totals.buckets.values()) == totals.granted
    ours = {c.dossier.id: c for c in conventions}
    assert [ours[paid.id].total(b) for b in ("paid", "due", "blocked", "cancelled")] == [
        lines(paid)[0].amount, lines(paid)[2].amount, lines(paid)[1].amount, 0]
    assert ours[dropped.id].total("cancelled") == ODD_AMOUNT


@pytest.mark.parametrize("state", states.FOLLOW_UP)
def test_a_project_that_goes_on_is_still_granted(app, world, state):
    dossier = make_dossier(app, world["owner"], state, world["instructeur"])
    assert state in states.GRANTED and state in states.SIGNED and state in states.AGREEMENT_OUT
    assert decision_line(dossier).decided
    assert granted_total(edition(app)) >= dossier.granted_amount
    assert "convention" in [d.key for d in documents_for(dossier, "applicant")]
    assert agreements.stage(dossier).label == agreements.COUNTERSIGNED
