"""Staff text (call page, mail, cahier des charges) goes through one Markdown renderer sanitised by nh3:
the same marks mean the same everywhere, and no link of it runs a script."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import docx
import pytest

from editions.loader import load_edition
from mail.html import html_email, text_to_html
from rich_text import to_html, to_paragraphs

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ("Lisez **le règlement** : [Cliquez](javascript:alert(document.cookie)), "
           "[page](https://www.numerique.gouv.fr/etna) ou [x](data:text/html;base64,PHNjcmlwdD4=) "
           "<img src=x onerror=alert(1)>")


@pytest.fixture
def hostile_edition(app, tmp_path):
    """ETNA 2 whose chapeau opens with HOSTILE, served by the app."""
    folder = tmp_path / "workflows"
    folder.mkdir()
    shutil.copy(ROOT / "workflows" / "etna-2019-1.yaml", folder)
    source = (ROOT / "workflows" / "etna-2019-2.yaml").read_text(encoding="utf-8")
    assert source.count("  chapeau: >-\n") == 1
    (folder / "etna-2019-2.yaml").write_text(source.replace("  chapeau: >-\n", f"  chapeau: >-\n    {HOSTILE}\n"),
                                             encoding="utf-8")
    edition = load_edition(folder / "etna-2019-2.yaml")
    app.extensions["editions"].editions[edition.id] = edition
    return edition


def test_the_call_page_renders_staff_markdown_without_scripts(client, hostile_edition):
    page = client.get("/appels/etna-2019-2").get_data(as_text=True)
    assert "<strong>le règlement</strong>" in page
    assert '<a href="https://www.numerique.gouv.fr/etna" rel="noopener noreferrer">page</a>' in page
    assert "javascript:" not in page and "data:text/html" not in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_cahier_des_charges_reads_the_same_markdown(client, hostile_edition):
    response = client.get("/appels/etna-2019-2/cahier-des-charges.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.data))
    response.close()
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Lisez le règlement : Cliquez, page (https://www.numerique.gouv.fr/etna) ou x <img" in body
    assert "**" not in body and "javascript" not in body and "](" not in body


def test_mail_html_reads_the_same_markdown_with_its_styles():
    html = str(text_to_html(HOSTILE + "\n\n- un\n- deux", links={"https://www.numerique.gouv.fr/etna"}))
    assert "javascript:" not in html and "data:text/html" not in html and "<img" not in html
    assert '<a href="https://www.numerique.gouv.fr/etna" rel="noopener noreferrer" style="color:#000091;' in html
    assert "<strong>le règlement</strong>" in html and '<li style="margin:0 0 4px;">un</li>' in html
    layout = html_email("Objet", "Voir [le guide](vbscript:msgbox(1)) et https://exemple.gouv.fr.", None, None,
                        links={"https://exemple.gouv.fr"})
    assert "vbscript" not in layout and '>https://exemple.gouv.fr</a>.' in layout


@pytest.mark.parametrize("source", ["[a](JaVaScRiPt:alert(1))", "[a](java\tscript:alert(1))",
                                    "[a]( javascript:alert(1))", "<javascript:alert(1)>",
                                    '[a](https://x.fr" onclick="alert(1))'])
def test_no_spelling_of_a_script_link_survives(source):
    html = str(to_html(source)) + str(text_to_html(source))
    # What a browser makes of an href (WHATWG URL parser): tabs and line breaks removed, ends stripped.
    targets = [re.sub(r"[\t\n\r]", "", h).strip().lower() for h in re.findall(r'href="([^"]*)"', html)]
    assert not [t for t in targets if t.startswith(("javascript:", "data:", "vbscript:"))], targets
    assert not re.search(r"<a [^>]*onclick", html)
    assert "(javascript:" not in " ".join(to_paragraphs(source)).lower()  # a link's target is never shown


def test_page_text_is_as_typed_and_marks_are_marks(app):
    rendered = app.jinja_env.from_string("{{ t|markdown }}").render(t="A & B < C **gras** {{ x }}\n\n- un\n- deux")
    assert rendered == "<p>A &amp; B &lt; C <strong>gras</strong> {{ x }}</p>\n<ul>\n<li>un</li>\n<li>deux</li>\n</ul>"
