"""Helpers for the back-office tests: accounts, dossiers in any state, and signing people in.

Dossiers are filled with the answers of tests/journey.py, validated by the real step forms (no HTTP,
so hundreds are cheap); the season test walks the applicant's journey over HTTP instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject
from werkzeug.datastructures import MultiDict

import states
from accounts.passwords import set_password
from dossiers import lifecycle
from dossiers.references import next_reference
from forms.answers import extract_answers, form_for, validate_step
from models import Dossier, StoredFile, Transition, User, db
from storage import file_store
from tests.journey import EDITION, ETNA_STEPS, csrf_token, pdf_bytes
from timekeeping import now

PASSWORD = "mot-de-passe-de-test"

# From submitted (déposé) to each state, the path the lifecycle walks, with the comments it requires.
PATHS = {
    states.SUBMITTED: [],
    states.ELIGIBLE: [states.ELIGIBLE],
    states.INELIGIBLE: [states.INELIGIBLE],
    states.UNDER_REVIEW: [states.ELIGIBLE, states.UNDER_REVIEW],
    states.LAUREATE: [states.ELIGIBLE, states.UNDER_REVIEW, states.LAUREATE],
    states.NOT_SELECTED: [states.ELIGIBLE, states.UNDER_REVIEW, states.NOT_SELECTED],
    states.AGREEMENT_SENT: [states.ELIGIBLE, states.UNDER_REVIEW, states.LAUREATE,
                               states.AGREEMENT_SENT],
    states.AGREEMENT_SIGNED: [states.ELIGIBLE, states.UNDER_REVIEW, states.LAUREATE,
                                 states.AGREEMENT_SENT, states.AGREEMENT_SIGNED],
    states.IN_PROGRESS: [states.ELIGIBLE, states.UNDER_REVIEW, states.LAUREATE, states.AGREEMENT_SENT,
                         states.AGREEMENT_SIGNED, states.IN_PROGRESS],
    states.CLOSED: [states.ELIGIBLE, states.UNDER_REVIEW, states.LAUREATE, states.AGREEMENT_SENT,
                    states.AGREEMENT_SIGNED, states.IN_PROGRESS, states.CLOSED],
    states.ABANDONED: [states.ELIGIBLE, states.UNDER_REVIEW, states.LAUREATE, states.AGREEMENT_SENT,
                       states.AGREEMENT_SIGNED, states.ABANDONED],
}


@contextmanager
def standalone_app(folder: Path, **config) -> Iterator:
    """An app on a fresh database, as the `app` fixture makes, for a module's worth of tests sharing it."""
    from app import create_app
    from tests.conftest import IsolatedClient, _database_url

    instance = folder / "instance"
    instance.mkdir()
    application = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": _database_url(folder),
        "FILES_FOLDER": str(instance / "files"), "MAIL_FOLDER": str(instance / "mail"), "BACKGROUND_MAIL": False,
        "SERVER_NAME": "localhost", "PUBLIC_URL": "http://localhost", "JOBS_EAGER": True, **config,
    })
    application.test_client_class = IsolatedClient
    with application.app_context():
        db.create_all()
        yield application
        db.session.remove()
        db.engine.dispose()


def edition(app, edition_id: str = EDITION):
    return app.extensions["editions"].get(edition_id)


def make_user(email: str, role: str, password: str | None = PASSWORD) -> User:
    user = User(email=email, role=role, display_name=email.split("@")[0].replace(".", " ").title())
    if password and role != "applicant":
        set_password(user, password)
    db.session.add(user)
    db.session.commit()
    return user


def sign_in_as(client, user: User) -> None:
    """Open a session for `user` as Flask-Login would after signing in (the sign-in itself is tested apart)."""
    import time

    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["_seen"] = int(time.time())


def staff_sign_in(client, email: str, password: str = PASSWORD):
    """Sign in through the staff form, as people do."""
    token = csrf_token(client, "/connexion/equipe")
    return client.post("/connexion/equipe", data={"csrf_token": token, "email": email, "password": password})


