"""The deadline rush on PostgreSQL: complete dossiers submitted by many applicants at once.

Production profile, everything running: gunicorn workers, PostgreSQL, Redis, the jobs worker (documents)
and the mail worker at a lower CPU priority, delivering to a local SMTP sink. Two loads follow each other,
on drafts of their own: one minute at the target's pace (50 deposits/s sent on a schedule, as applicants
arriving at that pace: the latency and the acknowledgement's delay measured there), then a shorter one
with no pace (each connection sends again as soon as it is answered: the capacity). Afterwards: how fast
the documents backlog drains, and a dossier-by-dossier check (bench.rush_check). A figure counts only
deposits the database shows; any refused, failed or lost dossier marks the run invalid.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench.loadgen import LoadResult, run_wrk, wrk_available
from bench.rush_check import check, documents_jobs_left, install_clock, median, percentile
from bench.servers import ROOT, SECRET, app_environment, gunicorn, reset_schema, schema_url, signed_in_cookie
from bench.sink import Sink

SCHEMA = "bench_rush"
FROZEN_NOW = "2019-09-06T22:30:00+02:00"  # the last evening
SECONDS = int(os.environ.get("BENCH_RUSH_SECONDS", 60))  # at the target's pace
RATE = float(os.environ.get("BENCH_RUSH_RATE", 50))  # deposits/s sent on a schedule: the target
CAPACITY_SECONDS = int(os.environ.get("BENCH_RUSH_CAPACITY_SECONDS", 20))  # then as fast as the server answers
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


@dataclass
class Phase:
    """One load of the rush: its drafts, how it was sent, and what came back."""

    name: str
    seconds: int
    rate: float  # requests/s on a schedule; 0: each connection sends again as soon as it is answered
    sessions: list[tuple[int, str, str]]
    result: LoadResult | None = None

    @property
    def addressed(self) -> list[int]:
        return list(dict.fromkeys(self.sessions[i][0] for i in self.result.sent))

    @property
    def answered(self) -> list[int]:
        return answered_dossiers(self.result)

    def cut(self) -> set[int]:
        """The dossiers whose request the end of the measure left unanswered."""
        return set(self.addressed) - set(self.answered)


def verdict(phase: Phase, deposited: set[int]) -> list[str]:
    """Why the figures do not measure deposits (empty when they do): any dossier refused or failed, any error,
    dossiers neither deposited nor left unanswered by the end of the measure, more requests than drafts."""
    result, answered = phase.result, phase.answered
    reasons = []
    refused = [d for d in dict.fromkeys(answered) if d not in deposited]
    if refused:
        reasons.append(f"{phase.name} : {len(refused)} dossier(s) répondus sans être déposés : {refused[:10]}")
    if result.errors:
        reasons.append(f"{phase.name} : {result.errors} erreur(s) (HTTP ≥ 400 ou connexion)")
    unanswered = [d for d in phase.addressed if d not in deposited and d not in set(answered)]
    if len(unanswered) > result.in_flight:
        reasons.append(f"{phase.name} : {len(unanswered)} dossier(s) ni déposés ni répondus, plus que les "
                       f"{result.in_flight} requêtes coupées par la fin de la mesure")
    if result.requests > len(phase.sessions):
        reasons.append(f"{phase.name} : plus de requêtes ({result.requests}) que de brouillons "
                       f"({len(phase.sessions)}) : doubles dépôts")
    return reasons


def _requests(sessions: list[tuple[int, str, str]]) -> list[dict]:
    return [{"method": "POST", "path": f"/dossiers/{did}/deposer", "body": f"csrf_token={token}",
             "headers": {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}}
            for did, cookie, token in sessions]


def _phase_lines(phase: Phase, deposited: set[int], acks: dict[int, float], during: str) -> list[str]:
    result = phase.result
    succeeded = [d for d in dict.fromkeys(phase.answered) if d in deposited]
    refused = len(phase.answered) - len(succeeded)
    sent = f"{phase.rate:.0f} dépôts/s envoyés à heure fixe" if phase.rate else \
        f"{CONNECTIONS} connexions renvoyant dès la réponse"
    latencies = [acks[d] for d in succeeded if d in acks]
    lines = [f"  {phase.name} ({sent}, {phase.seconds} s) : {len(succeeded) / phase.seconds:.1f} dépôts réussis/s "
             f"({len(succeeded)} dossiers déposés, vérifiés en base un à un) ; refusés {refused} ; "
             f"erreurs {result.errors} (charge pendant : {during})",
             f"    latence des réponses : p50 {result.p50_ms:.0f} ms   p95 {result.p95_ms:.0f} ms   "
             f"p99 {result.p99_ms:.0f} ms ({result.requests} réponses)",
             f"    accusé de dépôt au serveur SMTP : médiane {median(latencies):.1f} s, "
             f"p95 {percentile(latencies, 0.95):.1f} s ({len(latencies)} accusés ; cible p95 < 30 s)"]
    if not phase.rate:
        lines.append(f"    (sans rythme, chaque réponse attend les requêtes des {CONNECTIONS} connexions : latence "
                     f"≈ {CONNECTIONS} ÷ débit ; ce débit est la capacité, la latence n'y est pas une cible)")
    return lines


def run() -> list[str]:
    if not wrk_available():
        return ["wrk absent (apt-get install wrk) : mesure du rush non faite."]
    import sqlalchemy as sa

    from bench.drafts import DraftsRefused, refusal_of

    lines = [f"Rush de la date limite — PostgreSQL, {WORKERS} workers gunicorn, {CONNECTIONS} connexions ; worker des "
             "tâches et worker des courriels lancés (nice 10), SMTP local (aiosmtpd)",
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
        half = len(sessions) // 2  # each phase its own drafts: none is sent twice
        phases = [Phase("au rythme visé", SECONDS, RATE, sessions[:half]),
                  Phase("capacité", CAPACITY_SECONDS, 0, sessions[half:])]
        phases = [p for p in phases if p.seconds > 0]
        env = {**app_environment(SCHEMA, folder, FROZEN_NOW), "REDIS_URL": REDIS_DB,
               "APPELS_MAIL_SERVER": "127.0.0.1", "APPELS_MAIL_PORT": str(sink.port)}
        during = {}
        with background_workers(env), gunicorn("app:create_app()", env, workers=WORKERS) as url:
            for phase in phases:
                phase.result = run_wrk(url, _requests(phase.sessions), phase.seconds, CONNECTIONS, record=True,
                                       rate=phase.rate)
                during[phase.name] = load()
            ended = time.monotonic()
            drained = _wait(lambda: documents_jobs_left(engine) == 0, DRAIN_SECONDS)
            left = documents_jobs_left(engine)
            elapsed = time.monotonic() - ended
            sent = sum(p.result.requests for p in phases)
            _wait(lambda: len(sink.arrivals()) >= 2 * sent, 10)  # the last mails in flight
        addressed = [d for p in phases for d in p.addressed]
        found = check(engine, addressed, set().union(*(p.cut() for p in phases)), sink.arrivals())
        deposited = set(found.submitted)
        invalid = [reason for p in phases for reason in verdict(p, deposited)]
        if invalid:
            answered = [d for p in phases for d in p.answered]
            first = next((d for d in answered if d not in deposited), None) or (found.unexplained or [None])[0]
            if first is not None:
                with app.app_context():
                    invalid.append(f"raison que l'application donne aujourd'hui pour le dossier {first} : "
                                   f"{refusal_of(app.extensions['editions'].get('etna-2019-2'), first)}")
    engine.dispose()
    subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True, check=False)
    made = len(found.submitted) - left
    if invalid:
        lines.append("  *** MESURE NON VALABLE : des dossiers envoyés n'ont pas été déposés ; les chiffres qui "
                     "suivent ne mesurent pas des dépôts ***")
        lines += [f"      - {reason}" for reason in invalid]
    for phase in phases:
        lines += _phase_lines(phase, deposited, found.ack_latency, during[phase.name])
    seconds = sum(p.seconds for p in phases)
    if drained is not None:
        lines.append(f"  documents : file vidée {drained:.0f} s après la fin du rush")
    else:
        rate = made / (seconds + elapsed) if made else 0.0
        projected = f"{left / rate / 60:.0f} min de plus à ce rythme" if rate else "rythme nul"
        lines.append(f"  documents : {made} dossiers mis en forme pendant le rush et les {elapsed:.0f} s suivantes "
                     f"({rate:.2f}/s), {left} encore en file ({projected} ; mesure arrêtée à {DRAIN_SECONDS} s)")
    lost = found.unexplained
    lines.append(f"  vérification dossier par dossier : {len(addressed)} envoyés, {len(found.submitted)} déposés, "
                 f"requêtes coupées par la fin de la mesure {sum(len(p.cut()) for p in phases)}, perdus {len(lost)}"
                 f"{' ' + str(lost[:20]) if lost else ''} ; documents et courriel des documents vérifiés pour "
                 f"{len(found.documents_done)}, en file {len(found.backlog)} ; anomalies {len(found.problems)}")
    lines += [f"    {problem}" for problem in found.problems[:10]]
    lines.append(f"  (cibles au rythme visé : ≥ {RATE:.0f} dépôts réussis/s, p99 < 500 ms, 0 erreur, 0 perte, accusé "
                 "p95 < 30 s ; chaque dossier : un dépôt, un accusé, un jeu de documents, un courriel des documents)")
    if invalid:
        lines.append("  *** MESURE NON VALABLE (voir plus haut) ***")
    return lines


def load() -> str:
    """The machine's load average (1, 5, 15 min), to read every figure against."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f} sur {os.cpu_count()} cœurs"
