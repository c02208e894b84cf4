"""Measures that must run in a process of their own: a worker's start-up, and the export's peak memory.

`python -m bench.fresh startup` builds the app as each gunicorn or jobs worker does at start, then prints its
resident memory; `python -m bench.fresh export DATABASE_URL ROWS` streams the CSV export of etna-2019-2 (its
first ROWS dossiers, 0 for all) and prints the peak resident memory (VmHWM) of this fresh process, so that
nothing inserted or cached before inflates or hides it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.servers import ROOT, SECRET


def _status_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _app(database_url: str | None):
    from app import create_app

    folder = Path(tempfile.mkdtemp(prefix="bench-fresh-"))
    config = {"SECRET_KEY": SECRET, "FILES_FOLDER": str(folder / "files"), "MAIL_FOLDER": str(folder / "mail"),
              "BACKGROUND_MAIL": False}
    if database_url:
        config["SQLALCHEMY_DATABASE_URI"] = database_url
    return create_app(config)


def _export(database_url: str, rows: int) -> dict:
    from staff.exports import csv_chunks

    app = _app(database_url)
    edition = app.extensions["editions"].get("etna-2019-2")
    before = _status_mib("VmRSS")
    start = time.perf_counter()
    size = lines = 0
    with app.app_context():
        chunks = csv_chunks(edition)
        for chunk in chunks:
            size += len(chunk.encode("utf-8"))
            lines += chunk.count("\r\n")
            if rows and lines > rows:  # the header line and `rows` dossiers
                chunks.close()
                break
    return {"seconds": time.perf_counter() - start, "rss_before": before, "peak": _status_mib("VmHWM"),
            "bytes": size, "rows": lines - 1}


def in_fresh_process(*arguments: str) -> tuple[dict, float]:
    """Run this module in a new interpreter; its printed figures and the wall time it took."""
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "bench.fresh", *arguments], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1]), time.perf_counter() - start


def main(argv: list[str]) -> None:
    import logging

    logging.disable(logging.WARNING)
    if argv[0] == "startup":
        _app(argv[1] if len(argv) > 1 else None)
        print(json.dumps({"rss": _status_mib("VmRSS"), "peak": _status_mib("VmHWM")}))
    elif argv[0] == "export":
        print(json.dumps(_export(argv[1], int(argv[2]))))


if __name__ == "__main__":
    main(sys.argv[1:])
