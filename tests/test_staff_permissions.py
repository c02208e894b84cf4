"""Who reaches what: every URL of the back-office and every file download, for every kind of person.

The URLs come from the app's url_map, so a new back-office URL is tested as soon as it exists, and
fails `test_every_back_office_url_has_its_rule` until its access rule is written below.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from email.message import EmailMessage

import pytest

import states
import timekeeping
from dossiers import lifecycle
from mail.local import keep_locally
from mail.outbox import enqueue
from models import (
    Agreement,
    DecisionBatch,
    DecisionNotice,
    Dossier,
    JuryAssignment,
    LaureateSummary,
    OutboxMessage,
    PaymentLine,
    Report,
    StaffInvitation,
    db,
)
from models.outbox import FAILED
from payments.commitment import legal_commitment
from payments.line_states import DUE, REQUESTED
from payments.lines import ensure_lines
from publication import operations
from reports import lifecycle as report_states
from reports.schedule import ensure_reports
from staff.sending import start_batch
from tests.journey import EDITION, pdf_bytes
from tests.report_journey import INTERIM
from tests.staff_world import etna_answers, make_dossier, make_user, sign_in_as, standalone_app
from timekeeping import now

ROLES = ("anonymous", "owner", "other applicant", "instructeur", "admin", "jury assigned", "jury not assigned",
         "jury in conflict")

TEAM = "the programme team"  # instructeur, admin
ADMIN = "admins"  # kept mail may hold what only its addressee should read
BACK_OFFICE = "the team and the jury"
JURY = "jury members"
JURY_DOSSIER = "the jury member reviewing the dossier"
READERS = "who reads the dossier"  # its owner, the team, the jury member reviewing it
OWNER = "the dossier's owner"

ACCESS = {
    "staff.home": BACK_OFFICE,
    "staff.dashboard": TEAM,
    "staff.dossier_list": TEAM,
    "staff.dossier_page": TEAM,
    "staff.change_state": TEAM,
    "staff.assign": TEAM,
    "staff.unassign": TEAM,
    "staff.decide": TEAM,
    "staff.countersign": TEAM,
    "staff.ranking_page": TEAM,
    "staff.minutes_download": TEAM,
    "staff.decisions_page": TEAM,
    "staff.send_decisions": TEAM,
    "staff.batch_page": TEAM,
    "staff.batch_progress": TEAM,
    "staff.exports_page": TEAM,
    "staff.export_scdl": TEAM,
    "staff.export_csv": TEAM,
    "staff.export_xlsx": TEAM,
    "staff.export_pdfs": TEAM,
    "staff.mails": TEAM,
    "staff.jobs": TEAM,
    "staff.kept_mail": ADMIN,
    "staff.invitations_page": ADMIN,
    "staff.send_again": TEAM,
    "staff.my_reviews": JURY,
    "staff.review": JURY_DOSSIER,
    "staff.declare_conflict": JURY_DOSSIER,
    "staff.workshops_page": TEAM,
    "staff.workshop_csv": TEAM,
    "staff.publication_page": TEAM,
    "staff.publish_laureates": ADMIN,  # an instructeur sees the preview but never publishes
    "staff.withdraw_laureates": ADMIN,
    "staff.invite_laureates": TEAM,
    "staff.payments_page": TEAM,
    "staff.payments_csv": TEAM,
    "staff.payments_xlsx": TEAM,
    "staff.move_line": TEAM,
    "staff.release_line": ADMIN,  # a line released by hand, outside its condition
    "staff.record_commitment": TEAM,
    "staff.reports_page": TEAM,
    "staff.report_page": TEAM,
    "staff.review_report": TEAM,
    # file downloads and the convention page, outside the back-office
    "applicant.annex": READERS,
    "applicant.document": READERS,
    "applicant.agreement": OWNER,
    "applicant.public_summary": OWNER,
}
ALLOWED = {
    TEAM: {"instructeur", "admin"},
    ADMIN: {"admin"},
    BACK_OFFICE: {"instructeur", "admin", "jury assigned", "jury not assigned", "jury in conflict"},
    JURY: {"jury assigned", "jury not assigned", "jury in conflict"},
    JURY_DOSSIER: {"jury assigned"},
    READERS: {"owner", "instructeur", "admin", "jury assigned"},
    OWNER: {"owner"},
}
STATE_FOR = {"applicant.agreement": states.AGREEMENT_SENT, "staff.countersign": states.AGREEMENT_SENT,
             "staff.change_state": states.SUBMITTED, "applicant.public_summary": states.LAUREATE,
             "staff.publish_laureates": states.LAUREATE, "staff.withdraw_laureates": states.LAUREATE,
             "staff.invite_laureates": states.LAUREATE, "staff.move_line": states.AGREEMENT_SIGNED,
             "staff.release_line": states.AGREEMENT_SIGNED, "staff.record_commitment": states.AGREEMENT_SIGNED,
             "staff.report_page": states.AGREEMENT_SIGNED, "staff.review_report": states.AGREEMENT_SIGNED}


# What an allowed POST must have done: the valid data it is sent with, and a check of its effect read back from the
# database. A POST that answers 302 but changes nothing is not « allowed », it is silently refused.
def _edition(world):
    return world.app.extensions["editions"].get(EDITION)


def _scores(world, dossier, assignment):
    review = _edition(world).definition.review
    return {**{f"{c.key}_score": "3" for c in review.criteria},
            **{f"{c.key}_comment": "Solide." for c in review.criteria}}


def _signed_copy_ready(world, dossier, assignment):
    db.session.add(Agreement(dossier_id=dossier.id, signed_file_id=dossier.answers["lettre_engagement"][0],
                             signed_uploaded_at=now()))
    db.session.commit()
    return {}


def _a_decision_to_send(world, dossier, assignment):
    db.session.execute(db.update(DecisionBatch).where(DecisionBatch.finished_at.is_(None)).values(finished_at=now()))
    lifecycle.transition(dossier, states.NOT_SELECTED, world.people["admin"], "Hors sujet.")
    db.session.commit()
    return {"confirm": "y"}


def _batch_of(dossier) -> bool:
    return db.session.execute(db.select(DecisionNotice).filter_by(dossier_id=dossier.id)).scalar() is not None


def _failed_again(world, dossier, assignment):
    db.session.get(OutboxMessage, world.failed_message_id).status = FAILED
    db.session.commit()
    return {}


def _published(world, dossier, assignment):
    """A page published already, so that withdrawing it does something."""
    operations.publish(_edition(world), world.people["admin"])
    db.session.commit()
    return {}


def _submitted_report(world, dossier, assignment):
    """The interim report of a signed convention, submitted and waiting for its review."""
    interim = ensure_reports(dossier, _edition(world))[0]
    interim.state = report_states.SUBMITTED
    db.session.commit()
    return {"decision": report_states.ACCEPTED}


def _report_state(dossier) -> str:
    return db.session.execute(db.select(Report.state).filter_by(dossier_id=dossier.id, report_key=INTERIM)).scalar()


def _state(dossier) -> str:
    return db.session.get(Dossier, dossier.id).state


def _line(dossier, position: int) -> PaymentLine:
    """The dossier's payment line at `position` (ETNA 2: 1 at signature, 2 on the final report)."""
    db.session.expire_all()
    return next(line for line in ensure_lines(dossier) if line.position == position)


