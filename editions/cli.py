"""`flask --app app workflows …`: check the edition files (pointing at each mistake) and reload them.

The check needs neither a database nor, run as `python -m editions.cli check`, a Flask app: it reads
the same configuration (defaults, instance/config.py, APPELS_* variables) without creating one.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from flask import Config, current_app, has_app_context
from flask.cli import AppGroup, ScriptInfo

from editions.folder import FileResult, check_files, display_path
from editions.model import LoadedEdition
from formatting import format_numeric_datetime, format_ordinal

workflows_cli = AppGroup("workflows", help="Vérifier et recharger les éditions (fichiers workflows/*.yaml).")


def standalone_config() -> Config:
    """Resolve the configuration as create_app does, without building an app."""
    import settings

    config = Config(str(settings.ROOT))
    instance = settings.ROOT / "instance"
    config.from_mapping(settings.defaults(str(instance)))
    config.from_pyfile(str(instance / "config.py"), silent=True)
    config.from_mapping(settings.from_environment())
    return config


def _config() -> Mapping[str, Any]:
    """The running app's config under `flask`, else the standalone resolution."""
    if has_app_context():
        return current_app.config
    info = click.get_current_context().find_object(ScriptInfo)
    if info is not None:
        return info.load_app().config
    return standalone_config()


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number > 1 else ''}"


def describe(edition: LoadedEdition) -> str:
    """Summarise a valid edition in one French line: dates, steps, fields, workshops, documents, reports."""
    zone = "heure de Paris" if edition.definition.timezone == "Europe/Paris" else edition.definition.timezone
    opens = format_numeric_datetime(edition.opens_at, edition.zone)
    closes = format_numeric_datetime(edition.closes_at, edition.zone)
    d = edition.definition
    return (f"{edition.id} ({d.short_title}, {format_ordinal(d.number)} édition), du {opens} au {closes} {zone}, "
            f"{_count(len(d.steps), 'étape')}, {_count(len(edition.fields), 'champ')}, "
            f"{_count(len(d.workshops), 'atelier')}, {_count(len(d.documents), 'document')}, "
            + (f"{_count(len(d.reports), 'rapport')}, " if d.reports else "") + f"révision {edition.revision}")


def run_check(files: tuple[str, ...], folder: Path, templates_folder: Path) -> int:
    """Check `files` (or every *.yaml of `folder`), print OK lines or one line per mistake; return the exit code."""
    if files:
        targets = [(Path(f), f) for f in files]
        siblings = sorted({s for p, _ in targets if p.parent.is_dir() for s in p.parent.glob("*.yaml")})
    else:
        siblings = sorted(folder.glob("*.yaml"))
        targets = [(p, display_path(p)) for p in siblings]
        if not targets:
            click.echo(f"Aucun fichier .yaml dans {display_path(folder)}/", err=True)
            return 1
    results: list[FileResult] = check_files(targets, siblings, templates_folder)
    errors = [error for result in results for error in result.errors]
    if not errors:
        for result in results:
            assert result.edition is not None
            click.echo(f"{result.where}: OK — {describe(result.edition)}")
            for line in _drafts_touched(result.edition):
                click.echo(line)
        return 0
    for error in errors:
        click.echo(str(error))
    invalid = sum(1 for r in results if r.errors)
    click.echo(f"{len(errors)} erreur{'s' if len(errors) > 1 else ''} dans {invalid} fichier"
               f"{'s' if invalid > 1 else ''} sur {len(results)}.", err=True)
    return 1


def _drafts_touched(edition: LoadedEdition) -> list[str]:
    """With the app's database at hand, the drafts this version of the file would touch (else nothing)."""
    if not has_app_context():
        return []
    from sqlalchemy.exc import SQLAlchemyError

    from editions.drafts_impact import affected_drafts

    try:
        return affected_drafts(edition)
    except SQLAlchemyError:  # no database yet (before `flask db upgrade`): nothing to say about drafts
        from models import db

        db.session.rollback()
        return []


@workflows_cli.command("check", with_appcontext=False)
@click.argument("files", nargs=-1)
def check_command(files: tuple[str, ...]) -> None:
    """Vérifier les fichiers d'édition (tous ceux de workflows/ sans argument).

    Chaque erreur est imprimée sous la forme fichier:ligne:colonne: message ; code de sortie 1 s'il y en a.
    """
    config = _config()
    info = click.get_current_context().find_object(ScriptInfo)
    if info is not None and not has_app_context():  # under `flask`: look at the drafts in the database too
        with info.load_app().app_context():
            sys.exit(run_check(files, Path(config["WORKFLOWS_FOLDER"]), Path(config["DOC_TEMPLATES_FOLDER"])))
    code = run_check(files, Path(config["WORKFLOWS_FOLDER"]), Path(config["DOC_TEMPLATES_FOLDER"]))
    sys.exit(code)


