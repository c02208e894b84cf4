"""A real SMTP server on loopback for the tests: aiosmtpd, collecting what it accepts, parsed by `email`.

It can refuse chosen recipients (a 550 for a mailbox that does not exist, a 451 for a passing trouble),
and be stopped and started again on the same port to play an outage.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Received:
    """One message as the server got it: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return BytesParser(policy=policy.default).parsebytes(self.data)  # type: ignore[return-value]


class Handler:
    """Accept every message, except for the recipients given a refusal in `refusals` (address → reply)."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refusals: dict[str, str] = {}
        self.lock = threading.Lock()

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        reply = self.refusals.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"


class SMTPServer:
    """A loopback SMTP server on a fixed free port; `stop()` then `start()` plays an outage."""

    def __init__(self, port: int | None = None) -> None:
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self.handler = Handler()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.handler, hostname=self.host, port=self.port, ready_timeout=10)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def refuse(self, address: str, reply: str = "550 5.1.1 Mailbox unavailable: no such user") -> None:
        """Refuse `address` at RCPT with `reply` (a 5xx is final, a 4xx asks to try later)."""
        self.handler.refusals[address.lower()] = reply

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    @property
    def messages(self) -> list[EmailMessage]:
        return [r.message for r in self.received]

    def to(self, address: str) -> list[EmailMessage]:
        """The messages whose envelope names `address`."""
        return [r.message for r in self.received if address.lower() in (a.lower() for a in r.rcpt_tos)]
