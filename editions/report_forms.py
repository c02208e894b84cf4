"""An edition seen through one of its reports: the report's steps and rules stand where the dossier's do.

A report is filled with the dossier's machinery unchanged — form classes (forms.builder), validation and
pending input (forms.answers, forms.pending), navigation (dossiers.navigation), rules (rules.evaluation) — all
of which read an edition's `steps`, `fields`, `rules` and `revision`. `report_form(edition, key)` hands them an
edition whose form is the report's; its revision names the report too, so no cache mixes a report's step with
a dossier's step of the same key.
"""

from __future__ import annotations

from dataclasses import dataclass

from editions.model import LoadedEdition, revision_of
from editions.schema import Report

_VIEWS: dict[tuple[str, str, str], ReportForm] = {}


@dataclass(frozen=True)
class ReportForm(LoadedEdition):
    """The edition with the report's steps and rules as its form (and nothing else to fill: no gates, no roles)."""

    report: Report | None = None
    base: LoadedEdition | None = None  # the edition itself: its revision is what a report records

    def __post_init__(self) -> None:
        object.__setattr__(self, "revision", f"{revision_of(self.source)}:{self.report.key}")


def report_form(edition: LoadedEdition, key: str) -> ReportForm | None:
    """The edition's report `key` as a form to fill, or None when the edition declares no such report."""
    cache_key = (edition.id, edition.revision, key)
    if cache_key in _VIEWS:
        return _VIEWS[cache_key]
    report = next((r for r in edition.definition.reports if r.key == key), None)
    if report is None:
        return None
    definition = edition.definition.model_copy(update={
        "steps": report.steps, "rules": report.rules, "gates": [], "axes": [], "workshops": [], "documents": [],
        "instalments": [], "reports": [], "review": None, "open_data": None, "emails": {},
    })
    view = ReportForm(definition=definition, path=edition.path, source=edition.source, report=report, base=edition)
    if len(_VIEWS) > 256:  # revisions are few; a long-lived process reloading often keeps the latest
        _VIEWS.clear()
    _VIEWS[cache_key] = view
    return view