EFFECTS = {
    "staff.change_state": (lambda w, d, a: {"to_state": states.ELIGIBLE, "comment": "Complet."},
                           lambda w, d, a: _state(d) == states.ELIGIBLE),
    "staff.assign": (lambda w, d, a: {"juror_id": str(w.people["jury not assigned"].id)},
                     lambda w, d, a: db.session.execute(db.select(JuryAssignment).filter_by(
                         dossier_id=d.id, juror_id=w.people["jury not assigned"].id)).scalar() is not None),
    "staff.unassign": (lambda w, d, a: {}, lambda w, d, a: db.session.execute(db.select(JuryAssignment).filter_by(
        dossier_id=d.id, juror_id=w.people["jury assigned"].id)).scalar() is None),
    "staff.decide": (lambda w, d, a: {"outcome": "laureat", "amount": "1000"},
                     lambda w, d, a: _state(d) == states.LAUREATE),
    "staff.countersign": (_signed_copy_ready, lambda w, d, a: _state(d) == states.AGREEMENT_SIGNED),
    "staff.send_decisions": (_a_decision_to_send, lambda w, d, a: _batch_of(d)),
    "staff.send_again": (_failed_again,
                         lambda w, d, a: db.session.get(OutboxMessage, w.failed_message_id).status != FAILED),
    "staff.invitations_page": (lambda w, d, a: {"email": f"invite-{d.id}@dinsic.gouv.fr", "role": "instructeur",
                                                "edition_id": ""},
                               lambda w, d, a: db.session.execute(db.select(StaffInvitation).filter_by(
                                   email=f"invite-{d.id}@dinsic.gouv.fr")).scalar() is not None),
    "staff.review_report": (_submitted_report, lambda w, d, a: _report_state(d) == report_states.ACCEPTED),
    "staff.review": (_scores, lambda w, d, a: db.session.get(JuryAssignment, a.id).score is not None),
    "staff.declare_conflict": (lambda w, d, a: {"reason": "Ancien collègue."},
                               lambda w, d, a: db.session.get(JuryAssignment, a.id).conflict_declared_at is not None),
    "staff.publish_laureates": (lambda w, d, a: {},
                                lambda w, d, a: operations.published_card(EDITION, d.id) is not None),
    "staff.withdraw_laureates": (_published, lambda w, d, a: operations.current(EDITION) is None),
    "staff.invite_laureates": (lambda w, d, a: {}, lambda w, d, a: db.session.execute(db.select(OutboxMessage)
                               .filter_by(dedup_key=f"summary_review:{d.id}")).scalar() is not None),
    "applicant.public_summary": (lambda w, d, a: {"summary": "Un résumé relu."},
                                 lambda w, d, a: db.session.execute(db.select(LaureateSummary).filter_by(
                                     dossier_id=d.id)).scalar() is not None),
    "staff.move_line": (lambda w, d, a: {"to_state": REQUESTED, "seen": DUE, "back": "dossier"},
                        lambda w, d, a: _line(d, 1).state == REQUESTED),
    "staff.release_line": (lambda w, d, a: {"reason": "Rapport final reçu et accepté par courrier."},
                           lambda w, d, a: _line(d, 2).state == DUE),
    "staff.record_commitment": (lambda w, d, a: {"number": "2103456789"},
                                lambda w, d, a: legal_commitment(d) == "2103456789"),
    "applicant.agreement": (lambda w, d, a: {"signed_copy": (io.BytesIO(pdf_bytes(1)), "signee.pdf")},
                            lambda w, d, a: getattr(db.session.execute(db.select(Agreement).filter_by(
                                dossier_id=d.id)).scalar(), "signed_file_id", None) is not None),
}


