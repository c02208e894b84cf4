"""The form step under load: GET and POST (validated and saved) of the ETNA « porteur » step, product vs a
bare Flask + WTForms app serving the same fields without a database; 2 gunicorn workers each, wrk.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlencode

from bench.after_post import get_after_post
from bench.loadgen import LoadResult, run_wrk, wrk_available
from bench.rush import load
from bench.servers import SECRET, app_environment, gunicorn, reset_schema, schema_url, signed_in_cookie

SCHEMA = "bench_step"
FROZEN_NOW = "2019-07-10T10:00:00+02:00"
DOSSIERS = 200
SECONDS = 8
ROUNDS = 3
CONNECTIONS = 8


def _porteur_answers() -> dict[str, str]:
    from tests.journey import ETNA_STEPS

    return dict(ETNA_STEPS["porteur"])


def prepare_product(folder: Path) -> list[tuple[int, str, str]]:
    """Create applicants with a draft each, all six steps filled as a dossier near its deposit (the page checks
    every step's state); return (dossier id, cookie, csrf token) per draft."""
    from app import create_app
    from bench.drafts import insert_drafts
    from models import db

    reset_schema(SCHEMA)
    app = create_app({"SQLALCHEMY_DATABASE_URI": schema_url(SCHEMA), "SECRET_KEY": SECRET,
                      "FILES_FOLDER": str(folder / "files"), "MAIL_FOLDER": str(folder / "mail")})
    edition = app.extensions["editions"].get("etna-2019-2")
    with app.app_context():
        db.create_all()
        sessions = [(dossier_id, *signed_in_cookie(app, owner))
                    for dossier_id, owner in insert_drafts(edition, DOSSIERS, "bench")]
        db.engine.dispose()
    return sessions


def prepare_bare() -> list[tuple[int, str, str]]:
    from bench.bare_app import create_bare_app

    app = create_bare_app()
    return [(i + 1, *signed_in_cookie(app, None)) for i in range(DOSSIERS)]


def _requests(sessions, method: str) -> list[dict]:
    answers = _porteur_answers()
    result = []
    for dossier_id, cookie, token in sessions:
        request = {"method": method, "path": f"/dossiers/{dossier_id}/etapes/porteur", "headers": {"Cookie": cookie}}
        if method == "POST":
            request["headers"]["Content-Type"] = "application/x-www-form-urlencoded"
            request["body"] = urlencode({**answers, "csrf_token": token, "action": "next"})
        result.append(request)
    return result


def run() -> list[str]:
    """Measure and return the report lines."""
    if not wrk_available():
        return ["wrk absent (apt-get install wrk) : mesure de l'étape non faite."]
    lines = [f"Étape « porteur » — {CONNECTIONS} connexions, 2 workers gunicorn chacun, médiane de {ROUNDS} mesures "
             f"de {SECONDS} s alternées"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        product_sessions = prepare_product(folder)
        bare_sessions = prepare_bare()
        runs: dict[tuple[str, str], list[LoadResult]] = {}
        env = app_environment(SCHEMA, folder, FROZEN_NOW)
        with gunicorn("app:create_app()", env) as product_url, \
                gunicorn("bench.bare_app:create_bare_app()", env) as bare_url:
            for _ in range(ROUNDS):  # alternate the two apps, so that a noisy moment hits both
                for method in ("GET", "POST"):
                    for name, url, sessions in (("product", product_url, product_sessions),
                                                ("bare", bare_url, bare_sessions)):
                        result = run_wrk(url, _requests(sessions, method), SECONDS, CONNECTIONS)
                        runs.setdefault((name, method), []).append(result)
            answers = _porteur_answers()
            after = {name: get_after_post(url, sessions, answers) for name, url, sessions in
                     (("product", product_url, product_sessions), ("bare", bare_url, bare_sessions))}
            during = load()
        results = {key: sorted(values, key=lambda r: r.requests_per_second)[len(values) // 2]
                   for key, values in runs.items()}  # the median run
    for method in ("GET", "POST"):
        product, bare = results[("product", method)], results[("bare", method)]
        ratio = bare.requests_per_second / product.requests_per_second if product.requests_per_second else float("inf")
        lines.append(f"  {method:4} Appels       {product.row()}")
        lines.append(f"  {method:4} Flask nu     {bare.row()}")
        lines.append(f"  {method:4} rapport : Flask nu / Appels = {ratio:.2f}× (cible ≤ 1,5×)")
        lines.append(f"  {method:4} p99 : Appels {product.p99_ms:.0f} ms, Flask nu {bare.p99_ms:.0f} ms = "
                     f"{product.p99_ms / bare.p99_ms:.2f}× (cible ≤ 2×)")
    (p50, p99, count, errors), (bare50, bare99, _, bare_errors) = after["product"], after["bare"]
    lines.append(f"  GET juste après un POST, dossiers aux six étapes remplies, {count} échantillons : "
                 f"Appels p50 {p50:.0f} ms p99 {p99:.0f} ms ; Flask nu p50 {bare50:.0f} ms p99 {bare99:.0f} ms ; "
                 f"p99 {p99 / bare99:.2f}× (cible ≤ 2×) ; erreurs {errors + bare_errors} ; charge {during}")
    return lines
