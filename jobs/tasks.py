"""The tasks that run after a commit, by name; each loads what it needs by id and commits its own work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app

TASKS: dict[str, Callable[..., Any]] = {}
WORKER_STARTS: list[Callable[[], None]] = []  # what a jobs worker starts beside its first jobs


def task(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a task under `name`, by the package that owns the work (documents, mail, staff), so jobs
    imports none of them; the app imports those modules (app.load_registrations) before any job runs."""
    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        TASKS[name] = function
        return function
    return register


def on_worker_start(function: Callable[[], None]) -> Callable[[], None]:
    """Register what a jobs worker starts as it starts (documents: its warm LibreOffice), by the package
    that owns it, so jobs imports none of them."""
    WORKER_STARTS.append(function)
    return function


def run_jobs_in_worker(ids: list[int]) -> None:
    """The entry point RQ calls, inside the app context of `flask --app app jobs worker`.

    A failure is raised, so that RQ records it and retries it; the rows say which job failed and why.
    """
    from rq import get_current_job

    from jobs.runner import JobsFailed, run_jobs

    rq_job = get_current_job()
    failed = run_jobs(current_app._get_current_object(), ids, will_retry=bool(rq_job and rq_job.retries_left))
    if failed:
        raise JobsFailed(f"job(s) {failed} failed: see `flask --app app jobs status --failed`")
