"""Check edition files together: each one alone, then what links them (ids unique, previous_edition known).

Used by the CLI check and by the registry alike, so the command and the running app agree on what is
valid. When two files share an id, the first in path order keeps it and the others are refused.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from editions.loader import EditionError, InvalidEdition, Position, load_edition, parse_yaml, read_source
from editions.model import LoadedEdition
from editions.positions import unexpected
from formatting import format_numeric_date

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Identity:
    """The id and previous_edition of one file and where they stand, read even when the rest is invalid."""

    path: Path
    where: str
    id: str | None
    id_at: Position
    previous: str | None
    previous_at: Position


@dataclass
class FileResult:
    """The outcome of checking one file: the loaded edition when valid, else every error found."""

    path: Path
    where: str
    edition: LoadedEdition | None = None
    errors: list[EditionError] = field(default_factory=list)


def read_identity(path: Path, where: str) -> Identity | None:
    """Read the id and previous_edition of a file; None when it is not even readable YAML."""
    try:
        data, positions = parse_yaml(read_source(path, where), where)
    except Exception:  # noqa: BLE001 — unreadable here is reported by the file's own load
        return None
    if not isinstance(data, dict):
        return None
    edition_id = data.get("id") if isinstance(data.get("id"), str) else None
    previous = data.get("previous_edition") if isinstance(data.get("previous_edition"), str) else None
    return Identity(path, where, edition_id, positions.of(("id",)), previous, positions.of(("previous_edition",)))


def display_path(path: Path) -> str:
    """Show a path relative to the working directory when it is below it (as staff typed it)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _same_file(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def link_errors(target: Identity, known: list[Identity]) -> list[EditionError]:
    """Errors of `target` against the other files: an id already taken, an unknown previous edition."""
    errors = []
    others = [k for k in known if not _same_file(k.path, target.path)]
    if target.id is not None:
        owner = next((k for k in sorted(others, key=lambda k: str(k.path.resolve()))
                      if k.id == target.id and str(k.path.resolve()) < str(target.path.resolve())), None)
        if owner is not None:
            errors.append(EditionError(target.where, *target.id_at,
                                       f"l’identifiant « {target.id} » est déjà celui de {owner.where}"))
    if target.previous is not None:
        ids = sorted({k.id for k in others if k.id is not None})
        if target.previous == target.id:
            errors.append(EditionError(target.where, *target.previous_at,
                                       "« previous_edition » désigne cette édition elle-même"))
        elif target.previous not in ids:
            guess = difflib.get_close_matches(target.previous, ids, n=1)
            hint = f" ; vouliez-vous dire « {guess[0]} » ?" if guess else ""
            folder = target.path.parent
            errors.append(EditionError(target.where, *target.previous_at,
                                       f"édition précédente inconnue « {target.previous} »{hint} (éditions de "
                                       f"{folder.name or folder}/ : {', '.join(ids) or 'aucune'})"))
    return errors


def _order_errors(result: FileResult, identity: Identity, loaded: dict[str, LoadedEdition]) -> list[EditionError]:
    """The previous edition, when valid, opens before this one."""
    edition, previous = result.edition, loaded.get(identity.previous or "")
    if edition is None or previous is None or previous is edition or previous.opens_at < edition.opens_at:
        return []
    opens = format_numeric_date(previous.opens_at, previous.zone)
    return [EditionError(result.where, *identity.previous_at,
                         f"l’édition précédente « {previous.id} » ouvre le {opens}, pas avant celle-ci")]


Load = Callable[[Path, str, "Path | None"], LoadedEdition]


def check_files(files: list[tuple[Path, str]], siblings: list[Path],
                templates_folder: Path | None = None, load: Load = load_edition) -> list[FileResult]:
    """Check each (path, shown name) of `files`, and their links to each other and to `siblings`.

    `siblings` are the other files of the folder(s): their ids count for previous_edition and
    duplicate ids, but their own mistakes are not reported. `load` reads one file (the registry
    passes one that remembers the files it already checked).
    """
    identities = {p.resolve(): read_identity(p, w) for p, w in files}
    for sibling in siblings:
        if sibling.resolve() not in identities:
            identities[sibling.resolve()] = read_identity(sibling, display_path(sibling))
    known = [i for i in identities.values() if i is not None]
    results: list[FileResult] = []
    for path, where in files:
        result = FileResult(path, where)
        try:
            result.edition = load(path, where, templates_folder)
        except InvalidEdition as exc:
            result.errors = list(exc.errors)
        except Exception as exc:  # noqa: BLE001 — one file's surprise must not stop the others
            log.debug("loading %s failed", where, exc_info=True)
            result.errors = [unexpected(where, "la lecture du fichier", exc)]
        identity = identities[path.resolve()]
        if identity is not None:
            result.errors += link_errors(identity, known)
        results.append(result)
    loaded = {r.edition.id: r.edition for r in results if r.edition is not None}
    for result in results:
        identity = identities[result.path.resolve()]
        if identity is not None:
            try:
                result.errors += _order_errors(result, identity, loaded)
            except Exception as exc:  # noqa: BLE001
                result.errors.append(unexpected(result.where, "la comparaison avec l’édition précédente", exc))
        result.errors.sort()
        if result.errors:
            result.edition = None
    return results
