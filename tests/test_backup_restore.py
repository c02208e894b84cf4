"""Backup and restore: taken while dossiers are being submitted, restored on a fresh database and files folder,
it serves every dossier and document it held, sends no mail twice (counted at a real SMTP server), and never
gives a reference twice.
"""

from __future__ import annotations

import collections
import hashlib
import threading
from contextlib import contextmanager
from pathlib import Path

from app import create_app
from backup.restore import ALREADY_SENT
from mail.sender import deliver_pending
from models import Dossier, GeneratedDocument, OutboxMessage, StoredFile, db
from storage import file_store
from tests.conftest import IsolatedClient, _database_url, _drop_schema
from tests.journey import csrf_token, fill_all_steps, sign_in, start_dossier, submit


def _ready_to_submit(app, count: int, first: int) -> list[tuple[int, str, str]]:
    """`count` applicants with a complete draft each: (dossier id, session cookie, CSRF token)."""
    ready = []
    for number in range(first, first + count):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{number}"  # each applicant from their own address
        sign_in(client, f"agent{number}@interieur.gouv.fr")
        dossier_id = start_dossier(client)
        fill_all_steps(client, dossier_id)
        token = csrf_token(client, f"/dossiers/{dossier_id}/recapitulatif")
        ready.append((dossier_id, client.get_cookie("session").value, token))
    return ready


@contextmanager
def _fresh_app(tmp_path: Path, ledger: Path, **config):
    """Another installation: a new database and a new files folder, the same ledger."""
    folder = tmp_path / "restored"
    folder.mkdir()
    restored = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": _database_url(folder),
        "FILES_FOLDER": str(folder / "files"), "MAIL_FOLDER": str(folder / "mail"), "LEDGER_FOLDER": str(ledger),
        "BACKGROUND_MAIL": False, "JOBS_IN_THREADS": False, "JOBS_EAGER": True, "SERVER_NAME": "localhost",
        "PUBLIC_URL": "http://localhost", **config,
    })
    restored.test_client_class = IsolatedClient  # each request in its own context, as in production
    try:
        with restored.app_context():
            yield restored
            db.session.remove()
            db.engine.dispose()
    finally:
        _drop_schema(restored.config["SQLALCHEMY_DATABASE_URI"])


def test_backup_during_submissions_restored_elsewhere(app, clock, smtp, tmp_path):
    ledger = tmp_path / "ledger"
    app.config.update(JOBS_EAGER=True, LEDGER_FOLDER=str(ledger))
    clock(2019, 7, 10, 10, 0)
    for dossier_id, cookie, token in _ready_to_submit(app, 2, 1):
        tab = app.test_client()
        tab.set_cookie("session", cookie)
        assert tab.post(f"/dossiers/{dossier_id}/deposer", data={"csrf_token": token}).status_code == 302
    deliver_pending()  # the first receipts are out before the backup
    racing = _ready_to_submit(app, 4, 3)

    statuses: list[int] = []
    start = threading.Barrier(len(racing) + 1)

    def submit_racing(dossier_id: int, cookie: str, token: str) -> None:
        tab = app.test_client()
        tab.environ_base["REMOTE_ADDR"] = "10.0.1.1"
        tab.set_cookie("session", cookie)
        start.wait()
        statuses.append(tab.post(f"/dossiers/{dossier_id}/deposer", data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=submit_racing, args=item) for item in racing]
    for thread in threads:
        thread.start()
    start.wait()
    taken = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")])
    for thread in threads:
        thread.join(120)
    assert taken.exit_code == 0, taken.output
    assert statuses == [302] * len(racing)
    deliver_pending()  # everything goes out, including what the snapshot still holds as waiting
    sent_before = collections.Counter(r.message["Message-ID"] for r in smtp.received)
    given = sorted(db.session.scalars(db.select(Dossier.reference).where(Dossier.reference.is_not(None))))
    assert len(given) == 6

    with _fresh_app(tmp_path, ledger, MAIL_SERVER=smtp.host, MAIL_PORT=smtp.port) as restored:
        result = restored.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
        assert result.exit_code == 0, result.output
        assert "mail resume" in result.output
        dossiers = db.session.scalars(db.select(Dossier)).all()
        assert 2 <= len([d for d in dossiers if d.reference]) <= 6

        assert deliver_pending().sent == 0  # paused until staff resume
        assert "Envoi en pause (" in restored.test_cli_runner().invoke(args=["mail", "status"]).output
        resumed = restored.test_cli_runner().invoke(args=["mail", "resume"])
        assert resumed.exit_code == 0 and "Envoi repris" in resumed.output
        settled = db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)
                                    .filter_by(delivered_via=ALREADY_SENT))
        assert settled > 0  # waiting in the snapshot, sent since: the ledger knew
        deliver_pending()
        sent_after = collections.Counter(r.message["Message-ID"] for r in smtp.received)
        assert sent_after == sent_before  # no mail of the past sent twice
        assert max(sent_after.values()) == 1

        documents = 0
        for number, dossier in enumerate(dossiers):  # every dossier and document the snapshot held is served
            client = restored.test_client()
            client.environ_base["REMOTE_ADDR"] = f"10.0.3.{number}"
            sign_in(client, dossier.owner.email)
            assert client.get(f"/dossiers/{dossier.id}/recapitulatif").status_code == 200
            for stored in db.session.scalars(db.select(StoredFile).filter_by(dossier_id=dossier.id)):
                with client.get(f"/dossiers/{dossier.id}/pieces/{stored.id}") as response:
                    assert response.status_code == 200
                    assert hashlib.sha256(response.data).hexdigest() == stored.sha256
            for generated in db.session.scalars(db.select(GeneratedDocument).filter_by(dossier_id=dossier.id)):
                assert file_store().exists(generated.storage_key)
                url = f"/dossiers/{dossier.id}/documents/{generated.doc_key}.{generated.fmt}"
                with client.get(url) as response:
                    assert response.status_code == 200
                    assert hashlib.sha256(response.data).hexdigest() == generated.sha256
                documents += 1
        assert documents >= 2

        newcomer = restored.test_client()
        newcomer.environ_base["REMOTE_ADDR"] = "10.0.2.1"  # a deposit after the restore gets a reference never given
        sign_in(newcomer, "nouveau@interieur.gouv.fr")
        dossier_id = start_dossier(newcomer)
        fill_all_steps(newcomer, dossier_id)
        assert submit(newcomer, dossier_id).status_code == 302
        reference = db.session.get(Dossier, dossier_id).reference
        assert reference not in given and reference > given[-1]


