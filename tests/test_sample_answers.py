"""The sample dossier (`documents sample`, the staff preview's documents) is one that could be deposited: each
step of each shipped edition, posted as a browser would post the sample answers, passes the step's server-side
validation, and the dossier then passes the deposit's own checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from documents.samples import sample_answers
from editions.loader import load_edition

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "workflows").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_the_sample_answers_are_deposited_like_a_real_dossier(app, clock, path):
    import states
    from dossiers.operations import save_step, start_dossier, submit
    from forms.answers import extract_answers, form_for, step_errors_of, to_formdata, validate_step, visible_steps
    from models import User, db

    edition = app.extensions["editions"].get(path.stem)
    opening = edition.opens_at.astimezone(edition.zone) + dt.timedelta(days=1)
    clock(opening.year, opening.month, opening.day, 10)
    user = User(email="camille.martin@interieur.gouv.fr")
    db.session.add(user)
    db.session.flush()
    dossier, _ = start_dossier(edition, user)
    sample, _ = sample_answers(edition)
    answers = {k: v for k, v in sample.items() if edition.fields[k].kind.holds_files}  # uploaded beforehand
    dossier.answers = answers
    for step in visible_steps(edition, sample):
        form = form_for(edition, step, answers, formdata=to_formdata(step, sample), csrf=False)
        assert validate_step(form, edition, step, answers), (step.key, step_errors_of(form, step))
        answers = extract_answers(form, edition, step, answers)
        save_step(edition, dossier, user, step.key, answers)
    submit(edition, dossier, user)
    assert dossier.state == states.SUBMITTED and dossier.reference


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_the_sample_obeys_bounds_ceilings_and_row_counts(path):
    edition = load_edition(path)
    answers, _ = sample_answers(edition)
    for key, field in edition.fields.items():
        value = answers[key]
        if field.type == "amount":
            assert field.min is None or Decimal(value) >= Decimal(str(field.min)), key
            assert field.max is None or Decimal(value) <= Decimal(str(field.max)), key
        if field.type == "date" and isinstance(field.max, dt.date):
            assert dt.date.fromisoformat(value) <= field.max, key
        if field.kind.has_rows:
            assert (field.min_rows or 0) <= len(value) <= (field.max_rows or len(value)), key
    requested = edition.amount_with_role(answers, "amount_requested")
    cost = edition.amount_with_role(answers, "project_cost")
    if requested is not None and cost is not None:
        assert requested <= edition.funding_ceiling(cost)


DEMANDING = """\
id: exigeant-2021-1
call: exigeant
number: 1
title: Appel exigeant
short_title: EXI 1
organisation: DINUM
contact_email: exi@example.org
reference_prefix: EXI-2021
opens: 2021-03-01
closes: 2021-04-30
funding_rate_max: 50
page:
  chapeau: Un appel aux réponses contraintes.
axes:
  - key: seul
    label: Seul axe
    description: Le seul axe.
eligibility: Tous.
steps:
  - key: tout
    title: Tout
    fields:
      - key: statut
        type: choice
        label: Statut
        required: true
        choices:
          - value: entreprise
            label: Entreprise
          - value: administration
            label: Administration
      - key: code
        type: text
        label: Code du projet
        required: true
        pattern: '^[A-Z]{2}-\\d{3}$'
      - key: resume
        type: textarea
        label: Résumé
        required: true
        min_length: 400
        max_length: 450
      - key: sigle
        type: text
        label: Sigle
        required: true
        min_length: 3
        max_length: 4
      - key: standard
        type: phone
        label: Standard
        required: true
        pattern: '^\\+33 [1-9]( \\d\\d){4}$'
      - key: debut
        type: date
        label: Début
        required: true
        min: 2021-09-01
        max: 2021-09-30
      - key: fin
        type: date
        label: Fin
        required: true
        min: 2021-10-01
        max: 2021-10-15
      - key: agents
        type: integer
        label: Agents
        required: true
        max: 40
      - key: lignes
        type: group
        label: Lignes
        required: true
        min_rows: 4
        max_rows: 5
        fields:
          - key: poste
            type: text
            label: Poste
            required: true
            max_length: 3
          - key: montant
            type: amount
            label: Montant
            required: true
            min: 1
      - key: cout
        type: amount
        label: Coût
        required: true
        max: 60000
        role: project_cost
      - key: demande
        type: amount
        label: Demande
        required: true
        role: amount_requested
gates:
  - key: public_seulement
    when:
      field: statut
      equals: entreprise
    message: Seules les administrations peuvent candidater.
rules:
  - key: fin_apres_debut
    expression: fin > debut
    message: La fin vient après le début.
"""


def test_a_demanding_edition_gets_a_sample_it_accepts(app, tmp_path):
    from forms.answers import form_for, step_errors_of, to_formdata, validate_step
    from rules.evaluation import findings

    path = tmp_path / "exigeant-2021-1.yaml"
    path.write_text(DEMANDING, encoding="utf-8")
    edition = load_edition(path)
    answers, _ = sample_answers(edition)
    step = edition.steps[0]
    form = form_for(edition, step, {}, formdata=to_formdata(step, answers), csrf=False)
    assert validate_step(form, edition, step, {}), step_errors_of(form, step)
    assert answers["statut"] == "administration"  # the first choice closes the gate: the sample takes another
    assert findings(edition, answers) == []
    assert len(answers["lignes"]) == 4 and answers["debut"] < answers["fin"]
    assert sum(Decimal(r["montant"]) for r in answers["lignes"]) == Decimal(answers["cout"]) == Decimal("60000.00")
    assert Decimal(answers["demande"]) == Decimal("30000.00")  # the call's 50 %, below the sampler's usual 80 %
