"""People who sign in: applicants (one-time links) and staff (password, with roles), and what guards it."""

from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db
from roles import APPLICANT, STAFF_ROLES
from timekeeping import now


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(20), default=APPLICANT)
    display_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # set by `flask users lock`
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")  # bumped: sessions end
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def get_id(self) -> str:
        """What the session cookie names: the account and its session generation (see accounts.identities)."""
        return f"{self.id}:{self.session_generation or 0}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class LoginToken(db.Model):
    """A one-time sign-in link: only its hash is stored; it expires and is used once."""

    __tablename__ = "login_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    next_url: Mapped[str | None] = mapped_column(String(500))

    user = relationship("User")


class SignInThrottle(db.Model):
    """Failed staff sign-ins of one (address, client) pair: growing delays that slow a guesser down without
    locking the account for anyone else. Keyed by a hash, so the table holds no address."""

    __tablename__ = "sign_in_throttles"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    retry_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now, index=True)
