"""The back-office (/equipe): the programme team's pages and the jury's, behind one door.

Anonymous visitors are sent to the staff sign-in; applicants are refused; each view then checks the
finer right (programme team only, or the jury member reviewing the dossier) in web.staff.access.
"""

from flask import Blueprint, abort
from flask_login import current_user

from dossiers import permissions
from extensions import login_manager
from formatting import format_note, format_percent

bp = Blueprint("staff", __name__, url_prefix="/equipe")
bp.add_app_template_filter(format_percent, "percent_fr")
bp.add_app_template_filter(format_note, "note_fr")
login_manager.blueprint_login_views["staff"] = "auth.staff_sign_in"


@bp.before_request
def enter_back_office():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not permissions.can_enter_back_office(current_user):
        abort(403)
    return None


from web.staff import (  # noqa: E402,F401,I001
    dashboard, dossiers, exports, invitations, jobs, jury, mails, payments, publication, reports, results,
    workshops,
)
