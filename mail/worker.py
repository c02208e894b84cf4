"""Run the sender: a thread inside the app (embedded default) or a loop of its own (`flask mail worker`).

The thread is started by the first request the app serves, not by create_app: CLI commands never
start it, and under `flask run --debug` only the reloader's child (the process that serves) does.
A commit that queued mail wakes the sender at once; otherwise it looks every MAIL_POLL_SECONDS.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from mail.outbox import ENQUEUED_FLAG
from mail.sender import deliver_pending

log = logging.getLogger(__name__)

_wake = threading.Event()
_start_lock = threading.Lock()

def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the messages are not committed yet
        return
    if session.info.pop(ENQUEUED_FLAG, False):
        _wake.set()


def _after_rollback(session: Session) -> None:
    session.info.pop(ENQUEUED_FLAG, None)


def _listen_for_commits() -> None:
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)


class BackgroundSender:
    """A daemon thread that delivers the outbox of one app until stopped."""

    def __init__(self, app: Flask, interval: float):
        self.app = app
        self.interval = interval
        self._stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="mail-sender", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout: float = 30) -> None:
        """Finish the message in hand, then stop."""
        self._stopping.set()
        _wake.set()
        self.thread.join(timeout)

    @property
    def running(self) -> bool:
        return self.thread.is_alive() and not self._stopping.is_set()

    def _run(self) -> None:
        log.info("mail sender started (every %ss and after each commit that queues mail)", self.interval)
        while not self._stopping.is_set():
            _wake.clear()
            run_pass(self.app)
            _run_left_behind_jobs(self.app)
            _wake.wait(self.interval)


def _run_left_behind_jobs(app: Flask) -> None:
    """Without Redis, this thread also runs the jobs a stopped process left behind (jobs.relay)."""
    if app.config.get("REDIS_URL") or not app.config.get("JOBS_IN_THREADS", True):
        return
    from jobs.relay import run_left_behind

    try:
        run_left_behind(app)
    except Exception:
        log.exception("jobs left behind could not be run; trying again shortly")


def run_pass(app: Flask, limit: int | None = 200) -> bool:
    """Deliver one batch in a fresh app context; log, never raise, so the loop survives a bad moment.

    Return True when the batch was full: more messages are due, the next pass should start at once.
    """
    with app.app_context():
        try:
            report = deliver_pending(limit=limit)
        except Exception:
            log.exception("mail sender pass failed; trying again shortly")
            return False
        if report.attempted or report.interrupted or report.released:
            log.info("mail sender: %s", report)
        return limit is not None and report.attempted >= limit


def start_background_sender(app: Flask) -> BackgroundSender:
    """Start the app's sender thread once (later calls return the running one)."""
    with _start_lock:
        sender = app.extensions.get("mail_sender")
        if sender is not None and sender.running:
            return sender
        _listen_for_commits()
        sender = BackgroundSender(app, float(app.config.get("MAIL_POLL_SECONDS", 2)))
        app.extensions["mail_sender"] = sender
        sender.start()
        return sender


def start_with_first_request(app: Flask) -> None:
    """Arrange for the sender thread to start when this app serves its first request."""

    @app.before_request
    def _start_mail_sender() -> None:
        if "mail_sender" not in app.extensions:
            start_background_sender(app)


def run_worker(app: Flask, interval: float, stop: threading.Event) -> None:
    """The loop of `flask mail worker`: a pass every `interval` seconds until `stop` is set."""
    log.info("mail worker started, a pass every %ss", interval)
    while not stop.is_set():
        if not run_pass(app):
            stop.wait(interval)
    log.info("mail worker stopped")
