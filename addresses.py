"""Check email addresses when they are typed or queued, so a bad one never reaches the sender.

Internationalised addresses: a domain with accents (agent@élysée.fr) is accepted, and sent to in its
ASCII form (IDNA) by the transport; an accent before the @ (josé.dupont@…) is refused where it is typed,
with the address to type instead. Delivering it would need SMTPUTF8 from every relay on the way, which
State mail servers do not all offer: a message accepted by the form then lost is worse than a clear refusal.
A leaf module (it imports nothing from the project): the forms, the outbox and the CLI share this one rule.
"""

from __future__ import annotations

import functools
import unicodedata

from email_validator import EmailNotValidError, validate_email
from wtforms.validators import ValidationError


class InvalidAddress(ValueError):
    """An address with a bad syntax; the message is French and names the address."""


class AccentedAddress(InvalidAddress):
    """An accent before the @: the message says which address to type instead."""


def checked_address(address: str) -> str:
    """Return `address` normalised (domain in lower case), or raise InvalidAddress with a clear reason."""
    return _checked((address or "").strip())


@functools.lru_cache(maxsize=4096)
def _checked(text: str) -> str:
    """Validation is pure and costs ~0.5 ms (IDNA tables): each address is checked once per process."""
    if not text:
        raise InvalidAddress("Adresse électronique manquante.")
    local, _, _ = text.rpartition("@")
    if not local.isascii():
        raise AccentedAddress(_accented_refusal(text))
    try:
        result = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise InvalidAddress(f"L'adresse électronique « {text} » n'est pas valide "
                             "(format attendu : prenom.nom@domaine.fr).") from None
    return result.normalized


def _accented_refusal(text: str) -> str:
    """Say why, and suggest the address without its accents when there is one (josé → jose)."""
    local, _, domain = text.rpartition("@")
    plain = "".join(c for c in unicodedata.normalize("NFKD", local) if not unicodedata.combining(c))
    message = (f"L'adresse électronique « {text} » contient un caractère accentué ou spécial avant le « @ » : "
               "toutes les messageries ne l'acceptent pas.")
    if plain.isascii():
        return f"{message} Indiquez-la sans accent : « {plain}@{domain} »."
    return f"{message} Indiquez une adresse sans accent ni caractère spécial avant le « @ »."


def checked_addresses(addresses: str | list[str] | tuple[str, ...]) -> list[str]:
    """Check each address of a list (or a single address), dropping repeats but keeping the order."""
    if isinstance(addresses, str):
        addresses = [addresses]
    kept: list[str] = []
    for address in addresses:
        normalised = checked_address(address)
        if normalised.lower() not in (k.lower() for k in kept):
            kept.append(normalised)
    return kept


class DeliverableAddress:
    """WTForms validator: the address the outbox will accept, refused in French where it is typed.

    `message` replaces the general « not valid » text; the accent refusal keeps its own (it says what to type).
    """

    def __init__(self, message: str | None = None) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        try:
            checked_address(field.data)
        except InvalidAddress as refused:
            own = self.message is None or isinstance(refused, AccentedAddress)
            raise ValidationError(str(refused) if own else self.message) from None
