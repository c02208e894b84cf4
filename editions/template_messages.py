"""Say Jinja's syntax errors (in email texts and Word templates) in the check's own French words."""

from __future__ import annotations

import re

# (Jinja's message, as a regular expression) → what to say; {0}, {1} are the names it quotes.
PROBLEMS: list[tuple[str, str]] = [
    (r"unexpected end of template, expected 'end of print statement'", "le texte s’arrête avant la fin d’une "
                                                                      "balise « {{{{ … }}}} »"),
    (r"Unexpected end of template.*needs to be closed is '(\w+)'", "il manque « {{% end{0} %}} » pour fermer le "
                                                                   "« {{% {0} %}} »"),
    (r"Encountered unknown tag '(end\w+)'", "« {{% {0} %}} » ne ferme aucune balise ouverte"),
    (r"Encountered unknown tag '(\w+)'", "balise inconnue « {{% {0} %}} »"),
    (r"No filter named '([^']+)'", "filtre inconnu « {0} »"),
    (r"No test named '([^']+)'", "test inconnu « {0} »"),
    (r"expected token 'end of print statement', got '([^']+)'", "« {0} » inattendu dans une balise « {{{{ … }}}} »"),
    (r"Expected an expression, got 'end of print statement'", "balise « {{{{ }}}} » vide"),
    (r"expected name or number", "un nom est attendu après « . »"),
    (r"unexpected '([^']+)'", "« {0} » inattendu"),
    (r"unexpected char '([^']+)'", "caractère « {0} » inattendu"),
    (r"Missing end of comment tag", "commentaire « {{# » jamais refermé par « #}} »"),
]


def template_problem(message: str) -> str:
    """Translate one Jinja syntax error message."""
    for pattern, said in PROBLEMS:
        found = re.search(pattern, message, re.S)
        if found:
            return said.format(*found.groups())
    return "écriture de gabarit incorrecte à cet endroit"
