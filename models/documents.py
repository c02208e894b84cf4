"""Documents generated from Word templates, stored with their checksum and the hash of their inputs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import UTCDateTime, db
from timekeeping import now


class GeneratedDocument(db.Model):
    """One document of a dossier in one format; regenerated only when `inputs_sha256` changes."""

    __tablename__ = "generated_documents"
    __table_args__ = (UniqueConstraint("dossier_id", "doc_key", "fmt", name="uq_generated_documents_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    doc_key: Mapped[str] = mapped_column(String(80))
    fmt: Mapped[str] = mapped_column(String(8))  # "docx" or "pdf"
    inputs_sha256: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    pages: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
