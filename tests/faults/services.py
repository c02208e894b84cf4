"""The suite's own services on spare loopback ports: a throw-away PostgreSQL cluster, worker processes.

Never the machine's shared PostgreSQL or Redis: these tests kill and freeze what they start.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.redis_server import require
from tests.smtp_server import free_port

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("APPELS_PG_BIN", "/usr/lib/postgresql/15/bin"))


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.1) -> float:
    """Poll `condition` until true; return the seconds it took; raise AssertionError on timeout."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"still not true after {timeout} s")
        time.sleep(step)
    return time.monotonic() - start


class Postgres:
    """A PostgreSQL cluster of its own (initdb + pg_ctl), run as the unprivileged `postgres` user under root."""

    def __init__(self) -> None:
        require(str(PG_BIN / "initdb"))
        self.folder = Path(tempfile.mkdtemp(prefix="appels-faults-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._as_owner = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            self._as_owner = ["runuser", "-u", "postgres", "--"]
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        subprocess.run([*self._as_owner, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
                  "-w", "start")

    def kill(self) -> None:
        """Stop at once, as a crash would (immediate shutdown: no checkpoint, clients cut)."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def destroy(self) -> None:
        try:
            self.kill()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


class Worker:
    """`flask --app app <group> worker` in a process of its own, as supervisors run it in production."""

    def __init__(self, group: str, env: dict[str, str], kill_at: str | None = None) -> None:
        environment = {**env, **({"APPELS_KILL_AT": kill_at} if kill_at else {})}
        arguments = ["mail", "worker", "--interval", "0.2"] if group == "mail" else ["jobs", "worker"]
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen([str(ROOT / ".venv" / "bin" / "flask"), "--app", "app", *arguments],
                                        cwd=ROOT, env=environment, stdout=self.log, stderr=subprocess.STDOUT)

    def killed_itself(self, timeout: float = 90) -> bool:
        """Wait for the process to die at its kill point (SIGKILL)."""
        try:
            return self.process.wait(timeout) == -signal.SIGKILL
        except subprocess.TimeoutExpired:
            return False

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()

    def output(self) -> str:
        """What the worker logged (to understand a failure)."""
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def children(self, named: str) -> list[int]:
        """The ids of this worker's child processes whose command line holds `named` (soffice during a conversion)."""
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    command = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
                except OSError:
                    continue
                if int(fields[1]) == self.process.pid and named in command:
                    found.append(int(entry.name))
        return found
