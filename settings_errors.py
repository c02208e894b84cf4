"""Word a wrong setting for the operator: one French line per variable, naming it, never a traceback."""

from __future__ import annotations

import difflib

from pydantic import BaseModel, ValidationError

PREFIX = "APPELS_"
SECRETS = ("SECRET_KEY", "MAIL_PASSWORD")  # their value is never repeated in a message
EXAMPLES = {"FROZEN_NOW": "2019-07-10T10:00:00+02:00", "WTF_CSRF_TIME_LIMIT": "3600"}
EXPECTED = {
    "int_parsing": "un nombre entier est attendu",
    "int_from_float": "un nombre entier est attendu",
    "float_parsing": "un nombre est attendu",
    "bool_parsing": "true ou false est attendu",
    "string_type": "un texte est attendu",
    "timezone_aware": "une date-heure avec son décalage est attendue",
    "datetime_parsing": "une date-heure avec son décalage est attendue",
    "datetime_from_date_parsing": "une date-heure avec son décalage est attendue",
}


class SettingsError(Exception):
    """Settings the app cannot start with; `str()` is what the operator reads, one line per variable."""

    def __init__(self, problems: list[str]):
        super().__init__(problems)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(f"Configuration invalide : {problem}" for problem in self.problems)


def unknown_variable(name: str, known: list[str]) -> str:
    """An APPELS_* variable the app does not know: most often a typo, which would silently do nothing."""
    guess = difflib.get_close_matches(name, known, n=1)
    hint = f" (vouliez-vous dire {guess[0]} ?)" if guess else ""
    return f"la variable {name} est inconnue{hint} ; la liste est dans docs/production.md."


def describe(error: ValidationError, given: dict, defaults: BaseModel, source: str | None = None) -> list[str]:
    """One line per variable pydantic refused, saying what was given and what is expected.

    `source` names the file the values come from (instance/config.py); without it, the environment.
    """
    lines: dict[str, str] = {}
    for problem in error.errors():
        key = str(problem["loc"][0])
        if key in lines:
            continue  # a union reports each of its members: the first says enough
        value = "" if key in SECRETS else f" vaut « {given.get(key, '')} »"
        where = f"dans {source}, {key}" if source else f"la variable {PREFIX + key}"
        example = _example(key, defaults)
        lines[key] = f"{where}{value} : {_expected(problem)}{f' (par exemple {example})' if example else ''}."
    return list(lines.values())


def _expected(problem: dict) -> str:
    kind, context = problem["type"], problem.get("ctx") or {}
    if kind in EXPECTED:
        return EXPECTED[kind]
    if kind == "greater_than_equal":
        return f"un nombre supérieur ou égal à {context['ge']} est attendu"
    if kind == "greater_than":
        return f"un nombre supérieur à {context['gt']} est attendu"
    if kind == "less_than_equal":
        return f"un nombre inférieur ou égal à {context['le']} est attendu"
    if kind == "literal_error":
        return f"l'une de ces valeurs est attendue : {context['expected'].replace(' or ', ' ou ')}"
    return f"valeur refusée ({problem['msg']})"


def _example(key: str, defaults: BaseModel) -> str | None:
    """The embedded default, written as an operator would set it (None when there is none to show)."""
    if key in EXAMPLES:
        return EXAMPLES[key]
    value = getattr(defaults, key)
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
