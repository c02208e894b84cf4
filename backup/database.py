"""Snapshot and reload the database: SQLite through its backup API, PostgreSQL through COPY in one snapshot.

The PostgreSQL copy is taken in one REPEATABLE READ transaction, so every table is read as of the same
instant; columns are listed by name, so the copy loads into tables made by the migrations or by the models
alike, in any schema (the app's search_path).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa
from psycopg import IsolationLevel

from models import db

SQLITE_FILE = "database.sqlite3"
TABLES_FOLDER = "tables"
ALEMBIC = "alembic_version"
# Where rows name a blob of the files folder (see storage.gc for the same list, by model).
KEY_QUERIES = ("SELECT storage_key FROM stored_files", "SELECT storage_key FROM generated_documents")


class RestoreRefused(Exception):
    """The target cannot take the snapshot as it is; the message says why, in French."""


def _keys(cursor) -> set[str]:
    keys: set[str] = set()
    for query in KEY_QUERIES:
        cursor.execute(query)
        keys |= {row[0] for row in cursor.fetchall()}
    return keys


def _tables(names: Iterable[str] | None = None) -> list[sa.Table]:
    tables = list(db.metadata.sorted_tables)  # parents before children
    return [t for t in tables if names is None or t.name in names]


def dump(folder: Path) -> dict:
    """Write a consistent snapshot into `folder`; return its description and the blob keys it refers to."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        return _dump_sqlite(folder)
    return _dump_postgresql(folder)


def _dump_sqlite(folder: Path) -> dict:
    raw = db.engine.raw_connection()
    try:
        target = sqlite3.connect(folder / SQLITE_FILE)
        raw.driver_connection.backup(target)  # one step: the whole file as of one instant
        target.close()
    finally:
        raw.close()
    snapshot = sqlite3.connect(folder / SQLITE_FILE)
    try:
        keys = _keys(snapshot.cursor())
        revision = _sqlite_revision(snapshot)
    finally:
        snapshot.close()
    return {"engine": "sqlite", "alembic_revision": revision, "keys": sorted(keys)}


def _sqlite_revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute(f"SELECT version_num FROM {ALEMBIC}").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def _columns(table: sa.Table, names: list[str]) -> str:
    quote = db.engine.dialect.identifier_preparer.quote
    return f"{quote(table.name)} ({', '.join(quote(n) for n in names)})"


def _dump_postgresql(folder: Path) -> dict:
    (folder / TABLES_FOLDER).mkdir()
    raw = db.engine.raw_connection()
    connection = raw.driver_connection
    try:
        connection.rollback()
        connection.isolation_level, connection.read_only = IsolationLevel.REPEATABLE_READ, True
        cursor = connection.cursor()
        keys = _keys(cursor)  # read in the same snapshot as the tables
        tables = {}
        for table in _tables():
            columns = [c.name for c in table.columns]
            tables[table.name] = columns
            with open(folder / TABLES_FOLDER / f"{table.name}.copy", "wb") as out, cursor.copy(
                    f"COPY {_columns(table, columns)} TO STDOUT") as copy:
                for block in copy:
                    out.write(block)
        revision = None
        cursor.execute("SELECT to_regclass(%s)", (ALEMBIC,))
        if cursor.fetchone()[0] is not None:
            cursor.execute(f"SELECT version_num FROM {ALEMBIC}")
            row = cursor.fetchone()
            revision = row[0] if row else None
    finally:
        connection.rollback()
        connection.isolation_level, connection.read_only = None, None  # back to the pool as it came
        raw.close()
    return {"engine": "postgresql", "tables": tables, "alembic_revision": revision, "keys": sorted(keys)}


def has_rows() -> bool:
    """Whether the target database already holds anything (a restore needs an empty one, or --replace)."""
    inspector = sa.inspect(db.engine)
    present = set(inspector.get_table_names())
    with db.engine.connect() as connection:
        return any(connection.execute(sa.select(sa.literal(1)).select_from(t).limit(1)).first()
                   for t in _tables() if t.name in present)


def load(folder: Path, manifest: dict, replace: bool) -> None:
    """Load the snapshot into the app's database (which must be empty unless `replace`)."""
    engine = db.engine
    if engine.dialect.name != manifest["engine"]:
        raise RestoreRefused(f"la sauvegarde vient d'une base {manifest['engine']}, la cible est "
                             f"{engine.dialect.name}")
    if has_rows() and not replace:
        raise RestoreRefused("la base cible contient déjà des données (relancer avec --replace pour les remplacer)")
    db.session.remove()
    if engine.dialect.name == "sqlite":
        _load_sqlite(folder)
    else:
        _load_postgresql(folder, manifest)
    engine.dispose()


def _load_sqlite(folder: Path) -> None:
    db.engine.dispose()
    target = sqlite3.connect(db.engine.url.database)
    source = sqlite3.connect(folder / SQLITE_FILE)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _load_postgresql(folder: Path, manifest: dict) -> None:
    present = set(sa.inspect(db.engine).get_table_names())
    if not present & {t.name for t in _tables()}:  # a fresh database: the schema the snapshot was taken with
        if manifest["alembic_revision"]:
            from flask_migrate import upgrade

            upgrade(revision=manifest["alembic_revision"])
        else:
            db.create_all()
    tables = _tables(manifest["tables"])
    raw = db.engine.raw_connection()
    try:
        connection = raw.driver_connection
        cursor = connection.cursor()
        for table in reversed(tables):
            cursor.execute(f"DELETE FROM {db.engine.dialect.identifier_preparer.quote(table.name)}")
        for table in tables:
            columns = manifest["tables"][table.name]
            with open(folder / TABLES_FOLDER / f"{table.name}.copy", "rb") as source, cursor.copy(
                    f"COPY {_columns(table, columns)} FROM STDIN") as copy:
                while block := source.read(1 << 20):
                    copy.write(block)
            if "id" in table.columns and isinstance(table.columns["id"].type, sa.Integer):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                               f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table.name}")
        connection.commit()
    except Exception:
        raw.driver_connection.rollback()
        raise
    finally:
        raw.close()
