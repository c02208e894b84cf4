"""Tasks that never end by themselves, run in the confined child to prove each limit stops them."""

from __future__ import annotations

import time


def spin(files: list[bytes]):
    """Burn CPU forever."""
    while True:
        pass


def hog(files: list[bytes]):
    """Take memory forever, touching it so that it is resident."""
    kept = []
    while True:
        kept.append(bytearray(16 * 1024 * 1024))


def wait(files: list[bytes]):
    """Sleep forever: no CPU, no memory, only time."""
    while True:
        time.sleep(1)


def inspect_each(files: list[bytes], max_pages: int):
    """Inspect every file as uploads.pdf's child does, one after the other; say what became of each."""
    from uploads.confinement import ChildError
    from uploads.reading import inspect

    outcomes, longest = [], 0.0
    for data in files:
        started = time.process_time()
        try:
            info, _ = inspect([data], max_pages=max_pages, normalise=True)
            outcomes.append(f"accepted:{info['pages']}")
        except ChildError as refused:
            outcomes.append(f"refused:{refused.result['refused']}")
        longest = max(longest, time.process_time() - started)
    return {"outcomes": outcomes, "longest_cpu_seconds": longest}, []
