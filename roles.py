"""The roles of people (user accounts) and of fields (what the product reads from an edition's answers).

A leaf module (it imports nothing from the project): the models, the permissions, the sign-in routes, the
state transitions and the edition checks all name roles from here.
"""

from __future__ import annotations

# People
APPLICANT = "applicant"
INSTRUCTOR = "instructeur"
JURY = "jury"
ADMIN = "admin"

USER_ROLES = (APPLICANT, INSTRUCTOR, JURY, ADMIN)
STAFF_ROLES = (INSTRUCTOR, ADMIN)  # the programme team: every dossier, the back-office
LINK_ROLES = (APPLICANT,)  # sign in by emailed one-time link only
PASSWORD_ROLES = (INSTRUCTOR, ADMIN, JURY)  # sign in by password only

# Fields: which field types may carry each role; the product reads these answers with a known shape.
FIELD_ROLE_TYPES: dict[str, tuple[str, ...]] = {
    "title": ("text",),
    "axis": ("choice",),
    "administration": ("text", "choice"),
    "amount_requested": ("amount",),
    "project_cost": ("amount",),
    "contact_email": ("email",),
    "signatory": ("text",),
    "signatory_function": ("text", "choice"),
    "beneficiary_siret": ("text",),  # published with the convention (editions.open_data)
}
FIELD_ROLES = tuple(FIELD_ROLE_TYPES)
AMOUNT_ROLES = tuple(role for role, types in FIELD_ROLE_TYPES.items() if types == ("amount",))
