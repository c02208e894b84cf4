"""The deadline rush on PostgreSQL: complete dossiers submitted by many applicants at once for one minute.

Production profile, everything running: gunicorn workers, PostgreSQL, Redis, the jobs worker (documents)
and the mail worker at a lower CPU priority, delivering to a local SMTP sink. Afterwards: the latency of the
acknowledgement at the sink, how fast the documents backlog drains, and a dossier-by-dossier check
(bench.rush_check).
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.loadgen import LoadResult, run_wrk, wrk_available
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
ANSWERED = re.compile(r"^/dossiers/(\d+)/")  # where POST /deposer redirects: the dossier's own summary


def prepare(folder: Path, schema: str = SCHEMA, drafts: int = DRAFTS,
            extra: dict | None = None) -> tuple[list[tuple[int, str, str]], object]:
    """Create `drafts` complete drafts (bench.drafts), each with its own applicant, and check that the app would
    deposit them (DraftsRefused otherwise); return their (dossier id, cookie, CSRF token) and the app."""
    from app import create_app
    from bench.drafts import ensure_submittable, insert_drafts
    from models import db

    reset_schema(schema)
    app = create_app({"SQLALCHEMY_DATABASE_URI": schema_url(schema), "SECRET_KEY": SECRET, "FROZEN_NOW": FROZEN_NOW,
                      "FILES_FOLDER": str(folder / "files"), "MAIL_FOLDER": str(folder / "mail"), **(extra or {})})
    edition = app.extensions["editions"].get("etna-2019-2")
    with app.app_context():
        db.create_all()
        pairs = insert_drafts(edition, drafts)
        ensure_submittable(edition, [dossier_id for dossier_id, _ in pairs])
        sessions = [(dossier_id, *signed_in_cookie(app, owner)) for dossier_id, owner in pairs]
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


def answered_dossiers(result: LoadResult) -> list[int]:
    """The dossiers whose POST was answered by a redirect to their own page (a deposit or a refusal)."""
    ids = []
    for status, location in result.answers:
        found = ANSWERED.match(urlsplit(location).path)
        if status in (302, 303) and found:
            ids.append(int(found.group(1)))
    return ids


def verdict(result: LoadResult, addressed: list[int], answered: list[int], deposited: set[int],
            drafts: int) -> list[str]:
    """Why the figures do not measure deposits (empty when they do): any dossier refused or failed, any error,
    dossiers neither deposited nor left unanswered by the end of the measure, more requests than drafts."""
    reasons = []
    refused = [d for d in dict.fromkeys(answered) if d not in deposited]
    if refused:
        reasons.append(f"{len(refused)} dossier(s) répondus sans être déposés : {refused[:10]}")
    if result.errors:
        reasons.append(f"{result.errors} erreur(s) (HTTP ≥ 400 ou connexion)")
    unanswered = [d for d in addressed if d not in deposited and d not in set(answered)]
    if len(unanswered) > result.in_flight:
        reasons.append(f"{len(unanswered)} dossier(s) ni déposés ni répondus, plus que les {result.in_flight} "
                       "requêtes coupées par la fin de la mesure")
    if result.requests > drafts:
        reasons.append(f"plus de requêtes ({result.requests}) que de brouillons ({drafts}) : doubles dépôts")
    return reasons


def run() -> list[str]:
    if not wrk_available():
        return ["wrk absent (apt-get install wrk) : mesure du rush non faite."]
    import sqlalchemy as sa

    from bench.drafts import DraftsRefused, refusal_of

    lines = [f"Rush de la date limite — PostgreSQL, {WORKERS} workers gunicorn, {CONNECTIONS} candidats simultanés, "
             f"{SECONDS} s ; worker des tâches et worker des courriels lancés (nice 10), SMTP local (aiosmtpd)",
             f"  charge de la machine avant : {load()}"]
    subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True, check=False)
    engine = sa.create_engine(schema_url(SCHEMA))
    with tempfile.TemporaryDirectory() as tmp, Sink() as sink:
        folder = Path(tmp)
        try:
            sessions, app = prepare(folder)
        except DraftsRefused as refused:
            engine.dispose()
            reset_schema(SCHEMA)
            return [*lines, f"  RUSH NON MESURÉ : {refused}"]
        install_clock(engine)
        requests = [{"method": "POST", "path": f"/dossiers/{did}/deposer", "body": f"csrf_token={token}",
                     "headers": {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}}
                    for did, cookie, token in sessions]
        env = {**app_environment(SCHEMA, folder, FROZEN_NOW), "REDIS_URL": REDIS_DB,
               "APPELS_MAIL_SERVER": "127.0.0.1", "APPELS_MAIL_PORT": str(sink.port)}
        with background_workers(env), gunicorn("app:create_app()", env, workers=WORKERS) as url:
            result = run_wrk(url, requests, SECONDS, CONNECTIONS, record=True)
            during = load()
            ended = time.monotonic()
            drained = _wait(lambda: documents_jobs_left(engine) == 0, DRAIN_SECONDS)
            left = documents_jobs_left(engine)
            elapsed = time.monotonic() - ended
            _wait(lambda: len(sink.arrivals()) >= 2 * result.requests, 10)  # the last mails in flight
        addressed = list(dict.fromkeys(sessions[i][0] for i in result.sent))
        answered = answered_dossiers(result)
        found = check(engine, addressed, set(addressed) - set(answered), sink.arrivals())
        deposited = set(found.submitted)
        invalid = verdict(result, addressed, answered, deposited, DRAFTS)
        if invalid:
            first = next((d for d in answered if d not in deposited), None) or (found.unexplained or [None])[0]
            if first is not None:
                with app.app_context():
                    invalid.append(f"raison que l'application donne aujourd'hui pour le dossier {first} : "
                                   f"{refusal_of(app.extensions['editions'].get('etna-2019-2'), first)}")
    engine.dispose()
    subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True, check=False)
    made = len(found.submitted) - left
    succeeded = [d for d in dict.fromkeys(answered) if d in deposited]
    refused = len(answered) - len(succeeded)
    if invalid:
        lines.append("  *** MESURE NON VALABLE : des dossiers envoyés n'ont pas été déposés ; les chiffres qui "
                     "suivent ne mesurent pas des dépôts ***")
        lines += [f"      - {reason}" for reason in invalid]
    lines.append(f"  {len(succeeded) / SECONDS:.1f} dépôts réussis/s ({len(succeeded)} dossiers déposés en {SECONDS} s,"
                 f" vérifiés en base un à un) ; refusés {refused} ; erreurs {result.errors}"
                 f"   (charge pendant : {during})")
    lines.append(f"  latence de toutes les réponses : p50 {result.p50_ms:.0f} ms   p95 {result.p95_ms:.0f} ms   "
                 f"p99 {result.p99_ms:.0f} ms   ({result.requests} réponses)")
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
                 f"requêtes coupées par la fin de la mesure {len(set(addressed) - set(answered))}, perdus {len(lost)}"
                 f"{' ' + str(lost[:20]) if lost else ''} ; documents et courriel des documents vérifiés pour "
                 f"{len(found.documents_done)}, en file {len(found.backlog)} ; anomalies {len(found.problems)}")
    lines += [f"    {problem}" for problem in found.problems[:10]]
    lines.append("  (cibles : ≥ 50 dépôts réussis/s, p99 < 500 ms, 0 erreur, 0 perte ; chaque dossier : un dépôt, "
                 "un accusé, un jeu de documents, un courriel des documents)")
    if invalid:
        lines.append("  *** MESURE NON VALABLE (voir plus haut) ***")
    return lines


def load() -> str:
    """The machine's load average (1, 5, 15 min), to read every figure against."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f} sur {os.cpu_count()} cœurs"
