"""What applicants do to a dossier: start it, save a step, submit it. Flushes, never commits.

The view's request boundary commits, so an event and the mail it causes land in one transaction.
"""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

import states
from dossiers import filling, lifecycle, permissions
from dossiers.carry_over import carry_over, copy_files
from dossiers.fingerprint import answers_fingerprint
from dossiers.navigation import Progress, progress
from dossiers.references import next_reference
from editions import deadline
from editions.model import LoadedEdition
from editions.revisions import record_revision
from editions.schema import Step
from forms.pending import BoundedInput
from jobs.queue import after_commit
from mail.messages import submission_acknowledgement
from models import Dossier, User, db
from rules.evaluation import findings
from timekeeping import now


class ActionRefused(Exception):
    """An action the rules refuse; the message is French and shown as is."""


def start_dossier(edition: LoadedEdition, user: User, source: Dossier | None = None,
                  source_edition: LoadedEdition | None = None) -> tuple[Dossier, list[str]]:
    """Create a draft for `user`, if the call is open: empty, or from `source` (previous edition).

    Return the dossier and the labels of the answers that did not carry over.
    """
    ensure_can_apply(user)
    if not deadline.accepts_new_dossiers(edition):
        raise ActionRefused(deadline.refusal_message(edition))
    dropped: list[str] = []
    answers: dict[str, Any] = {}
    if source is not None:
        if source.owner_id != user.id or source.edition_id != edition.definition.previous_edition:
            raise ActionRefused("Ce dossier ne peut pas être repris.")
        carried = carry_over(source, source_edition, edition)
        answers, dropped = carried.answers, carried.dropped
    dossier = Dossier(edition_id=edition.id, revision=edition.revision, owner_id=user.id,
                      state=states.DRAFT, answers={}, set_aside={}, completed_steps=[])
    db.session.add(dossier)
    db.session.flush()
    if source is not None:
        copy_files(source, dossier, answers, edition)
        dossier.answers = answers
        _copy_indexed_answers(edition, dossier)
        db.session.flush()
    return dossier, dropped


def ensure_can_apply(user: User) -> None:
    """Refuse, in French, a staff or jury account that tries to start or submit a dossier."""
    if not permissions.can_apply(user):
        raise ActionRefused("Les comptes de l'équipe du programme et du jury ne peuvent pas déposer de dossier. "
                            "Pour candidater, connectez-vous avec l'adresse électronique du porteur de projet.")


def ensure_editable(edition: LoadedEdition, dossier: Dossier, user: User) -> None:
    """Refuse, in French, any change of answers the rules do not allow."""
    ensure_can_apply(user)
    if not permissions.can_edit_answers(user, dossier):
        if permissions.is_owner(user, dossier):
            raise ActionRefused("Ce dossier a été déposé : il ne peut plus être modifié.")
        raise ActionRefused("Vous n'avez pas accès à ce dossier.")
    if not deadline.accepts_submissions(edition):
        raise ActionRefused(deadline.refusal_message(edition))


def save_step(edition: LoadedEdition, dossier: Dossier, user: User, step_key: str,
              answers: dict[str, Any], mark_visited: bool = True) -> None:
    """Store the answers after a step was validated (or saved as a draft with `mark_visited` False).

    Not flushed here: the caller's flush (editing.record, the commit) writes the dossier in one UPDATE.
    """
    ensure_editable(edition, dossier, user)
    record_revision(edition)  # before any change: its statement would flush them on their own
    filling.store_answers(dossier, edition, step_key, answers, mark_visited)
    dossier.revision = edition.revision
    _copy_indexed_answers(edition, dossier)


def keep_input(edition: LoadedEdition, dossier: Dossier, user: User, step: Step, form: MultiDict) -> BoundedInput:
    """Keep what was typed in a step and not validated, within the step's own fields and their bounds."""
    ensure_editable(edition, dossier, user)
    return filling.store_input(dossier, step, form)


