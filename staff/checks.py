"""Workflow check: the jury's minutes template (`review.minutes_template`) exists and reads only what the
minutes provide.

Registered into `workflows check` by the staff package, which owns the minutes (staff.minutes): a typo in
the procès-verbal is reported at its YAML line when the edition loads, not met on the day of the jury.
"""

from __future__ import annotations

from documents.checks import edition_template_errors
from editions.check_context import CheckContext
from editions.check_registry import register_check
from editions.loader import EditionError
from staff.minutes import minutes_sample_context


@register_check
def check_minutes_template(ctx: CheckContext) -> list[EditionError]:
    """The minutes template, when the review names one: it exists and reads known variables only."""
    review = ctx.edition.definition.review
    if review is None or not review.minutes_template:
        return []
    return edition_template_errors(ctx, ("review", "minutes_template"), review.minutes_template,
                                   minutes_sample_context(ctx.edition))
