"""File names as people gave them, made safe to keep, show and send back: data, never markup or headers."""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 120  # characters, extension included
DEFAULT = "document.pdf"
_SPACES = re.compile(r"\s+")


def clean_filename(raw: str | None, default: str = DEFAULT) -> str:
    """The last path segment of `raw`, without control or format characters, spaces collapsed, length capped.

    Control characters break headers (CR, LF) and spreadsheets (NUL): those that space words become a
    space, the others go, with format characters (the right-to-left override makes « fdp.exe » read as
    « exe.pdf »), unassigned and private-use ones.
    """
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if c.isspace() else c for c in name if c.isspace() or unicodedata.category(c)[0] != "C")
    name = _SPACES.sub(" ", name).strip(" .")
    if not name:
        return default
    if len(name) > MAX_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[:MAX_LENGTH - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            name = name[:MAX_LENGTH].rstrip(" .")
    return name
