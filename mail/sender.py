"""Deliver the outbox: claim each due message, build it, send it, record the outcome; retry with growing delays.

Exactly once, as far as SMTP allows. A message is claimed "preparing" (committed), its attachments are
built (LibreOffice included) and committed, then the SMTP conversation runs up to the end of the body.
Only then is it marked "sending" (committed) and the final "." sent. A sender that dies before that
commit leaves a message the server never got: after MAIL_PREPARE_TIMEOUT it goes back to the queue.
The one uncertain window is from that commit to the recorded "sent" (the final "." and the server's
reply): a message left "sending" after MAIL_SENDING_TIMEOUT, or whose connection dropped inside that
window, is marked failed with a note; staff check with the recipient before `flask --app app mail
requeue ID`. The Message-ID stays the same, so a receiver that saw a first copy can drop a second.

An outage is not a failure of each message: when the server cannot be reached, refuses the connection
or drops it before a message was handed over, that message goes back to the queue untouched and the pass
stops (the queue is paused). The next pass, every MAIL_POLL_SECONDS, is the probe: as soon as the server
answers, the whole backlog goes out over one connection.

Claiming works with several senders at once: SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL; on SQLite
(which ignores row locks) a conditional UPDATE from pending to preparing lets exactly one sender win.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import smtplib
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_mail import Message
from sqlalchemy import exists, select, update

import ledger
from jobs.heartbeat import heartbeat
from jobs.tasks import task
from kill_points import kill_point
from mail.attachments import AttachmentError, resolve_attachments
from mail.late_links import replace_late_sign_in_link
from mail.local import keep_locally
from mail.transport import BadHeaderError, SmtpConnection, build_message, open_smtp
from models import OutboxMessage, db
from models.outbox import FAILED, PENDING, PREPARING, SENDING, SENT
from timekeeping import now

log = logging.getLogger(__name__)

# After the n-th failed try, wait RETRY_DELAYS[n-1]; after the last, the message has failed (≈ 45 h in all).
RETRY_DELAYS = tuple(dt.timedelta(minutes=m) for m in (1, 5, 30, 120, 360, 720, 1440))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1

INTERRUPTED = ("Envoi interrompu (arrêt du processus d'envoi) : le message a peut-être été remis. "
               "Vérifiez auprès du destinataire avant de le renvoyer.")
CUT_OFF = ("Connexion perdue juste après la remise du message au serveur, avant sa réponse : le message a "
           "peut-être été remis. Vérifiez auprès du destinataire avant de le renvoyer.")
STALLED = "Préparation interrompue (arrêt du processus d'envoi) : rien n'avait été remis, nouvel essai."


class HardFailure(Exception):
    """A refusal that no retry will change (a 5xx for the recipients or the content)."""


class ServerUnavailable(Exception):
    """The server cannot be reached or dropped the connection before the message was handed over."""


class Uncertain(Exception):
    """The connection failed after the end of the message was sent: the server may have it."""


class Superseded(Exception):
    """This sender took too long preparing: another one claimed the message since."""


@dataclass
class DeliveryReport:
    """What one pass did."""

    sent: int = 0
    retried: int = 0  # failed this time, tried again later
    failed: int = 0  # failed for good (hard refusal, last try, or possibly delivered)
    interrupted: int = 0  # left "sending" by a sender that died, now marked failed
    released: int = 0  # left "preparing" by a sender that died, back in the queue
    paused: str | None = None  # the server is unavailable: why; the queue waits for it as a whole

    @property
    def attempted(self) -> int:
        return self.sent + self.retried + self.failed

    def __str__(self) -> str:
        text = (f"{self.sent} envoyé(s), {self.retried} à réessayer, {self.failed} en échec, "
                f"{self.interrupted} interrompu(s)")
        return text + (f" ; file en pause : {self.paused}" if self.paused else "")


@task("mail.deliver")  # one pass of the outbox (the mail worker also passes on its own every few seconds)
def deliver_pending(limit: int | None = None) -> DeliveryReport:
    """Send the due messages (at most `limit`), committing each outcome; safe to run in several processes."""
    if ledger.mail_paused():  # after a restore, until staff resume (`flask --app app mail resume`)
        return DeliveryReport()
    report = DeliveryReport(interrupted=settle_interrupted(), released=release_stalled())
    by_smtp = bool(current_app.config.get("MAIL_SERVER"))
    connection: SmtpConnection | None = None
    try:
        while limit is None or report.attempted < limit:
            if by_smtp and connection is None:
                if not _anything_due():
                    break
                connection = _connect()
            message = claim_next()
            if message is None:
                break
            connection = _deliver_one(message, connection, by_smtp, report)
    except ServerUnavailable as exc:
        report.paused = str(exc)
        log.warning("mail server unavailable, the queue waits for it: %s", exc)
    finally:
        _close(connection)
    return report


def _deliver_one(message: OutboxMessage, connection: SmtpConnection | None, by_smtp: bool,
                 report: DeliveryReport) -> SmtpConnection | None:
    """Build and send one claimed message, record the outcome; return the connection still usable."""
    claim = message.attempts  # the claim counted a try: a sender that took over since counted another
    # read now: each commit below expires the row, and reading it back would cost a query each time
    message_id, sent_id = message.id, message.message_id
    try:
        with _preparing(message_id, claim):
            if replace_late_sign_in_link(message):
                log.warning("sign-in link %s held too long by an outage: sent as « ask again »", message.id)
            mime = build_message(message, resolve_attachments(message.attachments or []))
            db.session.commit()  # the documents made for it are kept whatever happens next
            kill_point("mail-before-smtp")
            if not by_smtp:
                via = _keep_locally(message, mime)
            else:
                via = _send_smtp(connection, message, mime, lambda: _hand_over(message_id, claim))
    except ServerUnavailable:
        _release(message.id)
        raise
    except Superseded:
        db.session.rollback()
        log.warning("mail %s was claimed by another sender while this one prepared it", message.id)
        _drop(connection)  # the server holds a body without its final ".": closing discards it
        return None
    except Uncertain as exc:
        _record_failure(message, f"{CUT_OFF} ({exc})", final=True, report=report)
        _drop(connection)
        return None
    except HardFailure as exc:
        _record_failure(message, str(exc), final=True, report=report)
    except (AttachmentError, smtplib.SMTPException, OSError) as exc:
        _record_failure(message, _describe(exc), final=False, report=report)
    except Exception as exc:  # a document that fails to render, a bug: retried, then failed and shown
        log.exception("mail %s (%s) could not be built", message.id, message.kind)
        _record_failure(message, f"Erreur interne : {_describe(exc)}", final=False, report=report)
    else:
        kill_point("mail-after-data")
        _record_sent(message, sent_id, via, report)
    if connection is not None and getattr(connection.host, "sock", None) is None:
        _drop(connection)  # closed after a 421: the next message opens a new connection
        return None
    return connection


def claim_next() -> OutboxMessage | None:
    """Take the next due message, mark it "preparing" and commit; None when nothing is due."""
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
            .values(status=PREPARING, claimed_at=at, attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        if claimed == 1:
            return message  # expired by the commit: its attributes are read afresh
        # another sender took it between our read and our update (SQLite): look again


def _preparing(message_id: int, claim: int):
    """Keep re-stamping the claim while this sender prepares the message: a sender alive is never overtaken."""
    timeout = float(current_app.config.get("MAIL_PREPARE_TIMEOUT", 30))
    statement = lambda: (update(OutboxMessage)  # noqa: E731
                         .where(OutboxMessage.id == message_id, OutboxMessage.status == PREPARING,
                                OutboxMessage.attempts == claim).values(claimed_at=now()))
    return heartbeat(db.engine, statement, every=timeout / 3)


def _hand_over(message_id: int, claim: int) -> None:
    """Record that the message is about to reach the server ("sending"); refuse if another sender took it."""
    handed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == PREPARING, OutboxMessage.attempts == claim)
        .values(status=SENDING, claimed_at=now())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if handed != 1:
        raise Superseded


def _release(message_id: int) -> None:
    """Put back a message the server never got because it was unavailable: not a try of the message."""
    db.session.rollback()
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == PREPARING)
        .values(status=PENDING, claimed_at=None, attempts=OutboxMessage.attempts - 1)
        .execution_options(synchronize_session=False))
    db.session.commit()


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


def release_stalled() -> int:
    """Requeue the messages whose claim was not re-stamped for MAIL_PREPARE_TIMEOUT: their sender died.

    The try counts, so a message whose preparation kills its sender every time ends failed, not in a loop.
    """
    cutoff = now() - dt.timedelta(seconds=float(current_app.config.get("MAIL_PREPARE_TIMEOUT", 30)))
    stalled = (OutboxMessage.status == PREPARING, OutboxMessage.claimed_at < cutoff)
    db.session.execute(
        update(OutboxMessage).where(*stalled, OutboxMessage.attempts >= MAX_ATTEMPTS)
        .values(status=FAILED, last_error=STALLED).execution_options(synchronize_session=False))
    released = db.session.execute(
        update(OutboxMessage).where(*stalled)
        .values(status=PENDING, claimed_at=None, next_attempt_at=now(), last_error=STALLED)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if released:
        log.warning("%d message(s) left 'preparing' by an interrupted sender put back in the queue", released)
    return released


def retry_delay(attempts: int) -> dt.timedelta | None:
    """The wait after the `attempts`-th failed try, or None when that was the last try."""
    return RETRY_DELAYS[attempts - 1] if attempts < MAX_ATTEMPTS else None


def _anything_due() -> bool:
    due = exists().where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now())
    return bool(db.session.execute(select(due)).scalar())


def _connect() -> SmtpConnection:
    connection = open_smtp()
    try:
        connection.__enter__()
    except (smtplib.SMTPException, OSError) as exc:
        raise ServerUnavailable(f"Serveur de messagerie injoignable : {_describe(exc)}") from None
    return connection


def _close(connection: SmtpConnection | None) -> None:
    if connection is not None:
        connection.__exit__(None, None, None)


def _drop(connection: SmtpConnection | None) -> None:
    """Close the socket without a QUIT, which a server in the middle of a message would take as text."""
    if connection is not None and connection.host is not None:
        connection.host.close()
        connection.host = None


def _send_smtp(connection: SmtpConnection, message: OutboxMessage, mime: Message,
               hand_over: Callable[[], None]) -> str:
    """Send over the open connection; sort SMTP errors into hard refusals, outages and passing troubles."""
    handed: list[bool] = []

    def record_hand_over() -> None:
        hand_over()
        handed.append(True)

    try:
        refused = connection.deliver(mime, before_end_of_data=record_hand_over)
    except BadHeaderError as exc:
        raise HardFailure(f"En-tête invalide : {exc}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        text = "Destinataire refusé : " + _refusals(exc.recipients)
        if all(code >= 500 for code in codes):
            raise HardFailure(text) from None
        raise smtplib.SMTPException(text) from None
    except smtplib.SMTPResponseException as exc:  # the server answered with a code: it did not take the message
        if exc.smtp_code == 421 and not handed:
            raise ServerUnavailable(f"Serveur de messagerie indisponible : {_describe(exc)}") from None
        if exc.smtp_code >= 500:
            raise HardFailure(f"Message refusé par le serveur : {_describe(exc)}") from None
        raise
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        if handed:
            raise Uncertain(_describe(exc)) from None
        raise ServerUnavailable(f"Connexion au serveur perdue : {_describe(exc)}") from None
    if refused:
        message.last_error = "Remis, sauf à : " + _refusals(refused)
    return connection.description


def sign_in_links_in_log() -> bool:
    """The embedded default writes sign-in links in its log (README); production logs (LOG_JSON) never do."""
    setting = current_app.config.get("LOG_SIGN_IN_LINKS")
    return not current_app.config.get("LOG_JSON") if setting is None else bool(setting)


def _keep_locally(message: OutboxMessage, mime: Message) -> str:
    """The embedded default: write the message as an .eml file and say where in the log."""
    path = keep_locally(mime.as_bytes(), message.id, message.kind)
    links = re.findall(r"https?://\S+", message.text_body) if message.kind == "sign_in_link" and \
        sign_in_links_in_log() else []
    log.info("mail kept locally (no MAIL_SERVER): to=%s subject=%r file=%s%s", ", ".join(message.to),
             message.subject, path, "".join(f" link={link}" for link in links))
    return path.name


def _record_sent(message: OutboxMessage, sent_id: str, via: str, report: DeliveryReport) -> None:
    """Mark the message sent (`sent_id`: its Message-ID, read before the commits that expired the row)."""
    ledger.record_sent(sent_id)  # outside the database: a restored snapshot will not send it again
    message.status, message.sent_at, message.delivered_via = SENT, now(), via
    db.session.commit()
    report.sent += 1


def _record_failure(message: OutboxMessage, error: str, final: bool, report: DeliveryReport) -> None:
    """Schedule the next try, or mark the message failed when the refusal is final or tries are spent."""
    db.session.rollback()  # drop whatever the failed try left half-done (a partial note)
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
