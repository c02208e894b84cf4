"""Render the text staff write (call page, step intros, mail texts, cahier des charges) with one Markdown.

Python-Markdown makes the HTML, then nh3 (Ammonia) keeps only the tags and link schemes listed here: a
`[lien](javascript:…)` loses its target, whoever wrote the text (an applicant's answer quoted in a mail
included). HTML typed in the text is shown as text, never interpreted. Pages use `to_html`, mail adds
its inline styles to the same HTML (mail.html), Word documents take `to_paragraphs`.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Collection
from html.parser import HTMLParser

import markdown
import nh3
from markupsafe import Markup

TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote", "code"}
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
BARE_URL = re.compile(r"(?<![(\[])https?://[^\s<>\"\]()]+")
TRAILING_PUNCTUATION = ".,;:!?"
UNLINKED = re.compile(r'<a rel="noopener noreferrer">(.*?)</a>', re.S)
_converters = threading.local()  # a Markdown converter keeps state while converting: one per thread


def to_html(text: str | None, line_breaks: bool = False, link_urls: bool = False,
            links: Collection[str] | None = None) -> Markup:
    """Safe HTML of a Markdown text; `line_breaks` keeps single line breaks, `link_urls` makes bare URLs links.

    With `links`, only those URLs become links (bare or written `[texte](url)`), the others stay text: a
    mail links the app's URLs and the staff's, never one typed in an answer.
    """
    if not text:
        return Markup("")
    vouched = None if links is None else {u.rstrip(TRAILING_PUNCTUATION) for u in links}
    source = text.replace("&", "&amp;").replace("<", "&lt;")
    if link_urls:
        source = BARE_URL.sub(lambda match: _as_link(match, vouched), source)
    made = _converter(line_breaks).convert(source)
    made = nh3.clean(made, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer",
                     attribute_filter=None if vouched is None else _only(vouched))
    if vouched is not None:
        made = UNLINKED.sub(r"\1", made)  # a link whose target was dropped is plain text
    return Markup(made)


def _converter(line_breaks: bool) -> markdown.Markdown:
    """A Markdown converter of this thread, made once: building one per text loads its extensions again."""
    key = "with_breaks" if line_breaks else "plain"
    converter = getattr(_converters, key, None)
    if converter is None:
        converter = markdown.Markdown(extensions=["sane_lists"] + (["nl2br"] if line_breaks else []))
        setattr(_converters, key, converter)
    return converter.reset()


def _only(vouched: set[str]):
    """An nh3 attribute filter that drops the target of a link not in `vouched`."""
    def keep(tag: str, attribute: str, value: str) -> str | None:
        return value if tag != "a" or attribute != "href" or value in vouched else None
    return keep


def _as_link(match: re.Match[str], vouched: set[str] | None) -> str:
    """A bare URL as a Markdown link, its final punctuation left outside (« voir https://x.fr. »)."""
    url = match.group(0)
    kept = url.rstrip(TRAILING_PUNCTUATION)
    if vouched is not None and html.unescape(kept) not in vouched:
        return url
    return f"[{kept}]({kept}){url[len(kept):]}"


STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
MARKDOWN_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+", re.M)


def to_plain_text(text: str) -> str:
    """The text part of a mail: the same lines, without the marks Markdown reads (« **lauréat** » → « lauréat »),
    a link written « [texte](url) » shown « texte (url) »."""
    text = MARKDOWN_LINK.sub(lambda m: m.group(2) if m.group(1) == m.group(2) else f"{m.group(1)} ({m.group(2)})",
                             text)
    text = STRONG.sub(r"\2", text)
    text = EMPHASIS.sub(r"\1", text)
    return HEADING.sub("", text)


def to_paragraphs(text: str | None) -> list[str]:
    """The text as plain paragraphs for Word: marks dropped, list items as « • » bullets, link targets shown."""
    if not text:
        return []
    reader = _Paragraphs()
    reader.feed(str(to_html(text)))
    reader.close()
    reader.flush()
    return reader.paragraphs


class _Paragraphs(HTMLParser):
    """Collect the text of each block of the sanitised HTML (to_html's output, so a small known set of tags)."""

    BLOCKS = {"p", "li", "h2", "h3", "h4", "blockquote", "ul", "ol"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.prefix = ""
        self.href: str | None = None
        self.link_text: list[str] = []

    def flush(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.paragraphs.append(self.prefix + line)
        self.current, self.prefix = [], ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.flush()
            self.prefix = "• " if tag == "li" else ""
        elif tag == "a":
            self.href, self.link_text = dict(attrs).get("href"), []

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.flush()
        elif tag == "a" and self.href:
            if "".join(self.link_text).strip() != self.href:
                self.current.append(f" ({self.href})")
            self.href = None

    def handle_data(self, data: str) -> None:
        self.current.append(data)
        if self.href:
            self.link_text.append(data)
