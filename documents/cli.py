"""`flask --app app documents …`: render an edition's documents from sample data (`documents laureate`, which
records a decision, is dossiers.cli's)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from documents.context import sample_context
from documents.convert import docx_to_pdf
from documents.generate import properties, template_path
from documents.render import TemplateError, render_docx

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
