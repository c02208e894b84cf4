"""When an edition accepts new dossiers and submissions: the one place the deadline is decided."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from editions.model import LoadedEdition
from timekeeping import now

Phase = Literal["upcoming", "open", "closed"]


def phase(edition: LoadedEdition, at: dt.datetime | None = None) -> Phase:
    """Say whether the call is not yet open, open, or closed at `at` (default: now).

    `closes_at` is the last instant accepted (timekeeping.closing_instant): closed only after it.
    """
    at = at or now()
    if at < edition.opens_at:
        return "upcoming"
    if at > edition.closes_at:
        return "closed"
    return "open"


def accepts_new_dossiers(edition: LoadedEdition) -> bool:
    return phase(edition) == "open"


def accepts_submissions(edition: LoadedEdition) -> bool:
    """Drafts may be edited and submitted only while the call is open; afterwards they stay readable."""
    return phase(edition) == "open"


def time_left(edition: LoadedEdition) -> dt.timedelta:
    """Time until the closing instant (negative once closed)."""
    return edition.closes_at - now()


def refusal_message(edition: LoadedEdition) -> str:
    """The French sentence shown when the deadline refuses an action."""
    if phase(edition) == "upcoming":
        return "L'appel à projets n'est pas encore ouvert : les candidatures ne sont pas acceptées avant l'ouverture."
    return "L'appel à projets est clos : il n'est plus possible de modifier ni de déposer un dossier."
