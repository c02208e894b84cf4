"""Every transition of the lifecycle, allowed and refused, for every role, with its audit row.

Then the same rules through the back-office: the buttons of the dossier page, and the three transitions
that have their own form (lauréat, convention envoyée, convention signée) refused from the buttons.
"""

from __future__ import annotations

import itertools

import pytest

import states
from dossiers import lifecycle
from models import Dossier, Transition, db
from staff import instruction
from tests.journey import text
from tests.staff_world import (
    form_token,
    make_dossier,
    make_user,
    settle_follow_up,
    sign_in_as,
    standalone_app,
    transitions_of,
)
from timekeeping import now

ROLES = ("owner", "other applicant", "instructeur", "admin", "jury")

# The lifecycle of the brief, written out by hand so that a change of `states.TRANSITIONS` must be a change of
# this table too: (from, to) -> (roles allowed, comment required). Every pair not listed is refused to everyone.
STAFF = {"instructeur", "admin"}
EXPECTED: dict[tuple[str, str], tuple[set[str], bool]] = {
    ("brouillon", "déposé"): ({"owner"}, False),
    ("déposé", "recevable"): (STAFF, False),
    ("déposé", "irrecevable"): (STAFF, True),
    ("recevable", "en évaluation"): (STAFF, False),
    ("en évaluation", "lauréat"): (STAFF, False),
    ("en évaluation", "non retenu"): (STAFF, True),
    ("lauréat", "convention envoyée"): (STAFF, False),
    ("convention envoyée", "convention signée"): (STAFF, False),
    ("convention signée", "en cours"): (STAFF, False),
    ("en cours", "clôturé"): (STAFF, False),
    ("convention signée", "abandonné"): (STAFF, True),
    ("en cours", "abandonné"): (STAFF, True),
}
ALL_STATES = ("brouillon", "déposé", "recevable", "irrecevable", "en évaluation", "lauréat", "non retenu",
              "convention envoyée", "convention signée", "en cours", "clôturé", "abandonné")
PAIRS = list(itertools.product(ALL_STATES, ALL_STATES))


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    import timekeeping

    with standalone_app(tmp_path_factory.mktemp("lifecycle")) as app:
        timekeeping.set_now(timekeeping.now().replace(year=2019, month=9, day=20))
        people = {
            "owner": make_user("porteur@interieur.gouv.fr", "applicant"),
            "other applicant": make_user("autre@culture.gouv.fr", "applicant"),
            "instructeur": make_user("instructeur@dinsic.gouv.fr", "instructeur"),
            "admin": make_user("admin@dinsic.gouv.fr", "admin"),
            "jury": make_user("jury@expert.fr", "jury"),
        }
        yield app, people
        timekeeping.set_now(None)


def test_the_states_are_those_of_the_brief():
    assert set(states.STATES) == set(ALL_STATES)


@pytest.mark.parametrize(("from_state", "to_state"), PAIRS, ids=[f"{a}→{b}" for a, b in PAIRS])
def test_each_transition_is_allowed_to_its_roles_only_and_recorded(world, from_state, to_state):
    app, people = world
    allowed, comment_required = EXPECTED.get((from_state, to_state), (set(), False))
    for role in ROLES:
        user = people[role]
        dossier = make_dossier(app, people["owner"], from_state)
        before = transitions_of(dossier)
        if role not in allowed:
            with pytest.raises(lifecycle.TransitionRefused) as refused:
                lifecycle.transition(dossier, to_state, user, "Un commentaire.")
            db.session.rollback()
            assert str(refused.value), role
            assert db.session.get(Dossier, dossier.id).state == from_state, role
            assert transitions_of(dossier) == before, role
            continue
        if comment_required:
            with pytest.raises(lifecycle.TransitionRefused, match="motif est obligatoire"):
                lifecycle.transition(dossier, to_state, user, "   ")
            db.session.rollback()
            assert transitions_of(dossier) == before
        if to_state == states.CLOSED:
            settle_follow_up(dossier)  # unpaid instalments and the final report block closing (tested apart)
        lifecycle.transition(dossier, to_state, user, "Vu en comité.")
        db.session.commit()
        after = transitions_of(dossier)
        assert len(after) == len(before) + 1, role
        record = after[-1]
        assert (record.from_state, record.to_state, record.actor_id, record.comment) == (
            from_state, to_state, user.id, "Vu en comité."), role
        assert record.at == now()
        assert db.session.get(Dossier, dossier.id).state == to_state


