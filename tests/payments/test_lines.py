"""Payment lines: made at countersignature to the cent, moved one state at a time with their audit, released by
their date, their report or an admin; the legal commitment; conventions signed before lines existed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import states
import timekeeping
from models import PaymentChange, PaymentLine, db
from payments import commitment, moves, release
from payments.history import COMMITMENT, CREATED, MOVED, RELEASED, REPORT, describe
from payments.line_states import DUE, ORDERED, PAID, REQUESTED, WAITING
from payments.lines import AFTERWARDS, AT_SIGNATURE, ensure_lines, statuses
from payments.moves import PaymentRefused
from tests.payments.world import INTERIM, ODD_AMOUNT, lines, signed_convention
from tests.staff_world import make_dossier


def changes_of(dossier) -> list[PaymentChange]:
    db.session.expire_all()
    return list(db.session.execute(db.select(PaymentChange).filter_by(dossier_id=dossier.id)
                                   .order_by(PaymentChange.id)).scalars())


def test_countersigning_makes_one_line_per_instalment_adding_up_to_the_grant(app, world):
    dossier = signed_convention(app, world["owner"], world["instructeur"])
    made = lines(dossier)
    assert [(line.position, line.label, line.share, line.amount, line.trigger, line.report, line.trigger_date)
            for line in made] == [
        (1, "Avance", Decimal(40), Decimal("48000.02"), "signature", None, None),
        (2, "Deuxième versement", Decimal(40), Decimal("48000.02"), "report", INTERIM, None),
        (3, "Solde", Decimal(20), Decimal("24000.01"), "date", None, dt.date(2020, 6, 30))]
    assert sum(line.amount for line in made) == ODD_AMOUNT
    assert [(line.state, line.due_on) for line in made] == [(DUE, dt.date(2019, 9, 20)), (WAITING, None),
                                                            (WAITING, None)]
    audit = changes_of(dossier)
    assert [(c.line_id, c.kind, c.from_value, c.to_value, c.actor_id, c.comment) for c in audit] == [
        (line.id, CREATED, None, line.state, world["instructeur"].id, AT_SIGNATURE) for line in made]
    today = statuses(dossier)
    assert [s.waiting_for for s in today] == [None, "en attente de l'acceptation du rapport intermédiaire",
                                              "à partir du 30 juin 2020"]


@pytest.mark.parametrize("granted", ["0.05", "1000", "99999.99", "100000.01"])
def test_odd_grants_are_cut_to_the_cent_and_add_up(app, world, granted):
    dossier = signed_convention(app, world["owner"], world["instructeur"], Decimal(granted))
    amounts = [line.amount for line in lines(dossier)]
    assert sum(amounts) == Decimal(granted)
    assert all(amount == amount.quantize(Decimal("0.01")) for amount in amounts)


def test_each_move_goes_one_state_forward_with_its_date_and_its_audit(app, world, clock):
    dossier = signed_convention(app, world["owner"], world["instructeur"])
    advance = lines(dossier)[0]
    clock(2019, 10, 2, 9, 0)
    moves.advance(advance, REQUESTED, world["instructeur"], dt.date(2019, 10, 1), "Demande n° 42 au CBCM.")
    moves.advance(advance, ORDERED, world["admin"])
    db.session.commit()
    assert db.session.get(type(dossier), dossier.id).state == states.AGREEMENT_SIGNED
    moves.advance(advance, PAID, world["instructeur"], comment="Virement reçu.")
    db.session.commit()
    line = lines(dossier)[0]
    assert (line.state, line.due_on, line.requested_on, line.ordered_on, line.paid_on) == (
        PAID, dt.date(2019, 9, 20), dt.date(2019, 10, 1), dt.date(2019, 10, 2), dt.date(2019, 10, 2))
    audit = [c for c in changes_of(dossier) if c.kind == MOVED]
    assert [(c.from_value, c.to_value, c.actor_id, c.effective_on, c.comment) for c in audit] == [
        (DUE, REQUESTED, world["instructeur"].id, dt.date(2019, 10, 1), "Demande n° 42 au CBCM."),
        (REQUESTED, ORDERED, world["admin"].id, dt.date(2019, 10, 2), None),
        (ORDERED, PAID, world["instructeur"].id, dt.date(2019, 10, 2), "Virement reçu.")]
    assert [describe(c) for c in audit] == ["À demander → Demandé", "Demandé → Mis en paiement",
                                            "Mis en paiement → Payé"]


@pytest.mark.parametrize(("reached", "asked"), [
    (DUE, ORDERED), (DUE, PAID), (REQUESTED, DUE), (REQUESTED, PAID), (ORDERED, REQUESTED), (PAID, ORDERED),
    (PAID, PAID), (DUE, DUE), (DUE, "annulé")])
def test_skipping_a_state_or_going_back_is_refused_and_leaves_no_trace(app, world, reached, asked):
    dossier = signed_convention(app, world["owner"], world["instructeur"])
    line = lines(dossier)[0]
    for step in (REQUESTED, ORDERED, PAID)[:(DUE, REQUESTED, ORDERED, PAID).index(reached)]:
        moves.advance(line, step, world["instructeur"])
    db.session.commit()
    before = changes_of(dossier)
    with pytest.raises(PaymentRefused, match="un état à la fois|déjà payé"):
        moves.advance(line, asked, world["instructeur"])
    db.session.rollback()
    assert lines(dossier)[0].state == reached
    assert changes_of(dossier) == before


def test_only_the_team_moves_lines_on_days_that_make_sense(app, world, clock):
    dossier = signed_convention(app, world["owner"], world["instructeur"])
    line = lines(dossier)[0]
    for person in (world["jury"], world["owner"]):
        with pytest.raises(PaymentRefused, match="Seule l'équipe du programme"):
            moves.advance(line, REQUESTED, person)
    with pytest.raises(PaymentRefused, match="dans le futur"):
        moves.advance(line, REQUESTED, world["instructeur"], dt.date(2019, 9, 21))
    with pytest.raises(PaymentRefused, match=r"précéder celle de l'état « À demander » \(20 septembre 2019\)"):
        moves.advance(line, REQUESTED, world["instructeur"], dt.date(2019, 9, 19))
    with pytest.raises(PaymentRefused, match="a changé entre-temps : il est maintenant « À demander »"):
        moves.advance(line, ORDERED, world["instructeur"], seen=REQUESTED)  # a second click on a stale page
    db.session.rollback()
    assert lines(dossier)[0].state == DUE


def test_a_waiting_line_does_not_move_and_only_an_admin_releases_it_with_a_reason(app, world, clock):
    dossier = signed_convention(app, world["owner"], world["instructeur"])
    interim = lines(dossier)[1]
    with pytest.raises(PaymentRefused, match="ne peut pas encore être demandé : en attente de l'acceptation du "
                                             "rapport intermédiaire.$"):
        moves.advance(interim, REQUESTED, world["admin"])
    with pytest.raises(PaymentRefused, match="Seul un administrateur"):
        release.release(interim, world["instructeur"], "Rapport reçu.")
    with pytest.raises(PaymentRefused, match="Indiquez le motif du déblocage"):
        release.release(interim, world["admin"], "   ")
    db.session.rollback()
    assert [c.kind for c in changes_of(dossier)] == [CREATED] * 3
    clock(2019, 12, 3, 15, 0)
    release.release(lines(dossier)[1], world["admin"], "Rapport intermédiaire reçu et accepté par courrier.")
    db.session.commit()
    interim = lines(dossier)[1]
    assert (interim.state, interim.due_on) == (DUE, dt.date(2019, 12, 3))
    last = changes_of(dossier)[-1]
    assert (last.kind, last.from_value, last.to_value, last.actor_id, last.comment) == (
        RELEASED, WAITING, DUE, world["admin"].id, "Rapport intermédiaire reçu et accepté par courrier.")
    assert describe(last) == "Déblocage manuel : En attente → À demander"
    with pytest.raises(PaymentRefused, match="n'est pas en attente"):
        release.release(interim, world["admin"], "Encore.")


def test_a_dated_line_is_due_from_its_day_in_paris(app, world, clock):
    dossier = signed_convention(app, world["owner"], world["instructeur"])
    clock(2020, 6, 30, 0, 30)  # 29 June, 22:30 UTC: already 30 June in Paris
    balance = statuses(dossier)[2]
    assert (balance.state, balance.since, balance.waiting_for) == (DUE, dt.date(2020, 6, 30), None)
    assert lines(dossier)[2].state == WAITING  # read from the clock, not written
    timekeeping.set_now(dt.datetime(2020, 6, 29, 21, 59, tzinfo=dt.UTC))  # 23:59 in Paris on the 29th
    assert statuses(dossier)[2].state == WAITING
    clock(2020, 7, 2, 11, 0)
    moves.advance(lines(dossier)[2], REQUESTED, world["instructeur"])
    db.session.commit()
    balance = lines(dossier)[2]
    assert (balance.state, balance.due_on, balance.requested_on) == (REQUESTED, dt.date(2020, 6, 30),
                                                                     dt.date(2020, 7, 2))
    assert changes_of(dossier)[-1].from_value == DUE


def test_an_accepted_report_releases_only_the_lines_waiting_for_it(app, world, clock):
    dossier = signed_convention(app, world["owner"], world["instructeur"])
    other = signed_convention(app, world["other applicant"], world["instructeur"])
    clock(2020, 2, 14, 16, 0)
    assert release.report_accepted(dossier, "rapport final", world["instructeur"]) == []
    assert release.report_accepted(dossier, "Rapport intermédiaire", None) == []  # the exact string only
    released = release.report_accepted(dossier, INTERIM, None)
    db.session.commit()
    assert [line.label for line in released] == ["Deuxième versement"]
    assert [(line.state, line.due_on) for line in lines(dossier)] == [
        (DUE, dt.date(2019, 9, 20)), (DUE, dt.date(2020, 2, 14)), (WAITING, None)]
    assert [line.state for line in lines(other)] == [DUE, WAITING, WAITING]
    last = changes_of(dossier)[-1]
    assert (last.kind, last.from_value, last.to_value, last.actor_id, last.comment) == (
        REPORT, WAITING, DUE, None, "Rapport accepté : « rapport intermédiaire ».")
    assert release.report_accepted(dossier, INTERIM, None) == []  # accepted again: nothing more
    assert len(changes_of(dossier)) == 4


def test_a_convention_signed_before_lines_existed_gets_them_once_when_read(app, world):
    dossier = make_dossier(app, world["owner"], states.AGREEMENT_SIGNED, world["instructeur"])
    assert lines(dossier) == []
    made = ensure_lines(dossier)
    again = ensure_lines(dossier)
    db.session.commit()
    assert [line.id for line in made] == [line.id for line in again] and len(made) == 3
    assert sum(line.amount for line in made) == dossier.granted_amount == Decimal("120000.00")
    assert made[0].due_on == dt.date(2019, 9, 20)  # the day of its transition to « convention signée »
    assert {(c.kind, c.actor_id, c.comment) for c in changes_of(dossier)} == {(CREATED, None, AFTERWARDS)}
    laureate = make_dossier(app, world["owner"], states.LAUREATE, world["instructeur"])
    assert ensure_lines(laureate) == []  # no convention signed, no lines


def test_the_legal_commitment_has_ten_digits_and_each_change_is_audited(app, world):
    dossier = signed_convention(app, world["owner"], world["instructeur"])
    for typed in ("12345", "21034567890", "21O3456789", "", None):
        with pytest.raises(PaymentRefused, match="compte 10 chiffres"):
            commitment.record_commitment(dossier, typed, world["instructeur"])
    with pytest.raises(PaymentRefused, match="Seule l'équipe"):
        commitment.record_commitment(dossier, "2103456789", world["jury"])
    db.session.rollback()
    assert commitment.legal_commitment(dossier) is None
    assert commitment.record_commitment(dossier, " 21 0345 6789 ", world["instructeur"]) == "2103456789"
    commitment.record_commitment(dossier, "2103456789", world["admin"])  # the same again: nothing to record
    commitment.record_commitment(dossier, "2103456790", world["admin"])
    db.session.commit()
    assert commitment.legal_commitment(dossier) == "2103456790"
    audit = [c for c in changes_of(dossier) if c.kind == COMMITMENT]
    assert [(c.line_id, c.from_value, c.to_value, c.actor_id) for c in audit] == [
        (None, None, "2103456789", world["instructeur"].id), (None, "2103456789", "2103456790", world["admin"].id)]
    assert describe(audit[1]) == "N° d'engagement juridique : 2103456789 → 2103456790"
    laureate = make_dossier(app, world["owner"], states.LAUREATE, world["instructeur"])
    with pytest.raises(PaymentRefused, match="une fois la convention signée"):
        commitment.record_commitment(laureate, "2103456789", world["instructeur"])


def test_two_people_moving_the_same_line_the_second_is_refused(app, world):
    """The version column: a move based on a line read before another person's move is not recorded."""
    from sqlalchemy.orm.exc import StaleDataError

    dossier = signed_convention(app, world["owner"], world["instructeur"])
    line = lines(dossier)[0]
    db.session.execute(db.update(PaymentLine).where(PaymentLine.id == line.id).values(
        state=REQUESTED, version=PaymentLine.version + 1).execution_options(synchronize_session=False))
    with pytest.raises(StaleDataError):  # this request still holds the line as it read it: « à demander »
        moves.advance(line, REQUESTED, world["admin"])
    db.session.rollback()
    assert [c.kind for c in changes_of(dossier)] == [CREATED] * 3
