"""The back-office's entry and the dashboard of an edition."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from flask_login import current_user

from dossiers import permissions
from staff.stats import edition_stats
from web.staff import bp
from web.staff.access import edition_or_404, manage_required
from web.staff.chart import bar_chart


@bp.get("/")
def home():
    """The jury go to their dossiers; the team to the list of editions."""
    if permissions.is_jury(current_user):
        return redirect(url_for("staff.my_reviews"))
    editions = current_app.extensions["editions"].all()
    return render_template("staff/home.html", editions=editions,
                           stats={e.id: edition_stats(e) for e in editions})


@bp.get("/editions/<edition_id>")
@manage_required
def dashboard(edition_id: str):
    edition = edition_or_404(edition_id)
    stats = edition_stats(edition)
    return render_template("staff/dashboard.html", edition=edition, stats=stats, chart=bar_chart(stats.per_day))
