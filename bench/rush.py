"""The deadline rush on PostgreSQL: complete dossiers submitted by many applicants at once for one minute.

Production profile: gunicorn workers, PostgreSQL, Redis for the jobs (documents and mail are queued for
the workers, which are not started here: the figure is the submission itself). Afterwards the database is
checked: every dossier the load generator submitted is submitted once, references have no gap or double.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import states
from bench.loadgen import run_wrk, wrk_available
from bench.servers import SECRET, app_environment, gunicorn, reset_schema, schema_url, signed_in_cookie

SCHEMA = "bench_rush"
FROZEN_NOW = "2019-09-06T22:30:00+02:00"  # the last evening
SECONDS = int(os.environ.get("BENCH_RUSH_SECONDS", 60))
CONNECTIONS = 32
WORKERS = 4
DRAFTS = int(os.environ.get("BENCH_RUSH_DRAFTS", 12000))
REDIS_DB = "redis://127.0.0.1:6379/14"

ANSWERS = {
    "administration": "Ministère de l'Intérieur", "direction": "Direction du numérique",
    "type_structure": "administration_centrale", "contact_nom": "Camille Martin",
    "contact_fonction": "Cheffe de projet", "contact_email": "camille.martin@interieur.gouv.fr",
    "contact_telephone": "01 23 45 67 89", "signataire_nom": "Dominique Bernard",
    "signataire_fonction": "Directeur du numérique", "participation_edition_1": False,
    "titre": "Tchap pour les équipes", "axe": "travail_collaboratif", "nature": "irritant",
    "irritant_description": "Les agents échangent des fichiers par clé USB.", "description": "Une messagerie.",
    "agents_concernes": 1200, "populations": "Agents des préfectures", "impact_attendu": "Moins de temps perdu.",
    "indicateurs": [{"indicateur": "Part d'agents utilisateurs", "valeur_actuelle": "0 %", "cible": "60 %"}],
    "briques_reutilisees": ["tchap"], "donnees_personnelles": False, "date_debut": "2019-10-01",
    "date_fin": "2020-06-30", "jalons": [{"jalon": "Prototype", "date": "2020-01-15", "livrable": None}],
    "equipe": [{"nom": "Camille Martin", "role_projet": "Cheffe de projet", "organisation": None, "etp": "0,5"}],
    "budget_lignes": [{"poste": "Développement", "detail": None, "montant": "150000.00"}],
    "cout_total": "150000.00", "montant_demande": "150000.00", "cofinancement": False,
    "lettre_engagement": [1], "budget_detaille": [], "planning_detaille": [],
    "attestation_exactitude": ["atteste"], "attestation_reglement": ["accepte"],
    "attestation_signataire": ["atteste"], "disponible_soutenance": True,
}


def prepare(folder: Path) -> tuple[list[tuple[int, str, str]], object]:
    """Create DRAFTS complete drafts, each with its own applicant; return their sessions and the app."""
    from app import create_app
    from models import Dossier, StoredFile, User, db

    reset_schema(SCHEMA)
    app = create_app({"SQLALCHEMY_DATABASE_URI": schema_url(SCHEMA), "SECRET_KEY": SECRET, "FROZEN_NOW": FROZEN_NOW,
                      "FILES_FOLDER": str(folder / "files"), "MAIL_FOLDER": str(folder / "mail")})
    edition = app.extensions["editions"].get("etna-2019-2")
    steps = [s.key for s in edition.steps]
    with app.app_context():
        db.create_all()
        db.session.execute(db.insert(User), [{"email": f"rush{i}@interieur.gouv.fr", "role": "applicant"}
                                             for i in range(DRAFTS)])
        user_ids = db.session.execute(db.select(User.id).order_by(User.id)).scalars().all()
        db.session.execute(db.insert(Dossier), [
            {"edition_id": edition.id, "revision": edition.revision, "owner_id": uid, "state": states.DRAFT,
             "answers": ANSWERS, "set_aside": {}, "completed_steps": steps, "draft_input": {},
             "title": ANSWERS["titre"], "axis": ANSWERS["axe"], "administration": ANSWERS["administration"]}
            for uid in user_ids])
        pairs = db.session.execute(db.select(Dossier.id, Dossier.owner_id).order_by(Dossier.id)).all()
        db.session.execute(db.insert(StoredFile), [
            {"dossier_id": did, "field_key": "lettre_engagement", "original_name": "lettre.pdf",
             "storage_key": "0" * 64, "sha256": "0" * 64, "size": 1000, "pages": 1} for did, _ in pairs])
        db.session.commit()
        sessions = [(did, *signed_in_cookie(app, owner)) for did, owner in pairs]
        db.engine.dispose()
    return sessions, app


def _verify(app, sent: int) -> tuple[int, int, int]:
    """(submitted, lost, reference problems) once the load is over."""
    from models import Dossier, Transition, db

    with app.app_context():
        submitted = db.session.execute(db.select(db.func.count()).select_from(Dossier)
                                       .filter(Dossier.state == states.SUBMITTED)).scalar()
        references = db.session.execute(db.select(Dossier.reference).filter(Dossier.reference.is_not(None)))
        numbers = sorted(int(r.rsplit("-", 1)[1]) for r in references.scalars())
        transitions = db.session.execute(db.select(db.func.count()).select_from(Transition)).scalar()
        db.engine.dispose()
    problems = (len(numbers) != len(set(numbers))) + (numbers != list(range(1, len(numbers) + 1))) + \
        (transitions != submitted)
    return submitted, max(min(sent, DRAFTS) - submitted, 0), problems


def run() -> list[str]:
    if not wrk_available():
        return ["wrk absent (apt-get install wrk) : mesure du rush non faite."]
    lines = [f"Rush de la date limite — PostgreSQL, {WORKERS} workers gunicorn, {CONNECTIONS} candidats simultanés, "
             f"{SECONDS} s"]
    subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True, check=False)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sessions, app = prepare(folder)
        requests = [{"method": "POST", "path": f"/dossiers/{did}/deposer", "body": f"csrf_token={token}",
                     "headers": {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}}
                    for did, cookie, token in sessions]
        env = {**app_environment(SCHEMA, folder, FROZEN_NOW), "REDIS_URL": REDIS_DB}
        with gunicorn("app:create_app()", env, workers=WORKERS) as url:
            result = run_wrk(url, requests, SECONDS, CONNECTIONS)
        submitted, lost, problems = _verify(app, result.requests)
    subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True, check=False)
    lines.append(f"  {result.requests / SECONDS:.1f} dépôts/s   p50 {result.p50_ms:.0f} ms   "
                 f"p99 {result.p99_ms:.0f} ms   "
                 f"erreurs {result.errors}   perdus {lost}   références incohérentes {problems}")
    lines.append(f"  ({submitted} dossiers déposés ; cible ≥ 50 dépôts/s, p99 < 500 ms, 0 erreur, 0 perte)")
    if result.requests > DRAFTS:
        lines.append(f"  attention : plus de requêtes ({result.requests}) que de brouillons ({DRAFTS}) : "
                     "les suivantes étaient des doubles dépôts, refusés")
    return lines
