"""Preview of an edition for the programme team: walk the form and get its documents from sample data,
opened or not, without creating a dossier."""

from flask import Blueprint, abort
from flask_login import current_user

from dossiers import permissions
from extensions import login_manager

bp = Blueprint("preview", __name__, url_prefix="/equipe/apercu")
login_manager.blueprint_login_views["preview"] = "auth.staff_sign_in"


@bp.before_request
def programme_team_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not permissions.can_manage(current_user):
        abort(403)
    return None


from web.preview import routes  # noqa: E402,F401
