"""Refuse an edition that declares `open_data` while its conventions could not be published.

Each published column that comes from the answers needs the field (or total) carrying its role
(editions.open_data.PUBLISHED_ROLES); the attributing body's own keys are checked by the schema.
"""

from __future__ import annotations

from editions.check_context import CheckContext
from editions.loader import EditionError
from editions.open_data import PUBLISHED_ROLES

HOW = {
    "administration": "au champ qui demande l’administration porteuse (type text ou choice)",
    "beneficiary_siret": "au champ qui demande le numéro SIRET du porteur (type text, par exemple avec "
                         "« pattern: '^[0-9]{14}$' »)",
    "title": "au champ qui demande le titre du projet (type text)",
    "project_cost": "au champ ou au total qui donne le coût total du projet (type amount)",
}


def check_open_data(ctx: CheckContext) -> list[EditionError]:
    """Every role the publication reads is carried by a field or a total of the edition."""
    if ctx.edition.definition.open_data is None:
        return []
    return [ctx.error(("open_data",), f"les conventions ne peuvent pas être publiées en open data sans "
                                      f"{column} : donnez « role: {role} » {HOW[role]}", key=True)
            for role, column in PUBLISHED_ROLES.items() if not ctx.edition.has_role(role)]