def etna_answers(app, steps: dict | None = None) -> dict:
    """The stored answers of a complete ETNA 2 dossier, through the real step forms (files left out)."""
    loaded = edition(app)
    answers: dict = {}
    for step_key, data in (steps or ETNA_STEPS).items():
        step = loaded.step(step_key)
        form = form_for(loaded, step, answers, formdata=MultiDict(_as_multidict(data)), csrf=False)
        files = {"lettre_engagement": [0]} if step_key == "pieces_jointes" else {}
        assert validate_step(form, loaded, step, {**answers, **files}), (step_key, form.errors)
        answers = extract_answers(form, loaded, step, {**answers, **files})
    return answers


def _as_multidict(data: dict) -> list[tuple[str, str]]:
    return [(k, item) for k, v in data.items() for item in (v if isinstance(v, list) else [v])]


def make_dossier(app, owner: User, state: str = states.SUBMITTED, actor: User | None = None,
                 answers: dict | None = None, **changes) -> Dossier:
    """A dossier of ETNA 2 submitted by `owner`, then walked to `state` with a transition row for each step."""
    loaded = edition(app)
    answers = dict(answers or etna_answers(app))
    for key, value in changes.items():
        answers[key] = value
    dossier = Dossier(edition_id=loaded.id, revision=loaded.revision, owner_id=owner.id, state=states.DRAFT,
                      answers={}, set_aside={}, completed_steps=[s.key for s in loaded.steps])
    db.session.add(dossier)
    db.session.flush()
    letter = pdf_bytes(2)
    stored = StoredFile(dossier_id=dossier.id, field_key="lettre_engagement", original_name="lettre-engagement.pdf",
                        storage_key=file_store().save(letter), sha256=hashlib.sha256(letter).hexdigest(),
                        size=len(letter), pages=2, uploaded_by_id=owner.id)
    db.session.add(stored)
    db.session.flush()
    answers["lettre_engagement"] = [stored.id]
    dossier.answers = answers
    dossier.title, dossier.axis, dossier.administration = answers["titre"], answers["axe"], answers["administration"]
    if state == states.DRAFT:
        db.session.commit()
        return dossier
    dossier.reference = next_reference(loaded)
    dossier.submitted_at = now()
    lifecycle.transition(dossier, states.SUBMITTED, owner)
    for target in PATHS[state]:
        comment = "Motif de test." if states.TRANSITIONS[(dossier.state, target)].comment_required else None
        if target == states.CLOSED:
            settle_follow_up(dossier)
        lifecycle.transition(dossier, target, actor, comment)
        if target == states.LAUREATE:
            dossier.granted_amount = Decimal("120000.00")
    db.session.commit()
    return dossier


def settle_follow_up(dossier: Dossier) -> None:
    """Mark every payment line of the dossier paid and its final report accepted (a fixture's shortcut: payments
    and reports are tested apart), so that nothing blocks closing it."""
    from payments.line_states import PAID
    from payments.lines import ensure_lines

    for line in ensure_lines(dossier):
        line.state, line.paid_on = PAID, now().date()
    accept_final_report(dossier)


def accept_final_report(dossier: Dossier) -> None:
    """Mark the dossier's final report accepted (a fixture's shortcut: the review is tested apart)."""
    from flask import current_app

    from reports.lifecycle import ACCEPTED
    from reports.schedule import ensure_reports

    edition = current_app.extensions["editions"].get(dossier.edition_id)
    finals = {report.key for report in edition.definition.reports if report.final}
    for report in ensure_reports(dossier, edition):
        if report.report_key in finals:
            report.state = ACCEPTED
    db.session.flush()


def transitions_of(dossier: Dossier) -> list[Transition]:
    db.session.expire_all()
    return list(db.session.execute(db.select(Transition).filter_by(dossier_id=dossier.id)
                                   .order_by(Transition.id)).scalars())


def signed_pdf(pages: int = 3) -> bytes:
    """A PDF with one signature field, as a convention signed electronically carries."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    field = DictionaryObject({
        NameObject("/FT"): NameObject("/Sig"), NameObject("/T"): TextStringObject("Signature1"),
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
    })
    reference = writer._add_object(field)
    writer.pages[0][NameObject("/Annots")] = ArrayObject([reference])
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject([reference])})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def form_token(page_text: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page_text)
    assert match, "no CSRF token on the page"
    return match.group(1)


def aware(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)
