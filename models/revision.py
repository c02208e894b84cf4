"""The YAML text of every revision of an edition a dossier was filled against, so it renders as it was."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import UTCDateTime, db
from timekeeping import now


class EditionRevision(db.Model):
    __tablename__ = "edition_revisions"

    edition_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    revision: Mapped[str] = mapped_column(String(32), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    first_used_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
