"""Write the YAML of a new edition from an old one: new identity, every date moved by one offset.

The file is edited as a tree (editions.date_shift, ruamel.yaml round-trip): comments and layout stay as
staff wrote them. The offset is the number of days between the old and the new opening; it moves field
bounds, instalment dates and, when asked, the workshops (else they are not carried over: staff add the
new ones). Dates cited in texts are listed for review, never rewritten.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from editions.date_shift import CitedDate, Moved, cited_dates, dump, load, shift_dates
from editions.model import LoadedEdition
from timekeeping import closing_instant, now, opening_instant


class CopyRefused(Exception):
    """The copy cannot be written; the message says why, in French."""


@dataclass(frozen=True)
class NewEdition:
    id: str
    number: int
    short_title: str
    reference_prefix: str
    opens: dt.date | dt.datetime  # a date opens at 0 h 00; a date-time at that minute (edition's zone)
    closes: dt.date | dt.datetime  # a date is inclusive; a date-time is the closing instant
    with_workshops: bool = False
    shift_days: int = 0


@dataclass
class Copy:
    """The text of the new edition, the dates moved in it and the dates its texts cite."""

    text: str
    moved: list[Moved] = field(default_factory=list)
    cited: list[CitedDate] = field(default_factory=list)


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def plan_copy(old: LoadedEdition, new_id: str, opens: dt.date | dt.datetime, closes: dt.date | dt.datetime,
              reference_prefix: str | None = None, with_workshops: bool = False) -> NewEdition:
    """Work out the identity of the new edition (next number, short title, reference prefix) and its offset."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", new_id):
        raise CopyRefused(f"Identifiant « {new_id} » invalide : minuscules, chiffres et tirets, "
                          "par exemple etna-2020-1.")
    if closing_instant(closes, old.zone) <= opening_instant(opens, old.zone):
        raise CopyRefused("La date de clôture doit suivre la date d'ouverture.")
    definition = old.definition
    number = definition.number + 1
    short_title = re.sub(r"\d+$", str(number), definition.short_title)
    if short_title == definition.short_title:
        short_title = f"{definition.short_title} {number}"
    if reference_prefix is None:
        match = re.fullmatch(r"(.*?)(\d+)-(\d{4})", definition.reference_prefix)
        reference_prefix = (f"{match.group(1)}{number}-{_day(opens).year}" if match
                            else f"{definition.reference_prefix}-{number}")
    days = (_day(opens) - old.opens_at.astimezone(old.zone).date()).days
    return NewEdition(new_id, number, short_title, reference_prefix, opens, closes, with_workshops, days)


def _written(value: dt.date | dt.datetime) -> dt.date | str:
    """A date as the file holds it: a YAML date, or `2020-03-02 09:30` read in the edition's zone."""
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else value


def _set(tree: CommentedMap, key: str, value: object, comment: str | None = None, after: str = "number") -> None:
    """Set a top-level key, keeping its place and the comment lines that follow it; add it after `after`."""
    if key not in tree:
        tree.insert(list(tree).index(after) + 1, key, value)
    else:
        tree[key] = value
    if comment is None:
        return
    token = (tree.ca.items.get(key) or [None, None, None, None])[2]
    if token is None:
        tree.yaml_add_eol_comment(f"# {comment}", key)
    else:  # the token holds the line's comment, then any comment lines below it: replace the first only
        _, newline, rest = token.value.partition("\n")
        token.value = f"# {comment}{newline}{rest}"


def _calendar_comments(new: NewEdition) -> tuple[str, str]:
    opens = ("ouvert à partir de 0 h 00" if not isinstance(new.opens, dt.datetime)
             else "ouvert à partir de cette heure")
    closes = ("inclus : jusqu'à 23 h 59" if not isinstance(new.closes, dt.datetime)
              else "clôture à cette heure précise")
    return opens, closes


def copy_edition(old: LoadedEdition, new: NewEdition) -> Copy:
    """The new edition's text, with what moved and what to review."""
    tree = load(old.source)
    _set(tree, "id", new.id)
    _set(tree, "number", new.number)
    _set(tree, "short_title", new.short_title)
    _set(tree, "reference_prefix", new.reference_prefix)
    _set(tree, "previous_edition", old.id, "les dossiers de l'édition précédente peuvent être repris",
         after="reference_prefix")
    opens_comment, closes_comment = _calendar_comments(new)
    _set(tree, "opens", _written(new.opens), opens_comment)
    _set(tree, "closes", _written(new.closes), closes_comment)
    skip = {"opens", "closes"} | (set() if new.with_workshops else {"workshops"})
    moved = shift_dates(tree, new.shift_days, skip)
    if not new.with_workshops and tree.get("workshops"):
        empty = CommentedSeq()
        empty.fa.set_flow_style()
        _set(tree, "workshops", empty, "les ateliers de l'édition précédente ne sont pas repris "
                                       "(--with-workshops les reprend, décalés)")
        token = tree.ca.items["workshops"][2]
        token.value = token.value.rstrip("\n") + "\n\n"  # the blank line the old block ended with
    header = (f"# Édition {new.number} créée le {now().astimezone(old.zone):%d/%m/%Y} à partir de {old.id} "
              f"(flask --app app editions new), dates décalées de {new.shift_days} jours.\n"
              "# Relisez les textes de la page : ils peuvent citer les dates de l'édition précédente.\n")
    text = header + dump(tree)
    return Copy(text, moved, cited_dates(text))


def write_edition(copy: Copy, new: NewEdition, folder: Path) -> Path:
    """Write the copy as workflows/<new id>.yaml; never overwrite a file."""
    target = folder / f"{new.id}.yaml"
    if target.exists():
        raise CopyRefused(f"{target} existe déjà : choisissez un autre identifiant.")
    target.write_text(copy.text, encoding="utf-8")
    return target
