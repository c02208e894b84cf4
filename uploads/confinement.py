"""Run work on untrusted files in a child process bounded in CPU time, memory and wall-clock time.

A hostile PDF can make a parser loop, recurse or allocate without end; in a child with `setrlimit`
the worst it can do is get that child killed, and the web worker answers with a refusal. The child is
`python -m uploads.confinement`: it sets its own limits first, then reads a JSON header line and the
input files from stdin, calls the named function and writes a JSON header line and the output files.
Input and output go through unlinked temporary files, so neither side blocks on a full pipe.

The child's peak memory is its VmHWM (/proc), read by the child at its end and by the parent while it
waits: the kernel's ru_maxrss of a child also counts the parent's memory at fork time, so it says nothing.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int
    memory_mb: int  # address space of the child (RLIMIT_AS)
    wall_seconds: float


@dataclass(frozen=True)
class Outcome:
    """What the child returned, or why it did not; with what it used, measured by the kernel."""

    result: dict[str, Any] | None  # None when the child was stopped or crashed
    files: list[bytes]
    stopped: str | None  # "cpu", "memory", "wall" or "crash"
    cpu_seconds: float
    peak_rss_mb: float
    wall_seconds: float


class ChildError(Exception):
    """Raised by a task in the child to return a result that says what went wrong (a refusal, not a crash)."""

    def __init__(self, **result: Any):
        super().__init__(result)
        self.result = result


def run_confined(task: str, files: list[bytes], limits: Limits, **arguments: Any) -> Outcome:
    """Call `task` ("module:function") in a confined child with `files` and keyword `arguments`."""
    header = {"task": task, "arguments": arguments, "sizes": [len(f) for f in files],
              "cpu": limits.cpu_seconds, "memory": limits.memory_mb}
    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as returned, \
            tempfile.TemporaryFile() as errors:
        given.write(json.dumps(header).encode() + b"\n")
        for data in files:
            given.write(data)
        given.seek(0)
        started = time.monotonic()
        child = subprocess.Popen([sys.executable, "-m", "uploads.confinement"], stdin=given, stdout=returned,
                                 stderr=errors, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                 start_new_session=True)
        status, usage, timed_out, peak_kb = _wait(child, started + limits.wall_seconds)
        wall = time.monotonic() - started
        returned.seek(0)
        header, out = _read_result(returned) if not timed_out else ({}, [])
        result = header.get("result") if status == 0 else None
        stopped = _why_stopped(status, timed_out, result, errors)
        peak_kb = max(peak_kb, header.get("peak_kb", 0))
    return Outcome(result, out, stopped, usage.ru_utime + usage.ru_stime, peak_kb / 1024, wall)


def _wait(child: subprocess.Popen, deadline: float):
    """Reap the child with os.wait4 (to get its CPU time); kill it at the deadline; note its peak memory."""
    pause, timed_out, peak_kb = 0.002, False, 0
    while True:
        peak_kb = max(peak_kb, peak_memory_kb(child.pid))
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() >= deadline:
            os.killpg(child.pid, signal.SIGKILL)
            timed_out = True
            pid, status, usage = os.wait4(child.pid, 0)
            break
        time.sleep(pause)
        pause = min(pause * 2, 0.05)
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
    return child.returncode, usage, timed_out, peak_kb


def peak_memory_kb(pid: int | str = "self") -> int:
    """The peak resident memory of a live process (VmHWM), in kB; 0 when it cannot be read."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _read_result(returned: IO[bytes]) -> tuple[dict[str, Any], list[bytes]]:
    try:
        header = json.loads(returned.readline())
        return header, [returned.read(size) for size in header.get("sizes", [])]
    except (ValueError, TypeError, AttributeError):
        return {}, []


def _why_stopped(status: int, timed_out: bool, result: dict | None, errors: IO[bytes]) -> str | None:
    if timed_out:
        return "wall"
    if status == -signal.SIGXCPU or status == -signal.SIGKILL:
        return "cpu"
    if status == 3:  # the child's own MemoryError (see _child)
        return "memory"
    if status != 0 or result is None:
        errors.seek(0)
        log.warning("confined child ended with status %s: %s", status, errors.read()[-2000:].decode(errors="replace"))
        return "crash"
    return None


def _limit_self(cpu_seconds: int, memory_mb: int) -> None:
    """Bound this process (the child): CPU seconds (SIGXCPU, then SIGKILL), address space, size of what it
    writes (its output file), no core file."""
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child() -> int:
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    header = json.loads(stdin.readline())
    _limit_self(header["cpu"], header["memory"])
    files = [stdin.read(size) for size in header["sizes"]]
    module, name = header["task"].split(":")
    refusal = importlib.import_module("uploads.confinement").ChildError  # not __main__'s copy of the class
    try:
        function = getattr(importlib.import_module(module), name)
        try:
            result, out = function(files, **header["arguments"])
        except refusal as error:
            result, out = error.result, []
    except MemoryError:  # what was taken is freed by now: enough to say so
        stdout.write(json.dumps({"result": None, "peak_kb": peak_memory_kb()}).encode() + b"\n")
        stdout.flush()
        return 3
    stdout.write(json.dumps({"result": result, "sizes": [len(o) for o in out],
                             "peak_kb": peak_memory_kb()}).encode() + b"\n")
    for data in out:
        stdout.write(data)
    stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child())
