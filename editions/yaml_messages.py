"""Say the YAML parser's errors in the check's own French words, at the place the mistake was made.

PyYAML says where it gave up; for what was opened and never closed (a quote, a '[' or a '{') that can
be a hundred lines below the mistake, so the error points at the opening and names where reading stopped.
"""

from __future__ import annotations

import re

import yaml

from editions.positions import Position

SYNTAX = "syntaxe YAML : "

# (PyYAML's problem, as a regular expression) → what to say; {0} is the character or token found.
PROBLEMS: list[tuple[str, str]] = [
    (r"mapping values are not allowed", "« : » inattendu ; une valeur qui contient « : » doit être mise "
                                        "entre guillemets"),
    (r"found character '\\t' that cannot start", "tabulation interdite ; indentez avec des espaces"),
    (r"found character '(.*)' that cannot start", "une valeur ne peut pas commencer par « {0} » ; mettez-la "
                                                  "entre guillemets"),
    (r"expected <block end>, but found", "indentation incohérente ; vérifiez l’indentation de cette ligne et de "
                                         "la précédente"),
    (r"could not find expected ':'", "il manque « : » après la clé"),
    (r"found unknown escape character '(.*)'", "« \\{0} » n’est pas permis entre guillemets doubles ; écrivez "
                                               "« \\\\ » pour une barre oblique inverse, ou utilisez des guillemets "
                                               "simples"),
    (r"expected escape sequence", "séquence d’échappement incomplète entre guillemets doubles ; écrivez « \\\\ » "
                                  "pour une barre oblique inverse, ou utilisez des guillemets simples"),
    (r"found undefined alias '(.*)'", "« *{0} » appelle un alias inconnu ; mettez la valeur entre guillemets"),
    (r"found duplicate anchor '(.*)'", "ancre « &{0} » donnée deux fois"),
    (r"expected alphabetic or numeric character", "« & » ou « * » doit être suivi d’un nom ; mettez la valeur "
                                                  "entre guillemets"),
    (r"but found another document|expected a single document|unexpected document separator",
     "un fichier décrit une seule édition ; retirez la ligne « --- »"),
    (r"could not determine a constructor for the tag '(.*)'", "étiquette « {0} » non acceptée ; retirez-la ou mettez "
                                                              "la valeur entre guillemets"),
    (r"expected the node content, but found '(.*)'", "valeur attendue, « {0} » trouvé ; mettez la valeur entre "
                                                     "guillemets"),
    (r"sequence entries are not allowed", "tiret de liste « - » mal placé ; vérifiez l’indentation"),
    (r"mapping keys are not allowed", "« ? » inattendu ; mettez la valeur entre guillemets"),
    (r"chomping or indentation indicators|indentation indicator", "après « | » ou « > », seuls « - », « + » ou "
                                                                  "un chiffre sont permis"),
    (r"expected a comment or a line break", "rien ne peut suivre « | » ou « > » sur sa ligne, sauf un "
                                            "commentaire"),
    (r"directive|tag handle|non-specific tag|expected '!'|expected URI", "« % » ou « ! » inattendu ; mettez la "
                                                                         "valeur entre guillemets"),
]

# Contexts in which PyYAML gives up far below an opening that was never closed.
UNCLOSED = [
    (r"while scanning a (double-)?quoted scalar", "le guillemet ouvert ici n’est pas refermé"),
    (r"while parsing a flow sequence", "le crochet « [ » ouvert ici n’est pas refermé"),
    (r"while parsing a flow mapping", "l’accolade « { » ouverte ici n’est pas refermée"),
]


def _at(mark: yaml.Mark | None) -> Position:
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _problem(text: str) -> str:
    for pattern, message in PROBLEMS:
        found = re.search(pattern, text)
        if found:
            return message.format(*found.groups())
    return "écriture incorrecte à cet endroit"


def syntax_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[Position, str]:
    """The position and French message of a parser error."""
    problem, context = exc.problem or "", exc.context or ""
    opened, stopped = exc.context_mark, exc.problem_mark
    for pattern, message in UNCLOSED:
        if re.match(pattern, context) and opened and stopped and stopped.line > opened.line:
            line, column = _at(stopped)
            return _at(opened), f"{SYNTAX}{message} (la lecture s’arrête ligne {line}, colonne {column})"
    swallowing = _swallowing_quote(text, stopped.line if stopped else len(text))
    if swallowing is not None:
        line, column = _at(swallowing.end_mark)
        return _at(swallowing.start_mark), (f"{SYNTAX}le guillemet ouvert ici ne se referme que ligne {line}, "
                                            f"colonne {column - 1} : il manque sans doute son guillemet fermant")
    if "could not find expected ':'" in problem and opened is not None:
        return _at(opened), SYNTAX + _problem(problem)
    return _at(stopped or opened), SYNTAX + _problem(problem)


KEY_LINE = re.compile(r"\n[ \t]*(- +)?[A-Za-z_][\w-]*:( |$)", re.M)


def _swallowing_quote(text: str, stop_line: int) -> yaml.ScalarToken | None:
    """The quoted text, before the parser gave up, that runs over lines holding keys: a quote left open."""
    scanner = yaml.SafeLoader(text)
    found = None
    try:
        while (token := scanner.get_token()) is not None and token.start_mark.line <= stop_line:
            if (isinstance(token, yaml.ScalarToken) and not token.plain and token.end_mark.line > token.start_mark.line
                    and KEY_LINE.search(text, token.start_mark.index, token.end_mark.index)):
                found = token
    except yaml.YAMLError:
        pass  # the scanner stops where the parser stopped, or before
    finally:
        scanner.dispose()
    return found


def reader_error(exc: yaml.reader.ReaderError, text: str) -> tuple[Position, str]:
    """The position and French message of a character YAML does not accept (a control character)."""
    before = text[: exc.position]
    line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    return (line, column), (f"caractère de contrôle U+{code:04X} interdit ; retirez-le (il vient souvent "
                            "d’un copier-coller)")
