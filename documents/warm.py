"""The warm converter: one LibreOffice kept running per process and reused, restarted when it dies or hangs.

A cold `soffice --convert-to` pays LibreOffice's start (1.5–3 s) on every document; kept running, a dossier
converts in about a third of a second. Each process that converts (the jobs worker, a web worker, the embedded
app) owns at most one instance, so several workers convert in parallel, each on its own UNO pipe and its own
user profile. The instance is documents/uno_helper.py, run by LibreOffice's own Python (the `uno` module is
not importable from the app's virtualenv), which starts soffice in its own process group.

The rules, all here: a conversion whose LibreOffice died is retried once on a fresh instance; one that outlasts
its timeout has the instance killed (it is replaced by the next conversion) and fails; an instance that cannot
start raises WarmUnavailable, and the caller converts cold; after a failed start, the warm path is not tried
again for SOFFICE_RETRY_SECONDS. Profiles come from a pool under the scratch root, each held by an fcntl lock
passed on to LibreOffice, so a slot stays taken as long as its LibreOffice lives, even past our own death.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import logging
import os
import select
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from storage.scratch import process_folder, scratch_root

log = logging.getLogger(__name__)
HELPER = Path(__file__).with_name("uno_helper.py")
DEBIAN_PYTHON = "/usr/bin/python3"  # python3-uno installs `uno` for the system Python


class WarmUnavailable(RuntimeError):
    """The warm converter cannot run here (no `uno`, LibreOffice does not start): convert cold."""


class WarmTimeout(RuntimeError):
    """The warm LibreOffice did not answer in time: it has been killed; the document is not converted."""


class WarmFailed(RuntimeError):
    """LibreOffice, alive and well, could not convert this document."""


@dataclass(frozen=True)
class Setup:
    """What an instance is started with; processes with different setups (tests) get different instances."""

    soffice: str
    python: str | None  # None: found beside soffice, else Debian's
    start_timeout: float
    retry_seconds: float


def libreoffice_python(setup: Setup) -> str:
    """LibreOffice's own Python: the configured one, the one bundled beside soffice (TDF builds), or Debian's."""
    if setup.python:
        return setup.python
    bundled = Path(setup.soffice).resolve().parent / "python"
    return str(bundled) if bundled.exists() else DEBIAN_PYTHON


def _take_slot() -> tuple[int, int]:
    """The first profile of the warm pool no living LibreOffice holds, locked: (number, lock descriptor)."""
    folder = scratch_root() / "soffice-warm"
    folder.mkdir(mode=0o700, exist_ok=True)
    number = 0
    while True:
        handle = os.open(folder / f"{number}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return number, handle
        except BlockingIOError:
            os.close(handle)
            number += 1


class WarmConverter:
    """One LibreOffice of this process, converting one document at a time."""

    def __init__(self, setup: Setup):
        self.setup = setup
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None
        self.soffice_pid: int | None = None
        self.profile: Path | None = None
        self.starts = 0
        self.unavailable_until = 0.0
        self._buffer = b""

    # -- life cycle -------------------------------------------------------------------------------------------

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def ensure_started(self) -> None:
        """Start LibreOffice unless it runs; WarmUnavailable when it cannot (and for a while after)."""
        if self.running():
            return
        if time.monotonic() < self.unavailable_until:
            raise WarmUnavailable("the warm converter failed to start recently")
        try:
            self._start()
        except WarmUnavailable:
            self.unavailable_until = time.monotonic() + self.setup.retry_seconds
            raise

    def _start(self) -> None:
        self.kill()
        python = libreoffice_python(self.setup)
        if not Path(python).exists():
            raise WarmUnavailable(f"LibreOffice's Python not found: {python}")
        number, lock = _take_slot()
        profile = scratch_root() / "soffice-warm" / str(number)
        self.starts += 1
        pipe = f"appels-{os.getuid()}-{os.getpid()}-{number}-{self.starts}"
        log_path = process_folder() / f"soffice-warm-{number}.log"
        started = time.monotonic()
        try:
            with log_path.open("wb") as errors:
                # -I: LibreOffice's Python must ignore the app's PYTHONPATH / PYTHONHOME and user site
                self.process = subprocess.Popen(
                    [python, "-I", str(HELPER), "--soffice", self.setup.soffice, "--profile", str(profile),
                     "--pipe", pipe, "--lock-fd", str(lock)],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, start_new_session=True,
                    pass_fds=(lock,))
        except OSError as exc:
            raise WarmUnavailable(f"cannot run {python}: {exc}") from exc
        finally:
            os.close(lock)  # the helper, then LibreOffice, hold it
        self._buffer = b""
        try:
            ready = self._read(started + self.setup.start_timeout)
        except (WarmTimeout, EOFError) as exc:
            self.kill()
            raise WarmUnavailable(f"LibreOffice did not start ({exc}): {_tail(log_path)}") from None
        if not ready.get("ready"):
            self.kill()
            raise WarmUnavailable(f"LibreOffice did not start: {ready.get('error')} {_tail(log_path)}")
        self.soffice_pid, self.profile = ready["soffice"], profile
        log.info("warm LibreOffice started in %.1f s (pid %s, profile %s)", time.monotonic() - started,
                 self.soffice_pid, profile)

    def kill(self) -> None:
        """Stop the helper and its LibreOffice at once (the whole process group)."""
        process, self.process, self.soffice_pid = self.process, None, None
        if process is None:
            return
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def stop(self) -> None:
        """Ask the helper to close LibreOffice cleanly (it kills the rest after a few seconds)."""
        process = self.process
        if process is None:
            return
        try:
            process.stdin.close()
            process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()

    # -- conversions ------------------------------------------------------------------------------------------

    def convert(self, source: Path, target: Path, filter_name: str, options: dict[str, tuple[str, str]],
                timeout: float) -> None:
        """Write `target` from `source`; WarmUnavailable (convert cold), WarmTimeout or WarmFailed otherwise."""
        if not self.lock.acquire(timeout=timeout):
            raise WarmUnavailable("the warm converter stayed busy")
        try:
            request = {"source": str(source), "target": str(target), "filter": filter_name, "options": options}
            for attempt in (1, 2):
                self.ensure_started()
                try:
                    reply = self._ask(request, timeout)
                except EOFError:
                    reply = {"error": "the helper exited", "dead": True}
                if reply.get("ok"):
                    return
                if not reply.get("dead"):
                    raise WarmFailed(reply.get("error", "unknown error"))
                log.warning("warm LibreOffice died (%s): restarting it (attempt %d)", reply.get("error"), attempt)
                self.kill()
            raise WarmFailed(f"LibreOffice died twice in a row: {reply.get('error')}")
        finally:
            self.lock.release()

    def _ask(self, request: dict, timeout: float) -> dict:
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise EOFError from None
        try:
            return self._read(time.monotonic() + timeout)
        except WarmTimeout:
            log.warning("warm LibreOffice did not answer within %s s: killed, replaced at the next conversion",
                        timeout)
            self.kill()
            raise WarmTimeout(f"LibreOffice did not finish within {timeout:g} s") from None

    def _read(self, deadline: float) -> dict:
        """The helper's next reply line, waiting until `deadline` (monotonic) at most."""
        stream = self.process.stdout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([stream], [], [], left)[0]:
                raise WarmTimeout("no answer in time")
            chunk = os.read(stream.fileno(), 65536)
            if not chunk:
                raise EOFError("the helper exited")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)


