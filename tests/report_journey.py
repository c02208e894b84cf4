"""Helpers to walk a laureate's reports over HTTP (ETNA 2's interim and final reports), as a browser would."""

from __future__ import annotations

import io
import re

import states
from models import Dossier, Report, db
from tests.journey import csrf_token, pdf_bytes
from tests.staff_world import make_dossier, make_user

INTERIM = "rapport_intermediaire"
FINAL = "rapport_final"

# Valid answers for every step of the interim report of workflows/etna-2019-2.yaml, as the browser posts them.
INTERIM_STEPS: dict[str, dict[str, str | list[str]]] = {
    "avancement": {
        "etat_avancement": "Le prototype est en service dans deux préfectures & <une> sous-préfecture.",
        "jalons-0-jalon": "Prototype",
        "jalons-0-date_prevue": "2020-01-15",
        "jalons-0-statut": "atteint",
        "prototype_disponible": "oui",
        "prototype_usage": "120 agents, retours très positifs.",
    },
    "indicateurs": {
        "indicateurs-0-indicateur": "Part d'agents utilisateurs",
        "indicateurs-0-valeur_initiale": "0 %",
        "indicateurs-0-mesure": "25 %",
        "indicateurs-0-cible": "60 %",
    },
    "depenses": {
        "depenses-0-poste": "Développement",
        "depenses-0-montant": "40 000",
        "depenses-1-poste": "Accompagnement",
        "depenses-1-montant": "5 000,50",
    },
    "difficultes": {
        "difficultes": "Recrutement du développeur plus long que prévu.",
        "prochaines_etapes": "Ouverture à trois autres préfectures.",
        "besoin_accompagnement": "non",
    },
}

FINAL_STEPS: dict[str, dict[str, str | list[str]]] = {
    "resultats": {
        "solution_realisee": "Une messagerie sécurisée pour les équipes de terrain.",
        "agents_utilisateurs": "800",
        "objectifs_atteints": "oui",
    },
    "indicateurs": {
        "indicateurs-0-indicateur": "Part d'agents utilisateurs",
        "indicateurs-0-mesure": "62 %",
        "indicateurs-0-cible": "60 %",
    },
    "depenses": {
        "depenses-0-poste": "Développement",
        "depenses-0-montant": "100 000",
        "sommes_non_employees": "0",
    },
    "reutilisation": {
        "code_publie": "oui",
        "licence": "eupl_1_2",
        "depot_code": "https://github.com/etalab/exemple",
        "reutilisation": "Deux ministères l'étudient.",
    },
    "justificatifs": {},
}


def signed_laureate(app, email: str = "camille.martin@interieur.gouv.fr") -> Dossier:
    """An ETNA 2 dossier whose convention was countersigned now (the clock the test set)."""
    owner = make_user(email, "applicant")
    return make_dossier(app, owner, states.AGREEMENT_SIGNED)


def report_url(dossier_id: int, key: str, tail: str = "") -> str:
    return f"/dossiers/{dossier_id}/rapports/{key}{tail}"


def page_fields(client, url: str) -> dict[str, str]:
    """The CSRF token, the version and the page token a step page carries."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    body = page.get_data(as_text=True)
    found = {}
    for name in ("csrf_token", "version", "page-token"):
        match = re.search(rf'name="{name}" (?:type="hidden" )?value="([^"]*)"', body)
        assert match, f"no {name} on {url}"
        found[name] = match.group(1)
    return found


def post_report_step(client, dossier_id: int, key: str, step: str, data: dict, action: str = "next",
                     files: dict | None = None, carried: dict | None = None):
    """Post one step of a report as its page would (its CSRF token, version and page token, unless `carried`)."""
    url = report_url(dossier_id, key, f"/etapes/{step}")
    payload = {**(carried or page_fields(client, url)), "action": action, **data}
    for name, (content, filename) in (files or {}).items():
        payload[name] = (io.BytesIO(content), filename)
    return client.post(url, data=payload, content_type="multipart/form-data")


def fill_report(client, dossier_id: int, key: str, steps: dict) -> None:
    for step, data in steps.items():
        files = {"etat_depenses": (pdf_bytes(3), "etat-des-depenses.pdf")} if step == "justificatifs" else None
        response = post_report_step(client, dossier_id, key, step, data, files=files)
        assert response.status_code == 302, (step, re.findall(r'fr-message--error">([^<]+)<',
                                                              response.get_data(as_text=True)))


def submit_report(client, dossier_id: int, key: str):
    url = report_url(dossier_id, key)
    page = client.get(url)
    version = re.search(r'name="version" value="(\d+)"', page.get_data(as_text=True))
    data = {"csrf_token": csrf_token(client, url)}
    if version:
        data["version"] = version.group(1)
    return client.post(report_url(dossier_id, key, "/deposer"), data=data)


def report_of(dossier_id: int, key: str) -> Report:
    db.session.expire_all()
    return db.session.execute(db.select(Report).filter_by(dossier_id=dossier_id, report_key=key)).scalar_one()
