"""What an edition declares to publish its conventions as open data (SCDL « subventions » 2.1.1).

The attributing body and the aid's description are the same for every convention of an edition, so they
are written once in the YAML (`open_data:`); the beneficiary comes from the answers, through roles. This
module is the one place that says which roles the publication reads (`PUBLISHED_ROLES`): the check of
`workflows check` and the export (opendata.scdl) both ask it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool, field_validator

from editions.strict import Strict

SIRET_PATTERN = r"^\d{14}$"
SIRET_RULE = "un numéro SIRET de 14 chiffres, écrit entre guillemets (par exemple \"13002526500013\")"
LA_POSTE_SIREN = "356000000"  # most of its establishments' SIRET fail the Luhn key: INSEE sums their digits

# The roles whose answers the publication reads, and the column each one fills.
PUBLISHED_ROLES = {
    "administration": "nomBeneficiaire (nom du bénéficiaire)",
    "beneficiary_siret": "idBeneficiaire (SIRET du bénéficiaire)",
    "title": "objet (objet de la subvention)",
    "project_cost": "pourcentageSubvention (part du coût du projet)",
}


def siret_is_valid(siret: str) -> bool:
    """14 digits whose Luhn key holds (or, for La Poste's establishments, whose digits add up to a multiple of 5)."""
    if len(siret) != 14 or not siret.isdigit():
        return False
    total = 0
    for position, digit in enumerate(int(d) for d in reversed(siret)):
        doubled = digit * 2 if position % 2 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0 or siret.startswith(LA_POSTE_SIREN) and sum(int(d) for d in siret) % 5 == 0


class OpenData(Strict):
    """The attributing body and the aid, as the SCDL « subventions » publishes them for each convention."""

    attributing_body: str = Field(min_length=1)  # nomAttribuant
    attributing_siret: str = Field(pattern=SIRET_PATTERN)  # idAttribuant
    nature: Literal["aide en numéraire", "aide en nature", "aide en numéraire;aide en nature",
                    "aide en nature;aide en numéraire"] = "aide en numéraire"
    eu_notification: StrictBool  # notificationUE: the scheme was notified to the European Commission
    scheme: str | None = None  # dispositifAide: the name of the funding scheme
    rae_id: str | None = Field(default=None, max_length=5)  # idRAE: its number in the aid directory (RAE)

    @field_validator("attributing_siret")
    @classmethod
    def siret_key_holds(cls, value: str) -> str:
        if not siret_is_valid(value):
            raise ValueError(f"le SIRET « {value} » n’est pas valide (sa clé de contrôle ne correspond pas) : "
                             "recopiez-le depuis annuaire-entreprises.data.gouv.fr")
        return value