def discard_input(edition: LoadedEdition, dossier: Dossier, user: User, step_key: str) -> None:
    """Drop the pending input of a step: its last validated answers stand again."""
    ensure_editable(edition, dossier, user)
    filling.drop_input(dossier, step_key)
    db.session.flush()


def indexed_answers(edition: LoadedEdition, answers: dict[str, Any]) -> dict[str, str | None]:
    """The answers staff filter on (title, axis, administration), as their indexed columns hold them."""
    indexed = (("title", "title", 300), ("axis", "axis", 80), ("administration", "administration", 300))
    columns: dict[str, str | None] = {}
    for role, column, limit in indexed:
        field = edition.field_with_role(role)
        value = answers.get(field.key) if field else None
        columns[column] = str(value)[:limit] if value not in (None, "") else None
    return columns


def _copy_indexed_answers(edition: LoadedEdition, dossier: Dossier) -> None:
    for column, value in indexed_answers(edition, dossier.answers or {}).items():
        setattr(dossier, column, value)


def ensure_eligible(edition: LoadedEdition, dossier: Dossier) -> None:
    """Refuse, with the edition's own message, a dossier a gate makes ineligible or that breaks a rule.

    Evaluated on the stored answers, whatever path wrote them: the step page checks the same rules, but
    answers may come from an older revision, another tab or a raw request.
    """
    found = findings(edition, dossier.answers or {})
    gates = [f.message for f in found if f.gate]
    if gates:
        raise ActionRefused("Ce dossier n'est pas éligible : " + " ".join(gates))
    if found:
        raise ActionRefused("Le dossier ne peut pas être déposé : " + " ".join(f.message for f in found))


def ensure_validated(state: Progress, refusal: type[ActionRefused] = ActionRefused) -> None:
    """Refuse a deposit (of a dossier, of a report) while a step's latest input is not validated: what is
    deposited is what was last seen."""
    if unvalidated := state.unvalidated():
        titles = " », « ".join(s.step.title for s in unvalidated)
        raise refusal(f"Modifications non validées ou à corriger avant le dépôt : « {titles} ». Ouvrez l'étape "
                      "et cliquez sur « Suivant », ou abandonnez la modification depuis le récapitulatif.")


def ensure_submittable(edition: LoadedEdition, dossier: Dossier, user: User) -> None:
    """Refuse, in French, a deposit the rules do not allow: `submit` checks this, and so does the bench before it
    times any submission (bench.drafts), so that it never measures a refusal."""
    ensure_editable(edition, dossier, user)
    state = progress(edition, dossier)
    ensure_validated(state)
    ensure_eligible(edition, dossier)
    if not state.all_complete:
        raise ActionRefused("Le dossier est incomplet : complétez chaque étape avant de le déposer.")


def submit(edition: LoadedEdition, dossier: Dossier, user: User) -> None:
    """Submit a complete draft before the deadline: give it a reference, queue the acknowledgement at once and
    the documents job, whose receipt (documents attached) follows when they are made (jobs.tasks)."""
    ensure_submittable(edition, dossier, user)
    dossier.submitted_at = now()  # kept exact; the proof shows it to the second (formatting.format_instant)
    dossier.answers_sha256 = answers_fingerprint(dossier.answers or {})
    lifecycle.transition(dossier, states.SUBMITTED, user)  # flushes: a concurrent edit fails here, lock-free
    acknowledgement = submission_acknowledgement(dossier)  # all but the reference, before the counter's lock
    after_commit("documents.produce", dossier.id, "submission")  # made by a worker, then mailed (documents.generate)
    db.session.flush()  # the jobs (the documents, the delivery the proof asks for) in one statement, before the lock
    # The counter row stays locked until commit, so that references have no gap: from here on, only the number,
    # its line in the ledger, the proof that names it (in this transaction: it exists iff the submission does).
    dossier.reference = next_reference(edition)
    acknowledgement()
    db.session.flush()
