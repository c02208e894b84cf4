"""Where a laureate's convention de financement stands: sent, signed copy received, countersigned; and its
legal commitment in Chorus, under which its instalments are paid."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db
from timekeeping import now


class Agreement(db.Model):
    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), unique=True)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    signed_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id", ondelete="SET NULL"))
    signed_uploaded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    signature_fields: Mapped[int | None]  # signature fields pypdf found in the signed copy
    countersigned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    countersigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    countersign_comment: Mapped[str | None] = mapped_column(Text)
    legal_commitment: Mapped[str | None] = mapped_column(String(10))  # n° d'engagement juridique Chorus (payments)

    dossier = relationship("Dossier")
    signed_file = relationship("StoredFile")
    countersigned_by = relationship("User")
