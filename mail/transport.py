"""Turn an outbox row into a Flask-Mail message and hand it to the SMTP server.

Settings are read when a pass starts (MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS, MAIL_USE_SSL, MAIL_USERNAME,
MAIL_PASSWORD, MAIL_TIMEOUT), so a worker picks up the current configuration. Delivery is not
suppressed in tests: the suite sends to a real SMTP server on loopback.
"""

from __future__ import annotations

import re
import smtplib
import socket
from collections.abc import Callable

from flask import current_app
from flask_mail import BadHeaderError, Connection, Message, sanitize_address, sanitize_addresses

from extensions import mail
from kill_points import kill_point
from mail.attachments import ResolvedAttachment
from models import OutboxMessage
from timekeeping import now

__all__ = ["BadHeaderError", "SmtpConnection", "build_message", "open_smtp"]


def build_message(outbox: OutboxMessage, attachments: list[ResolvedAttachment]) -> Message:
    """Build the MIME message: text and HTML parts, attachments, and the outbox's stable Message-ID."""
    message = Message(subject=outbox.subject, recipients=list(outbox.to), cc=list(outbox.cc or []),
                      sender=current_app.config["MAIL_DEFAULT_SENDER"],
                      body=outbox.text_body, html=outbox.html_body, reply_to=outbox.reply_to,
                      date=now().timestamp(),
                      extra_headers={"Auto-Submitted": "auto-generated", "X-Appels-Kind": outbox.kind})
    message.msgId = outbox.message_id
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content_type, attachment.data)
    return message


class SmtpConnection(Connection):
    """A Flask-Mail connection with a timeout, reporting the recipients the server refused."""

    def configure_host(self) -> smtplib.SMTP | smtplib.SMTP_SSL:
        timeout = float(current_app.config.get("MAIL_TIMEOUT", 30))
        kind = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = kind(self.mail.server, self.mail.port, timeout=timeout)
        try:
            # The end of a message goes out in small writes after its body (see `deliver`): with Nagle's
            # algorithm each waited for the server's delayed acknowledgement, about 40 ms a message.
            host.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.mail.use_tls:
                host.starttls()
            if self.mail.username and self.mail.password:
                host.login(self.mail.username, self.mail.password)
        except BaseException:
            host.close()
            raise
        return host

    def __exit__(self, exc_type, exc_value, tb) -> None:
        """Say goodbye politely, but never let a dead server turn a sent message into an error."""
        if self.host is not None:
            try:
                self.host.quit()
            except (smtplib.SMTPException, OSError):
                self.host.close()
            self.host = None

    def deliver(self, message: Message, before_end_of_data: Callable[[], None]) -> dict[str, tuple[int, bytes]]:
        """Send one message; return the recipients refused while others were accepted.

        The conversation is smtplib's `sendmail`, with one difference: the body goes out without its final
        "." and `before_end_of_data` runs (the sender records that the message is in the server's hands)
        before that "." is sent. Until then the server delivers nothing, so any failure is safe to retry.
        """
        if message.has_bad_headers():
            raise BadHeaderError("a header holds a line break")
        host, data = self.host, message.as_bytes()
        sender, recipients = sanitize_address(message.sender), list(sanitize_addresses(message.send_to))
        host.ehlo_or_helo_if_needed()
        options = [f"size={len(data)}"] if host.does_esmtp and host.has_extn("size") else []
        code, reply = host.mail(sender, options)
        if code != 250:
            _reset(host, code)
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused = {}
        for recipient in recipients:
            code, reply = host.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, reply)
            if code == 421:
                host.close()
                raise smtplib.SMTPRecipientsRefused(refused)
        if len(refused) == len(recipients):
            _reset(host, 0)
            raise smtplib.SMTPRecipientsRefused(refused)
        host.putcmd("data")
        code, reply = host.getreply()
        if code != 354:
            _reset(host, code)
            raise smtplib.SMTPDataError(code, reply)
        body = re.sub(rb"(?m)^\.", b"..", data)
        body = body if body.endswith(b"\r\n") else body + b"\r\n"
        host.send(body[: len(body) // 2])
        kill_point("mail-during-data")
        host.send(body[len(body) // 2:])
        before_end_of_data()
        host.send(b".\r\n")
        code, reply = host.getreply()
        if code != 250:
            _reset(host, code)
            raise smtplib.SMTPDataError(code, reply)
        return refused

    @property
    def description(self) -> str:
        return f"smtp {self.mail.server}:{self.mail.port}"


def _reset(host: smtplib.SMTP, code: int) -> None:
    """Leave the connection ready for the next message, or closed after a 421 (the server is leaving)."""
    if code == 421:
        host.close()
        return
    try:
        host.rset()
    except smtplib.SMTPServerDisconnected:
        pass


def open_smtp() -> SmtpConnection:
    """Make a connection from the current settings (use it as a context manager)."""
    state = mail.init_mail(current_app.config, current_app.debug, testing=False)
    state.suppress = False  # without MAIL_SERVER the sender keeps messages locally instead
    return SmtpConnection(state)
