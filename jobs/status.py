"""What staff and the CLI read about the jobs: counts by state and the failed ones with their reason."""

from __future__ import annotations

from sqlalchemy import func, select

from models import db
from models.jobs import FAILED, JOB_STATUSES, Job


def job_counts() -> dict[str, int]:
    """How many jobs are in each state (every state present, zero included)."""
    counts = dict(db.session.execute(select(Job.status, func.count()).group_by(Job.status)).all())
    return {status: counts.get(status, 0) for status in JOB_STATUSES}


def failed_jobs(limit: int = 200) -> list[Job]:
    """The failed jobs, newest first."""
    return list(db.session.execute(
        select(Job).where(Job.status == FAILED).order_by(Job.id.desc()).limit(limit)).scalars())
