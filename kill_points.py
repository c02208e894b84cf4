"""Named points where the fault-injection suite (tests/faults/) makes a worker die, as a power cut would.

`kill_point("mail-before-smtp")` does nothing unless the process runs with the setting FAULT_INJECTION
(never set in production) and the environment variable APPELS_KILL_AT names that point: then the process
sends itself SIGKILL there, leaving whatever half-done state a real crash would leave.
"""

from __future__ import annotations

import os
import signal

from flask import current_app, has_app_context


def kill_point(name: str) -> None:
    """Die here, at once and without cleaning up, when the fault-injection suite asks for it."""
    if os.environ.get("APPELS_KILL_AT") != name:
        return
    if has_app_context() and current_app.config.get("FAULT_INJECTION"):
        os.kill(os.getpid(), signal.SIGKILL)
