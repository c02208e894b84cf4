"""The deadline rush on PostgreSQL: complete dossiers submitted by many applicants at once for one minute.

Production profile, everything running: gunicorn workers, PostgreSQL, Redis, the jobs worker (documents)
and the mail worker at a lower CPU priority, delivering to a local SMTP sink. Afterwards: the latency of the
acknowledgement at the sink, how fast the documents backlog drains, and a dossier-by-dossier check
(bench.rush_check).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import states
from bench.loadgen import run_wrk, wrk_available
from bench.rush_check import check, documents_jobs_left, install_clock, median, percentile
from bench.servers import ROOT, SECRET, app_environment, gunicorn, reset_schema, schema_url, signed_in_cookie
from bench.sink import Sink

SCHEMA = "bench_rush"
FROZEN_NOW = "2019-09-06T22:30:00+02:00"  # the last evening
SECONDS = int(os.environ.get("BENCH_RUSH_SECONDS", 60))
CONNECTIONS = 32
WORKERS = 4
DRAFTS = int(os.environ.get("BENCH_RUSH_DRAFTS", 12000))
REDIS_DB = "redis://127.0.0.1:6379/14"
DRAIN_SECONDS = int(os.environ.get("BENCH_RUSH_DRAIN_SECONDS", 120))  # how long the documents backlog is watched

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


def prepare(folder: Path, schema: str = SCHEMA, drafts: int = DRAFTS,
            extra: dict | None = None) -> tuple[list[tuple[int, str, str]], object]:
    """Create `drafts` complete drafts, each with its own applicant; return their sessions and the app."""
    from app import create_app
    from models import Dossier, StoredFile, User, db

    reset_schema(schema)
    app = create_app({"SQLALCHEMY_DATABASE_URI": schema_url(schema), "SECRET_KEY": SECRET, "FROZEN_NOW": FROZEN_NOW,
                      "FILES_FOLDER": str(folder / "files"), "MAIL_FOLDER": str(folder / "mail"), **(extra or {})})
    edition = app.extensions["editions"].get("etna-2019-2")
    steps = [s.key for s in edition.steps]
    with app.app_context():
        db.create_all()
        db.session.execute(db.insert(User), [{"email": f"rush{i}@interieur.gouv.fr", "role": "applicant"}
                                             for i in range(drafts)])
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


@contextlib.contextmanager
def background_workers(env: dict[str, str]):
    """The jobs worker and the mail worker, as supervisors run them in production, at a lower CPU priority
    (nice 10) than the web workers: submissions first, documents and mail in the time left."""
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    processes = [subprocess.Popen(["nice", "-n", "10", *flask, *command], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for command in (["jobs", "worker"], ["mail", "worker", "--interval", "0.5"])]
    try:
        yield processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def _wait(condition, seconds: float) -> float | None:
    """Poll `condition` for up to `seconds`; the seconds it took, None when it never held."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return time.monotonic() - started
        time.sleep(0.5)
    return None


def run() -> list[str]:
    if not wrk_available():
        return ["wrk absent (apt-get install wrk) : mesure du rush non faite."]
    import sqlalchemy as sa

    lines = [f"Rush de la date limite — PostgreSQL, {WORKERS} workers gunicorn, {CONNECTIONS} candidats simultanés, "
             f"{SECONDS} s ; worker des tâches et worker des courriels lancés (nice 10), SMTP local (aiosmtpd)",
             f"  charge de la machine avant : {load()}"]
    subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True, check=False)
    engine = sa.create_engine(schema_url(SCHEMA))
    with tempfile.TemporaryDirectory() as tmp, Sink() as sink:
        folder = Path(tmp)
        sessions, app = prepare(folder)
        install_clock(engine)
        requests = [{"method": "POST", "path": f"/dossiers/{did}/deposer", "body": f"csrf_token={token}",
                     "headers": {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}}
                    for did, cookie, token in sessions]
        env = {**app_environment(SCHEMA, folder, FROZEN_NOW), "REDIS_URL": REDIS_DB,
               "APPELS_MAIL_SERVER": "127.0.0.1", "APPELS_MAIL_PORT": str(sink.port)}
        with background_workers(env), gunicorn("app:create_app()", env, workers=WORKERS) as url:
            result = run_wrk(url, requests, SECONDS, CONNECTIONS)
            during = load()
            ended = time.monotonic()
            drained = _wait(lambda: documents_jobs_left(engine) == 0, DRAIN_SECONDS)
            left = documents_jobs_left(engine)
            elapsed = time.monotonic() - ended
            _wait(lambda: len(sink.arrivals()) >= 2 * result.requests, 10)  # the last mails in flight
        addressed = list(dict.fromkeys(sessions[i][0] for i in result.sent))
        found = check(engine, addressed, result.in_flight, sink.arrivals())
    engine.dispose()
    subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True, check=False)
    made = len(found.submitted) - left
    lines.append(f"  {result.requests / SECONDS:.1f} dépôts/s   p50 {result.p50_ms:.0f} ms   p95 {result.p95_ms:.0f} ms"
                 f"   p99 {result.p99_ms:.0f} ms   ({result.requests} requêtes)   erreurs {result.errors}"
                 f"   (charge pendant : {during})")
    lines.append(f"  accusé de dépôt au serveur SMTP : médiane {median(found.ack_latencies):.1f} s, "
                 f"p95 {percentile(found.ack_latencies, 0.95):.1f} s ({len(found.ack_latencies)} accusés ; "
                 "cible p95 < 30 s)")
    if drained is not None:
        lines.append(f"  documents : file vidée {drained:.0f} s après la fin du rush")
    else:
        rate = made / (SECONDS + elapsed) if made else 0.0
        projected = f"{left / rate / 60:.0f} min de plus à ce rythme" if rate else "rythme nul"
        lines.append(f"  documents : {made} dossiers mis en forme pendant le rush et les {elapsed:.0f} s suivantes "
                     f"({rate:.2f}/s), {left} encore en file ({projected} ; mesure arrêtée à {DRAIN_SECONDS} s)")
    lost = found.unexplained
    lines.append(f"  vérification dossier par dossier : {len(addressed)} envoyés, {len(found.submitted)} déposés, "
                 f"requêtes coupées par la fin de la mesure {result.in_flight}, perdus {len(lost)}"
                 f"{' ' + str(lost[:20]) if lost else ''} ; documents et courriel des documents vérifiés pour "
                 f"{len(found.documents_done)}, en file {len(found.backlog)} ; anomalies {len(found.problems)}")
    lines += [f"    {problem}" for problem in found.problems[:10]]
    lines.append("  (cibles : ≥ 50 dépôts/s, p99 < 500 ms, 0 erreur, 0 perte ; chaque dossier : un dépôt, un accusé, "
                 "un jeu de documents, un courriel des documents)")
    if result.requests > DRAFTS:
        lines.append(f"  attention : plus de requêtes ({result.requests}) que de brouillons ({DRAFTS}) : "
                     "les suivantes étaient des doubles dépôts, refusés")
    return lines


def load() -> str:
    """The machine's load average (1, 5, 15 min), to read every figure against."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f} sur {os.cpu_count()} cœurs"
