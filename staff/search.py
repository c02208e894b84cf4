"""Search dossiers by the words of their title: PostgreSQL's full-text search (French, indexed), else LIKE.

On PostgreSQL the condition uses the GIN index `ix_dossiers_title_search`, so it stays fast with tens of
thousands of dossiers; SQLite (the embedded default, a few hundred dossiers) matches each word anywhere.
A query that is a reference (ETNA2-2019-0042) finds that dossier too.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from models import Dossier, db

WORD = re.compile(r"\w+", re.UNICODE)


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def title_condition(query: str) -> ColumnElement[bool] | None:
    """The condition on dossiers for a search typed by staff; None when it holds no word."""
    words = WORD.findall(query or "")
    if not words:
        return None
    reference = Dossier.reference == query.strip().upper()
    if db.session.get_bind().dialect.name == "postgresql":
        french = sa.literal_column("'french'")
        matches = sa.func.to_tsvector(french, Dossier.title).op("@@")(
            sa.func.plainto_tsquery(french, " ".join(words)))
    else:
        matches = sa.and_(*[Dossier.title.ilike(f"%{_escape_like(w)}%", escape="\\") for w in words])
    return sa.or_(reference, matches)
