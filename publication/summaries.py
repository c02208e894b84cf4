"""The public summary of a laureate's project: what its card says, and the laureate's own version of it.

The laureate writes it (600 characters at most), or it is the answer to the edition's `public: true` field;
an answer longer than a card holds is cut at its last whole sentence (or word) that fits, and shown to the
staff as an extract to be reviewed. The laureate may rewrite or confirm it at any time: what they save
wins over the answer, and reaches the public page at the next publication (publication.operations).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from editions.model import LoadedEdition
from models import Dossier, LaureateSummary, User, db
from text_cleaning import clean_text
from timekeeping import now

SUMMARY_MAX_LENGTH = 600

# Where the text of a summary comes from.
WRITTEN = "written"  # saved by the laureate (written or confirmed)
ANSWER = "answer"  # the answer to the public field, whole
EXTRACT = "extract"  # the answer to the public field, cut to fit
MISSING = "missing"  # nothing to publish yet

SOURCE_LABELS = {
    WRITTEN: "Relu par le lauréat",
    ANSWER: "Réponse du dossier, non relue",
    EXTRACT: "Extrait de la réponse du dossier, non relu",
    MISSING: "Manquant",
}
_SENTENCE_END = re.compile(r"[.!?…](?=\s)")


class SummaryRefused(Exception):
    """A summary that cannot be saved; the message is French, shown next to the text."""


@dataclass(frozen=True)
class Summary:
    """The text a card would show now, where it comes from, and when the laureate last saved it."""

    text: str
    source: str
    written_at: dt.datetime | None = None

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self.source]

    @property
    def reviewed(self) -> bool:
        return self.source == WRITTEN


def normalised(text: str) -> str:
    """Text as it is kept and published: clean, line breaks as « \\n », no blank edges."""
    return clean_text(text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def shortened(text: str, limit: int = SUMMARY_MAX_LENGTH) -> str:
    """The text if it fits; else its whole sentences that fit, or its whole words and « … »."""
    if len(text) <= limit:
        return text
    head = text[:limit + 1]
    ends = [m.end() for m in _SENTENCE_END.finditer(head) if m.end() <= limit]
    if ends and ends[-1] >= limit // 3:
        return head[:ends[-1]]
    words = head[:limit].rsplit(None, 1)[0] if " " in head[:limit].strip() else head[:limit - 1]
    return words.rstrip(" ,;:.–-") + "…"


def answer_text(edition: LoadedEdition, dossier: Dossier) -> str:
    """The answer to the edition's public field (the edition as served now: the key may be marked after the
    deposit), or « » when there is none."""
    field = edition.public_field
    value = (dossier.answers or {}).get(field.key) if field is not None else None
    return normalised(value) if isinstance(value, str) else ""


def written_summaries(dossier_ids: Iterable[int]) -> dict[int, LaureateSummary]:
    """The summaries laureates saved, by dossier id."""
    ids = list(dossier_ids)
    if not ids:
        return {}
    rows = db.session.execute(db.select(LaureateSummary).where(LaureateSummary.dossier_id.in_(ids))).scalars()
    return {row.dossier_id: row for row in rows}


def summary_of(edition: LoadedEdition, dossier: Dossier, written: LaureateSummary | None = None) -> Summary:
    """The summary of one dossier; `written` is its laureate's (read when not given)."""
    if written is None:
        written = written_summaries([dossier.id]).get(dossier.id)
    if written is not None:
        return Summary(written.text, WRITTEN, written.written_at)
    answer = answer_text(edition, dossier)
    if not answer:
        return Summary("", MISSING)
    short = shortened(answer)
    return Summary(short, ANSWER if short == answer else EXTRACT)


def write_summary(dossier: Dossier, text: str, author: User) -> LaureateSummary:
    """Save the laureate's summary (a confirmation of the same text counts as a review); flushes."""
    text = normalised(text or "")
    if not text:
        raise SummaryRefused("Écrivez le résumé de votre projet : il ne peut pas être vide.")
    if len(text) > SUMMARY_MAX_LENGTH:
        raise SummaryRefused(f"Le résumé compte {len(text)} caractères : raccourcissez-le à "
                             f"{SUMMARY_MAX_LENGTH} caractères au plus.")
    written = written_summaries([dossier.id]).get(dossier.id)
    if written is None:
        written = LaureateSummary(dossier_id=dossier.id)
        db.session.add(written)
    written.text, written.written_by_id, written.written_at = text, author.id, now()
    db.session.flush()
    return written
