"""Document generation: the product's path against bare docxtpl rendering the same template with the same
data, in one run; and DOCX → PDF with LibreOffice, first conversion and following ones.

Two product figures per document: filling (context built from the answers + docxtpl, as every request
does) and the whole of `ensure_document` when inputs changed (plus hashing, storing, recording). A third
shows a document asked for again, unchanged: the stored file is returned.
"""

from __future__ import annotations

import gc
import io
import statistics
import tempfile
import time
from pathlib import Path

from docxtpl import DocxTemplate

import states

ROUNDS = 25


def _bare_render(template: Path, context: dict) -> bytes:
    document = DocxTemplate(str(template))
    document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _median_ms(function, rounds: int = ROUNDS) -> float:
    return _interleaved_ms([function], rounds)[0]


def _interleaved_ms(functions, rounds: int = ROUNDS) -> list[float]:
    """Median time of each function, run in turn within each round so that drift hits them alike; a
    (prepare, function) pair has `prepare` run untimed first."""
    timings: list[list[float]] = [[] for _ in functions]
    for round_number in range(rounds + 1):
        for entry, kept in zip(functions, timings, strict=True):
            prepare, function = entry if isinstance(entry, tuple) else (None, entry)
            if prepare is not None:
                prepare(round_number)
            gc.collect()
            start = time.perf_counter()
            function(round_number)
            if round_number:  # the first round warms caches up
                kept.append((time.perf_counter() - start) * 1000)
    return [statistics.median(kept) for kept in timings]


def _laureate(edition):
    """A submitted, laureate dossier holding the sample answers (no annexes: they are not rendered)."""
    from decimal import Decimal

    from documents.samples import sample_answers
    from models import Dossier, User, db

    answers, _ = sample_answers(edition)
    answers = {k: [] if edition.fields[k].kind.holds_files else v for k, v in answers.items()}
    user = User(email="bench.documents@interieur.gouv.fr", role="applicant")
    db.session.add(user)
    db.session.flush()
    dossier = Dossier(edition_id=edition.id, revision=edition.revision, owner_id=user.id, state=states.LAUREATE,
                      reference=f"{edition.definition.reference_prefix}-0042", title="Banc d'essai", answers=answers,
                      set_aside={}, completed_steps=[], granted_amount=Decimal("120000.00"))
    db.session.add(dossier)
    db.session.commit()
    return dossier


def run() -> list[str]:
    from app import create_app
    from documents.context import build_context
    from documents.convert import docx_to_pdf, soffice_path
    from documents.generate import ensure_document
    from documents.render import render_docx
    from documents.samples import sample_context
    from models import db

    lines = [f"Documents — médiane de {ROUNDS} productions, mêmes modèles et mêmes données, dans le même processus"]
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
                          "FILES_FOLDER": f"{tmp}/files", "MAIL_FOLDER": f"{tmp}/mail"})
        with app.app_context():
            db.create_all()
            edition = app.extensions["editions"].get("etna-2019-2")
            dossier = _laureate(edition)
            templates = Path(app.config["DOC_TEMPLATES_FOLDER"])
            for document in edition.definition.documents:
                template = templates / document.template
                context = build_context(edition, dossier)

                def fill(_, template=template):
                    return render_docx(template, build_context(edition, dossier))

                def change_inputs(round_number):
                    dossier.answers = {**dossier.answers, "direction": f"Direction n° {round_number}"}
                    db.session.commit()

                def produce(_, key=document.key):
                    ensure_document(dossier, key, "docx")
                    db.session.commit()

                def bare(_, template=template, context=context):
                    return _bare_render(template, context)

                bare_ms, fill_ms, produce_ms = _interleaved_ms([bare, fill, (change_inputs, produce)])
                again_ms = _median_ms(lambda _, key=document.key: ensure_document(dossier, key, "docx"))
                lines += [f"  {document.key:11} docxtpl nu {bare_ms:6.1f} ms │ Appels : remplissage {fill_ms:6.1f} ms "
                          f"({fill_ms / bare_ms:.2f}×), production complète {produce_ms:6.1f} ms "
                          f"({produce_ms / bare_ms:.2f}×), déjà produit {again_ms:5.1f} ms   (cible ≤ 1,2×)"]
            if soffice_path() is None:
                lines.append("  DOCX → PDF : LibreOffice absent, mesure non faite.")
                return lines
            data = render_docx(templates / edition.document("dossier").template, sample_context(edition))
            start = time.perf_counter()
            docx_to_pdf(data)
            first = (time.perf_counter() - start) * 1000
            following = _median_ms(lambda _: docx_to_pdf(data), rounds=5)
            lines.append(f"  DOCX → PDF (LibreOffice, un processus par conversion, profil propre au processus) : "
                         f"première {first:.0f} ms, suivantes {following:.0f} ms (médiane de 5)")
            db.session.remove()
            db.engine.dispose()
    return lines
