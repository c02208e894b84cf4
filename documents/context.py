"""The one context documents and emails are filled with: French formats and computed values, in one place.

Templates read:
- `edition.*`: title, short_title, number, ordinal (« 2e »), organisation, funder, contact_email, opens,
  closes, budget_total;
- `dossier.*`: reference, title, state, submitted_at, created_at, axis (label);
- `a.<field key>`: every answer as people read it (« 6 septembre 2019 », « 150 000,00 € », choice labels,
  Oui/Non), "" when not given; a field the edition does not have is an error, never a blank;
- `g.<group key>.rows` (each row: column key → text) and `g.<group key>.total` (sum of its amount column);
- `sections`: each visible step with its items (label, value), for documents that list every answer;
- `annexes`: name, pages and field label of each PDF annex;
- `c.*`: computed amounts — amount_requested, project_cost, share_requested, amount_granted,
  share_granted, instalments (label, share, amount);
- `signatory.*`: name and function of the person who signs; `today`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from documents.formatting import format_amount, format_date, format_datetime, format_percent
from dossiers import lifecycle
from editions.conditions import evaluate
from editions.model import LoadedEdition
from editions.schema import FieldDef
from timekeeping import now

# The convention pays the grant in two instalments: at signature, then on the final report.
INSTALMENTS = (("à la signature de la convention", Decimal("0.5")),
               ("à la remise du rapport final d'expérimentation", Decimal("0.5")))


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def display(field: FieldDef, value: Any, files: dict[int, Any] | None = None) -> str:
    """One answer as people read it."""
    if value is None or value == "" or value == []:
        return ""
    match field.type:
        case "amount":
            return format_amount(value)
        case "date":
            return format_date(value)
        case "yes_no":
            return "Oui" if value else "Non"
        case "integer":
            return f"{int(value):,}".replace(",", "\u202f")
        case "choice":
            return next((c.label for c in field.choices or () if c.value == value), str(value))
        case "multiple_choice":
            labels = {c.value: c.label for c in field.choices or ()}
            return " ; ".join(labels.get(v, str(v)) for v in value)
        case "file":
            names = [files[i].original_name for i in value if files and i in files]
            return ", ".join(names) if names else f"{len(value)} fichier(s)"
        case "group":
            return f"{len(value)} ligne(s)"
    return str(value)


def _group(field: FieldDef, rows: list[dict[str, Any]] | None) -> dict[str, Any]:
    columns = [c for c in field.fields or () if c.type not in ("heading", "paragraph")]
    amount = next((c for c in columns if c.type == "amount"), None)
    total = sum((_decimal(r.get(amount.key)) or Decimal(0) for r in rows or []), Decimal(0)) if amount else None
    return {
        "label": field.label,
        "columns": [c.label for c in columns],
        "rows": [{c.key: display(c, r.get(c.key)) for c in columns} for r in rows or []],
        "total": format_amount(total) if total is not None and rows else "",
    }


def edition_facts(edition: LoadedEdition) -> dict[str, Any]:
    d = edition.definition
    return {
        "id": edition.id, "title": d.title, "short_title": d.short_title, "number": d.number,
        "ordinal": "1re" if d.number == 1 else f"{d.number}e", "organisation": d.organisation,
        "funder": d.funder or "", "contact_email": d.contact_email,
        "opens": format_date(edition.opens_at, edition.zone),
        "closes": format_datetime(edition.closes_at, edition.zone),
        "budget_total": format_amount(d.budget_total) if d.budget_total else "",
        "funding_rate_max": format_percent(d.funding_rate_max),
    }


def _computed(edition: LoadedEdition, answers: dict[str, Any], granted: Decimal | None) -> dict[str, Any]:
    requested_field, cost_field = edition.field_with_role("amount_requested"), edition.field_with_role("project_cost")
    requested = _decimal(answers.get(requested_field.key)) if requested_field else None
    cost = _decimal(answers.get(cost_field.key)) if cost_field else None

    def share(amount: Decimal | None) -> str:
        return format_percent(amount * 100 / cost) if amount is not None and cost else ""

    return {
        "amount_requested": format_amount(requested), "project_cost": format_amount(cost),
        "share_requested": share(requested),
        "amount_granted": format_amount(granted), "share_granted": share(granted),
        "instalments": [{"label": label, "share": format_percent(part * 100),
                         "amount": format_amount(granted * part if granted is not None else None)}
                        for label, part in INSTALMENTS],
    }


def context_from_answers(edition: LoadedEdition, answers: dict[str, Any], dossier_facts: dict[str, Any],
                         files: dict[int, Any] | None = None, granted: Decimal | None = None) -> dict[str, Any]:
    """Build the context from answers and a few facts of the dossier (also used for sample documents)."""
    formatted = {key: display(field, answers.get(key), files) for key, field in edition.fields.items()}
    groups = {key: _group(field, answers.get(key)) for key, field in edition.fields.items() if field.type == "group"}
    sections = []
    for step in edition.steps:
        if not evaluate(step.condition, answers):
            continue
        items = [{"label": f.label, "value": formatted[f.key], "group": groups.get(f.key)}
                 for f in step.fields if f.key in formatted and evaluate(f.condition, answers)]
        sections.append({"title": step.title, "items": items})
    annexes = []
    for key, field in edition.fields.items():
        if field.type == "file":
            for file_id in answers.get(key) or []:
                stored = (files or {}).get(file_id)
                if stored is not None:
                    annexes.append({"name": stored.original_name, "pages": stored.pages or 0, "field": field.label})
    signatory = edition.field_with_role("signatory")
    signatory_function = next((f for f in edition.fields.values() if f.key == "signataire_fonction"), None)
    return {
        "edition": edition_facts(edition),
        "dossier": dossier_facts,
        "a": formatted,
        "g": groups,
        "sections": sections,
        "annexes": annexes,
        "c": _computed(edition, answers, granted),
        "signatory": {"name": formatted.get(signatory.key, "") if signatory else "",
                      "function": formatted.get(signatory_function.key, "") if signatory_function else ""},
        "today": format_date(now(), edition.zone),
    }


def build_context(edition: LoadedEdition, dossier) -> dict[str, Any]:
    """The context of one dossier."""
    axis_field = edition.field_with_role("axis")
    facts = {
        "reference": dossier.reference or "(brouillon)",
        "title": dossier.title or "",
        "state": lifecycle.LABELS.get(dossier.state, dossier.state),
        "submitted_at": format_datetime(dossier.submitted_at, edition.zone) if dossier.submitted_at else "",
        "created_at": format_date(dossier.created_at, edition.zone) if dossier.created_at else "",
        "axis": display(axis_field, (dossier.answers or {}).get(axis_field.key)) if axis_field else "",
    }
    files = {f.id: f for f in dossier.files}
    return context_from_answers(edition, dossier.answers or {}, facts, files, dossier.granted_amount)


def context_variables() -> set[str]:
    """The top-level names every context provides (the workflow check refuses any other)."""
    return {"edition", "dossier", "a", "g", "sections", "annexes", "c", "signatory", "today"}


def sample_answers(edition: LoadedEdition) -> dict[str, Any]:
    """Plausible answers for every field, with the characters that break careless templates."""
    answers: dict[str, Any] = {}
    for key, field in edition.fields.items():
        answers[key] = _sample_value(field)
    return answers


def _sample_value(field: FieldDef) -> Any:
    match field.type:
        case "text":
            return f"{field.label} — « exemple » & <test> 🚀"[: field.max_length or 200]
        case "textarea":
            return f"Première ligne de « {field.label} » & <balises>.\nDeuxième ligne : l'agent d'accueil…"
        case "email":
            return "camille.martin@interieur.gouv.fr"
        case "phone":
            return "01 23 45 67 89"
        case "integer":
            return int(field.min or 0) + 1200
        case "amount":
            return "150000.00"
        case "date":
            return (field.min if isinstance(field.min, dt.date) else dt.date(2019, 10, 1)).isoformat()
        case "choice":
            return field.choices[0].value if field.choices else None
        case "multiple_choice":
            return [c.value for c in (field.choices or ())[:2]]
        case "yes_no":
            return True
        case "file":
            return []
        case "group":
            return [{c.key: _sample_value(c) for c in field.fields or () if c.type not in ("heading", "paragraph")}
                    for _ in range(2)]
    return None


def sample_context(edition: LoadedEdition) -> dict[str, Any]:
    """The context of an imaginary dossier, for `documents sample` and previews."""
    prefix = edition.definition.reference_prefix
    facts = {"reference": f"{prefix}-0042", "title": "Dossier d'exemple & « test »",
             "state": lifecycle.LABELS[lifecycle.LAUREATE], "submitted_at": format_datetime(now(), edition.zone),
             "created_at": format_date(now(), edition.zone), "axis": ""}
    return context_from_answers(edition, sample_answers(edition), facts, granted=Decimal("120000.00"))
