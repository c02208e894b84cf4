"""After the rush: read back, dossier by dossier, what happened to each submission the load generator sent.

Each dossier the load generator addressed is compared item by item (lists of dossier ids, never a count
difference): exactly one submission (one transition, one reference, references without gap or double), one
acknowledgement at the SMTP sink, and, once its documents are made, one set of documents and one documents
mail at the sink. Dossiers whose documents are still queued are listed as the backlog, not as losses.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from states import SUBMITTED

TRIGGER = """
CREATE TABLE bench_submitted (dossier_id integer PRIMARY KEY, at timestamptz NOT NULL);
CREATE FUNCTION bench_mark_submitted() RETURNS trigger AS $$
BEGIN
  IF NEW.state <> OLD.state AND NEW.submitted_at IS NOT NULL AND OLD.submitted_at IS NULL THEN
    INSERT INTO bench_submitted VALUES (NEW.id, clock_timestamp()) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER bench_mark_submitted AFTER UPDATE ON dossiers FOR EACH ROW EXECUTE FUNCTION bench_mark_submitted();
"""


def install_clock(engine: sa.Engine) -> None:
    """Record the real instant of each submission (the app's clock is frozen on the last evening)."""
    with engine.begin() as connection:
        connection.exec_driver_sql(TRIGGER)


@dataclass
class Check:
    submitted: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unexplained: list[int] = field(default_factory=list)  # addressed, not cut by the end, not submitted: lost
    ack_latency: dict[int, float] = field(default_factory=dict)  # dossier → seconds from deposit to the sink
    documents_done: list[int] = field(default_factory=list)
    backlog: list[int] = field(default_factory=list)


def documents_jobs_left(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.text("SELECT count(*) FROM jobs WHERE task = 'documents.produce' "
                                          "AND status <> 'done'")).scalar()


def check(engine: sa.Engine, addressed: list[int], cut: set[int], arrivals: list[tuple[str, str, float]]) -> Check:
    """Compare, per dossier, what was addressed with what the database and the sink hold; `cut`: the dossiers
    whose request the end of the measure left unanswered (they may or may not have been deposited)."""
    result = Check()
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT d.id, d.reference, extract(epoch FROM b.at) FROM dossiers d "
            "LEFT JOIN bench_submitted b ON b.dossier_id = d.id WHERE d.state = :s ORDER BY d.id"),
            {"s": SUBMITTED}).all()
        transitions = Counter(connection.execute(sa.text(
            "SELECT dossier_id FROM transitions WHERE to_state = :s"), {"s": SUBMITTED}).scalars())
        documents = defaultdict(list)
        for dossier_id, doc_key, fmt in connection.execute(sa.text(
                "SELECT dossier_id, doc_key, fmt FROM generated_documents")):
            documents[dossier_id].append((doc_key, fmt))
        by_message = {message_id: (dossier_id, kind) for message_id, dossier_id, kind in connection.execute(
            sa.text("SELECT message_id, dossier_id, kind FROM outbox_messages"))}
        pending_documents = set(connection.execute(sa.text(
            "SELECT (args->>0)::int FROM jobs WHERE task = 'documents.produce' AND status <> 'done'")).scalars())
    at_sink: dict[int, Counter] = defaultdict(Counter)
    first_ack: dict[int, float] = {}
    for message_id, kind, arrived in arrivals:
        dossier_id, recorded_kind = by_message.get(message_id, (None, kind))
        if dossier_id is not None:
            at_sink[dossier_id][recorded_kind] += 1
            if recorded_kind == "submission_acknowledgement":
                first_ack.setdefault(dossier_id, arrived)
    submitted_at = {dossier_id: float(at) for dossier_id, _, at in rows if at is not None}
    result.submitted = [row[0] for row in rows]
    numbers = sorted(int(reference.rsplit("-", 1)[1]) for _, reference, _ in rows)
    if numbers != list(range(1, len(numbers) + 1)):
        result.problems.append("références avec trou ou doublon")
    outside = sorted(set(result.submitted) - set(addressed))
    if outside:
        result.problems.append(f"dossiers déposés sans avoir été envoyés : {outside[:10]}")
    deposited = set(result.submitted)
    result.unexplained = [d for d in addressed if d not in deposited and d not in cut]
    for dossier_id in result.submitted:
        if transitions[dossier_id] != 1:
            result.problems.append(f"dossier {dossier_id} : {transitions[dossier_id]} dépôts")
        if at_sink[dossier_id]["submission_acknowledgement"] != 1:
            result.problems.append(f"dossier {dossier_id} : {at_sink[dossier_id]['submission_acknowledgement']} "
                                   "accusés de dépôt reçus")
        elif dossier_id in submitted_at:
            result.ack_latency[dossier_id] = first_ack[dossier_id] - submitted_at[dossier_id]
        made = sorted(documents[dossier_id])
        if dossier_id in pending_documents:
            result.backlog.append(dossier_id)
            continue
        if made != sorted(set(made)) or not made:
            result.problems.append(f"dossier {dossier_id} : documents {made}")
        if at_sink[dossier_id]["submission_receipt"] != 1:
            result.problems.append(f"dossier {dossier_id} : {at_sink[dossier_id]['submission_receipt']} "
                                   "courriels des documents reçus")
        else:
            result.documents_done.append(dossier_id)
    return result


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share 0.95 → p95) of at least 200 values; NaN when there are fewer."""
    if len(values) < 200:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered) + 0.5) - 1)]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