def test_every_state_but_the_last_ones_leads_somewhere():
    """The lifecycle of the brief: each state reaches a decision or is one."""
    assert {frm for frm, _ in EXPECTED} == set(ALL_STATES) - {"irrecevable", "non retenu", "clôturé", "abandonné"}


def _post_transition(client, dossier, to_state, comment=""):
    page = client.get(f"/equipe/dossiers/{dossier.id}")
    assert page.status_code == 200
    return client.post(f"/equipe/dossiers/{dossier.id}/etat", data={
        "csrf_token": form_token(page.get_data(as_text=True)), "to_state": to_state, "comment": comment})


def test_the_dossier_page_offers_the_allowed_transitions_and_records_them(world):
    app, people = world
    client = app.test_client()
    sign_in_as(client, people["instructeur"])
    dossier = make_dossier(app, people["owner"], states.SUBMITTED)
    page = client.get(f"/equipe/dossiers/{dossier.id}").get_data(as_text=True)
    assert "Passer à « Recevable »" in page and "Passer à « Irrecevable »" in page
    assert "Passer à « Lauréat »" not in page

    refused = _post_transition(client, dossier, states.INELIGIBLE)
    assert refused.status_code == 302
    assert "Un motif est obligatoire" in text(client.get(refused.headers["Location"]))
    assert db.session.get(Dossier, dossier.id).state == states.SUBMITTED

    _post_transition(client, dossier, states.ELIGIBLE, "Pièces complètes.")
    record = transitions_of(dossier)[-1]
    assert (record.to_state, record.actor_id, record.comment) == (states.ELIGIBLE, people["instructeur"].id,
                                                                  "Pièces complètes.")
    history = client.get(f"/equipe/dossiers/{dossier.id}").get_data(as_text=True)
    assert "Pièces complètes." in history and "instructeur@dinsic.gouv.fr" in history


@pytest.mark.parametrize(("state", "target"), [
    (states.UNDER_REVIEW, states.LAUREATE), (states.UNDER_REVIEW, states.NOT_SELECTED),
    (states.LAUREATE, states.AGREEMENT_SENT), (states.AGREEMENT_SENT, states.AGREEMENT_SIGNED)])
def test_transitions_with_their_own_form_are_refused_from_the_buttons(world, state, target):
    app, people = world
    client = app.test_client()
    sign_in_as(client, people["admin"])
    dossier = make_dossier(app, people["owner"], state)
    before = transitions_of(dossier)
    response = _post_transition(client, dossier, target, "Par le bouton.")
    message = text(client.get(response.headers["Location"]))
    assert db.session.get(Dossier, dossier.id).state == state
    assert transitions_of(dossier) == before
    assert instruction.DEDICATED[target] in message  # the page says where this is done


def test_a_refused_transition_from_the_buttons_leaves_no_trace(world):
    app, people = world
    client = app.test_client()
    sign_in_as(client, people["instructeur"])
    dossier = make_dossier(app, people["owner"], states.INELIGIBLE)
    count = db.session.execute(db.select(db.func.count()).select_from(Transition)).scalar_one()
    response = _post_transition(client, dossier, states.UNDER_REVIEW, "Erreur.")
    assert "ne peut pas passer à « En évaluation »" in text(client.get(response.headers["Location"]))
    assert db.session.execute(db.select(db.func.count()).select_from(Transition)).scalar_one() == count
