"""Write the YAML of a new edition from an old one: new identity and dates, everything else as it was.

The copy works on the text, key by key at the top level, so the comments staff wrote stay where they
are. Workshops are dated, so they are not carried over; staff add the new ones.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from editions.model import LoadedEdition

TOP_LEVEL_KEY = re.compile(r"^([a-z_]+):", re.MULTILINE)


class CopyRefused(Exception):
    """The copy cannot be written; the message says why, in French."""


@dataclass(frozen=True)
class NewEdition:
    id: str
    number: int
    short_title: str
    reference_prefix: str
    opens: dt.date
    closes: dt.date


def plan_copy(old: LoadedEdition, new_id: str, opens: dt.date, closes: dt.date,
              reference_prefix: str | None = None) -> NewEdition:
    """Work out the identity of the new edition: next number, short title and reference prefix."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", new_id):
        raise CopyRefused(f"Identifiant « {new_id} » invalide : minuscules, chiffres et tirets, "
                          "par exemple etna-2020-1.")
    if closes <= opens:
        raise CopyRefused("La date de clôture doit suivre la date d'ouverture.")
    definition = old.definition
    number = definition.number + 1
    short_title = re.sub(r"\d+$", str(number), definition.short_title)
    if short_title == definition.short_title:
        short_title = f"{definition.short_title} {number}"
    if reference_prefix is None:
        match = re.fullmatch(r"(.*?)(\d+)-(\d{4})", definition.reference_prefix)
        reference_prefix = (f"{match.group(1)}{number}-{opens.year}" if match
                            else f"{definition.reference_prefix}-{number}")
    return NewEdition(new_id, number, short_title, reference_prefix, opens, closes)


def _set_scalar(text: str, key: str, value: str, comment: str = "") -> str:
    """Replace the value of a top-level scalar key (keeping the line's own comment when none is given)."""
    pattern = re.compile(rf"^{key}:[^\n#]*(#[^\n]*)?$", re.MULTILINE)
    suffix = f"  # {comment}" if comment else ""
    if pattern.search(text):
        return pattern.sub(lambda m: f"{key}: {value}{suffix or ('  ' + m.group(1) if m.group(1) else '')}",
                           text, count=1)
    anchor = re.search(r"^timezone:[^\n]*$", text, re.MULTILINE) or re.search(r"^number:[^\n]*$", text, re.MULTILINE)
    return text[:anchor.end()] + f"\n{key}: {value}{suffix}" + text[anchor.end():]


def _replace_block(text: str, key: str, replacement: str) -> str:
    """Replace a whole top-level block (`workshops:` and its indented lines)."""
    match = re.search(rf"^{key}:.*?(?=^[a-z_]+:|^#|\Z)", text, re.MULTILINE | re.DOTALL)
    if match is None:
        return text
    return text[:match.start()] + replacement + "\n\n" + text[match.end():].lstrip("\n")


def copy_text(old: LoadedEdition, new: NewEdition) -> str:
    """The YAML text of the new edition."""
    text = old.source
    header = (f"# Édition {new.number} créée le {dt.date.today():%d/%m/%Y} à partir de {old.id} "
              f"(flask --app app editions new).\n# Relisez les textes de la page : ils peuvent citer les dates "
              f"de l'édition précédente.\n")
    text = _set_scalar(text, "id", new.id)
    text = _set_scalar(text, "number", str(new.number))
    text = _set_scalar(text, "short_title", new.short_title)
    text = _set_scalar(text, "reference_prefix", new.reference_prefix)
    text = _set_scalar(text, "previous_edition", old.id, "les dossiers de l'édition précédente peuvent être repris")
    text = _set_scalar(text, "opens", new.opens.isoformat(), "ouvert à partir de 0 h 00")
    text = _set_scalar(text, "closes", new.closes.isoformat(), "inclus : jusqu'à 23 h 59")
    text = _replace_block(text, "workshops", "workshops: []  # les ateliers de l'édition précédente ne sont pas repris")
    return header + text


def write_copy(old: LoadedEdition, new: NewEdition, folder: Path) -> Path:
    """Write workflows/<new id>.yaml; never overwrite a file."""
    target = folder / f"{new.id}.yaml"
    if target.exists():
        raise CopyRefused(f"{target} existe déjà : choisissez un autre identifiant.")
    target.write_text(copy_text(old, new), encoding="utf-8")
    return target
