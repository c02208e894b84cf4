"""`flask --app app documents …`: starter templates, an edition's documents from sample data (`documents
laureate`, which records a decision, is dossiers.cli's)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from documents.convert import docx_to_pdf
from documents.generate import properties, template_path
from documents.render import TemplateError, render_docx
from documents.samples import sample_context
from documents.starter import KINDS, starter
from editions.loader import read_edition
from editions.positions import InvalidEdition

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


@documents_cli.command("starter")
@click.argument("edition")
@click.option("--kind", type=click.Choice(KINDS), required=True, help="Le document à commencer.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Fichier Word à écrire, par exemple doc_templates/monappel/dossier.docx.")
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe déjà.")
def starter_command(edition: str, kind: str, out: Path, force: bool) -> None:
    """Écrire un modèle Word de départ (dossier ou convention) qui reprend les étapes et les champs de l'édition.

    EDITION est l'identifiant d'une édition de workflows/ (etna-2019-2) ou le chemin de son fichier YAML ;
    ses modèles Word n'ont pas besoin d'exister encore.
    """
    path = Path(edition)
    if not edition.endswith((".yaml", ".yml")):
        path = Path(current_app.config["WORKFLOWS_FOLDER"]) / f"{edition}.yaml"
    if not path.is_file():
        raise click.ClickException(f"Édition « {edition} » introuvable : pas de fichier {path}.")
    try:
        loaded, _ = read_edition(path, str(path))
    except InvalidEdition as exc:
        raise click.ClickException(f"{exc}\nCorrigez d'abord le fichier (voir `workflows check`).") from None
    if out.exists() and not force:
        raise click.ClickException(f"{out} existe déjà : choisissez un autre nom, ou ajoutez --force pour le "
                                   "remplacer.")
    if out.suffix.lower() != ".docx":
        raise click.ClickException(f"{out} : le modèle doit être un fichier Word en .docx.")
    out.parent.mkdir(parents=True, exist_ok=True)
    starter(loaded, kind).save(str(out))
    click.echo(f"{out} : modèle de départ « {kind} » de {loaded.id}. Ouvrez-le dans Word, puis vérifiez l'édition "
               "avec `flask --app app workflows check`.")

