"""The jury: assignments and conflicts, the scoring grid built from the YAML, and the ranking."""

from __future__ import annotations

from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

import states
from dossiers import lifecycle
from models import JuryAssignment, Score, db
from staff import assignments, ranking, scoring
from tests.journey import text
from tests.staff_world import edition, form_token, make_dossier, make_user, sign_in_as, transitions_of
from timekeeping import now

KEYS = ("impact", "faisabilite", "reutilisation", "cout")


@pytest.fixture
def people(app, clock):
    clock(2019, 9, 16, 10, 0)
    return {
        "owner": make_user("porteur@interieur.gouv.fr", "applicant"),
        "team": make_user("instructeur@dinsic.gouv.fr", "instructeur"),
        "ana": make_user("ana@expert.fr", "jury"),
        "bruno": make_user("bruno@expert.fr", "jury"),
        "chloe": make_user("chloe@expert.fr", "jury"),
    }


def _scored(app, dossier, juror, notes, team):
    assignment = db.session.execute(db.select(JuryAssignment).filter_by(dossier_id=dossier.id, juror_id=juror.id)
                                    ).scalar_one_or_none() or assignments.assign(dossier, juror, team)
    db.session.add(Score(assignment=assignment, revision=edition(app).revision,
                         scores=dict(zip(KEYS, notes, strict=True)), comments={k: "Vu." for k in KEYS},
                         submitted_at=now()))
    db.session.commit()
    return assignment


def test_assignment_rules(app, people):
    team, ana = people["team"], people["ana"]
    submitted = make_dossier(app, people["owner"], states.SUBMITTED)
    eligible = make_dossier(app, people["owner"], states.ELIGIBLE)
    with pytest.raises(assignments.AssignmentRefused, match="doit être recevable ou en évaluation"):
        assignments.assign(submitted, ana, team)
    with pytest.raises(assignments.AssignmentRefused, match="n'est pas membre du jury"):
        assignments.assign(eligible, people["owner"], team)

    assignment = assignments.assign(eligible, ana, team)
    db.session.commit()
    assert eligible.state == states.UNDER_REVIEW
    opening = transitions_of(eligible)[-1]
    assert (opening.to_state, opening.actor_id) == (states.UNDER_REVIEW, team.id)
    with pytest.raises(assignments.AssignmentRefused, match="déjà attribué"):
        assignments.assign(eligible, ana, team)
    assignments.assign(eligible, people["bruno"], team)  # already under review: no new transition
    assert len(transitions_of(eligible)) == 3  # déposé, recevable, en évaluation

    with pytest.raises(assignments.AssignmentRefused, match="Précisez"):
        assignments.declare_conflict(assignment, "  ")
    assignments.declare_conflict(assignment, "Ancienne collègue du porteur.")
    db.session.commit()
    with pytest.raises(assignments.AssignmentRefused, match="conflit d'intérêts"):
        assignments.assign(eligible, ana, team)
    assert [line.dossier.id for line in assignments.dossiers_of_juror(ana)] == []


def test_a_scored_assignment_stays_on_record(app, client, people):
    dossier = make_dossier(app, people["owner"], states.UNDER_REVIEW)
    scored = _scored(app, dossier, people["ana"], (3, 3, 3, 3), people["team"])
    with pytest.raises(assignments.AssignmentRefused, match="déjà noté"):
        assignments.unassign(scored)
    fresh = assignments.assign(dossier, people["bruno"], people["team"])
    db.session.commit()
    fresh_id, scored_id = fresh.id, scored.id

    sign_in_as(client, people["team"])
    page = f"/equipe/dossiers/{dossier.id}"
    token = form_token(client.get(page).get_data(as_text=True))
    client.post(f"{page}/jury/{fresh_id}/retrait", data={"csrf_token": token})
    client.post(f"{page}/jury/{scored_id}/retrait", data={"csrf_token": token})
    db.session.expunge_all()
    assert db.session.get(JuryAssignment, fresh_id) is None and db.session.get(JuryAssignment, scored_id)


