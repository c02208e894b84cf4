"""Derive the HTML part of a message from its text: paragraphs, lists, links, bold, in the DSFR look.

Staff write plain text (in the YAML or mail/templates/); nothing they or applicants type is taken as
HTML: the text is escaped first, then the few marks below are turned into tags with inline styles,
since email clients ignore style sheets. Only the URLs the caller vouches for (`links`: the app's own,
those written by staff in the text) become links, so a URL typed in a name stays plain text.
"""

from __future__ import annotations

import html as html_entities
import re
from collections.abc import Collection
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

TEMPLATES = Path(__file__).resolve().parent / "templates"
FONT = "Marianne, Arial, Helvetica, sans-serif"
BLUE = "#000091"

URL = re.compile(r"https?://[^\s<>\"]+")
BOLD = re.compile(r"\*\*(.+?)\*\*")
BULLET = re.compile(r"^\s*[-*•]\s+")

_layout = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def _link(match: re.Match[str], links: Collection[str]) -> str:
    url = match.group(0)
    trail = ""
    while url and url[-1] in ".,;:!?)":
        url, trail = url[:-1], url[-1] + trail
    if html_entities.unescape(url) not in links:
        return match.group(0)
    return f'<a href="{url}" style="color:{BLUE};text-decoration:underline;">{url}</a>{trail}'


def _inline(text: str, links: Collection[str]) -> str:
    """Escape one line, then mark its vouched-for links and **bold** words."""
    html = str(escape(text))
    html = URL.sub(lambda match: _link(match, links), html)
    return BOLD.sub(r"<strong>\1</strong>", html)


def text_to_html(text: str, links: Collection[str] = ()) -> Markup:
    """Turn paragraphs (blank-line separated), '- ' lists, `links` and **bold** into styled HTML."""
    paragraph = f"margin:0 0 16px;font-family:{FONT};font-size:16px;line-height:24px;color:#161616;"
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.rstrip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(BULLET.match(line) for line in lines):
            items = "".join(f'<li style="margin:0 0 4px;">{_inline(BULLET.sub("", line), links)}</li>'
                            for line in lines)
            blocks.append(f'<ul style="{paragraph}padding-left:24px;">{items}</ul>')
        else:
            blocks.append(f'<p style="{paragraph}">' + "<br>".join(_inline(line, links) for line in lines) + "</p>")
    return Markup("\n".join(blocks))


def html_email(subject: str, text: str, organisation: str | None, contact_email: str | None,
               links: Collection[str] = ()) -> str:
    """Wrap the text, turned into HTML, in the message layout: Marianne block, organisation, footer."""
    return _layout.get_template("layout.html").render(
        subject=subject, content=text_to_html(text, links), organisation=organisation, contact_email=contact_email,
        font=FONT, blue=BLUE)
