"""Texts of the messages: defaults that render for every edition, YAML overrides, and the workflow check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from editions.loader import load_edition
from editions.schema import BUILTIN_EMAILS
from editions.template_variables import unknown_variables
from mail.defaults import DEFAULTS
from mail.html import text_to_html
from mail.messages import send_reminders
from mail.sender import deliver_pending
from mail.templating import environment, render, sample
from models import Dossier, User, db
from tests.journey import fill_all_steps, sign_in, start_dossier, submit

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "workflows").glob("*.yaml"))

CUSTOM = """\
emails:
  reminder:
    subject: "{{ edition.short_title }} : J-{{ days_left }} pour {{ dossier.title or 'votre projet' }}"
    body: |
      Bonjour,

      Il reste **{{ days_left }} jours** : {{ dossier_url }}

      - Clôture : {{ edition.closes }}
      - Projet : {{ dossier.title or 'sans titre' }}
  workshop_registration:
    subject: "Atelier {{ workshop.title }} ({{ workshop.place[500] }})"
    body: Bonjour {{ name }}.
"""

MISTAKES = """\
emails:
  reminder:
    subject: "Rappel : {{ dossier.referense }} — {{ edition.short_title }}"
    body: |
      Bonjour,

      Votre dossier {{ dossier.title }} attend.
      Montant : {{ c.montant }} et {{ inconnu }}
      {% for s in sections %}{{ s.title }}{% endfor %}{{ a.items() | length }}
  result_laureate:
    subject: Bravo {{ edition.title
    body: |
      ligne 1
      {{ dossier.title | nofilter }}
  sign_in_link:
    subject: Connexion
    body: "Ouvrez {{ url }} ({{ minutes }} min) — {{ dossier.reference }}"
"""


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_default_text_renders_for_every_shipped_edition(path: Path) -> None:
    edition = load_edition(path)
    for key in BUILTIN_EMAILS:
        context = sample(edition, key)
        for text in DEFAULTS[key]:
            assert unknown_variables(environment.parse(text), context) == [], key
        subject, body = render(edition, key, context)
        assert subject and "\n" not in subject and "{{" not in subject + body, key
        assert body.endswith("\n") and "  " not in subject, key


def edition_file(folder: Path, emails: str, documents: str = "") -> Path:
    """Copy the shipped editions to `folder`, ETNA 2 with `emails` in place of its `emails: {}` (and more
    `documents`)."""
    folder.mkdir()
    shutil.copy(ROOT / "workflows" / "etna-2019-1.yaml", folder)
    source = (ROOT / "workflows" / "etna-2019-2.yaml").read_text(encoding="utf-8")
    assert source.endswith("emails: {}\n") and source.count("    email: convention_sent\n") == 1
    source = source.replace("    email: convention_sent\n", "    email: convention_sent\n" + documents)
    path = folder / "etna-2019-2.yaml"
    path.write_text(source.removesuffix("emails: {}\n") + emails, encoding="utf-8")
    return path


def test_the_check_points_at_each_mistake_in_the_email_texts(runner, tmp_path: Path) -> None:
    path = edition_file(tmp_path / "workflows", MISTAKES)
    first = len(path.read_text(encoding="utf-8").splitlines()) - MISTAKES.count("\n") + 1  # the 'emails:' line

    result = runner.invoke(args=["workflows", "check", str(path)])

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{path}:{first + line}:{column}: {message}" for line, column, message in [
        (2, 35, "« subject » du courriel « reminder » emploie une variable inconnue « dossier.referense » ; "
                "vouliez-vous dire « dossier.reference » ?"),
        (7, 22, "« body » du courriel « reminder » emploie une variable inconnue « c.montant » ; vouliez-vous dire "
                "« c.amount_granted » ?"),
        (7, 39, "« body » du courriel « reminder » emploie une variable inconnue « inconnu »"),
        (10, 14, "erreur de gabarit dans « subject », ligne 1 du texte : le texte s’arrête avant la fin d’une balise "
                 "« {{ … }} »"),
        (13, 7, "erreur de gabarit dans « body », ligne 2 du texte : filtre inconnu « nofilter »"),
        (16, 54, "« body » du courriel « sign_in_link » emploie une variable inconnue « dossier »"),
    ]]


def test_an_edition_writes_its_own_texts(app, client, smtp, clock, tmp_path: Path, caplog) -> None:
    edited = load_edition(edition_file(tmp_path / "workflows", CUSTOM))
    app.extensions["editions"].editions[edited.id] = edited
    owner = User(email="porteur@interieur.gouv.fr")
    db.session.add(owner)
    db.session.flush()
    dossier = Dossier(edition_id=edited.id, revision=edited.revision, owner_id=owner.id, answers={})
    db.session.add(dossier)
    db.session.commit()
    clock(2019, 9, 1, 10, 0)

    assert send_reminders(edited.id) == 1
    db.session.commit()
    deliver_pending()

    [message] = smtp.messages
    assert message["Subject"] == "ETNA 2 : J-6 pour votre projet"
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text == (f"Bonjour,\n\nIl reste 6 jours : http://localhost/dossiers/{dossier.id}/recapitulatif\n\n"
                    "- Clôture : 6 septembre 2019 à 23 h 59\n- Projet : sans titre\n")
    html = message.get_body(("html",)).get_content()
    assert "<strong>6 jours</strong>" in html and "<li" in html and "ETNA 2 : J-6 pour votre projet" in html

    # A text the check accepts may still fail on real data (here, a letter past the end): the default goes.
    subject, body = render(edited, "workshop_registration", sample(edited, "workshop_registration"))
    assert subject.startswith("Inscription confirmée : ") and body.startswith("Bonjour Camille Martin,")
    assert "email 'workshop_registration' of edition etna-2019-2 cannot be rendered" in caplog.text


def test_the_html_part_keeps_what_people_typed_as_text() -> None:
    html = str(text_to_html("Projet « A & B <script> »\nsuite\n\n- un **point**\n- deux\n\n"
                            "Lien : https://exemple.gouv.fr/a?b=1&c=2. Autre : https://ailleurs.example/x",
                            links={"https://exemple.gouv.fr/a?b=1&c=2"}))

    assert "Projet « A &amp; B &lt;script&gt; »<br>\nsuite" in html
    assert "<li" in html and "un <strong>point</strong>" in html
    assert '<a href="https://exemple.gouv.fr/a?b=1&amp;c=2"' in html and "</a>." in html
    assert "<script>" not in html
    assert 'href="https://ailleurs.example' not in html and "https://ailleurs.example/x" in html  # not vouched for


STAFF_DOCUMENT = """\
  - key: fiche
    title: Fiche d'instruction
    template: etna/dossier.docx
    filename: "{reference}-fiche"
    produced_on: submission
    audience: staff
    email: fiche_instruction
"""
STAFF_EMAIL = """\
emails:
  fiche_instruction:
    subject: "Fiche d'instruction {{ dossier.reference }}"
    body: "Ci-joint : {{ documents | join(', ') }}. Fiche : {{ staff_url }}"
"""


def test_an_email_of_the_edition_carries_the_documents_that_name_it(app, client, smtp, clock, tmp_path) -> None:
    edited = load_edition(edition_file(tmp_path / "workflows", STAFF_EMAIL, STAFF_DOCUMENT))
    app.extensions["editions"].editions[edited.id] = edited
    app.config["JOBS_EAGER"] = True
    clock(2019, 7, 10, 14, 30)
    sign_in(client, "porteur@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)
    assert submit(client, dossier_id).status_code == 302

    assert deliver_pending().failed == 0

    [fiche] = [m for m in smtp.messages if m["Subject"] == "Fiche d'instruction ETNA2-2019-0001"]
    assert (fiche["To"], fiche["Reply-To"]) == ("etna.dinsic@modernisation.gouv.fr", "camille.martin@interieur.gouv.fr")
    assert "Ci-joint : Fiche d'instruction. Fiche : http://localhost/equipe/dossiers/" in \
           fiche.get_body(("plain",)).get_content()
    assert [p.get_filename() for p in fiche.iter_attachments()] == ["ETNA2-2019-0001-fiche.pdf",
                                                                     "ETNA2-2019-0001-fiche.docx"]
    receipt = next(m for m in smtp.messages if m["Subject"].startswith("Votre dossier ETNA2-2019-0001"))
    assert [p.get_filename() for p in receipt.iter_attachments()] == ["ETNA2-2019-0001-dossier.pdf",
                                                                       "ETNA2-2019-0001-dossier.docx"]
