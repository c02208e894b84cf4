"""Turn an outbox row into a Flask-Mail message and hand it to the SMTP server.

Settings are read when a pass starts (MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS, MAIL_USE_SSL, MAIL_USERNAME,
MAIL_PASSWORD, MAIL_TIMEOUT), so a worker picks up the current configuration. Delivery is not
suppressed in tests: the suite sends to a real SMTP server on loopback.
"""

from __future__ import annotations

import smtplib

from flask import current_app
from flask_mail import BadHeaderError, Connection, Message, sanitize_address, sanitize_addresses

from extensions import mail
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

    def deliver(self, message: Message) -> dict[str, tuple[int, bytes]]:
        """Send one message; return the recipients refused while others were accepted."""
        if message.has_bad_headers():
            raise BadHeaderError("a header holds a line break")
        return self.host.sendmail(sanitize_address(message.sender), list(sanitize_addresses(message.send_to)),
                                  message.as_bytes())

    @property
    def description(self) -> str:
        return f"smtp {self.mail.server}:{self.mail.port}"


def open_smtp() -> SmtpConnection:
    """Make a connection from the current settings (use it as a context manager)."""
    state = mail.init_mail(current_app.config, current_app.debug, testing=False)
    state.suppress = False  # without MAIL_SERVER the sender keeps messages locally instead
    return SmtpConnection(state)
