"""The laureate's convention page: download the convention, send back the signed copy, see where it stands."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.file import FileField

from documents.generate import documents_for
from dossiers import permissions
from forms.french import FrenchForm
from models import db
from staff import agreements
from web.applicant import bp
from web.applicant.access import dossier_or_404


class SignedCopyForm(FrenchForm):
    signed_copy = FileField("Convention signée (PDF)",
                            description="Le fichier PDF de la convention, signée par le signataire indiqué dans le "
                                        "dossier. 20 Mo au plus.")


@bp.route("/dossiers/<int:dossier_id>/convention", methods=["GET", "POST"])
@login_required
def agreement(dossier_id: int):
    dossier, edition = dossier_or_404(dossier_id)
    if not permissions.is_owner(current_user, dossier):
        abort(404)
    stage = agreements.stage(dossier)
    if stage is None or stage.label == agreements.TO_SEND:
        abort(404)
    form = SignedCopyForm()
    status = 200
    if request.method == "POST":
        if not permissions.can_upload_signed_agreement(current_user, dossier):
            flash("La convention est déjà contresignée : elle ne peut plus être remplacée.", "error")
            return redirect(url_for("applicant.agreement", dossier_id=dossier.id))
        if form.validate_on_submit():
            try:
                agreements.upload_signed_copy(dossier, request.files.get("signed_copy"), current_user)
            except agreements.AgreementRefused as refused:
                db.session.rollback()
                form.signed_copy.errors = [str(refused)]
                status = 422
            else:
                db.session.commit()
                flash("La convention signée est bien reçue. L'équipe du programme va la contresigner.", "success")
                return redirect(url_for("applicant.agreement", dossier_id=dossier.id))
        else:
            status = 400
    documents = [d for d in documents_for(dossier, "applicant") if d.produced_on == "laureate"]
    return render_template("applicant/agreement.html", dossier=dossier, edition=edition, stage=stage, form=form,
                           documents=documents, can_upload=permissions.can_upload_signed_agreement(current_user,
                                                                                                     dossier)), status
