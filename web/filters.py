"""Template filters and globals: French dates, amounts and sizes, state labels (of dossiers and of payment
lines), the edition registry."""

from __future__ import annotations

import datetime as dt

from flask import Flask, current_app, url_for
from markupsafe import Markup

import states
import timekeeping
from documents.generate import stored_size
from documents.specifications import specifications_size
from editions import deadline
from formatting import (
    format_amount,
    format_date,
    format_datetime,
    format_fingerprint,
    format_instant,
    format_moment,
    format_size,
    format_time,
    ordinal_suffix,
)
from forms.layout import gate_notices, group_total, group_totals, step_layout
from models import Report
from payments import line_states
from reports import lifecycle as report_states
from rich_text import to_html
from rules.computed import of_group


def init_app(app: Flask) -> None:
    app.add_template_filter(format_date, "date_fr")
    app.add_template_filter(format_datetime, "datetime_fr")
    app.add_template_filter(format_moment, "moment_fr")  # the date, and the hour when it is not midnight
    app.add_template_filter(format_amount, "amount_fr")
    app.add_template_filter(format_time, "time_fr")
    app.add_template_filter(format_size, "size_fr")
    app.add_template_filter(states.label, "state_label")
    app.add_template_filter(line_states.label, "payment_state_label")
    app.add_template_filter(_ordinal_html, "ordinal_fr")
    app.add_template_filter(format_instant, "instant_fr")
    app.add_template_filter(format_fingerprint, "fingerprint")
    app.add_template_filter(to_html, "markdown")  # the one renderer of staff text (rich_text)

    app.jinja_env.globals.update(step_layout=step_layout, group_total=group_total, group_totals=group_totals,
                                 gate_notices=gate_notices, totals_of=of_group)  # imported macros see globals
    # Download links give the weight of a file when it is known.
    app.jinja_env.globals.update(stored_size=stored_size, specifications_size=specifications_size)
    app.jinja_env.globals.update(annex_url=annex_url)
    app.add_template_filter(report_states.label, "report_state_label")
    app.jinja_env.globals.update(report_states=report_states, report_tag_class=report_states.tag_class)

    @app.context_processor
    def globals_():
        return {
            "editions": current_app.extensions["editions"],
            "states": states,
            "phase_of": deadline.phase,
            "now": timekeeping.now,
            "state_tag_class": _state_tag_class,
            "days_until": _days_until,
        }


def annex_url(record, stored) -> str:
    """The download address of an annex of `record`: a dossier's, or one of its reports' (fields macros draw both)."""
    if isinstance(record, Report):
        return url_for("applicant.report_annex", dossier_id=record.dossier_id, report_key=record.report_key,
                       file_id=stored.id)
    return url_for("applicant.annex", dossier_id=record.id, file_id=stored.id)


def _ordinal_html(number: int) -> Markup:
    """« 1<sup>re</sup> », « 2<sup>e</sup> » (formatting says which ending)."""
    return Markup("{}<sup>{}</sup>").format(int(number), ordinal_suffix(int(number)))


def _state_tag_class(state: str) -> str:
    """A DSFR tag modifier per state so a draft never looks submitted."""
    return {
        states.DRAFT: "fr-badge--warning",
        states.SUBMITTED: "fr-badge--success",
        states.INELIGIBLE: "fr-badge--error",
        states.NOT_SELECTED: "fr-badge--error",
        states.LAUREATE: "fr-badge--success",
        states.CLOSED: "fr-badge--success",
        states.ABANDONED: "fr-badge--error",
    }.get(state, "fr-badge--info")


def _days_until(instant: dt.datetime) -> int:
    return (instant - timekeeping.now()).days

