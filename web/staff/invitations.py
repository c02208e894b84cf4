"""The admins' invitations page: invite a member of the team or the jury; the rules live in accounts.invitations."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from accounts import invitations
from mail.messages import send_staff_invitation
from models import db
from web.staff import bp
from web.staff.access import admin_required
from web.staff.forms import InvitationForm


def _form() -> InvitationForm:
    return InvitationForm().offer(invitations.INVITED_ROLES, current_app.extensions["editions"].all())


@bp.route("/invitations", methods=["GET", "POST"])
@admin_required
def invitations_page():
    form = _form()
    error = None
    if form.validate_on_submit():
        try:
            invitation, secret = invitations.invite(form.email.data, form.role.data, current_user,
                                                    edition_id=form.edition_id.data or None, name=form.name.data)
        except invitations.InvitationRefused as refused:
            db.session.rollback()
            error = str(refused)
        else:
            url = current_app.config["PUBLIC_URL"].rstrip("/") + url_for("auth.accept_invitation", token=secret)
            send_staff_invitation(invitation, url, invitations.INVITED_ROLES[invitation.role],
                                  current_user.display_name or current_user.email, invitations.INVITATION_DAYS)
            db.session.commit()
            flash(f"Invitation envoyée à {invitation.email} : le lien est valable {invitations.INVITATION_DAYS} jours.",
                  "success")
            return redirect(url_for("staff.invitations_page"))
    return render_template("staff/invitations.html", form=form, error=error,
                           invitations=invitations.recent_invitations(), status=invitations.status,
                           roles=invitations.INVITED_ROLES, days=invitations.INVITATION_DAYS)
