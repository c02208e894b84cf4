"""The checks every journey page goes through catch what they claim to: run on pages built to fail them."""

from __future__ import annotations

import pytest

from tests.browser.conftest import CONTROLS_CHECK
from tests.browser.keyboard import press, tab_until

PAGE = """<!doctype html><html lang="fr"><head><style>
  .square { max-width: 40px; overflow: hidden; white-space: nowrap; display: inline-flex; }
  :focus-visible { outline: 2px solid #0a76f6; }
  .quiet:focus-visible { outline: none; }
</style></head><body>
  <a class="square" href="/suivant">Suivant</a>
  <button class="square" title="Menu" type="button" aria-controls="menu">Menu</button>
  <a href="/dossier.pdf">Télécharger</a> <a href="/dossier.docx">Télécharger</a>
  <a href="/aide">Aide</a> <a href="/aide">Aide</a>
  <form action="https://appels.example/a"><button name="action" value="previous">Précédent</button></form>
  <form action="https://appels.example/b"><button name="action" value="previous">Précédent</button></form>
  <input id="seen" aria-label="Vu"> <input id="hidden-ring" class="quiet" aria-label="Sans anneau">
</body></html>"""


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_content(PAGE)
    yield page
    context.close()


def test_clipped_controls_and_names_leading_to_two_places_are_reported(page):
    found = page.evaluate(CONTROLS_CHECK)
    assert len(found["overflow"]) == 1 and "« Suivant » shows 40 of" in found["overflow"][0]  # « Menu »: its title
    assert sorted(text.split(" »")[0] for text in found["duplicates"]) == ["« précédent", "« télécharger"]
    assert not any("aide" in text for text in found["duplicates"])  # same name, same place: fine


def test_a_focus_without_a_ring_fails_the_keyboard_journey(page):
    assert tab_until(page, "#seen")[-1]["ring"]
    with pytest.raises(AssertionError, match="input#hidden-ring .* has no visible focus"):
        press(page, "Tab")
