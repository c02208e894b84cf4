"""`flask --app app purge`: apply each edition's RGPD retention (dry run unless --apply); and
`flask --app app documents laureate`: record a laureate and produce its convention (added to the documents group)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import click
from flask import current_app

from documents.generate import produce_documents
from dossiers.decisions import DecisionRefused, decide_laureate
from dossiers.retention import due_for_purge, purge
from models import Dossier, db

ACTIONS = {"anonymise": "anonymiser", "delete": "supprimer"}


@click.command("purge")
@click.option("--edition", "edition_id", default=None, help="Une seule édition (défaut : toutes).")
@click.option("--apply", "really", is_flag=True, help="Agir (sans cette option, la liste seulement).")
def purge_command(edition_id: str | None, really: bool) -> None:
    """Anonymiser ou supprimer les dossiers dont la durée de conservation (YAML `retention`) est passée."""
    if edition_id is not None and current_app.extensions["editions"].get(edition_id) is None:
        raise click.BadParameter(f"édition inconnue : {edition_id}", param_hint="--edition")
    due = due_for_purge(edition_id=edition_id)
    for item in due:
        d = item.dossier
        click.echo(f"{d.edition_id} dossier {d.id} {d.reference or '(sans référence)'} — {item.reason} depuis le "
                   f"{item.since:%d/%m/%Y} : {ACTIONS[item.action]}")
    if not really:
        click.echo(f"{len(due)} dossier(s) à traiter ; rien n'a été modifié (relancer avec --apply).")
        return
    for item in due:
        purge(item)
    db.session.commit()
    click.echo(f"{len(due)} dossier(s) traité(s). Les fichiers libérés partent avec `flask --app app storage gc`.")


@click.command("laureate")
@click.argument("reference")
@click.option("--amount", required=True, help="Montant accordé en euros, par exemple 120000 ou 120000,50.")
def laureate_command(reference: str, amount: str) -> None:
    """Enregistrer la décision « lauréat » d'un dossier déposé et produire sa convention."""
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
