"""Keep the valid editions of workflows/ in memory; an invalid file is logged and left out.

`Registry.load()` is what the app runs at start, what `flask workflows reload` runs, and what a staff
button will run: it returns a `LoadReport` saying what is served and what was refused.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from editions.check_context import DEFAULT_TEMPLATES_FOLDER
from editions.folder import check_files, display_path
from editions.loader import EditionError, InvalidEdition, load_edition, parse_edition
from editions.model import LoadedEdition, revision_of
from editions.verdicts import Verdicts

__all__ = ["LoadReport", "Registry", "display_path"]

log = logging.getLogger(__name__)


@dataclass
class LoadReport:
    """What one load found: editions served from their current file, kept in their last valid version, refused."""

    served: list[LoadedEdition] = field(default_factory=list)
    kept: dict[str, LoadedEdition] = field(default_factory=dict)  # shown path → last valid version still served
    refused: dict[str, list[EditionError]] = field(default_factory=dict)  # shown path → its errors

    @property
    def ok(self) -> bool:
        return not self.refused


@dataclass
class Registry:
    """The editions this app serves, by id, and the errors of the files it refused."""

    folder: Path
    templates_folder: Path = DEFAULT_TEMPLATES_FOLDER
    editions: dict[str, LoadedEdition] = field(default_factory=dict)
    errors: dict[str, list[EditionError]] = field(default_factory=dict)
    _signature: tuple = field(default=(), repr=False)
    _checked: dict[str, tuple[tuple, LoadedEdition | InvalidEdition]] = field(default_factory=dict, repr=False)
    _templates: tuple = field(default=(), repr=False)
    verdicts: Verdicts | None = None  # what earlier starts checked (app: in the instance folder); None: check all

    def load(self) -> LoadReport:
        """(Re)load every file; a file that became invalid keeps its last valid version served."""
        signature = self.signature()  # taken first: an edit during the load is seen by the next check
        paths = sorted(self.folder.glob("*.yaml"))
        self._templates = self._templates_signature()
        results = check_files([(p, display_path(p)) for p in paths], paths, self.templates_folder, self._load)
        report = LoadReport()
        found: dict[str, LoadedEdition] = {}
        for result in results:
            if result.edition is not None:
                found[result.edition.id] = result.edition
                report.served.append(result.edition)
                continue
            report.refused[result.where] = result.errors
            # One line per file: the errors themselves are printed once, by `flask --app app workflows check`.
            log.error("édition refusée : %s (%s) ; détail : flask --app app workflows check %s", result.where,
                      _count_errors(len(result.errors)), result.where)
        for result in results:
            previous = next((e for e in self.editions.values() if e.path.resolve() == result.path.resolve()), None)
            if result.edition is None and previous is not None and previous.id not in found:
                log.warning("dernière version valide de %s toujours servie (révision %s)", result.where,
                            previous.revision)
                found[previous.id] = previous
                report.kept[result.where] = previous
        self.editions, self.errors = found, report.refused
        self._signature = signature
        self._checked = {name: outcome for name, outcome in self._checked.items() if Path(name) in paths}
        return report

    def _load(self, path: Path, where: str, templates_folder: Path | None) -> LoadedEdition:
        """Load one file, or give back its outcome when neither its text nor the templates changed since."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return load_edition(path, where, templates_folder)  # says what is wrong with it
        key = (where, revision_of(text), self._templates)
        known = self._checked.get(str(path))
        if known is None or known[0] != key:
            try:
                known = (key, self._checked_edition(path, where, templates_folder, text))
            except InvalidEdition as refused:
                known = (key, refused)
            self._checked[str(path)] = known
        if isinstance(known[1], InvalidEdition):
            raise known[1]
        return known[1]

    def _checked_edition(self, path: Path, where: str, templates_folder: Path | None, text: str) -> LoadedEdition:
        """Load one file with every check, or with its schema only when these very inputs passed them before
        (editions.verdicts)."""
        if self.verdicts is None:
            return load_edition(path, where, templates_folder)
        fingerprint = self.verdicts.fingerprint(text, templates_folder or self.templates_folder)
        if self.verdicts.known(fingerprint):
            return parse_edition(path, where, text)[0]
        edition = load_edition(path, where, templates_folder)
        if edition.source == text:  # the text fingerprinted is the one checked (not a newer save)
            self.verdicts.remember(fingerprint)
        return edition

    def _templates_signature(self) -> tuple:
        return self._stats(sorted(self.templates_folder.rglob("*.docx")))

    def signature(self) -> tuple:
        """What changes when a file of workflows/ (or a template) is added, removed or edited."""
        return self._stats(sorted(self.folder.glob("*.yaml")) + sorted(self.templates_folder.rglob("*.docx")))

    @staticmethod
    def _stats(files: list[Path]) -> tuple:
        found = []
        for path in files:
            try:
                stat = path.stat()
            except OSError:  # removed between the listing and now: the next look sees it gone
                continue
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(found)

    def refresh_if_changed(self) -> LoadReport | None:
        """Reload when the files changed since the last load: every worker process picks up an edit by itself."""
        if self.signature() == self._signature:
            return None
        try:
            report = self.load()
        except Exception:  # a request must never fail because a file is being edited: serve what was served
            log.exception("editions reload failed; the editions loaded before stay served")
            return None
        log.info("editions reloaded: %s served, %s refused", len(report.served), len(report.refused))
        return report

    def get(self, edition_id: str) -> LoadedEdition | None:
        return self.editions.get(edition_id)

    def all(self) -> list[LoadedEdition]:
        """Every served edition, the most recent opening first."""
        return sorted(self.editions.values(), key=lambda e: e.opens_at, reverse=True)


def _count_errors(number: int) -> str:
    return f"{number} erreur{'s' if number > 1 else ''}"


def watch(app, registry: Registry) -> None:
    """Check the files at most every EDITIONS_REFRESH_SECONDS, before a request; 0 turns it off."""
    interval = float(app.config.get("EDITIONS_REFRESH_SECONDS", 5))
    if interval <= 0:
        return
    last = {"at": time.monotonic()}

    @app.before_request
    def refresh_editions() -> None:
        if time.monotonic() - last["at"] >= interval:
            last["at"] = time.monotonic()
            registry.refresh_if_changed()
