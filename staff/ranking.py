"""The ranking table: each dossier's weighted average over the jury members' notes, and their spread.

Only the scores of members without a conflict of interest count. The spread (highest note minus the
lowest) tells staff where members disagree enough to discuss the dossier before deciding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

import states
from editions.model import LoadedEdition
from models import Dossier, JuryAssignment, Score, User, db
from staff.scoring import criteria, member_note

RANKED_STATES = (states.UNDER_REVIEW, states.NOT_SELECTED, *states.GRANTED)
SPREAD_ALERT = Decimal(5)  # notes out of 20 further apart than this are flagged
CENT = Decimal("0.01")


@dataclass(frozen=True)
class MemberReview:
    """One member's scoring of a dossier as staff read it: their scores and the comment justifying each."""

    juror: User
    note: Decimal | None  # out of 20; None while a criterion is not scored
    scores: dict[str, int]
    comments: dict[str, str]

    @property
    def name(self) -> str:
        return self.juror.display_name or self.juror.email


@dataclass
class RankedDossier:
    dossier: Dossier | None  # None when only the jury's work is read (exports)
    reviewers: int = 0  # members assigned without a conflict
    notes: list[tuple[User, Decimal]] = field(default_factory=list)
    criterion_means: dict[str, Decimal] = field(default_factory=dict)  # on each criterion's own scale
    criterion_spreads: dict[str, int] = field(default_factory=dict)  # highest minus lowest score, 2 members or more
    reviews: list[MemberReview] = field(default_factory=list)  # every member who scored, comments included
    rank: int | None = None

    def note_of(self, juror_id: int) -> Decimal | None:
        return next((note for juror, note in self.notes if juror.id == juror_id), None)

    @property
    def average(self) -> Decimal | None:
        if not self.notes:
            return None
        return (sum(n for _, n in self.notes) / len(self.notes)).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def spread(self) -> Decimal | None:
        if len(self.notes) < 2:
            return None
        values = [n for _, n in self.notes]
        return max(values) - min(values)

    @property
    def disputed(self) -> bool:
        return self.spread is not None and self.spread > SPREAD_ALERT

    @property
    def complete(self) -> bool:
        return self.reviewers > 0 and len(self.notes) == self.reviewers


def _lines(edition: LoadedEdition, dossiers: list[Dossier]) -> list[RankedDossier]:
    """The notes of each dossier's reviewers (members with a conflict left out)."""
    lines = {d.id: RankedDossier(d) for d in dossiers}
    _fill(edition, lines)
    return list(lines.values())


def jury_by_dossier(edition: LoadedEdition, dossier_ids: list[int]) -> dict[int, RankedDossier]:
    """The jury's notes and comments on each of these dossiers, by id, without loading the dossiers (exports)."""
    lines = {dossier_id: RankedDossier(None) for dossier_id in dossier_ids}
    _fill(edition, lines)
    return lines


def _fill(edition: LoadedEdition, lines: dict[int, RankedDossier]) -> None:
    rows = db.session.execute(
        sa.select(JuryAssignment, Score, User)
        .join(User, User.id == JuryAssignment.juror_id)
        .outerjoin(Score, Score.assignment_id == JuryAssignment.id)
        .where(JuryAssignment.dossier_id.in_(list(lines)), JuryAssignment.conflict_declared_at.is_(None))
        .order_by(User.email)).all()
    per_criterion: dict[int, dict[str, list[int]]] = {}
    for assignment, score, juror in rows:
        line = lines[assignment.dossier_id]
        line.reviewers += 1
        if score is None:
            continue
        note = member_note(score, edition)
        line.reviews.append(MemberReview(juror, note, {k: int(v) for k, v in (score.scores or {}).items()},
                                         {k: str(v) for k, v in (score.comments or {}).items() if v}))
        if note is None:
            continue
        line.notes.append((juror, note))
        for key, value in score.scores.items():
            per_criterion.setdefault(assignment.dossier_id, {}).setdefault(key, []).append(int(value))
    for dossier_id, values in per_criterion.items():
        lines[dossier_id].criterion_means = {
            c.key: (Decimal(sum(values[c.key])) / len(values[c.key])).quantize(CENT, rounding=ROUND_HALF_UP)
            for c in criteria(edition) if values.get(c.key)}
        lines[dossier_id].criterion_spreads = {key: max(v) - min(v) for key, v in values.items() if len(v) > 1}


def review_of(edition: LoadedEdition, dossier: Dossier) -> RankedDossier:
    """One dossier's notes, average and spread (without its rank)."""
    return _lines(edition, [dossier])[0]


def ranking(edition: LoadedEdition) -> list[RankedDossier]:
    """The edition's dossiers under review or decided, best average first (unscored ones last)."""
    dossiers = list(db.session.execute(sa.select(Dossier).where(
        Dossier.edition_id == edition.id, Dossier.state.in_(RANKED_STATES)).order_by(Dossier.reference)).scalars())
    ordered = sorted(_lines(edition, dossiers), key=lambda line: (line.average is None, -(line.average or 0),
                                                                  line.dossier.reference or ""))
    rank = 0
    for position, line in enumerate(ordered, start=1):
        if line.average is None:
            break
        previous = ordered[position - 2] if position > 1 else None
        rank = rank if previous is not None and previous.average == line.average else position
        line.rank = rank
    return ordered
