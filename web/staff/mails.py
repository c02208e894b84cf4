"""The mails page: messages kept on this machine and failed ones, which staff may send again."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from dossiers import permissions
from models import db
from staff import mailbox
from web.staff import bp
from web.staff.access import admin_required, manage_required
from web.staff.forms import ButtonForm


@bp.get("/courriels")
@manage_required
def mails():
    kept = mailbox.kept_messages() if permissions.is_admin(current_user) else None
    return render_template("staff/mails.html", kept=kept, failed=mailbox.failed_messages(), button=ButtonForm())


@bp.get("/courriels/conserves/<name>")
@admin_required
def kept_mail(name: str):
    try:
        message = mailbox.read_local_message(name)
    except FileNotFoundError:
        abort(404)
    return render_template("staff/mail.html", message=message)


@bp.post("/courriels/<int:message_id>/renvoi")
@manage_required
def send_again(message_id: int):
    if not ButtonForm().validate_on_submit():
        flash("Rechargez la page et recommencez.", "error")
        return redirect(url_for("staff.mails"))
    message = mailbox.send_again(message_id)
    if message is None:
        flash("Ce message n'est pas (ou plus) en échec.", "warning")
        return redirect(url_for("staff.mails"))
    db.session.commit()
    flash(f"Le message « {message.subject} » est de nouveau en attente d'envoi.", "success")
    return redirect(url_for("staff.mails"))
