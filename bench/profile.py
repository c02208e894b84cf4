"""Where a submission's time goes: cProfile over submissions made in-process (Flask test client, PostgreSQL,
Redis for the jobs as in production), the functions that cost the most, by own time and by cumulated time.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.rush import REDIS_DB, load, prepare
from bench.servers import ROOT, reset_schema

SCHEMA = "bench_profile"
SUBMISSIONS = 300
SHOWN = 12


def _rows(stats: pstats.Stats, key: str) -> list[str]:
    stats.sort_stats(key)
    out = io.StringIO()
    stats.stream = out
    stats.print_stats(SHOWN)
    lines = [line for line in out.getvalue().splitlines() if line.strip() and line.lstrip()[0].isdigit()]
    return ["    " + line.replace(str(ROOT) + "/", "").replace(str(Path(ROOT, ".venv")) + "/", "")[:150]
            for line in lines[:SHOWN]]


def _submit(client, dossier_id: int, cookie: str, token: str) -> str | None:
    """POST the deposit as the applicant's browser would; None when it answered the success redirect to the
    dossier's summary, else what it answered instead."""
    client.set_cookie("session", cookie.split("=", 1)[1])
    response = client.post(f"/dossiers/{dossier_id}/deposer", data={"csrf_token": token})
    location = urlsplit(response.headers.get("Location", "")).path
    if response.status_code == 302 and location == f"/dossiers/{dossier_id}/recapitulatif":
        return None
    return f"{response.status_code} {location or '(pas de redirection)'}"


def run() -> list[str]:
    import subprocess

    import sqlalchemy as sa

    from bench.drafts import DraftsRefused, refusal_of

    subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True, check=False)
    title = f"Profil d'un dépôt — {SUBMISSIONS} dépôts dans le processus (PostgreSQL, Redis), sous cProfile"
    with tempfile.TemporaryDirectory() as tmp:
        try:
            sessions, app = prepare(Path(tmp), SCHEMA, SUBMISSIONS + 20,
                                    {"REDIS_URL": REDIS_DB, "BACKGROUND_MAIL": False, "JOBS_EAGER": False})
        except DraftsRefused as refused:
            reset_schema(SCHEMA)
            return [title, f"  PROFIL NON MESURÉ : {refused}"]
        client = app.test_client()
        warm = sessions[:20]  # first requests pay for imports and caches: not profiled
        failures = [(s[0], answer) for s in warm if (answer := _submit(client, *s)) is not None]
        with app.app_context():
            from models import db

            engine = db.engine
        statements = [0]

        def count(*_):
            statements[0] += 1

        sa.event.listen(engine, "before_cursor_execute", count)
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        for dossier_id, cookie, token in sessions[20:]:
            answer = _submit(client, dossier_id, cookie, token)
            if answer is not None:
                failures.append((dossier_id, answer))
        profiler.disable()
        elapsed = time.perf_counter() - start
        sa.event.remove(engine, "before_cursor_execute", count)
        with app.app_context():
            from models import Dossier, db
            from states import SUBMITTED

            ids = [s[0] for s in sessions]
            deposited = set(db.session.execute(db.select(Dossier.id).where(Dossier.id.in_(ids),
                                                                            Dossier.state == SUBMITTED)).scalars())
            failures += [(d, "non déposé en base") for d in ids if d not in deposited and d not in dict(failures)]
            reason = refusal_of(app.extensions["editions"].get("etna-2019-2"), failures[0][0]) if failures else ""
            db.engine.dispose()
    subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True, check=False)
    reset_schema(SCHEMA)
    if failures:
        return [title, f"  *** CHEMIN EN ÉCHEC : {len(failures)} dépôt(s) sur {len(sessions)} n'ont pas abouti "
                       f"(premier : dossier {failures[0][0]}, réponse {failures[0][1]} ; raison que l'application "
                       f"donne : {reason}) : aucun chiffre, le profil mesurerait un refus ***"]
    stats = pstats.Stats(profiler)
    profiled = len(sessions) - len(warm)
    lines = [title,
             f"  {elapsed / profiled * 1000:.1f} ms par dépôt sous le profileur, "
             f"{statements[0] / profiled:.1f} requêtes SQL par dépôt (tous déposés, vérifiés en base un à un) ; "
             f"charge {load()}",
             "  fonctions les plus coûteuses en temps propre (tottime) :"]
    lines += _rows(stats, "tottime")
    lines.append("  en temps cumulé (cumtime), code de l'application :")
    stats.sort_stats("cumulative")
    out = io.StringIO()
    stats.stream = out
    stats.print_stats(str(ROOT) + r"/(?!\.venv)", SHOWN)
    lines += ["    " + line.replace(str(ROOT) + "/", "")[:150] for line in out.getvalue().splitlines()
              if line.strip() and line.lstrip()[0].isdigit()][:SHOWN]
    return lines
