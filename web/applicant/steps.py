"""The dossier's guided form: its step pages (the engine is web.applicant.filling, rules come from dossiers/)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_login import current_user, login_required

from dossiers import annexes, operations, permissions
from editions import deadline
from web.applicant import bp
from web.applicant.access import dossier_or_404
from web.applicant.filling import Filling, step_page


class DossierFilling(Filling):
    """A draft dossier, filled by its owner until the deadline."""

    @property
    def dossier(self):
        return self.record

    def editable(self) -> bool:
        return permissions.can_edit_answers(current_user, self.record) and deadline.accepts_submissions(self.edition)

    def closed_message(self) -> str | None:
        if permissions.is_owner(current_user, self.record) and self.record.is_draft:
            return deadline.refusal_message(self.edition)
        return None

    def ensure_editable(self) -> None:
        operations.ensure_editable(self.edition, self.record, current_user)

    def save_step(self, step_key: str, answers: dict[str, Any], mark_visited: bool = True) -> None:
        operations.save_step(self.edition, self.record, current_user, step_key, answers, mark_visited)

    def keep_input(self, step, formdata):
        return operations.keep_input(self.edition, self.record, current_user, step, formdata)

    def discard_input(self, step_key: str) -> None:
        operations.discard_input(self.edition, self.record, current_user, step_key)

    def apply_file_changes(self, answers, uploads, removals, fields):
        return annexes.apply_file_changes(self.record, answers, uploads, removals, current_user, fields)

    def step_url(self, step_key: str) -> str:
        return url_for("applicant.step", dossier_id=self.record.id, step_key=step_key)

    def summary_url(self) -> str:
        return url_for("applicant.summary", dossier_id=self.record.id)

    def resume_url(self) -> str:
        return url_for("applicant.dossier", dossier_id=self.record.id)

    def quit_url(self) -> str:
        return url_for("applicant.my_dossiers")

    def autosave_url(self, step_key: str) -> str:
        return url_for("applicant.autosave", dossier_id=self.record.id, step_key=step_key)

    def discard_url(self, step_key: str) -> str:
        return url_for("applicant.discard", dossier_id=self.record.id, step_key=step_key)

    def page_context(self) -> dict[str, Any]:
        return {"dossier": self.record, "phase": deadline.phase(self.edition),
                "days_left": deadline.time_left(self.edition).days}


@bp.route("/dossiers/<int:dossier_id>/etapes/<step_key>", methods=["GET", "POST"])
@login_required
def step(dossier_id: int, step_key: str):
    return step_page(DossierFilling(*dossier_or_404(dossier_id)), step_key)
