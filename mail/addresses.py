"""Check email addresses when they are typed or queued, so a bad one never reaches the sender."""

from __future__ import annotations

import functools

from email_validator import EmailNotValidError, validate_email


class InvalidAddress(ValueError):
    """An address with a bad syntax; the message is French and names the address."""


def checked_address(address: str) -> str:
    """Return `address` normalised (domain in lower case), or raise InvalidAddress with a clear reason."""
    return _checked((address or "").strip())


@functools.lru_cache(maxsize=4096)
def _checked(text: str) -> str:
    """Validation is pure and costs ~0.5 ms (IDNA tables): each address is checked once per process."""
    if not text:
        raise InvalidAddress("Adresse électronique manquante.")
    try:
        result = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise InvalidAddress(f"L'adresse électronique « {text} » n'est pas valide ({exc}).") from None
    return result.normalized


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
