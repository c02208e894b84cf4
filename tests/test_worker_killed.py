"""A job worker killed with SIGKILL leaves no process behind: no orphan scheduler renewing its lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests import redis_server
from tests.conftest import ROOT

LOCK = "rq:scheduler-lock:appels"


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status").read_text()
    return "State:\tZ" not in status


def test_killed_worker_leaves_no_scheduler_behind(tmp_path):
    from redis import Redis

    server = redis_server.RedisServer(tmp_path)
    server.start()
    server.client = Redis(port=server.port)
    env = dict(os.environ, REDIS_URL=server.url, APPELS_FILES_FOLDER=str(tmp_path / "files"),
               DATABASE_URL="", APPELS_SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "jobs", "worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: set[int] = set()
    try:
        deadline = time.monotonic() + 30
        while server.client.get(LOCK) is None:
            assert time.monotonic() < deadline, "the worker never took the scheduler lock"
            time.sleep(0.1)
        time.sleep(0.5)
        children = _children(worker.pid)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        time.sleep(2.5)
        assert not [pid for pid in children if _alive(pid)]  # nothing outlives the worker
        first = server.client.ttl(LOCK)
        time.sleep(2.5)
        assert server.client.ttl(LOCK) < first  # nobody renews a dead worker's lock: it runs out
    finally:
        for pid in children:  # the orphans of a failed run, killed by their own id
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        if worker.poll() is None:
            worker.kill()
        server.stop()
