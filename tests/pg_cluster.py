"""A throw-away PostgreSQL cluster of the test's own, on a free loopback port, that a test may stop and restart.

Never the machine's shared server: outage tests stop this one. Runs as the `postgres` system user (initdb
refuses root); skipped where the PostgreSQL 15 binaries are missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")


def available() -> bool:
    return (BIN / "initdb").exists() and shutil.which("runuser") is not None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """initdb, start, stop, restart; `url` is a SQLAlchemy URL to its `postgres` database."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="appels-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        os.chmod(self.root, 0o777)
        shutil.chown(self.root, "postgres")
        self._as_postgres([str(BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                           "--no-sync"])

    def _as_postgres(self, command: list[str]) -> None:
        user = [] if os.getuid() != 0 else ["runuser", "-u", "postgres", "--"]
        subprocess.run(user + command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres([str(BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                           str(self.root / "log"), "-w", "start"])

    def stop(self) -> None:
        self._as_postgres([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.root, ignore_errors=True)
