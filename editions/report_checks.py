"""Check the reports of an edition and the instalments that wait for them: what staff can get wrong in the file.

Each report's steps get the checks of the dossier's steps (unique keys, conditions, totals, rules), placed at
their lines under `reports`; the variables of a report's Word template are checked by reports.checks.
"""

from __future__ import annotations

from editions.check_context import CheckContext
from editions.document_checks import _template_error
from editions.loader import EditionError, NodePath, Position
from editions.report_forms import report_form
from editions.rule_checks import check_rules_and_gates, check_totals
from editions.schema import Report


class _Within:
    """The positions of a part of the file, read with paths relative to that part (a report's `steps`…)."""

    def __init__(self, positions, prefix: NodePath) -> None:
        self.positions, self.prefix = positions, prefix

    def of(self, path: NodePath, key: bool = False) -> Position:
        return self.positions.of(self.prefix + tuple(path), key=key)


def _declared(reports: list[Report]) -> str:
    return ", ".join(f"« {r.key} »" for r in reports)


def check_reports(ctx: CheckContext) -> list[EditionError]:
    """Unique keys, one due (a day or a delay), one final report at most, templates that exist, sound steps."""
    reports = ctx.edition.definition.reports
    errors: list[EditionError] = []
    first: dict[str, int] = {}
    opens = ctx.edition.opens_at.astimezone(ctx.edition.zone).date()
    for ri, report in enumerate(reports):
        at: NodePath = ("reports", ri)
        if report.key in first:
            line = ctx.positions.of(("reports", first[report.key], "key"))[0]
            errors.append(ctx.error(at + ("key",), f"clé de rapport « {report.key} » en double (déjà employée "
                                                   f"ligne {line})"))
        first.setdefault(report.key, ri)
        if report.due is None and report.due_after is None:
            errors.append(ctx.error(at + ("key",), f"le rapport « {report.key} » a besoin d’une échéance : "
                                                   "« due: 2020-03-31 » (un jour) ou « due_after: 3 months » (un "
                                                   "délai après la contresignature de la convention)"))
        elif report.due is not None and report.due_after is not None:
            errors.append(ctx.error(at + ("due_after",), f"le rapport « {report.key} » a deux échéances : gardez "
                                                         "« due » (un jour) ou « due_after » (un délai), pas les "
                                                         "deux", key=True))
        elif report.due is not None and report.due < opens:
            errors.append(ctx.error(at + ("due",), f"le rapport « {report.key} » serait à rendre avant "
                                                   f"l’ouverture de l’appel ({opens:%d/%m/%Y}) : vérifiez l’année"))
        if report.template is not None and (problem := _template_error(ctx, report.template)):
            errors.append(ctx.error(at + ("template",), problem))
        errors += _form_errors(ctx, report, at)
    finals = [ri for ri, r in enumerate(reports) if r.final]
    for ri in finals[1:]:
        line = ctx.positions.of(("reports", finals[0], "final"))[0]
        errors.append(ctx.error(("reports", ri, "final"), f"un seul rapport peut être final (« final: true » "
                                                          f"est déjà donné ligne {line})", key=True))
    if reports and not finals and not ctx.edition.definition.instalments:
        errors.append(ctx.error(("reports",), "sans « instalments », le solde est versé à l’acceptation du rapport "
                                              "final : marquez-en un « final: true », ou déclarez les versements",
                                key=True))
    return errors


def _form_errors(ctx: CheckContext, report: Report, at: NodePath) -> list[EditionError]:
    """The checks of the dossier's steps, run on the report's form, and no role on its fields."""
    from editions.checks import check_conditions, check_unique_keys, walk_fields

    view = report_form(ctx.edition, report.key)
    inner = CheckContext(view, _Within(ctx.positions, at), ctx.where, ctx.templates_folder)
    errors: list[EditionError] = []
    for check in (check_unique_keys, check_conditions, check_totals, check_rules_and_gates):
        errors += check(inner)
    for path, field, _ in walk_fields(view):
        if field.role:
            errors.append(inner.error(path + ("role",), "un champ de rapport ne porte pas de « role » : les rôles "
                                                        "désignent les réponses du dossier de candidature"))
        for ti, total in enumerate(field.totals or ()):
            if total.role:
                errors.append(inner.error(path + ("totals", ti, "role"), "un total de rapport ne porte pas de "
                                                                          "« role »"))
    return errors


def check_report_instalments(ctx: CheckContext) -> list[EditionError]:
    """An instalment released by a report names a report the edition declares, by its key."""
    definition = ctx.edition.definition
    keys = {r.key for r in definition.reports}
    errors: list[EditionError] = []
    for index, instalment in enumerate(definition.instalments):
        if instalment.trigger != "report" or instalment.report is None or instalment.report in keys:
            continue
        at = ("instalments", index, "report")
        if not definition.reports:
            errors.append(ctx.error(at, f"le versement « {instalment.label} » attend le rapport "
                                        f"« {instalment.report} », mais l’édition ne déclare aucun rapport : "
                                        "ajoutez-le sous « reports » (voir docs/rapports.md)"))
        else:
            errors.append(ctx.error(at, f"« report: {instalment.report} » ne nomme aucun rapport de l’édition "
                                        f"(rapports déclarés : {_declared(definition.reports)})"))
    return errors
