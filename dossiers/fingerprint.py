"""The proof of deposit: a SHA-256 fingerprint of the answers as deposited, that anyone can recompute.

The answers (the JSON object the dossier stores, field key → value) are written as canonical JSON: keys
sorted, no spaces (separators "," and ":"), non-ASCII characters as they are (not \\u escapes), UTF-8
bytes; the fingerprint is the SHA-256 of those bytes, in lowercase hexadecimal. In Python:

    hashlib.sha256(json.dumps(answers, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                   .encode("utf-8")).hexdigest()

It is computed once, when the dossier is submitted, stored with it, sent in the acknowledgement and shown on
the dossier's page, so the applicant and the team hold the same proof of what was deposited.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(answers: dict[str, Any]) -> bytes:
    """The answers as canonical JSON bytes (see the module docstring)."""
    return json.dumps(answers, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def answers_fingerprint(answers: dict[str, Any]) -> str:
    """The SHA-256 of the canonical JSON of the answers, in lowercase hexadecimal (64 characters)."""
    return hashlib.sha256(canonical_json(answers)).hexdigest()

