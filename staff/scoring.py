"""A jury member's scoring of a dossier: the grid built by forms.builder, stored per assignment.

Each criterion of the edition's `review` gets a whole number from 0 to its maximum and a comment. A
member's note is the weighted mean of their scores, each taken on its own scale, out of 20.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from editions.model import LoadedEdition
from editions.schema import Criterion, Step
from forms.answers import form_values, to_formdata
from forms.builder import scoring_fields, scoring_form_class
from models import JuryAssignment, Score, db
from timekeeping import now

OUT_OF = Decimal(20)


def criteria(edition: LoadedEdition) -> list[Criterion]:
    review = edition.definition.review
    return list(review.criteria) if review else []


def scoring_step(edition: LoadedEdition) -> Step:
    """The grid as a step, so the applicant's field macros render it."""
    return Step(key="notation", title="Notation", fields=scoring_fields(edition))


def stored_answers(score: Score | None) -> dict[str, Any]:
    """A score as the answers of the grid's fields (`<criterion>_score`, `<criterion>_comment`)."""
    if score is None:
        return {}
    answers = {f"{key}_score": value for key, value in (score.scores or {}).items()}
    answers.update({f"{key}_comment": text for key, text in (score.comments or {}).items()})
    return answers


def scoring_form(edition: LoadedEdition, score: Score | None, formdata=None):
    """The grid, filled from the posted data or else from the member's stored score."""
    form_class = scoring_form_class(edition)
    if formdata is None:
        formdata = to_formdata(scoring_step(edition), stored_answers(score))
    return form_class(formdata=formdata)


def save_score(assignment: JuryAssignment, edition: LoadedEdition, form) -> Score:
    """Store the validated grid for this assignment (a member may correct it while the dossier is reviewed)."""
    values = form_values(form, scoring_step(edition), {})
    scores = {c.key: values[f"{c.key}_score"] for c in criteria(edition)}
    comments = {c.key: values[f"{c.key}_comment"] for c in criteria(edition)}
    score = assignment.score
    if score is None:
        score = Score(assignment=assignment)
        db.session.add(score)
    score.revision, score.scores, score.comments, score.submitted_at = edition.revision, scores, comments, now()
    db.session.flush()
    return score


def member_note(score: Score, edition: LoadedEdition) -> Decimal | None:
    """The weighted note out of 20 of one member; None when a criterion of the edition was not scored."""
    total_weight = Decimal(0)
    weighted = Decimal(0)
    for criterion in criteria(edition):
        value = (score.scores or {}).get(criterion.key)
        if value is None:
            return None
        weight = Decimal(str(criterion.weight))
        weighted += weight * Decimal(int(value)) / Decimal(criterion.max_score)
        total_weight += weight
    if not total_weight:
        return None
    return (OUT_OF * weighted / total_weight).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