def _tail(path: Path, size: int = 400) -> str:
    try:
        return path.read_bytes()[-size:].decode(errors="replace").strip()
    except OSError:
        return ""


# -- one instance per process and setup -------------------------------------------------------------------------

_instances: dict[tuple[int, Setup], WarmConverter] = {}
_registry_lock = threading.Lock()
_stopped_at_exit: set[int] = set()  # the processes that arranged to stop their instances at exit


def converter(setup: Setup) -> WarmConverter:
    """This process's instance for `setup` (a forked child never uses its parent's: it gets its own)."""
    with _registry_lock:
        key = (os.getpid(), setup)
        if key not in _instances:
            if os.getpid() not in _stopped_at_exit:
                _stopped_at_exit.add(os.getpid())
                atexit.register(shutdown, os.getpid())
            _instances[key] = WarmConverter(setup)
        return _instances[key]


def shutdown(pid: int | None = None) -> None:
    """Stop every instance this process started (at exit; atexit handlers survive a fork, hence the pid)."""
    pid = os.getpid() if pid is None else pid
    if pid != os.getpid():
        return
    with _registry_lock:
        owned = [key for key in _instances if key[0] == pid]
        instances = [_instances.pop(key) for key in owned]
    for instance in instances:
        instance.stop()


def start_in_background(setup: Setup) -> threading.Thread:
    """Start this process's instance without delaying the caller (the jobs worker, as it starts)."""

    def start() -> None:
        instance = converter(setup)
        with instance.lock:
            try:
                instance.ensure_started()
            except WarmUnavailable as exc:
                log.warning("warm LibreOffice unavailable, documents are converted cold: %s", exc)

    thread = threading.Thread(target=start, name="warm-libreoffice", daemon=True)
    thread.start()
    return thread
