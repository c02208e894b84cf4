"""The browser side of the shared condition vectors: the real form-conditions.js in Chromium.

Each vector's step is rendered by the real templates, loaded into a page with the script, then read twice:
as the page arrives already filled (a step reopened or sent back with errors), and as someone types the
answers into the empty step. Both must show `cible` exactly when the vector (and the server) says so.
"""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError

from tests.condition_vectors import SCRIPT, TARGET, VECTORS, step_html

SHOWN = f"""() => {{
  const input = document.querySelector('[name="{TARGET}"]');
  return Boolean(input) && !input.closest('.appels-field').hidden;
}}"""


def _load(page, html: str) -> None:
    page.set_content(html)
    page.add_script_tag(content=SCRIPT.read_text(encoding="utf-8"))


def _type(page, vector) -> None:
    """Answer as a person does: tick boxes and radios, pick in the list, type in the text inputs."""
    for key, value in vector["input"].items():
        selector = f'[name="{key}"]'
        if isinstance(value, list):
            for item in value:
                page.check(f'{selector}[value="{item}"]')
            continue
        kind = page.eval_on_selector(selector, "e => e.tagName === 'SELECT' ? 'select' : e.type")
        if value == "":
            continue
        if kind == "radio":
            page.check(f'{selector}[value="{value}"]')
        elif kind == "select":
            page.select_option(selector, value)
        else:
            try:
                page.fill(selector, value)
            except PlaywrightError:  # a date input cannot hold an impossible date: it stays empty
                continue


def test_the_browser_agrees_with_every_vector(app, browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    disagreements = []
    with app.test_request_context():
        pages = [(vector, step_html(vector, filled=True), step_html(vector, filled=False))
                 for vector in VECTORS["vectors"]]
    for vector, filled, empty in pages:
        _load(page, filled)
        on_arrival = page.evaluate(SHOWN)
        _load(page, empty)
        _type(page, vector)
        as_typed = page.evaluate(SHOWN)
        for how, shown in (("filled page", on_arrival), ("typed", as_typed)):
            if shown is not vector["shown"]:
                disagreements.append(f"{vector['name']} ({how}): browser {'shows' if shown else 'hides'}")
    context.close()
    assert errors == []
    assert not disagreements, "\n".join(disagreements)
