"""Say pydantic's refusals in the check's own French words, each at the key or value it concerns.

pydantic reports one error per branch of a union (`min: abc` fails as a number and as a date): they are
merged into one line saying every kind that would fit. Nothing of pydantic's English reaches staff.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from editions.field_rules import DATE, NUMBER, WHOLE_NUMBER, shown
from editions.positions import EditionError, NodePath, Positions
from editions.schema import PATTERN_RULES, Edition

_ABSENT = object()  # a key pydantic names that the file does not hold

# What each kind of type error expected, in French.
EXPECTED = {
    "string_type": "un texte",
    "int_type": WHOLE_NUMBER, "int_parsing": WHOLE_NUMBER, "int_from_float": WHOLE_NUMBER,
    "float_type": NUMBER, "float_parsing": NUMBER, "finite_number": NUMBER,
    "bool_type": "true ou false", "bool_parsing": "true ou false",
    "date_type": DATE, "date_parsing": DATE, "date_from_datetime_parsing": DATE,
    "date_from_datetime_inexact": DATE,
    "datetime_type": "une date et heure (AAAA-MM-JJ HH:MM)", "datetime_parsing": "une date et heure (AAAA-MM-JJ HH:MM)",
    "datetime_from_date_parsing": "une date et heure (AAAA-MM-JJ HH:MM)",
    "list_type": "une liste (des lignes qui commencent par « - »)",
    "dict_type": "un bloc de clés (des lignes « clé: valeur » indentées)",
    "model_type": "un bloc de clés (des lignes « clé: valeur » indentées)",
    "model_attributes_type": "un bloc de clés (des lignes « clé: valeur » indentées)",
}
COMPARISONS = {"greater_than": "supérieur à", "greater_than_equal": "supérieur ou égal à",
               "less_than": "inférieur à", "less_than_equal": "inférieur ou égal à"}


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
    return None


def clean_loc(loc: tuple[Any, ...], data: Any) -> tuple[NodePath, bool]:
    """Keep the keys and indexes of the file, drop pydantic's union tags; say whether a mapping key is meant."""
    path: list[Any] = []
    node = data
    for part in loc:
        if part == "[key]":
            return tuple(path), True
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(part, str) and (part[:1].isupper() or node is not _ABSENT and not isinstance(node, dict)):
            continue  # a union tag (FieldCondition, float, function-before[…]) below a value of the file
        else:
            path.append(part)
            node = _ABSENT
    return tuple(path), False


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed where an unknown key was found."""
    model = _model_at(loc)
    return [f.alias or n for n, f in model.model_fields.items()] if model is not None else []


def _guess(word: Any, options: list[str]) -> str | None:
    guess = difflib.get_close_matches(str(word), options, n=1)
    return guess[0] if guess else None


def _pattern_of(loc: tuple[Any, ...], name: Any) -> str | None:
    """The pattern a text key must follow (its rule is said even when a number was written)."""
    model = _model_at(loc)
    info = model.model_fields.get(str(name)) if model is not None else None
    if info is None:
        return None
    annotations = (info.annotation, *getattr(info.annotation, "__args__", ()))  # Key, or Key | None
    for meta in [*info.metadata, *(m for a in annotations for m in getattr(a, "__metadata__", ()))]:
        for inner in (meta, *getattr(meta, "metadata", ())):
            if getattr(inner, "pattern", None):
                return inner.pattern
    return None


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def describe(error: dict[str, Any], loc: NodePath) -> str:
    """Word one pydantic error for staff, with what was expected and a 'did you mean' where it helps."""
    kind, name, value = error["type"], (loc[-1] if loc else ""), error.get("input")
    ctx = error.get("ctx", {})
    if kind == "extra_forbidden":
        known = _known_keys(tuple(error["loc"]))
        guess = _guess(name, known)
        if guess:
            return f"clé inconnue « {name} » ; vouliez-vous dire « {guess} » ?"
        return f"clé inconnue « {name} »" + (f" (clés possibles : {', '.join(known)})" if known else "")
    if kind == "missing":
        return f"il manque la clé obligatoire « {name} »"
    if kind in ("literal_error", "enum"):
        options = [o.strip().strip("'") for o in ctx.get("expected", "").replace(" or ", ", ").split(",")]
        guess = _guess(value, options)
        hint = f" ; vouliez-vous dire « {guess} » ?" if guess else ""
        return f"valeur inconnue « {value} » pour « {name} »{hint} (valeurs possibles : {', '.join(options)})"
    if kind == "string_pattern_mismatch":
        rule = PATTERN_RULES.get(ctx.get("pattern"), f"un texte qui suit le motif {ctx.get('pattern')}")
        return f"« {name} » doit être {rule}, pas « {value} »"
    if kind in COMPARISONS:
        bound = next(iter(ctx.values()), "")
        return f"« {name} » doit être {COMPARISONS[kind]} {_number(bound)}, pas {_number(value)}"
    if kind == "string_too_short":
        return f"« {name} » ne peut pas être vide"
    if kind == "string_too_long":
        return f"« {name} » compte au plus {ctx.get('max_length')} caractères, pas {len(str(value))}"
    if kind == "too_short":
        return f"« {name} » doit compter au moins {ctx.get('min_length', 1)} élément"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in EXPECTED:
        expected = EXPECTED[kind]
        pattern = _pattern_of(tuple(error["loc"]), name) if kind == "string_type" else None
        if pattern in PATTERN_RULES:
            expected = PATTERN_RULES[pattern]
        return f"« {name} » doit être {expected}, pas {shown(value)}"
    return f"« {name} » : valeur refusée ({kind})"


def _key_message(error: dict[str, Any]) -> str:
    """Word the refusal of a mapping key itself (a key of `emails` that is not a plain word)."""
    rule = PATTERN_RULES.get(error.get("ctx", {}).get("pattern"), "un mot simple")
    return f"la clé « {error.get('input')} » doit être {rule}"


def _merged(errors: list[tuple[dict[str, Any], NodePath]]) -> str:
    """One message for the branches of a union refused at the same place (`min: abc`)."""
    error, loc = errors[0]
    expected = list(dict.fromkeys(EXPECTED[e["type"]] for e, _ in errors))
    return f"« {loc[-1] if loc else ''} » doit être {' ou '.join(expected)}, pas {shown(error.get('input'))}"


def _flattened(errors: list[dict[str, Any]], prefix: tuple[Any, ...] = ()) -> Iterator[dict[str, Any]]:
    """Every error with its full location, the field rules' problems and the refusals they carry included."""
    for error in errors:
        loc = prefix + tuple(error["loc"])
        if error["type"] != "field_rules":
            yield {**error, "loc": loc}
            continue
        for sub, message, on_key in error["ctx"]["problems"]:
            yield {"type": "field_rule", "loc": loc, "ctx": {"sub": sub, "message": message, "on_key": on_key}}
        yield from _flattened(error["ctx"]["inner"], loc)


