"""Take a backup: the database snapshot first, then the files folder, so every blob the snapshot names is there.

Blobs are immutable and named by their content, so a blob that existed when the database was read is
still there when the files are copied (only `storage gc` removes blobs, and only old unreferenced ones).
The copy is checked against the snapshot's keys before the backup is declared good.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from flask import current_app

from backup.database import dump
from storage.files import FileStore
from timekeeping import now

MANIFEST = "manifest.json"
FILES = "files"
FORMAT = 1


class BackupFailed(Exception):
    """The backup is incomplete and must not be relied on; the message says why, in French."""


def copy_tree(source: Path, target: Path, keep_existing_blobs: bool = False) -> int:
    """Copy the files folder (never the half-written `.tmp-` files); return how many files were copied."""
    copied = 0
    for path in sorted(source.rglob("*")) if source.is_dir() else ():
        if not path.is_file() or path.name.startswith(".tmp-"):
            continue
        destination = target / path.relative_to(source)
        if keep_existing_blobs and destination.exists() and len(path.name) == 64:
            continue  # the same name is the same content
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        copied += 1
    return copied


def take_backup(out: Path) -> dict:
    """Write a backup into the new folder `out`; return its manifest."""
    if out.exists() and any(out.iterdir()):
        raise BackupFailed(f"le dossier {out} existe et n'est pas vide")
    out.mkdir(parents=True, exist_ok=True)
    database = out / "database"
    database.mkdir()
    taken_at = now()
    snapshot = dump(database)
    files_folder = Path(current_app.config["FILES_FOLDER"])
    copied = copy_tree(files_folder, out / FILES)
    store = FileStore(out / FILES)
    missing = [key for key in snapshot["keys"] if not store.exists(key)]
    if missing:
        raise BackupFailed(f"{len(missing)} fichier(s) désigné(s) par la base absent(s) du dossier des fichiers, "
                           f"par exemple {missing[0]}")
    manifest = {"format": FORMAT, "taken_at": taken_at.isoformat(), "engine": snapshot["engine"],
                "alembic_revision": snapshot["alembic_revision"], "tables": snapshot.get("tables"),
                "files": copied, "referenced_files": len(snapshot["keys"])}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.exists():
        raise BackupFailed(f"{folder} n'est pas une sauvegarde complète (pas de {MANIFEST})")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupFailed(f"format de sauvegarde inconnu : {manifest.get('format')}")
    return manifest