def test_the_grid_comes_from_the_yaml_and_is_validated(app, client, people):
    dossier = make_dossier(app, people["owner"], states.UNDER_REVIEW)
    assignments.assign(dossier, people["ana"], people["team"])
    db.session.commit()
    loaded = edition(app)
    assert [f.key for f in scoring.scoring_step(loaded).fields] == [f"{k}_{part}" for k in KEYS
                                                                     for part in ("score", "comment")]
    sign_in_as(client, people["ana"])
    url = f"/equipe/jury/dossiers/{dossier.id}"
    page = text(client.get(url))
    assert "Impact sur l’environnement de travail des agents — note sur 5" in page
    assert "Notez chaque critère de 0 (insuffisant) à 5 (excellent)" in page
    assert "Tchap pour les équipes & partenaires <terrain>" in page  # the dossier's answers, escaped

    data = {"csrf_token": form_token(client.get(url).get_data(as_text=True)), "impact_score": "6",
            "faisabilite_score": "deux", "reutilisation_score": "3", "cout_score": "-1",
            "impact_comment": "Fort.", "faisabilite_comment": "", "reutilisation_comment": "Bien.",
            "cout_comment": "Cher."}
    refused = client.post(url, data=data)
    assert refused.status_code == 422
    page = text(refused)
    assert "inférieure ou égale à 5" in page and "supérieure ou égale à 0" in page
    assert "Indiquez un nombre entier" in page and "Ce champ est obligatoire." in page
    assert 'value="deux"' in page  # what was typed stays
    assert db.session.execute(db.select(Score)).first() is None

    data.update(impact_score="5", faisabilite_score="2", cout_score="4", faisabilite_comment="Équipe réduite.")
    assert client.post(url, data=data).status_code == 302
    score = db.session.execute(db.select(Score)).scalar_one()
    assert score.scores == {"impact": 5, "faisabilite": 2, "reutilisation": 3, "cout": 4}
    assert score.comments["faisabilite"] == "Équipe réduite."
    assert 'value="2"' in client.get(url).get_data(as_text=True)  # the member finds their grid again

    lifecycle.transition(dossier, states.LAUREATE, people["team"])
    db.session.commit()
    assert "La notation est ouverte quand le dossier est « en évaluation »" in text(client.get(url))
    data.update(impact_score="1")
    client.post(url, data=data)
    db.session.expire_all()
    assert db.session.execute(db.select(Score)).scalar_one().scores["impact"] == 5


def test_a_member_note_is_the_weighted_mean_out_of_20(app):
    loaded = edition(app)
    form = scoring.scoring_form_class(loaded)(formdata=MultiDict(
        {f"{k}_score": str(n) for k, n in zip(KEYS, (5, 4, 4, 3), strict=True)}
        | {f"{k}_comment": "Vu." for k in KEYS}), meta={"csrf": False})
    assert form.validate(), form.errors
    score = Score(scores=dict(zip(KEYS, (5, 4, 4, 3), strict=True)))
    assert scoring.member_note(score, loaded) == Decimal("17.00")  # 20 × (40 + 20 + 16 + 9) / 100
    assert scoring.member_note(Score(scores={"impact": 5}), loaded) is None  # incomplete


def test_ranking_averages_spread_ties_and_conflicts(app, client, people):
    team = people["team"]
    first = make_dossier(app, people["owner"], states.UNDER_REVIEW)
    tied = make_dossier(app, people["owner"], states.UNDER_REVIEW)
    disputed = make_dossier(app, people["owner"], states.UNDER_REVIEW)
    unscored = make_dossier(app, people["owner"], states.UNDER_REVIEW)
    make_dossier(app, people["owner"], states.ELIGIBLE)  # not under review: not ranked
    _scored(app, first, people["ana"], (5, 5, 5, 5), team)  # 20
    _scored(app, first, people["bruno"], (4, 4, 4, 4), team)  # 16
    conflicted = _scored(app, first, people["chloe"], (0, 0, 0, 0), team)
    assignments.declare_conflict(conflicted, "Lien familial.")
    _scored(app, tied, people["ana"], (4, 4, 4, 4), team)  # 16
    _scored(app, tied, people["bruno"], (5, 5, 5, 5), team)  # 20
    _scored(app, disputed, people["ana"], (5, 5, 5, 5), team)  # 20
    _scored(app, disputed, people["bruno"], (1, 1, 1, 1), team)  # 4
    assignments.assign(disputed, people["chloe"], team)  # not scored yet
    assignments.assign(unscored, people["ana"], team)
    db.session.commit()

    lines = ranking.ranking(edition(app))
    assert [(line.dossier.id, line.rank) for line in lines] == [
        (first.id, 1), (tied.id, 1), (disputed.id, 3), (unscored.id, None)]
    top = lines[0]
    assert (top.average, top.spread, len(top.notes), top.reviewers, top.complete) == (
        Decimal("18.00"), Decimal("4.00"), 2, 2, True)
    assert top.criterion_means == {k: Decimal("4.50") for k in KEYS}
    assert lines[2].disputed and lines[2].spread == Decimal("16.00") and not lines[2].complete
    assert lines[3].average is None and lines[3].reviewers == 1

    sign_in_as(client, team)
    page = text(client.get("/equipe/editions/etna-2019-2/classement"))
    assert "écart important" in page and "18,00" in page and "2 / 3" in page


def test_the_jury_list_shows_what_is_left_to_score_first(app, client, people):
    scored = make_dossier(app, people["owner"], states.UNDER_REVIEW)
    waiting = make_dossier(app, people["owner"], states.UNDER_REVIEW)
    _scored(app, scored, people["ana"], (3, 3, 3, 3), people["team"])
    assignments.assign(waiting, people["ana"], people["team"])
    db.session.commit()
    sign_in_as(client, people["ana"])
    assert client.get("/equipe/").headers["Location"].endswith("/equipe/jury")
    page = text(client.get("/equipe/jury"))
    assert page.index(waiting.reference) < page.index(scored.reference)
    assert "À noter" in page and "Noté" in page
