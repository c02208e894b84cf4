"""Which page may change a draft: the one that saw its latest version, or the page whose own autosaves moved it on.

Every step page (and the summary) carries the version of the dossier it was built from and a token of its own.
A change posted by a page that did not see the latest version is a conflict — another tab or another person
saved since — and writes nothing. The exception is the page's own autosaves: they move the version on, yet
the same page's « Suivant » (or next autosave) is not in conflict with them. A full save ends its page (the
answer is a new page or a redirect): an autosave of that page arriving late is superseded and writes nothing.

The dossier keeps which page made its last change in `last_edit`, with the version that change produced, so
any other change since (by whatever path) makes that record stale.
"""

from __future__ import annotations

import secrets
from enum import Enum

import sqlalchemy as sa

from models import Dossier, db


class Standing(Enum):
    FRESH = "fresh"  # the page saw the latest version
    OWN = "own"  # only this page's own autosaves happened since
    SUPERSEDED = "superseded"  # this page already made its full save: its late autosave is past
    CONFLICT = "conflict"  # someone else changed the dossier since the page was built


def new_page_token() -> str:
    """A fresh token for a page about to be shown."""
    return secrets.token_urlsafe(12)


def lock(dossier: Dossier) -> None:
    """Hold the dossier until the transaction ends, then read it afresh: saves of one dossier take turns.

    PostgreSQL locks the row; SQLite has no row locks, so a write that changes nothing takes its write lock.
    """
    table = Dossier.__table__
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(sa.update(table).where(table.c.id == dossier.id).values(version=table.c.version))
    else:
        db.session.execute(sa.select(table.c.id).where(table.c.id == dossier.id).with_for_update())
    db.session.refresh(dossier)


def standing(dossier: Dossier, page: str, seen_version: str | None) -> Standing:
    """How a change posted by `page`, built from `seen_version`, stands against the dossier as it is now.

    A post without a version (a client that is not our page) is taken as fresh, as before pages carried one.
    """
    if not seen_version or not seen_version.isdigit() or int(seen_version) == dossier.version:
        return Standing.FRESH
    last = dossier.last_edit or {}
    if page and last.get("page") == page and last.get("seen") == int(seen_version) \
            and last.get("version") == dossier.version:
        return Standing.SUPERSEDED if last.get("ended") else Standing.OWN
    return Standing.CONFLICT


def record(dossier: Dossier, page: str, seen_version: str | None, ended: bool) -> None:
    """Note that `page` (built from `seen_version`) makes this change; `ended` for a full save.

    Pending changes are flushed first, so that the version this record names is the one its own flush makes.
    """
    db.session.flush()
    seen = int(seen_version) if seen_version and seen_version.isdigit() else dossier.version
    dossier.last_edit = {"page": page or "", "seen": seen, "version": dossier.version + 1, "ended": ended}
    db.session.flush()
