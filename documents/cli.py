"""`flask --app app documents …`: render an edition's documents from sample data; record a laureate."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from documents.convert import docx_to_pdf
from documents.generate import produce_documents, properties, template_path
from documents.render import TemplateError, render_docx
from documents.samples import sample_context

documents_cli = AppGroup("documents", help="Documents Word et PDF des éditions.")


@documents_cli.command("sample")
@click.argument("edition_id")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Dossier où écrire les documents d'exemple.")
def sample(edition_id: str, out: Path) -> None:
    """Produire chaque document de l'édition à partir de données d'exemple (DOCX, et PDF avec LibreOffice)."""
    edition = current_app.extensions["editions"].get(edition_id)
    if edition is None:
        raise click.ClickException(f"Édition « {edition_id} » inconnue ou invalide (voir `workflows check`).")
    out.mkdir(parents=True, exist_ok=True)
    context = sample_context(edition)
    for document in edition.definition.documents:
        stem = document.filename.format(reference=context["dossier"]["reference"], edition=edition.id,
                                        call=edition.definition.call)
        try:
            data = render_docx(template_path(document), context,
                               properties(document, edition, context["dossier"]["reference"]))
        except TemplateError as exc:
            raise click.ClickException(f"{document.template} : {exc}") from None
        (out / f"{stem}.docx").write_bytes(data)
        click.echo(f"{out / (stem + '.docx')}")
        pdf = docx_to_pdf(data)
        if pdf is None:
            click.echo("  (pas de PDF : LibreOffice n'est pas installé)")
        else:
            (out / f"{stem}.pdf").write_bytes(pdf)
            click.echo(f"{out / (stem + '.pdf')}")


@documents_cli.command("laureate")
@click.argument("reference")
@click.option("--amount", required=True, help="Montant accordé en euros, par exemple 120000 ou 120000,50.")
def laureate(reference: str, amount: str) -> None:
    """Enregistrer la décision « lauréat » d'un dossier déposé et produire sa convention."""
    from dossiers.decisions import DecisionRefused, decide_laureate
    from models import Dossier, db

    dossier = db.session.execute(db.select(Dossier).filter_by(reference=reference)).scalar_one_or_none()
    if dossier is None:
        raise click.ClickException(f"Aucun dossier de référence {reference}.")
    try:
        granted = Decimal(amount.replace(" ", "").replace(",", "."))
        decide_laureate(dossier, granted, actor=None)
    except (InvalidOperation, DecisionRefused) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc) or "Montant invalide.") from None
    made = produce_documents(dossier, "laureate")
    db.session.commit()
    click.echo(f"{reference} : lauréat, {granted} € accordés. " + ", ".join(g.filename for g in made))
