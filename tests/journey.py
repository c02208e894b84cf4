"""Helpers to walk the applicant's journey over HTTP, as a browser without JavaScript would."""

from __future__ import annotations

import html
import io
import re

from pypdf import PdfWriter

EDITION = "etna-2019-2"

# Valid answers for every step of workflows/etna-2019-2.yaml, as the browser posts them.
ETNA_STEPS: dict[str, dict[str, str | list[str]]] = {
    "porteur": {
        "administration": "Ministère de l'Intérieur",
        "direction": "Direction du numérique",
        "siret": "11004601800013",
        "type_structure": "administration_centrale",
        "contact_nom": "Camille Martin",
        "contact_fonction": "Cheffe de projet",
        "contact_email": "camille.martin@interieur.gouv.fr",
        "contact_telephone": "01 23 45 67 89",
        "signataire_nom": "Dominique Bernard",
        "signataire_fonction": "Directeur du numérique",
        "participation_edition_1": "non",
    },
    "cas_usage": {
        "titre": "Tchap pour les équipes & partenaires <terrain>",
        "axe": "travail_collaboratif",
        "nature": "irritant",
        "irritant_description": "Les agents échangent des fichiers\npar clé USB.",
        "description": "Une messagerie sécurisée « pour tous » 🚀",
        "agents_concernes": "1200",
        "populations": "Agents des préfectures",
    },
    "impact": {
        "impact_attendu": "Moins de temps perdu.",
        "indicateurs-0-indicateur": "Part d'agents utilisateurs",
        "indicateurs-0-valeur_actuelle": "0 %",
        "indicateurs-0-cible": "60 %",
        "briques_reutilisees": ["tchap", "jitsi"],
        "donnees_personnelles": "non",
    },
    "projet": {
        "date_debut": "2019-10-01",
        "date_fin": "2020-06-30",
        "jalons-0-jalon": "Prototype",
        "jalons-0-date": "2020-01-15",
        "equipe-0-nom": "Camille Martin",
        "equipe-0-role_projet": "Cheffe de projet",
        "equipe-0-etp": "0,5",
        "budget_lignes-0-poste": "Développement",
        "budget_lignes-0-montant": "100 000",
        "budget_lignes-1-poste": "Accompagnement",
        "budget_lignes-1-montant": "50 000,50",
        "montant_demande": "150 000",
        "cofinancement": "non",
    },
    "pieces_jointes": {},
    "declaration": {
        "attestation_exactitude": "atteste",
        "attestation_reglement": "accepte",
        "attestation_signataire": "atteste",
        "disponible_soutenance": "oui",
    },
}


def pdf_bytes(pages: int = 1, text_size: int = 200) -> bytes:
    """A real PDF with `pages` blank pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Lettre d'engagement"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def csrf_token(client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)) or re.search(
        r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def sign_in(client, email: str) -> None:
    """Sign in with the emailed link: ask for it, read it from the outbox, open it and confirm."""
    from models import OutboxMessage, db

    token = csrf_token(client, "/connexion")
    response = client.post("/connexion", data={"csrf_token": token, "email": email, "next": ""})
    assert response.status_code == 200, response.get_data(as_text=True)
    message = db.session.execute(
        db.select(OutboxMessage).filter_by(kind="sign_in_link").order_by(OutboxMessage.id.desc())).scalars().first()
    assert message is not None and email.lower() in [a.lower() for a in message.to]
    url = re.search(r"https?://\S+/connexion/lien/\S+", message.text_body).group(0)
    path = "/" + url.split("/", 3)[3]
    token = csrf_token(client, path)
    response = client.post(path, data={"csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)


def start_dossier(client, edition: str = EDITION) -> int:
    token = csrf_token(client, f"/appels/{edition}/candidater")
    response = client.post(f"/appels/{edition}/candidater", data={"csrf_token": token, "confirm": "nouveau"})
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.search(r"/dossiers/(\d+)/etapes/", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def post_step(client, dossier_id: int, step: str, data: dict, action: str = "next", files: dict | None = None):
    url = f"/dossiers/{dossier_id}/etapes/{step}"
    payload = {"csrf_token": csrf_token(client, url), "action": action, **data}
    for key, (content, name) in (files or {}).items():
        payload[key] = (io.BytesIO(content), name)
    return client.post(url, data=payload, content_type="multipart/form-data")


def fill_all_steps(client, dossier_id: int, steps: dict | None = None) -> None:
    """Post every step of ETNA 2 with valid answers (and the signed letter as a PDF)."""
    for step, data in (steps or ETNA_STEPS).items():
        files = {"lettre_engagement": (pdf_bytes(2), "lettre-engagement.pdf")} if step == "pieces_jointes" else None
        response = post_step(client, dossier_id, step, data, files=files)
        assert response.status_code == 302, (step, _errors(response))


def text(response) -> str:
    """The page as people read it (entities such as &#39; decoded)."""
    return html.unescape(response.get_data(as_text=True))


def _errors(response) -> list[str]:
    return re.findall(r'fr-message--error">([^<]+)<', response.get_data(as_text=True))


def submit(client, dossier_id: int, headers: dict | None = None):
    token = csrf_token(client, f"/dossiers/{dossier_id}/recapitulatif")
    return client.post(f"/dossiers/{dossier_id}/deposer", data={"csrf_token": token}, headers=headers or {})


def register_to_workshop(client, url: str, name: str, email: str, remote: bool = False, machine: str = "192.0.2.1"):
    """Sign up to a workshop, then confirm the address with the link mailed to it (as its owner would)."""
    from models import OutboxMessage, db

    data = {"csrf_token": csrf_token(client, url), "name": name, "email": email, "administration": "Préfecture du Nord"}
    if remote:
        data["remote"] = "y"
    environ = {"REMOTE_ADDR": machine}
    response = client.post(url, data=data, environ_base=environ)
    check = db.session.execute(db.select(OutboxMessage).filter_by(kind="workshop_address_check")
                               .order_by(OutboxMessage.id.desc())).scalars().first()
    if response.status_code != 200 or check is None or check.to != [email.lower()] or \
            "Confirmez votre adresse" not in response.get_data(as_text=True):
        return response
    link = re.search(r"https?://[^/]+(/ateliers/confirmation/\S+)", check.text_body).group(1)
    return client.post(link, data={"csrf_token": csrf_token(client, link)}, environ_base=environ)
