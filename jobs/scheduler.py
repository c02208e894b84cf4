"""Put retried jobs back on the queue when due, from a thread of the worker, so it dies with the worker.

RQ's own scheduler runs in a separate process that a SIGKILLed worker leaves behind, renewing the
scheduler lock of a dead worker for ever. A thread has no such afterlife: when the worker goes, nobody
renews the lock, it expires within a minute, and the next worker takes it over.
"""

from __future__ import annotations

import logging
import threading

from redis import Redis
from redis.exceptions import RedisError
from rq.scheduler import RQScheduler

log = logging.getLogger(__name__)


class SchedulerThread:
    """Move due jobs of the scheduled registries back to their queue every `interval` seconds."""

    def __init__(self, queue_names: list[str], connection: Redis, interval: float = 1) -> None:
        self.scheduler = RQScheduler(queue_names, connection=connection, interval=int(max(interval, 1)))
        self.interval = interval
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="rq-scheduler", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.scheduler.should_reacquire_locks:
                    self.scheduler.acquire_locks()
                if self.scheduler.acquired_locks:
                    self.scheduler.enqueue_scheduled_jobs()
                    self.scheduler.heartbeat()
            except RedisError:
                log.warning("job scheduler: Redis unavailable, trying again", exc_info=True)
            self._stop.wait(self.interval)
        try:
            self.scheduler.release_locks()
        except RedisError:
            pass  # the lock expires on its own