@workflows_cli.command("reload")
def reload_command() -> None:
    """Relire les éditions et dire lesquelles sont servies ou refusées.

    Les serveurs en marche relisent d'eux-mêmes les fichiers modifiés (toutes les EDITIONS_REFRESH_SECONDS
    secondes) ; un fichier devenu invalide ne remplace jamais la dernière version valide servie.
    """
    report = current_app.extensions["editions"].load()
    for edition in report.served:
        click.echo(f"Servie : {display_path(edition.path)} — {describe(edition)}")
    for where, edition in report.kept.items():
        click.echo(f"Servie dans sa dernière version valide (révision {edition.revision}) : {where}")
    for where, errors in report.refused.items():
        click.echo(f"Refusée : {where}")
        for error in errors:
            click.echo(f"  {error}")
    sys.exit(0 if report.ok else 1)


editions_cli = AppGroup("editions", help="Créer une nouvelle édition à partir d'une autre.")


class CalendarValue(click.ParamType):
    """A date (`2020-03-02`) or a date-time (`2020-03-02 17:00`, `2020-03-02T17:00`), kept apart: a closing
    date is inclusive, a closing date-time is that very minute."""

    name = "AAAA-MM-JJ[ HH:MM]"

    def convert(self, value, param, ctx):
        if isinstance(value, (dt.date, dt.datetime)):
            return value
        text = str(value).strip()
        for shape, kind in (("%Y-%m-%d", "date"), ("%Y-%m-%d %H:%M", "datetime"), ("%Y-%m-%dT%H:%M", "datetime")):
            try:
                parsed = dt.datetime.strptime(text, shape)
            except ValueError:
                continue
            return parsed.date() if kind == "date" else parsed
        self.fail(f"« {text} » n'est pas une date AAAA-MM-JJ ni une date-heure AAAA-MM-JJ HH:MM", param, ctx)


def _report(copy, target: Path) -> None:
    """Say what moved and which dates the texts cite, each at its line, for review."""
    where = display_path(target)
    if copy.moved:
        click.echo(f"Dates décalées ({len(copy.moved)}) : " + ", ".join(
            f"{m.path} {m.before} → {m.after}" for m in copy.moved) + ".")
    if copy.cited:
        click.echo("Dates citées dans les textes, laissées telles quelles — à relire :")
        for cited in copy.cited:
            click.echo(f"{where}:{cited.line}: « {cited.text} » ({cited.path})")


@editions_cli.command("new")
@click.argument("new_id")
@click.option("--from", "old_id", required=True, help="Identifiant de l'édition copiée, par exemple etna-2019-2.")
@click.option("--opens", type=CalendarValue(), required=True,
              help="Ouverture : AAAA-MM-JJ (0 h 00) ou AAAA-MM-JJ HH:MM, heure de l'édition.")
@click.option("--closes", type=CalendarValue(), required=True,
              help="Clôture : AAAA-MM-JJ (incluse, jusqu'à 23 h 59) ou AAAA-MM-JJ HH:MM (à cette minute).")
@click.option("--reference-prefix", default=None, help="Préfixe des références (déduit de l'ancien sinon).")
@click.option("--with-workshops", is_flag=True, default=False,
              help="Reprendre les ateliers, décalés comme les autres dates (sinon ils ne sont pas repris).")
def new_command(new_id: str, old_id: str, opens, closes, reference_prefix: str | None, with_workshops: bool) -> None:
    """Écrire workflows/NEW_ID.yaml à partir de l'édition --from : nouvelle identité, toutes les dates décalées
    d'autant que l'ouverture, commentaires et mise en page gardés ; les dates citées dans les textes sont
    listées pour relecture."""
    from editions.copy import CopyRefused, copy_edition, plan_copy, write_edition

    registry = current_app.extensions["editions"]
    old = registry.get(old_id)
    if old is None:
        raise click.ClickException(f"Édition « {old_id} » inconnue (servies : {', '.join(sorted(registry.editions))}).")
    if registry.get(new_id) is not None:
        raise click.ClickException(f"L'édition « {new_id} » existe déjà.")
    try:
        plan = plan_copy(old, new_id, opens, closes, reference_prefix, with_workshops)
        copy = copy_edition(old, plan)
        target = write_edition(copy, plan, registry.folder)
    except CopyRefused as refused:
        raise click.ClickException(str(refused)) from None
    code = run_check((str(target),), registry.folder, registry.templates_folder)
    if code != 0:
        target.unlink()
        raise click.ClickException("La copie ne passe pas la vérification : rien n'a été écrit.")
    registry.load()
    click.echo(f"Écrit : {display_path(target)} (références {plan.reference_prefix}-0001…), dates décalées de "
               f"{plan.shift_days} jours.")
    _report(copy, target)
    if not with_workshops:
        click.echo("Ajoutez les ateliers de cette édition (ou relancez avec --with-workshops).")


if __name__ == "__main__":
    click.Group("workflows", commands={"check": check_command}).main(prog_name="python -m editions.cli")
