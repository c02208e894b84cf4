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
from bench.rush import ANSWERS
from bench.servers import SECRET, reset_schema, schema_url, signed_in_cookie

SCHEMA = "bench_staff"
DOSSIERS = int(os.environ.get("BENCH_STAFF_DOSSIERS", 100_000))
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
                    "answers": {**ANSWERS, "titre": title}, "set_aside": {}, "completed_steps": [],
                    "draft_input": {}, "submitted_at": start + dt.timedelta(seconds=55 * n)})
            db.session.execute(db.insert(Dossier), rows)
            db.session.commit()
        db.session.execute(db.text("ANALYZE dossiers"))
        db.session.execute(db.text("ANALYZE users"))
        db.session.commit()


def _timed(client, url: str, rounds: int) -> tuple[float, float]:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.99) - 1]


def _rss_mib(field: str) -> float:
    """VmRSS or VmHWM (peak) of this process, in MiB, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _export_peak(app, edition, limit: int | None) -> tuple[float, float, int]:
    """Seconds, growth of the peak resident memory (MiB) and bytes of the streamed CSV export."""
    from staff.exports import csv_chunks
    from staff.listing import Filters

    with app.app_context():
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current size
        before = _rss_mib("VmRSS")
        start = time.perf_counter()
        size = 0
        filters = Filters(administration=ADMINISTRATIONS[0]) if limit else None
        for chunk in csv_chunks(edition, filters):
            size += len(chunk)
        elapsed = time.perf_counter() - start
    return elapsed, _rss_mib("VmHWM") - before, size


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
        for label, url in pages.items():
            p50, p99 = _timed(client, url, 30)
            lines.append(f"  liste — {label:26} p50 {p50:6.1f} ms   p99 {p99:6.1f} ms (cible < 100 ms)")
        small_time, small_peak, _ = _export_peak(app, edition, limit=DOSSIERS // len(ADMINISTRATIONS))
        full_time, full_peak, size = _export_peak(app, edition, limit=None)
        lines.append(f"  export CSV — {DOSSIERS // len(ADMINISTRATIONS)} dossiers : {small_time:5.1f} s, "
                     f"mémoire +{small_peak:5.1f} Mio ; {DOSSIERS} dossiers ({size / 2**20:.0f} Mio de CSV) : "
                     f"{full_time:5.1f} s, mémoire +{full_peak:5.1f} Mio (plat : la mémoire ne suit pas le nombre)")
        with app.app_context():
            db.engine.dispose()
    reset_schema(SCHEMA)
    return lines
