"""What `make bench` writes into docs/benchmarks.md: a section's block, between its two markers, rewritten from
the run that measured it, headed by that run's commit, date, machine and load. Figures there are never typed
by hand, so they always say which code and which conditions they come from.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"


class Section(list):
    """A section's console lines (it is the list run.py prints) and the Markdown block it writes in the docs."""

    def __init__(self, name: str, lines: list[str], markdown: str = ""):
        super().__init__(lines)
        self.name = name
        self.markdown = markdown


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: a value that was measured, with at least q % of the samples at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}".replace(".", ",")


def _commit() -> str:
    def git(*arguments: str) -> str:
        return subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "inconnu"
    changed = [line for line in git("status", "--porcelain").splitlines() if not line.endswith("docs/benchmarks.md")]
    return commit + (" (avec des modifications non validées)" if changed else "")


def machine() -> str:
    """Cores, memory, system and Python of this machine, in one French line."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    system = platform.system()
    try:
        release = Path("/etc/os-release").read_text()
        system = re.search(r'^PRETTY_NAME="?([^"\n]*)', release, re.M).group(1)
    except (OSError, AttributeError):
        pass
    return f"{os.cpu_count()} cœurs, {memory:.0f} Gio, {system}, Python {platform.python_version()}"


def header(started: dt.datetime, load_before: str, load_after: str) -> str:
    return (f"Écrit par `make bench` le {started:%d/%m/%Y à %H:%M} UTC, commit {_commit()} ; machine : {machine()} ; "
            f"charge (load average 1 / 5 / 15 min) {load_before} au début de la section, {load_after} à la fin.")


def write_block(name: str, markdown: str, path: Path = DOC) -> None:
    """Replace the block between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` (appended when absent)."""
    opening, closing = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{opening}\n{markdown.strip()}\n{closing}"
    text = path.read_text(encoding="utf-8")
    if opening in text and closing in text:
        before, rest = text.split(opening, 1)
        text = before + block + rest.split(closing, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def console_block(started: dt.datetime, load_before: str, lines: list[str]) -> str:
    """A section that writes no Markdown of its own: its header, then its lines exactly as the run printed them."""
    return header(started, load_before, load()) + "\n\n```\n" + "\n".join(lines) + "\n```"
