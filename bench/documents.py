"""Document generation: the product's path against bare docxtpl rendering the same template with the same
data, in one run; and DOCX → PDF with LibreOffice, warm (kept running) and cold (one soffice per document)
side by side.

Two product figures per document: filling (context built from the answers + docxtpl, as every request
does) and the whole of `ensure_document` when inputs changed (plus hashing, storing, recording). A third
shows a document asked for again, unchanged: the stored file is returned.
"""

from __future__ import annotations

import gc
import io
import re
import statistics
import tempfile
import time
from pathlib import Path

from docxtpl import DocxTemplate

import states
from bench import report
from bench.report import Section

ROUNDS = 25
WARM_SAMPLES = 40  # a p95 from 40 is the third worst: a percentile, not a maximum
COLD_SAMPLES = 8  # 2-3 s each: enough for a median beside the warm one, within the 10 minutes of `make bench`


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


def run() -> Section:
    from app import create_app
    from documents.context import build_context
    from documents.convert import soffice_path
    from documents.generate import ensure_document
    from documents.render import render_docx
    from documents.samples import sample_context
    from models import db

    started, load_before = report.now(), report.load()
    lines = [f"Documents — médiane de {ROUNDS} productions, mêmes modèles et mêmes données, dans le même processus"]
    rows = []
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
                rows.append(f"| {document.title} | {_ms(bare_ms)} | {_ms(fill_ms)} ({_times(fill_ms / bare_ms)}) | "
                            f"{_ms(produce_ms)} ({_times(produce_ms / bare_ms)}) | {_ms(again_ms)} | ≤ 1,2× |")
            if soffice_path() is None:
                lines.append("  DOCX → PDF : LibreOffice absent, mesure non faite.")
                conversion = "Conversion DOCX → PDF : LibreOffice absent, mesure non faite."
            else:
                data = render_docx(templates / edition.document("dossier").template, sample_context(edition))
                more, conversion = _conversions(app, data)
                lines += more
            db.session.remove()
            db.engine.dispose()
    markdown = "\n\n".join([
        "## Documents", report.header(started, load_before, report.load()),
        f"Médiane de {ROUNDS} productions, mêmes modèles, mêmes données, même processus. « Remplissage » : le "
        "contexte construit à partir des réponses puis docxtpl, comme à chaque demande ; « production complète » : "
        "`ensure_document` quand une entrée a changé (plus l'empreinte, le stockage, la ligne en base) ; « déjà "
        "produit » : le même document redemandé, inchangé.",
        "\n".join(["| document | docxtpl nu | remplissage | production complète | déjà produit | cible |",
                   "| --- | --- | --- | --- | --- | --- |", *rows]),
        conversion])
    return Section("documents", lines, markdown)


def _ms(value: float) -> str:
    return f"{value:.1f} ms".replace(".", ",") if value < 100 else f"{value:.0f} ms"


def _times(value: float) -> str:
    return f"{value:.2f}×".replace(".", ",")


def _rss_mib(root: int) -> float:
    """Resident memory of a process and its descendants (the warm LibreOffice and its helper), in MiB."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    family, frontier = {root}, {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - family
        family |= frontier
    total = 0
    for pid in family:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        total += int(found.group(1)) if found else 0
    return total / 1024


def _conversions(app, data: bytes) -> tuple[list[str], str]:
    """The dossier converted warm (one LibreOffice kept running) and cold (one soffice per document), interleaved
    in one run so that the load of the machine weighs on both alike."""
    from documents import convert, warm

    warm.shutdown()
    app.config["SOFFICE_WARM"] = True
    setup = convert.warm_setup()
    instance = warm.converter(setup)
    start = time.perf_counter()
    with instance.lock:
        instance.ensure_started()
    start_s = time.perf_counter() - start

    def timed(warm_on: bool) -> float:
        app.config["SOFFICE_WARM"] = warm_on
        begin = time.perf_counter()
        pdf = convert.docx_to_pdf(data)
        elapsed = time.perf_counter() - begin
        assert pdf.startswith(b"%PDF")
        return elapsed * 1000

    first_warm, first_cold = timed(True), timed(False)
    warm_ms, cold_ms = [], []
    for number in range(WARM_SAMPLES):
        warm_ms.append(timed(True))
        if number % (WARM_SAMPLES // COLD_SAMPLES) == 0 and len(cold_ms) < COLD_SAMPLES:
            cold_ms.append(timed(False))
    memory = _rss_mib(instance.process.pid)
    restarts = instance.starts - 1
    app.config["SOFFICE_WARM"] = True
    warm.shutdown()
    median_warm, p95_warm = statistics.median(warm_ms), report.percentile(warm_ms, 95)
    median_cold, worst_cold = statistics.median(cold_ms), max(cold_ms)
    verdict = "tenue" if median_warm <= 400 else "**non tenue**"
    start_text, ratio_text = f"{start_s:.1f} s".replace(".", ","), f"{median_cold / median_warm:.1f}".replace(".", ",")
    lines = [f"  DOCX → PDF du dossier, LibreOffice gardé en marche : démarrage {start_s:.1f} s, première "
             f"{first_warm:.0f} ms, puis médiane {median_warm:.0f} ms, p95 {p95_warm:.0f} ms ({WARM_SAMPLES} "
             f"conversions ; cible médiane ≤ 400 ms : {verdict.strip('*')}) ; {memory:.0f} Mio résidents ; "
             f"{restarts} redémarrage(s)",
             f"  DOCX → PDF du dossier, à froid (un soffice par conversion) : première {first_cold:.0f} ms, puis "
             f"médiane {median_cold:.0f} ms, pire {worst_cold:.0f} ms ({COLD_SAMPLES} conversions, intercalées)"]
    markdown = "\n".join([
        "Conversion DOCX → PDF du dossier de candidature (modèle de l'édition, données d'exemple), les deux chemins "
        "intercalés dans la même exécution :", "",
        "| conversion | démarrage | première | médiane | p95 | pire | échantillons |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| LibreOffice gardé en marche (`documents/warm.py`) | {start_text} | {first_warm:.0f} ms | "
        f"{median_warm:.0f} ms | {p95_warm:.0f} ms | {max(warm_ms):.0f} ms | {WARM_SAMPLES} |",
        f"| à froid, un `soffice --convert-to` par document | à chaque fois | {first_cold:.0f} ms | "
        f"{median_cold:.0f} ms | — | {worst_cold:.0f} ms | {COLD_SAMPLES} |", "",
        f"Cible : le dossier converti en 400 ms au plus (médiane) : {verdict}, {ratio_text} fois "
        f"plus vite qu'à froid. Le LibreOffice gardé en marche et son programme occupent {memory:.0f} Mio de "
        f"mémoire résidente ; {restarts} redémarrage(s) pendant la mesure. p95 : rang le plus proche (une valeur "
        "mesurée, dépassée par 5 % des conversions au plus)."])
    return lines, markdown
