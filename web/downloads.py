"""Send files as downloads under a clean name, with the standard Content-Disposition (RFC 6266 / 5987).

Every download of the site goes through here, so a stored name with CR/LF or NUL never reaches a header.
"""

from __future__ import annotations

import unicodedata
from typing import IO
from urllib.parse import quote

from flask import Response, send_file
from werkzeug.http import dump_options_header

from uploads.names import clean_filename


def send_download(source: str | IO[bytes], mimetype: str, name: str, as_attachment: bool = True,
                  **options) -> Response:
    """`send_file` with the name cleaned; werkzeug writes filename (ASCII) and filename* (UTF-8)."""
    return send_file(source, mimetype=mimetype, as_attachment=as_attachment,
                     download_name=clean_filename(name, default="document"), **options)


def content_disposition(name: str) -> str:
    """The header of a response built by hand (a streamed CSV), written by werkzeug's rule in send_file."""
    name = clean_filename(name, default="document")
    try:
        name.encode("ascii")
        names = {"filename": name}
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
        names = {"filename": simple, "filename*": "UTF-8''" + quote(name, safe="!#$&+-.^_`|~")}
    return dump_options_header("attachment", names)
