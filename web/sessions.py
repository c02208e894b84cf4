"""Sessions: a fresh one at each sign-in, revoked at sign-out, ended after a while without a request.

The cookie names the account and its session generation (accounts.identities); these helpers are the
only places the views open and close a session, so rotation and revocation cannot be forgotten.
"""

from __future__ import annotations

import datetime as dt
import time

from flask import Flask, current_app, g, request, session
from flask_login import current_user, login_user, logout_user

from accounts import identities
from extensions import login_manager
from models import User, db
from roles import PASSWORD_ROLES

SEEN = "_seen"  # wall-clock second of the last request (not the app clock, which tests and previews freeze)


def start_session(user: User) -> None:
    """Sign `user` in on a brand-new session: nothing planted before (nor the CSRF secret) survives."""
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF caches the signed token per app context: drop the old secret's
    login_user(user)
    session[SEEN] = int(time.time())


def end_session() -> None:
    """Sign out everywhere this session was copied: the account's generation moves on. Commits."""
    if current_user.is_authenticated:
        identities.revoke_sessions(current_user._get_current_object())
        db.session.commit()
    logout_user()
    session.clear()


def idle_limit(user: User) -> dt.timedelta:
    """Staff and jury hold more than their own dossier: their sessions end sooner."""
    if user.role in PASSWORD_ROLES:
        return dt.timedelta(minutes=float(current_app.config["STAFF_IDLE_MINUTES"]))
    return dt.timedelta(hours=float(current_app.config["APPLICANT_IDLE_HOURS"]))


def init_app(app: Flask) -> None:
    login_manager.user_loader(identities.user_of_session)  # the account a session cookie names, if it stands

    @app.before_request
    def end_idle_sessions() -> None:
        if request.endpoint in ("static", "dsfr") or "_user_id" not in session or not current_user.is_authenticated:
            return
        seen, moment = session.get(SEEN), int(time.time())
        if not isinstance(seen, int) or moment - seen > idle_limit(current_user).total_seconds():
            logout_user()
            session.clear()
        elif moment - seen >= 60:  # rewrite the cookie at most once a minute
            session[SEEN] = moment