def _located(exc: ValidationError, data: Any) -> Iterator[tuple[dict[str, Any], NodePath, bool]]:
    for error in _flattened(exc.errors(include_url=False)):
        loc, at_key = clean_loc(tuple(error["loc"]), data)
        yield error, loc, at_key


def word_errors(exc: ValidationError, data: Any, positions: Positions, where: str) -> list[EditionError]:
    """Turn a pydantic ValidationError into positioned French errors, one per mistake."""
    located = list(_located(exc, data))
    # A misspelled key also makes the right one "missing": say it once, as the misspelling.
    misspelled = {loc[:-1] + (_guess(loc[-1] if loc else "", _known_keys(tuple(e["loc"]))),)
                  for e, loc, _ in located if e["type"] == "extra_forbidden"}
    by_place: dict[NodePath, list[tuple[dict[str, Any], NodePath]]] = {}
    errors: list[EditionError] = []
    for error, loc, at_key in located:
        if error["type"] == "missing" and loc in misspelled:
            continue
        if error["type"] == "field_rule":
            rule = error["ctx"]
            errors.append(EditionError(where, *positions.of(loc + rule["sub"], key=rule["on_key"]), rule["message"]))
            continue
        if error["type"] in EXPECTED and not at_key:
            by_place.setdefault(loc, []).append((error, loc))
            continue
        message = _key_message(error) if at_key else describe(error, loc)
        errors.append(EditionError(where, *positions.of(loc, key=at_key or error["type"] == "extra_forbidden"),
                                   message))
    for loc, group in by_place.items():
        message = describe(group[0][0], loc) if len(group) == 1 else _merged(group)
        errors.append(EditionError(where, *positions.of(loc), message))
    return sorted(set(errors))
