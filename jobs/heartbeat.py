"""Show that work in hand is alive: a thread re-stamps its row every few seconds until the work ends.

A row ("preparing" message, "running" job) whose stamp stops moving lost its process (killed, machine
down): others may take it over after a few missed beats, without waiting for a long timeout that a slow
but living LibreOffice conversion could reach.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator

from sqlalchemy.engine import Engine
from sqlalchemy.sql import Executable

log = logging.getLogger(__name__)


@contextlib.contextmanager
def heartbeat(engine: Engine, statement: Callable[[], Executable], every: float) -> Iterator[None]:
    """Run `statement()` (an UPDATE of the row's stamp) every `every` seconds while the block runs."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(every):
            try:
                with engine.begin() as connection:
                    connection.execute(statement())
            except Exception as exc:  # the database may be away a moment: the next beat tries again
                log.debug("heartbeat missed: %s", exc)

    thread = threading.Thread(target=beat, name="heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(every + 5)
