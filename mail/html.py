"""Derive the HTML part of a message from its text, in the DSFR look, with inline styles.

Staff write Markdown (in the YAML or mail/templates/): it is rendered by the renderer of every staff text
(rich_text: escaped, sanitised by nh3), with its single line breaks kept and bare URLs made links, then
each tag gets the inline style email clients need (they ignore style sheets). Only the URLs the caller
vouches for (`links`: the app's own, those written by staff in the text) become links, so a URL typed in
a name or an answer stays plain text.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from rich_text import to_html

TEMPLATES = Path(__file__).resolve().parent / "templates"
FONT = "Marianne, Arial, Helvetica, sans-serif"
BLUE = "#000091"
URL = re.compile(r"https?://[^\s<>\"()\[\]]+")  # how callers find the URLs a text vouches for
_PARAGRAPH = f"margin:0 0 16px;font-family:{FONT};font-size:16px;line-height:24px;color:#161616;"
# The opening tags rich_text writes (nh3 normalises them; a link ends with its rel), and what each gets in a mail.
STYLES = {
    "<p>": f'<p style="{_PARAGRAPH}">',
    "<ul>": f'<ul style="{_PARAGRAPH}padding-left:24px;">',
    "<ol>": f'<ol style="{_PARAGRAPH}padding-left:24px;">',
    "<li>": '<li style="margin:0 0 4px;">',
    "<h2>": f'<h2 style="{_PARAGRAPH}font-size:20px;font-weight:bold;">',
    "<h3>": f'<h3 style="{_PARAGRAPH}font-size:18px;font-weight:bold;">',
    ' rel="noopener noreferrer">': f' rel="noopener noreferrer" style="color:{BLUE};text-decoration:underline;">',
}

_layout = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def text_to_html(text: str, links: Collection[str] = ()) -> Markup:
    """Paragraphs, lists, `links` (bare or written as Markdown links), **bold** and line breaks, as styled HTML."""
    html = str(to_html(text.strip(), line_breaks=True, link_urls=True, links=links))
    for tag, styled in STYLES.items():
        html = html.replace(tag, styled)
    return Markup(html)


def html_email(subject: str, text: str, organisation: str | None, contact_email: str | None,
               links: Collection[str] = ()) -> str:
    """Wrap the text, turned into HTML, in the message layout: Marianne block, organisation, footer."""
    return _layout.get_template("layout.html").render(
        subject=subject, content=text_to_html(text, links), organisation=organisation, contact_email=contact_email,
        font=FONT, blue=BLUE)
