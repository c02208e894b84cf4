"""Read an edition file, keeping the line and column of every node, and validate it against the schema.

Every problem comes back as an `EditionError` that prints as `file:line:column: message`, so staff
can jump to the mistake; nothing in the file is silently ignored.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from editions.model import LoadedEdition
from editions.positions import EditionError, InvalidEdition, NodePath, Position, Positions
from editions.schema import Edition
from editions.schema_messages import word_errors
from editions.yaml_messages import reader_error, syntax_error

__all__ = ["EditionError", "InvalidEdition", "NodePath", "Position", "Positions", "load_edition", "parse_yaml",
           "read_source", "validate_data"]

MAX_VALUES = 100_000  # the shipped editions hold about 3,000: more means aliases multiplying (`*a` in `*b`…)


class _TooLarge(Exception):
    """Raised while building data from nodes when the file holds more than MAX_VALUES values."""


def _position(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _to_python(loader: yaml.SafeLoader, node: yaml.Node, path: NodePath, positions: Positions,
               errors: list[EditionError], where: str) -> Any:
    """Build plain Python data from the composed node tree, recording positions and duplicate keys."""
    positions.values[path] = _position(node)
    if len(positions.values) > MAX_VALUES:
        raise _TooLarge
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node, errors, where) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, (str, int)):
                line, col = _position(key_node)
                errors.append(EditionError(where, line, col, "une clé doit être un mot simple"))
                continue
            if key in result:
                line, col = _position(key_node)
                first = positions.keys[path + (key,)][0]
                errors.append(EditionError(where, line, col, f"clé « {key} » en double (déjà donnée ligne {first})"))
                continue
            positions.keys[path + (key,)] = _position(key_node)
            result[key] = _to_python(loader, value_node, path + (key,), positions, errors, where)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(loader, item, path + (i,), positions, errors, where) for i, item in enumerate(node.value)]
    return _scalar(loader, node, errors, where)


def _scalar(loader: yaml.SafeLoader, node: yaml.Node, errors: list[EditionError], where: str) -> Any:
    """Build one scalar; a value YAML recognises but cannot build (a 30 February) is a positioned error."""
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, TypeError, OverflowError) as exc:
        line, col = _position(node)
        errors.append(EditionError(where, line, col, f"{_impossible(exc)} « {node.value} »"))
        return None


def _impossible(exc: Exception) -> str:
    """Say in French why YAML could not build a date or a number it recognised."""
    text = str(exc)
    if "day is out of range" in text:
        return "date impossible (ce jour n’existe pas dans ce mois) :"
    if "month must be" in text:
        return "date impossible (le mois va de 1 à 12) :"
    if "hour must be" in text or "minute must be" in text or "second must be" in text:
        return "heure impossible :"
    return "valeur impossible à lire :"


# libyaml parses ten times faster and gives the same positions; PyYAML's own parser words the errors.
FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str, where: str, loader_class: type, positions: Positions,
             errors: list[EditionError]) -> Any:
    """Compose the node tree with `loader_class` and build plain data from it."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InvalidEdition([EditionError(where, 1, 1, "le fichier est vide (une édition commence par "
                                                            "« id: », « title: »…)")])
        return _to_python(loader, node, (), positions, errors, where)
    finally:
        loader.dispose()


def parse_yaml(text: str, where: str) -> tuple[Any, Positions]:
    """Parse YAML text into data and positions; raise InvalidEdition on a syntax error, in French."""
    positions = Positions({}, {})
    errors: list[EditionError] = []
    try:
        try:
            data = _compose(text, where, FastLoader, positions, errors)
        except yaml.YAMLError:  # libyaml words its errors less well: parse again for the message
            positions, errors = Positions({}, {}), []
            data = _compose(text, where, yaml.SafeLoader, positions, errors)
    except yaml.MarkedYAMLError as exc:
        (line, col), message = syntax_error(exc, text)
        raise InvalidEdition([EditionError(where, line, col, message)]) from None
    except yaml.reader.ReaderError as exc:
        (line, col), message = reader_error(exc, text)
        raise InvalidEdition([EditionError(where, line, col, message)]) from None
    except (_TooLarge, RecursionError):
        raise InvalidEdition([EditionError(where, 1, 1, f"le fichier compte plus de {MAX_VALUES} valeurs ou "
                                                        "s’imbrique trop profondément (des alias « * » qui se "
                                                        "multiplient ?)")]) from None
    if errors:
        raise InvalidEdition(errors)
    return data, positions


def validate_data(data: Any, positions: Positions, where: str) -> Edition:
    """Validate parsed data against the schema; raise InvalidEdition with a positioned French error each."""
    if not isinstance(data, dict):
        raise InvalidEdition([EditionError(where, 1, 1, "un fichier d’édition est une suite de clés "
                                                        "(« id: … », « title: … »), pas une liste ni un texte")])
    try:
        return Edition.model_validate(data)
    except ValidationError as exc:
        raise InvalidEdition(word_errors(exc, data, positions, where)) from None


def read_source(path: Path, where: str) -> str:
    """Read an edition file as UTF-8 text; raise InvalidEdition when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidEdition([EditionError(where, 1, 1, f"le fichier n’est pas du texte UTF-8 (octet {exc.start + 1} "
                                                        "illisible) : enregistrez-le en UTF-8")]) from None
    except OSError as exc:
        reason = READ_FAILURES.get(exc.errno or 0, f"erreur {errno.errorcode.get(exc.errno or 0, exc.errno)}")
        raise InvalidEdition([EditionError(where, 1, 1, f"impossible de lire le fichier : {reason}")]) from None


READ_FAILURES = {errno.ENOENT: "il n’existe pas", errno.EACCES: "accès refusé (droits du fichier)",
                 errno.EISDIR: "c’est un dossier", errno.EPERM: "accès refusé (droits du fichier)"}


def load_edition(path: Path, display_path: str | None = None,
                 templates_folder: Path | None = None) -> LoadedEdition:
    """Load, validate and check one edition file; raise InvalidEdition listing every mistake.

    `templates_folder` is where `documents[].template` must exist (config DOC_TEMPLATES_FOLDER);
    it defaults to the repository's doc_templates/.
    """
    from editions.checks import check_edition

    where = display_path or str(path)
    edition, positions = read_edition(path, where)
    errors = check_edition(edition, positions, where, templates_folder)
    if errors:
        raise InvalidEdition(errors)
    return edition


def read_edition(path: Path, where: str) -> tuple[LoadedEdition, Positions]:
    """Read and validate one edition file against the schema only (no cross checks: its Word templates may
    not exist yet, as when `documents starter` writes them); raise InvalidEdition listing every mistake."""
    return parse_edition(path, where, read_source(path, where))


def parse_edition(path: Path, where: str, source: str) -> tuple[LoadedEdition, Positions]:
    """The edition written in `source` (the text of `path`), validated against the schema only."""
    data, positions = parse_yaml(source, where)
    return LoadedEdition(definition=validate_data(data, positions, where), path=path, source=source), positions
