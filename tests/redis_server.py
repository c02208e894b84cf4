"""A private redis-server on a spare loopback port for the tests: started, stopped, frozen (SIGSTOP), thawed.

Never the machine's shared Redis: a test may stop or freeze it. Without the redis-server binary the
tests that need it are skipped, except in CI (CI=true or APPELS_REQUIRE_REDIS=1), where it fails them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import pytest

from tests.smtp_server import free_port


def require(binary: str) -> str:
    """The path of a program the test needs: skipped without it, failed in CI."""
    path = shutil.which(binary)
    if path is None:
        message = f"{binary} is not installed"
        if os.environ.get("CI") == "true" or os.environ.get("APPELS_REQUIRE_REDIS") == "1":
            pytest.fail(f"{message}, and CI needs it")
        pytest.skip(message)
    return path


class RedisServer:
    """One redis-server process without persistence; `url` is where the app finds it."""

    def __init__(self, folder) -> None:
        self.binary = require("redis-server")
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.answers():
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def answers(self) -> bool:
        from redis import Redis
        from redis.exceptions import RedisError

        try:
            return bool(Redis(port=self.port, socket_timeout=0.5, socket_connect_timeout=0.5).ping())
        except RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(10)
            self.process = None

    def freeze(self) -> None:
        """Stop the process without closing its port: connections hang, as with a frozen server."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)
