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


def lock(record: Dossier) -> None:
    """Hold the dossier (or the report) until the transaction ends, then read it afresh: saves of one record
    take turns.

    PostgreSQL locks the row, and reads it in the same statement; SQLite has no row locks, so a write that
    changes nothing takes its write lock.
    """
    model = type(record)
    table = model.__table__
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(sa.update(table).where(table.c.id == record.id).values(version=table.c.version))
        db.session.refresh(record)
    else:
        db.session.execute(sa.select(model).where(table.c.id == record.id).with_for_update()
                           .execution_options(populate_existing=True)).scalar_one()  # read: that refreshes it


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

    The change (unflushed) and this record are written by the one flush here, so the version the record names
    is the one that flush makes: a save is one UPDATE of the dossier.
    """
    seen = int(seen_version) if seen_version and seen_version.isdigit() else dossier.version
    dossier.last_edit = {"page": page or "", "seen": seen, "version": dossier.version + 1, "ended": ended}
    db.session.flush()
