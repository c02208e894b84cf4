"""Which drafts a change of a live edition touches: answers to questions removed or changed in type.

`flask --app app workflows check` prints it for each valid file when a database is there, before the
change goes online; the drafts keep working and those answers are set aside, never dropped.
"""

from __future__ import annotations

from collections import Counter

import states
from editions.model import LoadedEdition
from editions.revisions import answer_fits, parse_revision
from models import Dossier, EditionRevision, db


def affected_drafts(edition: LoadedEdition) -> list[str]:
    """French lines: for each question of an older revision that the new file drops or retypes, how many
    drafts hold an answer to it."""
    revisions = db.session.execute(
        db.select(Dossier.revision, db.func.count()).filter(
            Dossier.edition_id == edition.id, Dossier.state == states.DRAFT,
            Dossier.revision != edition.revision).group_by(Dossier.revision)).all()
    counts: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for revision, _ in revisions:
        stored = db.session.get(EditionRevision, (edition.id, revision))
        old = parse_revision(edition.id, revision, stored.source) if stored else None
        if old is None:
            continue
        changed = {key: field for key, field in old.fields.items()
                   if key not in edition.fields or edition.fields[key].type != field.type}
        if not changed:
            continue
        drafts = db.session.execute(db.select(Dossier.answers).filter_by(
            edition_id=edition.id, state=states.DRAFT, revision=revision)).scalars()
        for answers in drafts:
            for key, field in changed.items():
                value = (answers or {}).get(key)
                new = edition.fields.get(key)
                if value not in (None, "", []) and (new is None or not answer_fits(field, new, value)):
                    counts[key] += 1
                    labels[key] = field.label
    return [f"  {count} brouillon(s) ont une réponse à « {labels[key]} » "
            f"({'question retirée' if key not in edition.fields else 'type changé'}) : elle sera mise de côté, "
            f"pas effacée, à leur prochaine ouverture." for key, count in sorted(counts.items())]
