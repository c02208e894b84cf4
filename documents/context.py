"""The one context documents and emails are filled with: French formats and computed values, in one place.

Templates read:
- `edition.*`: title, short_title, number, ordinal (« 2e »), organisation, funder, contact_email, opens,
  closes, budget_total;
- `dossier.*`: reference, title, state, submitted_at, created_at, axis (label), administration;
- `a.<field key>`: every answer as people read it (« 6 septembre 2019 », « 150 000,00 € », choice labels,
  Oui/Non), "" when not given or hidden by other answers; a field the edition does not have is an error,
  never a blank;
- `a.<total key>`: each total a group declares (`totals`), formatted like an amount (« 2020 : … ; 2021 : … »
  for a total by value);
- `g.<group key>.rows` (each row: column key → text), `g.<group key>.total` (sum of its amount column),
  `g.<group key>.totals.<total key>` (a total, or for a total by value its list of `label` and `amount`),
  `g.<group key>.lines` (each row as one text, « Indicateur : … ; Cible : … ») and `g.<group key>.sums` (each
  declared total as `label` and `value`), for templates that list any group alike (a report's copy);
- `sections`: each visible step with its items (label, value), for documents that list every answer;
- `annexes`: name, pages and field label of each PDF annex;
- `c.*`: computed amounts — amount_requested, project_cost, share_requested, amount_granted,
  share_granted, instalments (label, share, amount, when, date: see dossiers.instalments);
- `signatory.*`: name and function of the person who signs (fields of roles signatory and
  signatory_function); `today`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import states
from dossiers.instalments import payment_schedule
from editions.conditions import evaluate
from editions.model import LoadedEdition
from editions.schema import FieldDef
from formatting import format_amount, format_date, format_datetime, format_moment, format_ordinal, format_percent
from forms.types.base import clean_text
from forms.types.group import columns as group_columns
from rules import computed
from timekeeping import now

__all__ = ["ROLE_VARIABLES", "build_context", "clean_text", "context_from_answers", "context_variables", "display",
           "edition_facts", "visible_answers"]

def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def display(field: FieldDef, value: Any, files: dict[int, Any] | None = None) -> str:
    """One answer as people read it (its type says how)."""
    return field.kind.read(field, value, files)


def _group(field: FieldDef, rows: list[dict[str, Any]] | None) -> dict[str, Any]:
    columns = group_columns(field)
    amount = next((c for c in columns if c.kind.totalled), None)
    total = sum((_decimal(r.get(amount.key)) or Decimal(0) for r in rows or []), Decimal(0)) if amount else None
    return {
        "label": field.label,
        "columns": [c.label for c in columns],
        "rows": [{c.key: display(c, r.get(c.key)) for c in columns} for r in rows or []],
        "total": format_amount(total) if total is not None and rows else "",
        "totals": {c.key: _total(c, c.of_rows(rows)) for c in computed.declared([field]).values()},
        "lines": [" ; ".join(f"{c.label} : {display(c, r.get(c.key))}" for c in columns
                             if r.get(c.key) not in (None, "")) for r in rows or []],
        "sums": [{"label": c.total.label, "value": _sum_text(_total(c, c.of_rows(rows)))}
                 for c in computed.declared([field]).values()],
    }


def _sum_text(total: Any) -> str:
    """A total as one text: itself, or for a total by value « 2020 : … ; 2021 : … »."""
    if isinstance(total, list):
        return " ; ".join(f"{s['label']} : {s['amount']}" for s in total)
    return total


def _total(declared: computed.Computed, value: Any) -> Any:
    """A total as templates read it: its text, or for a total by value the list of its labels and sums."""
    if isinstance(value, list):
        return [{"label": s.label, "amount": computed.amount_text(s.amount, declared)} for s in value]
    return computed.as_text(value, declared)


def edition_facts(edition: LoadedEdition) -> dict[str, Any]:
    d = edition.definition
    return {
        "id": edition.id, "title": d.title, "short_title": d.short_title, "number": d.number,
        "ordinal": format_ordinal(d.number), "organisation": d.organisation,
        "funder": d.funder or "", "contact_email": d.contact_email,
        "opens": format_moment(edition.opens_at, edition.zone),
        "closes": format_datetime(edition.closes_at, edition.zone),
        "budget_total": format_amount(d.budget_total) if d.budget_total else "",
        "funding_rate_max": format_percent(d.funding_rate_max),
    }


def _computed(edition: LoadedEdition, answers: dict[str, Any], granted: Decimal | None) -> dict[str, Any]:
    requested = _decimal(edition.amount_with_role(answers, "amount_requested"))
    cost = _decimal(edition.amount_with_role(answers, "project_cost"))

    def share(amount: Decimal | None) -> str:
        return format_percent(amount * 100 / cost) if amount is not None and cost else ""

    return {
        "amount_requested": format_amount(requested), "project_cost": format_amount(cost),
        "share_requested": share(requested),
        "amount_granted": format_amount(granted), "share_granted": share(granted),
        "instalments": [{"label": p.label, "share": format_percent(p.share), "amount": format_amount(p.amount),
                         "when": p.when, "date": format_date(p.date)}
                        for p in payment_schedule(edition, granted)],
    }


visible_answers = computed.shown_answers  # the answers other answers do not hide: in no document, nor in a total


def context_from_answers(edition: LoadedEdition, answers: dict[str, Any], dossier_facts: dict[str, Any],
                         files: dict[int, Any] | None = None, granted: Decimal | None = None) -> dict[str, Any]:
    """Build the context from answers and a few facts of the dossier (also used for sample documents)."""
    shown = visible_answers(edition, answers)
    formatted = {key: display(field, shown.get(key), files) for key, field in edition.fields.items()}
    totals = computed.values(edition, answers, shown)
    formatted.update({key: computed.as_text(totals[key], c) for key, c in edition.computed.items()})
    groups = {key: _group(field, shown.get(key)) for key, field in edition.fields.items()
              if field.kind.has_rows}
    sections = []
    for step in edition.steps:
        if not evaluate(step.condition, answers):
            continue
        items = [{"label": f.label, "value": formatted[f.key], "group": groups.get(f.key)}
                 for f in step.fields if f.key in formatted and evaluate(f.condition, answers)]
        sections.append({"title": step.title, "items": items})
    annexes = []
    for key, field in edition.fields.items():
        if field.kind.holds_files:
            for file_id in shown.get(key) or []:
                stored = (files or {}).get(file_id)
                if stored is not None:
                    annexes.append({"name": stored.original_name, "pages": stored.pages or 0, "field": field.label})
    signatory = edition.field_with_role("signatory")
    # revisions written before the role existed named the field signataire_fonction: they still fill it
    signatory_function = edition.field_with_role("signatory_function") or edition.fields.get("signataire_fonction")
    return {
        "edition": edition_facts(edition),
        "dossier": dossier_facts,
        "a": formatted,
        "g": groups,
        "sections": sections,
        "annexes": annexes,
        "c": _computed(edition, shown, granted),
        "signatory": {"name": formatted.get(signatory.key, "") if signatory else "",
                      "function": formatted.get(signatory_function.key, "") if signatory_function else ""},
        "today": format_date(now(), edition.zone),
    }


def build_context(edition: LoadedEdition, dossier) -> dict[str, Any]:
    """The context of one dossier."""
    axis_field = edition.field_with_role("axis")
    facts = {
        "reference": dossier.reference or "(brouillon)",
        "title": clean_text(dossier.title or ""),
        "state": states.LABELS.get(dossier.state, dossier.state),
        "submitted_at": format_datetime(dossier.submitted_at, edition.zone) if dossier.submitted_at else "",
        "created_at": format_date(dossier.created_at, edition.zone) if dossier.created_at else "",
        "axis": display(axis_field, (dossier.answers or {}).get(axis_field.key)) if axis_field else "",
        "administration": clean_text(dossier.administration or ""),
    }
    files = {f.id: f for f in dossier.files}
    return context_from_answers(edition, dossier.answers or {}, facts, files, dossier.granted_amount)


# The variables only a field with a role fills: a template reading one where no field has the role
# is refused by the check (documents.checks), which says which role to give.
ROLE_VARIABLES: dict[tuple[str, ...], str] = {
    ("signatory", "name"): "signatory",
    ("signatory", "function"): "signatory_function",
    ("c", "amount_requested"): "amount_requested",
    ("c", "share_requested"): "project_cost",
    ("c", "project_cost"): "project_cost",
    ("c", "share_granted"): "project_cost",
    ("dossier", "axis"): "axis",
    ("dossier", "administration"): "administration",
}


def context_variables() -> set[str]:
    """The top-level names every context provides (the workflow check refuses any other)."""
    return {"edition", "dossier", "a", "g", "sections", "annexes", "c", "signatory", "today"}