def test_restore_refuses_a_database_that_holds_data(app, runner, tmp_path):
    from models import User

    assert runner.invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    db.session.add(User(email="agent@interieur.gouv.fr"))
    db.session.commit()
    refused = runner.invoke(args=["restore", str(tmp_path / "backup")])
    assert refused.exit_code != 0 and "contient déjà des données" in refused.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_last_reference_known_by_staff_when_the_ledger_is_lost(app, clock, tmp_path):
    app.config["LEDGER_FOLDER"] = str(tmp_path / "ledger")
    assert app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    with _fresh_app(tmp_path, tmp_path / "new-ledger") as restored:
        result = restored.test_cli_runner().invoke(
            args=["restore", str(tmp_path / "backup"), "--last-reference", "etna-2019-2=41"])
        assert result.exit_code == 0, result.output
        clock(2019, 7, 10, 10, 0)
        client = restored.test_client()
        sign_in(client, "agent@interieur.gouv.fr")
        dossier_id = start_dossier(client)
        fill_all_steps(client, dossier_id)
        assert submit(client, dossier_id).status_code == 302
        assert db.session.get(Dossier, dossier_id).reference == "ETNA2-2019-0042"
        assert OutboxMessage.query.count() >= 1


def test_a_reference_given_after_the_snapshot_is_never_given_again(app, client, clock, tmp_path):
    ledger = tmp_path / "ledger"
    app.config["LEDGER_FOLDER"] = str(ledger)
    clock(2019, 7, 10, 10, 0)
    assert app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    sign_in(client, "agent@interieur.gouv.fr")
    dossier_id = start_dossier(client)
    fill_all_steps(client, dossier_id)
    assert submit(client, dossier_id).status_code == 302  # sent out by mail, unknown to the snapshot
    assert db.session.get(Dossier, dossier_id).reference == "ETNA2-2019-0001"
    with _fresh_app(tmp_path, ledger) as restored:
        assert restored.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")]).exit_code == 0
        again = restored.test_client()
        sign_in(again, "agent@interieur.gouv.fr")
        dossier_id = start_dossier(again)
        fill_all_steps(again, dossier_id)
        assert submit(again, dossier_id).status_code == 302
        assert db.session.get(Dossier, dossier_id).reference == "ETNA2-2019-0002"


def test_a_migrated_database_is_restored_at_its_revision(app, tmp_path):
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from models import User

    db.drop_all()
    upgrade()  # the production schema, made by the migrations
    with db.engine.connect() as connection:
        revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    db.session.add(User(email="agent@interieur.gouv.fr"))
    db.session.commit()
    assert app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    with _fresh_app(tmp_path, tmp_path / "ledger") as restored:
        result = restored.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
        assert result.exit_code == 0, result.output
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == revision
        assert db.session.scalars(db.select(User.email)).all() == ["agent@interieur.gouv.fr"]


def test_the_ledger_of_references_reads_the_largest_last_number_and_survives_a_cut_line(app, tmp_path):
    """A reference given is one line appended (no file rewritten under the counter's lock); a file of an older
    release (one number) reads the same, and a line a crash cut short is neither read as the last number nor
    glued to the next one."""
    import ledger

    app.config["LEDGER_FOLDER"] = str(tmp_path / "ledger")
    path = tmp_path / "ledger" / "references" / "etna-2019-2"
    path.parent.mkdir(parents=True)
    path.write_text("41\n")  # as the release before wrote it
    assert ledger.last_reference("etna-2019-2") == 41
    ledger.record_reference("etna-2019-2", 42)
    ledger.record_reference("etna-2019-2", 40)  # never below what was given
    assert path.read_text() == "41\n42\n" and ledger.last_reference("etna-2019-2") == 42
    with path.open("a") as cut:
        cut.write("4")  # « 43 » cut by a crash
    assert ledger.last_reference("etna-2019-2") == 42
    ledger.record_reference("etna-2019-2", 43)
    assert path.read_text() == "41\n42\n4\n43\n" and ledger.last_reference("etna-2019-2") == 43
    assert ledger.last_reference("innovation-2020-1") == 0
