"""A project is not closed while one of its instalments is unpaid: the check payments register with
dossiers.closing (loaded by app.load_registrations)."""

from __future__ import annotations

from dossiers.closing import register_closing_check
from models import Dossier
from payments.line_states import PAID
from payments.lines import ensure_lines


@register_closing_check
def unpaid_instalments(dossier: Dossier) -> list[str]:
    """« 2 versements ne sont pas payés : « Deuxième versement », « Solde » », or nothing."""
    unpaid = [line for line in ensure_lines(dossier) if line.state != PAID]
    if not unpaid:
        return []
    names = ", ".join(f"« {line.label} »" for line in unpaid)
    if len(unpaid) == 1:
        return [f"1 versement n'est pas payé : {names}"]
    return [f"{len(unpaid)} versements ne sont pas payés : {names}"]