def _rules() -> list[tuple[str, str, str]]:
    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "BACKGROUND_MAIL": False})
    return sorted((rule.endpoint, rule.rule, method) for rule in app.url_map.iter_rules()
                  if rule.endpoint.startswith("staff.") or rule.endpoint in ACCESS
                  for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))


RULES = _rules()


def test_every_back_office_url_has_its_rule():
    endpoints = {endpoint for endpoint, _, _ in RULES}
    assert endpoints == set(ACCESS), "write the access rule of each new URL in ACCESS"
    posted = {endpoint for endpoint, _, method in RULES if method == "POST"}
    assert posted == set(EFFECTS), "write in EFFECTS what each new POST must do"


@dataclass
class World:
    app: object
    people: dict
    clients: dict
    answers: dict
    batch_id: int
    failed_message_id: int
    kept_mail: str


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    patch = pytest.MonkeyPatch()
    patch.setattr("documents.convert.soffice_path", lambda: None)  # no LibreOffice: the rules are the point
    with standalone_app(tmp_path_factory.mktemp("permissions"), WTF_CSRF_ENABLED=False,
                        RATELIMIT_ENABLED=False) as app:
        timekeeping.set_now(dt.datetime(2019, 9, 20, 8, tzinfo=dt.UTC))
        people = {
            "owner": make_user("porteur@interieur.gouv.fr", "applicant"),
            "other applicant": make_user("autre@culture.gouv.fr", "applicant"),
            "instructeur": make_user("instructeur@dinsic.gouv.fr", "instructeur"),
            "admin": make_user("admin@dinsic.gouv.fr", "admin"),
            "jury assigned": make_user("jury.attribue@expert.fr", "jury"),
            "jury not assigned": make_user("jury.ailleurs@expert.fr", "jury"),
            "jury in conflict": make_user("jury.conflit@expert.fr", "jury"),
        }
        clients = {role: app.test_client() for role in ROLES}
        for role, user in people.items():
            sign_in_as(clients[role], user)
        answers = etna_answers(app)
        decided = make_dossier(app, people["other applicant"], states.NOT_SELECTED, answers=answers)
        batch = start_batch(app.extensions["editions"].get(EDITION), people["admin"], dispatch=False)
        message = enqueue("note", "quelqu.un@interieur.gouv.fr", "Note", "Bonjour.", dossier_id=decided.id)
        message.status = FAILED
        db.session.commit()
        eml = EmailMessage()
        eml["To"], eml["Subject"], eml["X-Appels-Kind"] = "quelqu.un@interieur.gouv.fr", "Conservé", "note"
        eml.set_content("Bonjour.")
        kept = keep_locally(eml.as_bytes(), message.id, "note").name
        yield World(app, people, clients, answers, batch.id, message.id, kept)
        timekeeping.set_now(None)
    patch.undo()


