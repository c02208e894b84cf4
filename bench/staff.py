"""Staff pages and exports with 100 000 dossiers in PostgreSQL: list page latency (first page, filters, full-text
search, the next page by cursor, another sort), CSV export time, and the growth of the process's peak memory
during the export of a few thousand and of all dossiers (flat means the export streams).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import states
from bench.drafts import complete_answers
from bench.fresh import in_fresh_process
from bench.rush import load
from bench.rush_check import percentile
from bench.servers import SECRET, reset_schema, schema_url, signed_in_cookie

SCHEMA = "bench_staff"
DOSSIERS = int(os.environ.get("BENCH_STAFF_DOSSIERS", 100_000))
ROUNDS = 200  # per page: percentiles from at least 200 samples
BATCH = 5_000
AXES = ("travail_collaboratif", "travail_mobilite")
ADMINISTRATIONS = [f"Préfecture de la région {i}" for i in range(40)] + ["Ministère de l'Intérieur",
                                                                         "Ministère de la Culture"]
TITLES = ["Tchap pour les équipes", "Visioconférence des sous-préfectures", "Parapheur électronique",
          "Agenda partagé", "Signature à distance", "Bureau mobile des inspecteurs"]


def _populate(app, edition) -> None:
    """Insert DOSSIERS submitted dossiers (and their applicants) in batches."""
    import datetime as dt

    from models import Dossier, User, db

    start = dt.datetime(2019, 6, 24, 8, tzinfo=dt.UTC)
    answers, _ = complete_answers(edition)
    with app.app_context():
        db.create_all()
        for first in range(0, DOSSIERS, BATCH):
            count = min(BATCH, DOSSIERS - first)
            db.session.execute(db.insert(User), [{"email": f"agent{first + i}@interieur.gouv.fr", "role": "applicant"}
                                                 for i in range(count)])
            owners = db.session.execute(db.select(User.id).order_by(User.id.desc()).limit(count)).scalars().all()
            rows = []
            for i, owner in enumerate(sorted(owners)):
                n = first + i
                title = f"{TITLES[n % len(TITLES)]} n° {n}"
                rows.append({
                    "edition_id": edition.id, "revision": edition.revision, "owner_id": owner,
                    "state": states.SUBMITTED if n % 5 else states.ELIGIBLE,
                    "reference": f"{edition.definition.reference_prefix}-{n + 1:06d}", "title": title,
                    "axis": AXES[n % 2], "administration": ADMINISTRATIONS[n % len(ADMINISTRATIONS)],
                    "answers": {**answers, "titre": title}, "set_aside": {}, "completed_steps": [],
                    "draft_input": {}, "submitted_at": start + dt.timedelta(seconds=55 * n)})
            db.session.execute(db.insert(Dossier), rows)
            db.session.commit()
        db.session.execute(db.text("ANALYZE dossiers"))
        db.session.execute(db.text("ANALYZE users"))
        db.session.commit()


def _timed(client, url: str, rounds: int) -> tuple[float, float]:
    """Median and nearest-rank p99 of `rounds` (≥ 200: a p99 of 30 samples is their maximum) timed requests."""
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), percentile(timings, 0.99)


def run() -> list[str]:
    from app import create_app
    from models import User, db

    lines = [f"Pages de l'équipe et exports — PostgreSQL, {DOSSIERS} dossiers"]
    reset_schema(SCHEMA)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": schema_url(SCHEMA), "SECRET_KEY": SECRET,
                          "FILES_FOLDER": str(Path(tmp) / "files"), "MAIL_FOLDER": str(Path(tmp) / "mail"),
                          "BACKGROUND_MAIL": False, "EDITIONS_REFRESH_SECONDS": 0})
        edition = app.extensions["editions"].get("etna-2019-2")
        start = time.perf_counter()
        _populate(app, edition)
        lines.append(f"  (création des {DOSSIERS} dossiers : {time.perf_counter() - start:.0f} s)")
        with app.app_context():
            staff = User(email="instructrice@numerique.gouv.fr", role="instructeur")
            db.session.add(staff)
            db.session.commit()
            cookie, _ = signed_in_cookie(app, staff.id)
        client = app.test_client()
        client.set_cookie("session", cookie.split("=", 1)[1])
        base = f"/equipe/editions/{edition.id}/dossiers"
        first = client.get(base).get_data(as_text=True)
        cursor = first.split("apres=", 1)[1].split('"', 1)[0].split("&", 1)[0] if "apres=" in first else ""
        pages = {
            "première page": base,
            "filtre état + axe": f"{base}?etat=recevable&axe=travail_mobilite",
            "recherche plein texte": f"{base}?q=visioconférence",
            "page suivante (curseur)": f"{base}?apres={cursor}" if cursor else base,
            "tri par titre": f"{base}?tri=titre",
        }
        lines.append(f"  (charge de la machine : {load()})")
        for label, url in pages.items():
            p50, p99 = _timed(client, url, ROUNDS)
            lines.append(f"  liste — {label:26} p50 {p50:6.1f} ms   p99 {p99:6.1f} ms ({ROUNDS} requêtes ; "
                         "cible < 100 ms)")
        for rows in (10_000, 0):
            figures, _ = in_fresh_process("export", schema_url(SCHEMA), str(rows))
            lines.append(f"  export CSV, processus neuf — {figures['rows']} dossiers : {figures['seconds']:5.1f} s, "
                         f"{figures['bytes'] / 2**20:.0f} Mio de CSV, mémoire résidente de pointe "
                         f"{figures['peak']:.0f} Mio (dont {figures['rss_before']:.0f} Mio avant l'export)")
        startup, seconds = in_fresh_process("startup", schema_url(SCHEMA))
        lines.append(f"  démarrage d'un worker (interpréteur, imports, create_app) : {seconds:.2f} s, mémoire "
                     f"résidente {startup['rss']:.0f} Mio (cibles < 2 s, < 120 Mio ; charge {load()})")
        with app.app_context():
            db.engine.dispose()
    reset_schema(SCHEMA)
    return lines
