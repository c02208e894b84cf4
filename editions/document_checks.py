"""Check the documents and emails an edition declares: templates that exist, file names, emails that are sent.

The template check looks in `CheckContext.templates_folder` (config DOC_TEMPLATES_FOLDER), so it runs
without a Flask app; the check of the variables a template needs is registered by documents (documents.checks).
"""

from __future__ import annotations

import difflib
import string
from pathlib import Path, PurePosixPath

from editions.check_context import CheckContext
from editions.loader import EditionError
from editions.schema import BUILTIN_EMAILS

# What a document's `filename` pattern may name; the app adds the extension (.docx, .pdf).
FILENAME_PLACEHOLDERS = ("reference", "edition", "call")


def _shown_folder(folder: Path) -> str:
    """Show the templates folder relative to the working directory when below it."""
    try:
        return str(folder.resolve().relative_to(Path.cwd().resolve())) + "/"
    except ValueError:
        return str(folder) + "/"


def _template_error(ctx: CheckContext, template: str) -> str | None:
    """Say what is wrong with one `template` path, or None when the file is there."""
    relative = PurePosixPath(template)
    if relative.is_absolute() or ".." in relative.parts or "\\" in template:
        return f"le modèle « {template} » doit être un chemin dans le dossier des modèles, comme « etna/dossier.docx »"
    if relative.suffix != ".docx":
        return f"le modèle « {template} » doit être un fichier Word en .docx"
    folder = ctx.templates_folder
    if (folder / relative).is_file():
        return None
    existing = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.docx")) if folder.is_dir() else []
    guess = difflib.get_close_matches(template, existing, n=1)
    hint = f" ; vouliez-vous dire « {guess[0]} » ?" if guess else ""
    return f"modèle introuvable « {template} » : pas de tel fichier dans {_shown_folder(folder)}{hint}"


def _filename_error(pattern: str) -> str | None:
    """Say what is wrong with a `filename` pattern such as '{reference}-dossier', or None."""
    if "/" in pattern or "\\" in pattern:
        return "« filename » ne doit contenir ni « / » ni « \\ »"
    if PurePosixPath(pattern).suffix.lower() in (".docx", ".pdf", ".doc", ".odt"):
        return "« filename » ne doit pas finir par une extension : l’application ajoute .docx et .pdf"
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError:
        return "« filename » a une accolade seule (écrivez les emplacements comme {reference})"
    for name in names:
        if name not in FILENAME_PLACEHOLDERS:
            return (f"emplacement inconnu « {{{name}}} » dans « filename » "
                    f"(possibles : {', '.join('{' + p + '}' for p in FILENAME_PLACEHOLDERS)})")
    return None


def check_documents(ctx: CheckContext) -> list[EditionError]:
    """Every document's template exists under the templates folder and its file name pattern is sound."""
    errors = []
    for di, document in enumerate(ctx.edition.definition.documents):
        problem = _template_error(ctx, document.template)
        if problem:
            errors.append(ctx.error(("documents", di, "template"), problem))
        problem = _filename_error(document.filename)
        if problem:
            errors.append(ctx.error(("documents", di, "filename"), problem))
    return errors


def check_document_emails(ctx: CheckContext) -> list[EditionError]:
    """A document's `email` is one of `emails` or a built-in email."""
    known = list(ctx.edition.definition.emails) + [b for b in BUILTIN_EMAILS if b not in ctx.edition.definition.emails]
    errors = []
    for di, document in enumerate(ctx.edition.definition.documents):
        if document.email is None or document.email in known:
            continue
        guess = difflib.get_close_matches(document.email, known, n=1)
        hint = f" ; vouliez-vous dire « {guess[0]} » ?" if guess else ""
        errors.append(ctx.error(("documents", di, "email"),
                                f"courriel inconnu « {document.email} »{hint} (attendu une clé de « emails » ou un "
                                f"courriel prévu : {', '.join(BUILTIN_EMAILS)})"))
    return errors


def check_email_definitions(ctx: CheckContext) -> list[EditionError]:
    """Each email of `emails` is sent: built-in or used by a document (its texts are checked by mail.checks)."""
    definition = ctx.edition.definition
    used = {d.email for d in definition.documents if d.email}
    errors = []
    for key in definition.emails:
        if key not in BUILTIN_EMAILS and key not in used:
            guess = difflib.get_close_matches(key, BUILTIN_EMAILS, n=1)
            hint = f" ; vouliez-vous dire « {guess[0]} » ?" if guess else ""
            errors.append(ctx.error(("emails", key), f"le courriel « {key} » n’est jamais envoyé{hint} (attendu un "
                                                     "courriel prévu ou un courriel nommé par le « email » d’un "
                                                     "document)", key=True))
    return errors
