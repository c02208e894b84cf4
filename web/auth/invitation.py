"""The page an invited member of the team or the jury opens to set their password (accounts.invitations)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from accounts import invitations
from extensions import limiter
from models import db
from web.auth import bp
from web.auth.forms import ChoosePasswordForm
from web.auth.routes import _login_limit


@bp.route("/connexion/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def accept_invitation(token: str):
    try:
        invitation = invitations.peek(token)
    except invitations.InvitationRefused as refused:
        return render_template("auth/invitation_refused.html", reason=str(refused)), 410
    form = ChoosePasswordForm()
    error = None
    if form.validate_on_submit():
        try:
            user = invitations.accept(token, form.password.data)
        except invitations.InvitationRefused as refused:
            db.session.rollback()
            error = str(refused)
        else:
            db.session.commit()
            flash(f"Votre mot de passe est enregistré. Connectez-vous avec l'adresse {user.email}.", "success")
            return redirect(url_for("auth.staff_sign_in"))
    return render_template("auth/invitation.html", form=form, error=error, invitation=invitation,
                           role=invitations.INVITED_ROLES[invitation.role])
