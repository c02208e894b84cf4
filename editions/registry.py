"""Keep the valid editions of workflows/ in memory; an invalid file is logged and left out."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from editions.loader import EditionError, InvalidEdition, load_edition
from editions.model import LoadedEdition

log = logging.getLogger(__name__)


@dataclass
class Registry:
    """The editions this app serves, by id, and the errors of the files it refused."""

    folder: Path
    editions: dict[str, LoadedEdition] = field(default_factory=dict)
    errors: dict[str, list[EditionError]] = field(default_factory=dict)

    def load(self) -> None:
        """(Re)load every file; a file that became invalid keeps its last valid version served."""
        found: dict[str, LoadedEdition] = {}
        errors: dict[str, list[EditionError]] = {}
        for path in sorted(self.folder.glob("*.yaml")):
            shown = display_path(path)
            try:
                edition = load_edition(path, shown)
            except InvalidEdition as exc:
                errors[shown] = exc.errors
                for error in exc.errors:
                    log.error("edition refused: %s", error)
                previous = next((e for e in self.editions.values() if e.path == path), None)
                if previous is not None:
                    log.warning("still serving the last valid version of %s (revision %s)", shown, previous.revision)
                    found[previous.id] = previous
                continue
            if edition.id in found:
                errors[shown] = [EditionError(shown, 1, 1, f"edition id '{edition.id}' is already used by "
                                                            f"{display_path(found[edition.id].path)}")]
                log.error("edition refused: %s", errors[shown][0])
                continue
            found[edition.id] = edition
        self.editions, self.errors = found, errors

    def get(self, edition_id: str) -> LoadedEdition | None:
        return self.editions.get(edition_id)

    def all(self) -> list[LoadedEdition]:
        """Every served edition, the most recent opening first."""
        return sorted(self.editions.values(), key=lambda e: e.opens_at, reverse=True)


def display_path(path: Path) -> str:
    """Show a path relative to the working directory when it is below it (as staff typed it)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
