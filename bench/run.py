"""Run every benchmark section in one go and print its figures (`make bench`).

Sections: documents (always), the form step and the deadline rush (PostgreSQL and wrk), the submission path
profiled, staff pages and exports at 100 000 dossiers (PostgreSQL). A section that cannot run here says why
instead. Each section rewrites its own block of docs/benchmarks.md from this run: a bench.report.Section its
Markdown, any other its printed lines.
"""

from __future__ import annotations

import importlib
import logging
import sys
import time

from bench import report

SECTIONS = ["bench.documents", "bench.step", "bench.rush", "bench.profile", "bench.staff"]


def main(names: list[str]) -> int:
    logging.disable(logging.WARNING)
    chosen = [s for s in SECTIONS if not names or s.split(".")[-1] in names]
    started = time.perf_counter()
    for name in chosen:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            print(f"{name} : section absente ({exc})")
            continue
        section_start = time.perf_counter()
        started_at, load_before = report.now(), report.load()
        result = module.run()
        for line in result:
            print(line, flush=True)
        if not getattr(result, "markdown", "") and len(result) > 1:  # the printed lines, as the run printed them
            result = report.Section(name.split(".")[-1], list(result), report.console_block(
                started_at, load_before, list(result)))
        if getattr(result, "markdown", ""):
            report.write_block(result.name, result.markdown)
            print(f"  (écrit dans docs/benchmarks.md ; charge {report.load()})", flush=True)
        print(f"  ({time.perf_counter() - section_start:.0f} s)\n", flush=True)
    print(f"Mesures terminées en {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
