"""What a semantic check of an edition receives: the edition, node positions and the folders it refers to.

Checks run without a Flask app (the CLI check needs neither an app nor a database), so everything
outside the YAML file itself — today the Word templates folder — travels in `CheckContext`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from editions.loader import EditionError, NodePath, Positions
from editions.model import LoadedEdition

# The repository's templates folder: the default of config DOC_TEMPLATES_FOLDER.
DEFAULT_TEMPLATES_FOLDER = Path(__file__).resolve().parent.parent / "doc_templates"


@dataclass(frozen=True)
class CheckContext:
    """One edition under check, where its nodes stand, its displayed file name and its templates folder."""

    edition: LoadedEdition
    positions: Positions
    where: str
    templates_folder: Path = DEFAULT_TEMPLATES_FOLDER

    def error(self, path: NodePath, message: str, key: bool = False) -> EditionError:
        """Build an error at the value of `path` (or at its key), falling back to the nearest ancestor."""
        line, column = self.positions.of(path, key=key)
        return EditionError(self.where, line, column, message)


Check = Callable[[CheckContext], list[EditionError]]
