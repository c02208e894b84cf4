"""A local SMTP sink for the rush (aiosmtpd on a spare loopback port): when each message arrived, by Message-ID.

Only the headers are parsed (the attachments are not needed to tell which message it is), so the sink costs
little CPU beside the workers it measures.
"""

from __future__ import annotations

import threading
import time
from email.parser import BytesHeaderParser

from aiosmtpd.controller import Controller

from bench.servers import free_port


class _Handler:
    def __init__(self) -> None:
        self.arrivals: list[tuple[str, str, float]] = []  # (Message-ID, X-Appels-Kind, epoch seconds)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        headers = BytesHeaderParser().parsebytes(bytes(envelope.content))
        with self.lock:
            self.arrivals.append((str(headers.get("Message-ID", "")).strip(), str(headers.get("X-Appels-Kind", "")),
                                  time.time()))
        return "250 Message accepted for delivery"


class Sink:
    """Start with `with Sink() as sink:`; `sink.port`, `sink.arrivals()`."""

    def __init__(self) -> None:
        self.port = free_port()
        self._handler = _Handler()
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> Sink:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()

    def arrivals(self) -> list[tuple[str, str, float]]:
        with self._handler.lock:
            return list(self._handler.arrivals)
