"""The jobs outbox: work that follows a commit, written in that same transaction, handed to RQ afterwards."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import JSONData, UTCDateTime, db
from timekeeping import now

WAITING = "waiting"  # recorded; not (yet) in the queue: Redis did not answer, or no worker took it
QUEUED = "queued"  # handed to RQ
RUNNING = "running"
DONE = "done"
FAILED = "failed"  # retries spent: listed for staff with the reason
JOB_STATUSES = (WAITING, QUEUED, RUNNING, DONE, FAILED)

JOB_STATUS_LABELS = {
    WAITING: "En attente de la file",
    QUEUED: "Dans la file",
    RUNNING: "En cours",
    DONE: "Faite",
    FAILED: "En échec",
}


class Job(db.Model):
    """One task to run after the commit that recorded it (see jobs.queue); it runs at most once to success."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(60))  # a name from jobs.tasks.TASKS
    args: Mapped[list[Any]] = mapped_column(JSONData, default=list)
    request_id: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(10), default=WAITING)
    rq_job_id: Mapped[str | None] = mapped_column(String(64))  # the RQ job it was last handed in
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    queued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    alive_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # re-stamped while it runs (jobs.heartbeat)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def status_label(self) -> str:
        return JOB_STATUS_LABELS.get(self.status, self.status)

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.task} {self.status}>"
