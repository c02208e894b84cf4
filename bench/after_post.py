"""The step page GET timed right after a POST of the same step, on the same dossier: the case the cache of
a dossier's progress cannot serve (its version just changed). Eight applicants at once, each saving then
reading back; every GET is a sample (≥ 200), product and bare app measured in the same run.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from urllib.parse import urlencode, urlsplit

from bench.rush_check import percentile

CLIENTS = 8
LAPS = 2  # each dossier saved then read this many times


def _call(base: str, method: str, path: str, headers: dict, body: str | None = None) -> int:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def get_after_post(base: str, sessions: list[tuple[int, str, str]], answers: dict) -> tuple[float, float, int, int]:
    """Median and p99 (ms) of the GETs, how many were timed, how many requests failed."""
    timings: list[float] = []
    errors = [0]
    lock = threading.Lock()
    work = [s for _ in range(LAPS) for s in sessions]

    def applicant(share: list[tuple[int, str, str]]) -> None:
        for dossier_id, cookie, token in share:
            path = f"/dossiers/{dossier_id}/etapes/porteur"
            body = urlencode({**answers, "csrf_token": token, "action": "next"})
            posted = _call(base, "POST", path, {"Cookie": cookie,
                                                "Content-Type": "application/x-www-form-urlencoded"}, body)
            start = time.perf_counter()
            got = _call(base, "GET", path, {"Cookie": cookie})
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                timings.append(elapsed)
                errors[0] += (posted >= 400) + (got >= 400)

    threads = [threading.Thread(target=applicant, args=(work[i::CLIENTS],)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statistics.median(timings), percentile(timings, 0.99), len(timings), errors[0]
