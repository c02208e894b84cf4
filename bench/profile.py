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


def run() -> list[str]:
    import subprocess

    subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True, check=False)
    with tempfile.TemporaryDirectory() as tmp:
        sessions, app = prepare(Path(tmp), SCHEMA, SUBMISSIONS + 20,
                                {"REDIS_URL": REDIS_DB, "BACKGROUND_MAIL": False, "JOBS_EAGER": False})
        client = app.test_client()
        warm = sessions[:20]  # first requests pay for imports and caches: not profiled
        for dossier_id, cookie, token in warm:
            client.set_cookie("session", cookie.split("=", 1)[1])
            client.post(f"/dossiers/{dossier_id}/deposer", data={"csrf_token": token})
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        statuses = []
        for dossier_id, cookie, token in sessions[20:]:
            client.set_cookie("session", cookie.split("=", 1)[1])
            statuses.append(client.post(f"/dossiers/{dossier_id}/deposer", data={"csrf_token": token}).status_code)
        profiler.disable()
        elapsed = time.perf_counter() - start
        with app.app_context():
            from models import db

            db.engine.dispose()
    subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True, check=False)
    reset_schema(SCHEMA)
    stats = pstats.Stats(profiler)
    lines = [f"Profil d'un dépôt — {len(statuses)} dépôts dans le processus (PostgreSQL, Redis), sous cProfile",
             f"  {elapsed / len(statuses) * 1000:.1f} ms par dépôt sous le profileur (réponses : "
             f"{sorted(set(statuses))}) ; charge {load()}",
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
