"""Workflow check: each report's Word template reads only what a report's copy is filled with.

`{{ report.titre }}` or `{{ a.indicateur }}` (a field the report does not have) is reported by `flask --app app
workflows check` at the line of the report's `template`, never met as a blank in a laureate's copy. The names
come from reports.context (the dossier's context, the report's answers, `report.*`).
"""

from __future__ import annotations

from documents.checks import template_errors
from editions.check_context import CheckContext
from editions.check_registry import register_check
from editions.loader import EditionError
from reports.context import sample_report_context


@register_check
def check_report_templates(ctx: CheckContext) -> list[EditionError]:
    """Each `reports[].template` that exists reads only variables of a report's context."""
    errors: list[EditionError] = []
    keys = [r.key for r in ctx.edition.definition.reports]
    for ri, report in enumerate(ctx.edition.definition.reports):
        if not report.template or not (ctx.templates_folder / report.template).is_file():
            continue  # a missing template is reported by editions.report_checks
        if keys.index(report.key) != ri:
            continue  # a key given twice is reported there too
        context = sample_report_context(ctx.edition, report.key)
        errors += template_errors(ctx, ("reports", ri, "template"), report.template, context)
    return errors
