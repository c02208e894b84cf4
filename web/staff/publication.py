"""The laureates page seen from the back-office: the preview of what would be published, the publication
history, and the actions (publish, update, withdraw: admins only; invite laureates to review: the team).
The app's CSRF protection refuses a form without its token before any of these views runs."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from dossiers import permissions
from models import db
from publication import laureates, operations
from publication.summaries import MISSING, WRITTEN
from web.staff import bp
from web.staff.access import edition_or_404, manage_required


@bp.get("/editions/<edition_id>/publication")
@manage_required
def publication_page(edition_id: str):
    edition = edition_or_404(edition_id)
    preview = laureates.cards(edition)
    publication = operations.current(edition.id)
    standing, leaving = laureates.compared(preview, publication)
    sources = [card.summary.source for card in preview]
    return render_template(
        "staff/publication.html", edition=edition, preview=preview, publication=publication, standing=standing,
        leaving=leaving, outdated=bool(leaving) or any(s != laureates.SAME for s in standing.values()),
        reviewed=sources.count(WRITTEN), missing=sources.count(MISSING), history=operations.history(edition.id),
        can_publish=permissions.can_publish_laureates(current_user))


@bp.post("/editions/<edition_id>/publication/publier")
@manage_required
def publish_laureates(edition_id: str):
    """Publish the page, or update it when it is public (the snapshot becomes today's preview)."""
    edition = _edition_for_admin(edition_id)
    was_public = operations.current(edition.id) is not None
    try:
        publication = operations.publish(edition, current_user)
        db.session.commit()
    except operations.PublicationRefused as refused:
        db.session.rollback()
        return _back(str(refused), "error", edition.id)
    except IntegrityError:  # published at the same instant by another admin
        db.session.rollback()
        return _back("La page vient d'être publiée par ailleurs : vérifiez-la avant de la mettre à jour.",
                     "warning", edition.id)
    count = len(publication.laureates)
    what = "mise à jour" if was_public else "publiée"
    return _back(f"La page des lauréats est {what} : {count} projet{'s' if count > 1 else ''}.", "success",
                 edition.id)


@bp.post("/editions/<edition_id>/publication/retirer")
@manage_required
def withdraw_laureates(edition_id: str):
    edition = _edition_for_admin(edition_id)
    try:
        operations.withdraw(edition, current_user)
        db.session.commit()
    except operations.PublicationRefused as refused:
        db.session.rollback()
        return _back(str(refused), "error", edition.id)
    return _back("La page des lauréats est retirée : ses adresses répondent « page introuvable ».", "success",
                 edition.id)


@bp.post("/editions/<edition_id>/publication/inviter")
@manage_required
def invite_laureates(edition_id: str):
    """Ask by mail the laureates who have not reviewed their summary to do so (once per laureate)."""
    edition = edition_or_404(edition_id)
    queued = operations.invite_to_review(edition)
    db.session.commit()
    if queued == 0:
        return _back("Aucun courriel envoyé : chaque lauréat qui n'a pas relu son résumé a déjà été invité à le "
                     "faire.", "info", edition.id)
    return _back(f"{queued} lauréat{'s' if queued > 1 else ''} invité{'s' if queued > 1 else ''} par courriel à "
                 f"relire son résumé.", "success", edition.id)


def _edition_for_admin(edition_id: str):
    """The edition, for an admin only: the rest of the team and the jury get 403."""
    if not permissions.can_publish_laureates(current_user):
        abort(403)
    return edition_or_404(edition_id)


def _back(message: str, category: str, edition_id: str):
    flash(message, category)
    return redirect(url_for("staff.publication_page", edition_id=edition_id))
