"""Views of sign-in and sign-out; token rules live in accounts/."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from accounts import passwords, sign_in_links
from extensions import limiter
from mail.messages import send_sign_in_link
from models import LoginToken, db
from web.auth import bp
from web.auth.forms import ConfirmLinkForm, LinkRequestForm, StaffLoginForm
from web.sessions import end_session, start_session


def _safe_next(target: str | None) -> str | None:
    """Keep only local paths, so a link cannot send people to another site, and short enough to be kept."""
    if not target or len(target) > LoginToken.next_url.type.length:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")) or url_for("applicant.my_dossiers"))
    form = LinkRequestForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = sign_in_links.find_or_create_applicant(form.email.data)
        if sign_in_links.may_send_link(user):  # else the same page, and nothing sent (see accounts/)
            token = sign_in_links.issue_link_token(user, _safe_next(form.next.data))
            url = current_app.config["PUBLIC_URL"].rstrip("/") + url_for("auth.use_link", token=token)
            send_sign_in_link(user, url, current_app.config["LOGIN_LINK_MINUTES"])
        db.session.commit()
        return render_template("auth/link_sent.html", email=user.email,
                               minutes=current_app.config["LOGIN_LINK_MINUTES"])
    return render_template("auth/sign_in.html", form=form)


@bp.route("/connexion/lien/<token>", methods=["GET", "POST"])
def use_link(token: str):
    form = ConfirmLinkForm()
    try:
        link = sign_in_links.peek(token)
    except sign_in_links.LinkRefused as refused:
        return render_template("auth/link_refused.html", reason=str(refused)), 410
    if not form.validate_on_submit():
        return render_template("auth/confirm_link.html", form=form, email=link.user.email)
    try:
        user, next_url = sign_in_links.consume(token)
    except sign_in_links.LinkRefused as refused:
        db.session.rollback()
        return render_template("auth/link_refused.html", reason=str(refused)), 410
    db.session.commit()
    start_session(user)
    flash("Vous êtes connecté.", "success")
    return redirect(_safe_next(next_url) or url_for("applicant.my_dossiers"))


@bp.route("/connexion/equipe", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def staff_sign_in():
    form = StaffLoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = passwords.check_login(form.email.data, form.password.data, request.remote_addr)
        except passwords.LoginRefused as refused:
            db.session.commit()  # the failure counts towards this client's delay
            error = str(refused)
        else:
            db.session.commit()
            start_session(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("staff.home"))
    return render_template("auth/staff_sign_in.html", form=form, error=error)


@bp.post("/deconnexion")
def sign_out():
    end_session()
    flash("Vous êtes déconnecté.", "info")
    return redirect(url_for("public.index"))
