"""Document generation: the product's path (context + docxtpl + storage) against bare docxtpl rendering the
same template with the same data; and DOCX → PDF with LibreOffice, first conversion and following ones.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from pathlib import Path

from docxtpl import DocxTemplate

ROUNDS = 15


def _bare_render(template: Path, context: dict) -> bytes:
    document = DocxTemplate(str(template))
    document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _median_ms(function, rounds: int = ROUNDS) -> float:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def run() -> list[str]:
    from app import create_app
    from documents.context import sample_context
    from documents.convert import docx_to_pdf, soffice_path
    from documents.render import render_docx

    lines = [f"Documents — médiane de {ROUNDS} générations, mêmes modèles et mêmes données"]
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
                          "FILES_FOLDER": f"{tmp}/files", "MAIL_FOLDER": f"{tmp}/mail"})
        with app.app_context():
            edition = app.extensions["editions"].get("etna-2019-2")
            templates = Path(app.config["DOC_TEMPLATES_FOLDER"])
            for document in edition.definition.documents:
                template = templates / document.template

                def product(template=template):
                    return render_docx(template, sample_context(edition))  # context built each time, as in the app

                context = sample_context(edition)
                product_ms = _median_ms(product)
                bare_ms = _median_ms(lambda template=template, context=context: _bare_render(template, context))
                lines.append(f"  {document.key:12} Appels {product_ms:7.1f} ms   docxtpl nu {bare_ms:7.1f} ms   "
                             f"rapport {product_ms / bare_ms:.2f}× (cible ≤ 1,2×)")
            if soffice_path() is None:
                lines.append("  DOCX → PDF : LibreOffice absent, mesure non faite.")
                return lines
            data = render_docx(templates / edition.document("dossier").template, sample_context(edition))
            start = time.perf_counter()
            docx_to_pdf(data)
            first = (time.perf_counter() - start) * 1000
            following = _median_ms(lambda: docx_to_pdf(data), rounds=5)
            lines.append(f"  DOCX → PDF (LibreOffice) : première conversion {first:.0f} ms, "
                         f"suivantes {following:.0f} ms (médiane de 5)")
    return lines
