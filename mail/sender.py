"""Deliver the outbox: claim each due message, send it, record the outcome; retry with growing delays.

At most once. A message is marked "sending" and committed before it is handed to SMTP, then marked
"sent". If the process dies between the two, nobody knows whether the server got it: such a message,
still "sending" after MAIL_SENDING_TIMEOUT, is marked failed with a note for staff, who check with the
recipient before sending it again (`flask --app app mail requeue ID`). Sending it twice silently would be
worse for a decision or a convention than a visible failure; and the Message-ID stays the same, so a
receiver that saw the first copy can drop a second one.

Claiming works with several senders at once: SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL; on SQLite
(which ignores row locks) a conditional UPDATE from pending to sending lets exactly one sender win.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import smtplib
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, update

from mail.attachments import AttachmentError, resolve_attachments
from mail.local import keep_locally
from mail.transport import BadHeaderError, SmtpConnection, build_message, open_smtp
from models import OutboxMessage, db
from models.outbox import FAILED, PENDING, SENDING, SENT
from timekeeping import now

log = logging.getLogger(__name__)

# After the n-th failed try, wait RETRY_DELAYS[n-1]; after the last, the message has failed (≈ 45 h in all).
RETRY_DELAYS = tuple(dt.timedelta(minutes=m) for m in (1, 5, 30, 120, 360, 720, 1440))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1

INTERRUPTED = ("Envoi interrompu (arrêt du processus d'envoi) : le message a peut-être été remis. "
               "Vérifiez auprès du destinataire avant de le renvoyer.")


class HardFailure(Exception):
    """A refusal that no retry will change (a 5xx for the recipients or the content)."""


class ServerUnavailable(Exception):
    """The server cannot be reached or dropped the connection: retry later, stop this pass."""


@dataclass
class DeliveryReport:
    """What one pass did."""

    sent: int = 0
    retried: int = 0  # failed this time, tried again later
    failed: int = 0  # failed for good (hard refusal or last try)
    interrupted: int = 0  # left "sending" by a sender that died, now marked failed

    @property
    def attempted(self) -> int:
        return self.sent + self.retried + self.failed

    def __str__(self) -> str:
        return (f"{self.sent} envoyé(s), {self.retried} à réessayer, {self.failed} en échec, "
                f"{self.interrupted} interrompu(s)")


def deliver_pending(limit: int | None = None) -> DeliveryReport:
    """Send the due messages (at most `limit`), committing each outcome; safe to run in several processes."""
    report = DeliveryReport(interrupted=settle_interrupted())
    connection: SmtpConnection | None = None
    try:
        while limit is None or report.attempted < limit:
            message = claim_next()
            if message is None:
                break
            try:
                if current_app.config.get("MAIL_SERVER"):
                    connection = connection or _connect()
                    via = _send_smtp(connection, message)
                else:
                    via = _keep_locally(message)
            except HardFailure as exc:
                _record_failure(message, str(exc), final=True, report=report)
            except ServerUnavailable as exc:
                _record_failure(message, str(exc), final=False, report=report)
                if connection is not None:
                    connection.__exit__(None, None, None)
                break  # the server is down: leave the other messages pending for the next pass
            except (AttachmentError, smtplib.SMTPException, OSError) as exc:
                _record_failure(message, _describe(exc), final=False, report=report)
            except Exception as exc:  # a document that fails to render, a bug: retried, then failed and shown
                log.exception("mail %s (%s) could not be built", message.id, message.kind)
                _record_failure(message, f"Erreur interne : {_describe(exc)}", final=False, report=report)
            else:
                _record_sent(message, via, report)
    finally:
        if connection is not None:
            connection.__exit__(None, None, None)
    return report


def claim_next() -> OutboxMessage | None:
    """Take the next due message, mark it "sending" and commit; None when nothing is due."""
    while True:
        at = now()
        query = (select(OutboxMessage)
                 .where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= at)
                 .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                 .limit(1).with_for_update(skip_locked=True))
        message = db.session.execute(query).scalar_one_or_none()
        if message is None:
            db.session.commit()
            return None
        claimed = db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message.id, OutboxMessage.status == PENDING)
            .values(status=SENDING, claimed_at=at, attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        if claimed == 1:
            return message  # expired by the commit: its attributes are read afresh
        # another sender took it between our read and our update (SQLite): look again


def settle_interrupted() -> int:
    """Mark failed the messages left "sending" longer than MAIL_SENDING_TIMEOUT (see the module docstring)."""
    cutoff = now() - dt.timedelta(seconds=float(current_app.config.get("MAIL_SENDING_TIMEOUT", 600)))
    stale = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == SENDING, OutboxMessage.claimed_at < cutoff)
        .values(status=FAILED, last_error=INTERRUPTED)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if stale:
        log.warning("%d message(s) left 'sending' by an interrupted sender marked failed", stale)
    return stale


def retry_delay(attempts: int) -> dt.timedelta | None:
    """The wait after the `attempts`-th failed try, or None when that was the last try."""
    return RETRY_DELAYS[attempts - 1] if attempts < MAX_ATTEMPTS else None


def _connect() -> SmtpConnection:
    connection = open_smtp()
    try:
        connection.__enter__()
    except (smtplib.SMTPException, OSError) as exc:
        raise ServerUnavailable(f"Serveur de messagerie injoignable : {_describe(exc)}") from None
    return connection


def _send_smtp(connection: SmtpConnection, message: OutboxMessage) -> str:
    """Send over the open connection; sort SMTP errors into hard refusals, outages and passing troubles."""
    mime = build_message(message, resolve_attachments(message.attachments or []))
    try:
        refused = connection.deliver(mime)
    except BadHeaderError as exc:
        raise HardFailure(f"En-tête invalide : {exc}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        text = "Destinataire refusé : " + _refusals(exc.recipients)
        if all(code >= 500 for code in codes):
            raise HardFailure(text) from None
        raise smtplib.SMTPException(text) from None
    except smtplib.SMTPDataError as exc:
        if exc.smtp_code >= 500:
            raise HardFailure(f"Message refusé par le serveur : {_describe(exc)}") from None
        raise
    except smtplib.SMTPServerDisconnected as exc:
        raise ServerUnavailable(f"Connexion au serveur perdue : {_describe(exc)}") from None
    except smtplib.SMTPException:
        raise  # a passing trouble with this message (4xx): tried again later
    except OSError as exc:
        raise ServerUnavailable(f"Connexion au serveur perdue : {_describe(exc)}") from None
    if refused:
        message.last_error = "Remis, sauf à : " + _refusals(refused)
    return connection.description


def sign_in_links_in_log() -> bool:
    """The embedded default writes sign-in links in its log (README); production logs (LOG_JSON) never do."""
    setting = current_app.config.get("LOG_SIGN_IN_LINKS")
    return not current_app.config.get("LOG_JSON") if setting is None else bool(setting)


def _keep_locally(message: OutboxMessage) -> str:
    """The embedded default: write the message as an .eml file and say where in the log."""
    mime = build_message(message, resolve_attachments(message.attachments or []))
    path = keep_locally(mime.as_bytes(), message.id, message.kind)
    links = re.findall(r"https?://\S+", message.text_body) if message.kind == "sign_in_link" and \
        sign_in_links_in_log() else []
    log.info("mail kept locally (no MAIL_SERVER): to=%s subject=%r file=%s%s", ", ".join(message.to),
             message.subject, path, "".join(f" link={link}" for link in links))
    return path.name


def _record_sent(message: OutboxMessage, via: str, report: DeliveryReport) -> None:
    message.status, message.sent_at, message.delivered_via = SENT, now(), via
    db.session.commit()
    report.sent += 1


def _record_failure(message: OutboxMessage, error: str, final: bool, report: DeliveryReport) -> None:
    """Schedule the next try, or mark the message failed when the refusal is final or tries are spent."""
    db.session.rollback()  # drop whatever the failed try left half-done (documents, a partial note)
    message = db.session.get(OutboxMessage, message.id)
    delay = None if final else retry_delay(message.attempts)
    message.last_error = error[:2000]
    if delay is None:
        message.status = FAILED
        report.failed += 1
        log.error("mail %s (%s to %s) failed: %s", message.id, message.kind, ", ".join(message.to), error)
    else:
        message.status, message.next_attempt_at = PENDING, now() + delay
        report.retried += 1
        log.warning("mail %s (%s) not sent, try %d, next at %s: %s", message.id, message.kind,
                    message.attempts, message.next_attempt_at.isoformat(timespec="seconds"), error)
    db.session.commit()


def _refusals(recipients: dict) -> str:
    return "; ".join(f"{address} ({code} {_text(reply)})" for address, (code, reply) in recipients.items())


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _describe(exc: BaseException) -> str:
    """One readable line for an error: SMTP code and reply, or the OS error."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
