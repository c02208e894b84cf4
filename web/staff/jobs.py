"""The jobs page: how much background work waits, runs or failed, and why it failed."""

from __future__ import annotations

from flask import render_template

from jobs.status import failed_jobs, job_counts
from models.jobs import JOB_STATUS_LABELS
from web.staff import bp
from web.staff.access import manage_required


@bp.get("/taches")
@manage_required
def jobs():
    return render_template("staff/jobs.html", counts=job_counts(), labels=JOB_STATUS_LABELS, failed=failed_jobs())
