"""Between stored answers and step forms: fill a form, validate it under the conditions, keep the answers.

Answers are stored as JSON by field key: text as str, integer as int, amount as a "12500.00" string,
date as an ISO string, choice as its value, multiple choice as a list, yes/no as a boolean, file as a
list of StoredFile ids, a repeated group as a list of row dicts. A hidden field is not required, not
validated and not kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

from editions.conditions import evaluate
from editions.schema import FieldDef, Step
from formatting import format_amount, format_percent
from forms.builder import step_form_class
from rules.evaluation import findings


def answerable(fields) -> list[FieldDef]:
    return [f for f in fields if f.kind.answers]


def visible_steps(edition, answers: Mapping[str, Any]) -> list[Step]:
    """The steps this dossier shows, in order, given its answers."""
    return [s for s in edition.steps if evaluate(s.condition, answers)]


# --- Stored answers → form data -----------------------------------------------------------------

def to_formdata(step: Step, answers: Mapping[str, Any]) -> MultiDict:
    """Turn stored answers into what the browser would post, so GET and POST share one path."""
    data = MultiDict()
    for field in answerable(step.fields):
        value = answers.get(field.key)
        if value is not None:
            for name, text in field.kind.posted(field, value, field.key):
                data.add(name, text)
    return data


def form_for(edition, step: Step, answers: Mapping[str, Any], formdata: MultiDict | None = None, csrf: bool = True):
    """The step's form, filled from `formdata` (a request or kept raw input) or else from the answers."""
    form_class = step_form_class(edition, step)
    meta = None if csrf else {"csrf": False}
    return form_class(formdata=formdata if formdata is not None else to_formdata(step, answers), meta=meta)


# --- Form → stored answers ----------------------------------------------------------------------

def form_values(form, step: Step, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The values the form holds for every answerable field of `step` (files come from `answers`)."""
    return {field.key: field.kind.collect(field, form[field.key], answers) for field in answerable(step.fields)}


def validate_step(form, edition, step: Step, answers: Mapping[str, Any]) -> bool:
    """Validate the submitted step; hidden fields lose their errors. Errors stay on the form's fields.

    Messages about a whole field (a group's too few rows) are kept in `form.group_errors[field_key]`.
    """
    form.validate()
    merged = {**answers, **form_values(form, step, answers)}
    form.group_errors = {}
    valid = not getattr(getattr(form, "csrf_token", None), "errors", None)
    for field in answerable(step.fields):
        form_field = form[field.key]
        if not evaluate(field.condition, merged):
            form_field.errors = []
            continue
        problems = field.kind.settle(field, form_field, merged.get(field.key))
        if problems:
            form.group_errors[field.key] = problems
        if problems or form_field.errors:
            valid = False
    valid = _check_funding_share(form, edition, step, merged) and valid
    return _check_rules(form, edition, step, merged) and valid


def _show_next_to(form, field: FieldDef, message: str) -> None:
    """Put a message under a field of the step: a group's under the table, any other's on its input."""
    if field.kind.has_rows:
        form.group_errors.setdefault(field.key, [])
        if message not in form.group_errors[field.key]:
            form.group_errors[field.key].append(message)
    elif message not in form[field.key].errors:
        form[field.key].errors = [*form[field.key].errors, message]


def _check_funding_share(form, edition, step: Step, merged: Mapping[str, Any]) -> bool:
    """The amount requested may not exceed the call's share (funding_rate_max) of the project cost.

    The cost is a typed field or a total of the budget lines (rules.computed); the message goes next to the
    amount requested when it is on this step, else under the lines whose total is the cost.
    """
    requested, total = edition.field_with_role("amount_requested"), edition.total_with_role("project_cost")
    if requested is None:
        return True
    here = {f.key: f for f in step.fields if evaluate(f.condition, merged)}
    target = here.get(requested.key) or (here.get(total.group.key) if total is not None else None)
    if target is None or form[target.key].errors:
        return True
    asked, cost_amount = (edition.amount_with_role(merged, role) for role in ("amount_requested", "project_cost"))
    if asked is None or cost_amount is None:
        return True
    ceiling = edition.funding_ceiling(cost_amount)
    if asked <= ceiling:
        return True
    _show_next_to(form, target, f"Le montant demandé ne peut pas dépasser "
                                f"{format_percent(edition.definition.funding_rate_max)} du coût total du projet, "
                                f"soit {format_amount(ceiling)}.")
    return False


def _check_rules(form, edition, step: Step, merged: Mapping[str, Any]) -> bool:
    """The rules and gates (rules.evaluation) that fail, shown next to the fields of this step they concern."""
    here = {f.key: f for f in step.fields if f.kind.answers and evaluate(f.condition, merged)}
    valid = True
    for finding in findings(edition, merged):
        for key in finding.fields:
            if key in here:
                _show_next_to(form, here[key], finding.message)
                valid = False
    return valid


def prune_hidden(edition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Drop answers to fields that the other answers now hide (repeat: hiding one may hide another)."""
    kept = dict(answers)
    while True:
        shown_steps = {s.key for s in visible_steps(edition, kept)}
        hidden = [key for key, field in edition.fields.items() if key in kept and (
            edition.step_of_field.get(key) not in shown_steps or not evaluate(field.condition, kept))]
        if not hidden:
            return kept
        for key in hidden:
            kept.pop(key)


def extract_answers(form, edition, step: Step, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The dossier's answers after this valid step: its values replace the old ones; hidden ones go."""
    merged = {**answers, **form_values(form, step, answers)}
    return prune_hidden(edition, merged)


def step_errors(edition, step: Step, answers: Mapping[str, Any]) -> dict[str, list[str]]:
    """What is missing or wrong in the stored answers of a step, by field label (for the summary)."""
    form = form_for(edition, step, answers, csrf=False)
    if validate_step(form, edition, step, answers):
        return {}
    return step_errors_of(form, step)


def step_errors_of(form, step: Step) -> dict[str, list[str]]:
    """The errors `validate_step` left on `form`, by field label."""
    problems: dict[str, list[str]] = {}
    for field in answerable(step.fields):
        messages = list(form.group_errors.get(field.key, [])) + field.kind.messages(field, form[field.key])
        if messages:
            problems[field.label] = messages
    return problems


def step_is_complete(edition, step: Step, answers: Mapping[str, Any]) -> bool:
    """Whether the stored answers of `step` pass its validation as they stand."""
    return not step_errors(edition, step, answers)