def _target(world: World, endpoint: str):
    """A fresh dossier of the owner, reviewed by « jury assigned », with « jury in conflict » set aside."""
    people = world.people
    dossier = make_dossier(world.app, people["owner"], STATE_FOR.get(endpoint, states.UNDER_REVIEW),
                           answers=world.answers)
    assigned = JuryAssignment(dossier_id=dossier.id, juror_id=people["jury assigned"].id, assigned_at=now())
    conflict = JuryAssignment(dossier_id=dossier.id, juror_id=people["jury in conflict"].id, assigned_at=now(),
                              conflict_declared_at=now(), conflict_reason="Ancien collègue du porteur.")
    db.session.add_all([assigned, conflict])
    db.session.commit()
    return dossier, assigned


def _url(world: World, rule: str, dossier, assignment) -> str:
    if "<int:line_id>" in rule:  # the line at signature is moved forward, the one waiting for its report released
        line = _line(dossier, 2 if rule.endswith("/deblocage") else 1)
        db.session.commit()
        rule = rule.replace("<int:line_id>", str(line.id))
    values = {"dossier_id": dossier.id, "edition_id": EDITION, "assignment_id": assignment.id,
              "batch_id": world.batch_id, "message_id": world.failed_message_id, "name": world.kept_mail,
              "file_id": dossier.answers["lettre_engagement"][0], "doc_key": "dossier", "fmt": "docx",
              "workshop_key": "presentation", "report_key": INTERIM}
    url = rule
    for name, value in values.items():
        url = url.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    assert "<" not in url, f"no value for an argument of {rule}: add it to _url"
    return url


def expected(endpoint: str, role: str) -> str | int:
    """What `role` gets from a URL: the sign-in page, the page itself, or a refusal (404 hides a dossier)."""
    access = ACCESS[endpoint]
    if role == "anonymous":
        return "sign-in"
    if role in ALLOWED[access]:
        return "allowed"
    if endpoint.startswith("staff.") and role not in ALLOWED[BACK_OFFICE]:
        return 403  # applicants never pass the back-office's door
    if access == JURY_DOSSIER:
        return 404 if role.startswith("jury") else 403
    return 404 if access in (READERS, OWNER) else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "rule", "method"), RULES, ids=[f"{m} {r}" for _, r, m in RULES])
def test_access(world, endpoint, rule, method, role):
    dossier, assignment = _target(world, endpoint)
    url = _url(world, rule, dossier, assignment)
    data = EFFECTS[endpoint][0](world, dossier, assignment) if method == "POST" else None
    response = world.clients[role].open(url, method=method, data=data, buffered=True)
    status, location = response.status_code, response.headers.get("Location", "")
    outcome = expected(endpoint, role)
    if outcome == "sign-in":
        sign_in = "/connexion/equipe" if endpoint.startswith("staff.") else "/connexion"
        assert status == 302 and location.split("?")[0].endswith(sign_in), (status, location)
    elif outcome == "allowed":
        assert "/connexion" not in location
        if method == "GET":
            jury_home = endpoint == "staff.home" and role.startswith("jury")  # the jury's home is their list
            assert status == (302 if jury_home else 200), (status, location)
        else:
            assert status == 302, (status, location)
            assert EFFECTS[endpoint][1](world, dossier, assignment), f"{role}: {endpoint} answered but did nothing"
    else:
        assert status == outcome, (status, location)


def test_a_member_who_declares_a_conflict_loses_the_dossier_at_once(world):
    dossier, assignment = _target(world, "staff.review")
    client = world.clients["jury assigned"]
    assert client.get(f"/equipe/jury/dossiers/{dossier.id}").status_code == 200
    annex = f"/dossiers/{dossier.id}/pieces/{dossier.answers['lettre_engagement'][0]}"
    assert client.get(annex, buffered=True).status_code == 200
    response = client.post(f"/equipe/jury/dossiers/{dossier.id}/conflit", data={"reason": "J'ai conseillé le porteur."})
    assert response.status_code == 302
    assert client.get(f"/equipe/jury/dossiers/{dossier.id}").status_code == 404
    assert client.get(annex, buffered=True).status_code == 404
    assert dossier.reference not in client.get("/equipe/jury").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(JuryAssignment, assignment.id).conflict_reason == "J'ai conseillé le porteur."


def test_staff_sign_in_leads_to_the_back_office_and_applicants_never_reach_it(world):
    client = world.app.test_client()
    response = client.get("/equipe/editions/etna-2019-2")
    assert response.status_code == 302 and "/connexion/equipe" in response.headers["Location"]
    assert "Espace équipe" in world.clients["admin"].get("/").get_data(as_text=True)
    assert "Espace équipe" not in world.clients["owner"].get("/").get_data(as_text=True)
    assert db.session.get(OutboxMessage, world.failed_message_id) is not None
