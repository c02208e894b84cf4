"""Read an edition file, keeping the line and column of every node, and validate it against the schema.

Every problem comes back as an `EditionError` that prints as `file:line:column: message`, so staff
can jump to the mistake; nothing in the file is silently ignored.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from editions.model import LoadedEdition
from editions.schema import Edition

Position = tuple[int, int]
NodePath = tuple[Any, ...]


@dataclass(frozen=True, order=True)
class EditionError:
    """One mistake in an edition file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class InvalidEdition(Exception):
    """Raised with every error found in one file."""

    def __init__(self, errors: list[EditionError]):
        self.errors = sorted(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class Positions:
    """Where each value (and each mapping key) of the file stands."""

    values: dict[NodePath, Position]
    keys: dict[NodePath, Position]

    def of(self, path: NodePath, key: bool = False) -> Position:
        """Return the position of `path`, or of its nearest ancestor that exists in the file."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))


def _position(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _to_python(loader: yaml.SafeLoader, node: yaml.Node, path: NodePath, positions: Positions,
               errors: list[EditionError], where: str) -> Any:
    """Build plain Python data from the composed node tree, recording positions and duplicate keys."""
    positions.values[path] = _position(node)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node, errors, where) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, (str, int)):
                line, col = _position(key_node)
                errors.append(EditionError(where, line, col, "a key must be a plain word"))
                continue
            if key in result:
                line, col = _position(key_node)
                first = positions.keys[path + (key,)][0]
                errors.append(EditionError(where, line, col, f"duplicate key '{key}' (first given on line {first})"))
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
        errors.append(EditionError(where, line, col, f"invalid value '{node.value}': {exc}"))
        return None


# What usually causes PyYAML's messages, said to staff after the message itself.
SYNTAX_HINTS = [
    ("mapping values are not allowed", " (a value containing ': ' must be put in quotes)"),
    ("expected <block end>", " (check the indentation of this line and the one before)"),
    ("found character '\\t'", " (indent with spaces, not tabs)"),
    ("found unexpected end of stream", " (a quote is not closed)"),
    ("found undefined alias", " (an '*' starts an alias: put the value in quotes)"),
]


# libyaml parses ten times faster and gives the same positions; PyYAML's own parser words the errors.
FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str, where: str, loader_class: type, positions: Positions,
             errors: list[EditionError]) -> Any:
    """Compose the node tree with `loader_class` and build plain data from it."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InvalidEdition([EditionError(where, 1, 1, "the file is empty (expected an edition mapping)")])
        return _to_python(loader, node, (), positions, errors, where)
    finally:
        loader.dispose()


def parse_yaml(text: str, where: str) -> tuple[Any, Positions]:
    """Parse YAML text into data and positions; raise InvalidEdition on a syntax error."""
    positions = Positions({}, {})
    errors: list[EditionError] = []
    try:
        try:
            data = _compose(text, where, FastLoader, positions, errors)
        except yaml.MarkedYAMLError:
            positions, errors = Positions({}, {}), []
            data = _compose(text, where, yaml.SafeLoader, positions, errors)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        hint = next((h for clue, h in SYNTAX_HINTS if clue in problem), "")
        raise InvalidEdition([EditionError(where, line, col, f"YAML syntax error: {problem}{hint}")]) from None
    if errors:
        raise InvalidEdition(errors)
    return data, positions


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """Follow a pydantic location through the schema to the model that holds its last key."""
    from editions import schema

    model: Any = Edition
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        if isinstance(part, str) and part.endswith("Condition") and hasattr(schema, part):
            model = getattr(schema, part)
            continue
        info = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if info is None:
            return None
        model = _inner_model(info.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """Find the first BaseModel inside an annotation like list[Step] or Review | None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    metadata_origin = getattr(annotation, "__origin__", None)
    if metadata_origin is not None and metadata_origin is not annotation:
        return _inner_model(metadata_origin)
    return None


def _clean_loc(loc: tuple[Any, ...], data: Any) -> NodePath:
    """Drop the union tags pydantic inserts, keeping only the keys and indexes present in the file."""
    path: list[Any] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(part, str) and (part[:1].isupper() or part in ("function-after", "function-before")):
            continue
        else:
            path.append(part)
            node = None
    return tuple(path)


def _known_keys(error: dict[str, Any]) -> list[str]:
    """The keys allowed where an unknown key was found."""
    model = _model_at(tuple(error["loc"]))
    return [f.alias or n for n, f in model.model_fields.items()] if model is not None else []


def _guess_key(error: dict[str, Any], loc: NodePath) -> str | None:
    """The allowed key closest to a misspelled one, if any is close."""
    guess = difflib.get_close_matches(str(loc[-1] if loc else ""), _known_keys(error), n=1)
    return guess[0] if guess else None


def _describe(error: dict[str, Any], loc: NodePath) -> str:
    """Word a pydantic error for staff, with what was expected and a 'did you mean' where it helps."""
    kind = error["type"]
    name = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        known = _known_keys(error)
        guess = _guess_key(error, loc)
        hint = f"; did you mean '{guess}'?" if guess else ""
        expected = f" (expected one of: {', '.join(known)})" if known and not guess else ""
        return f"unknown key '{name}'{hint}{expected}"
    if kind == "missing":
        return f"missing required key '{name}'"
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
        guess = difflib.get_close_matches(str(error.get("input")), options, n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else ""
        return f"unknown value {error.get('input')!r} for '{name}'{hint} (expected {expected})"
    if kind == "string_pattern_mismatch":
        return (f"'{name}' has an invalid value {error.get('input')!r} "
                "(expected lowercase letters, digits and '_' or '-')")
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    return f"'{name}': {message}" if name != "" else message


def validate_data(data: Any, positions: Positions, where: str) -> Edition:
    """Validate parsed data against the schema; raise InvalidEdition with a positioned error each."""
    if not isinstance(data, dict):
        raise InvalidEdition([EditionError(where, 1, 1, "an edition file must be a mapping of keys")])
    try:
        return Edition.model_validate(data)
    except ValidationError as exc:
        errors = []
        seen: set[tuple[NodePath, str]] = set()
        located = [(error, _clean_loc(tuple(error["loc"]), data)) for error in exc.errors()]
        # A misspelled key also makes the right one "missing": say it once, as the misspelling.
        misspelled = {loc[:-1] + (_guess_key(error, loc),) for error, loc in located
                      if error["type"] == "extra_forbidden"}
        for error, loc in located:
            if error["type"] == "missing" and loc in misspelled:
                continue
            message = _describe(error, loc)
            if (loc, message) in seen:
                continue
            seen.add((loc, message))
            line, col = positions.of(loc, key=error["type"] == "extra_forbidden")
            errors.append(EditionError(where, line, col, message))
        raise InvalidEdition(errors) from None


def read_source(path: Path, where: str) -> str:
    """Read an edition file as UTF-8 text; raise InvalidEdition when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidEdition([EditionError(where, 1, 1, f"the file is not UTF-8 text: {exc.reason} "
                                                        f"at byte {exc.start}")]) from None
    except OSError as exc:
        raise InvalidEdition([EditionError(where, 1, 1, f"cannot read the file: {exc.strerror or exc}")]) from None


def load_edition(path: Path, display_path: str | None = None,
                 templates_folder: Path | None = None) -> LoadedEdition:
    """Load, validate and check one edition file; raise InvalidEdition listing every mistake.

    `templates_folder` is where `documents[].template` must exist (config DOC_TEMPLATES_FOLDER);
    it defaults to the repository's doc_templates/.
    """
    from editions.checks import check_edition

    where = display_path or str(path)
    source = read_source(path, where)
    data, positions = parse_yaml(source, where)
    definition = validate_data(data, positions, where)
    edition = LoadedEdition(definition=definition, path=path, source=source)
    errors = check_edition(edition, positions, where, templates_folder)
    if errors:
        raise InvalidEdition(errors)
    return edition
