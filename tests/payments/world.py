"""Helpers for the payments tests: ETNA 2 served with three instalments, and conventions countersigned for real.

The three instalments are the innovation call's shape, on ETNA 2 (whose answers the staff helpers fill): 40 % at
signature, 40 % on the interim report, 20 % on 30 June 2020. The convention is countersigned at 10:00, Paris
time, on 20 September 2019.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import states
from models import Agreement, Dossier, PaymentLine, User, db
from staff.agreements import countersign
from tests.staff_world import make_dossier, make_user, standalone_app
from timekeeping import now

ROOT = Path(__file__).resolve().parents[2]
THREE = """instalments:
  - label: Avance
    share: 40
    trigger: signature
  - label: Deuxième versement
    share: 40
    trigger: report
    report: rapport_intermediaire
  - label: Solde
    share: 20
    trigger: date
    date: 2020-06-30
"""
INTERIM = "rapport_intermediaire"  # the key of ETNA 2's interim report (its title: « Rapport intermédiaire »)
ODD_AMOUNT = Decimal("120000.05")  # 48 000,02 + 48 000,02 + 24 000,01


def with_instalments(text: str, block: str) -> str:
    """The edition's text with its `instalments` block (whatever it is today) replaced by `block`."""
    replaced, count = re.subn(r"^instalments:\n(?:[ \t]+.*\n|\n(?=[ \t]))*", block, text, flags=re.M)
    assert count == 1, "no instalments block in the edition"
    return replaced


@contextmanager
def payments_app(folder: Path, **config) -> Iterator:
    """An app on a fresh database serving ETNA 2 with THREE (from a copy of the workflows in `folder`), with the
    people of the payments tests; for a module's worth of tests sharing it."""
    target = folder / "workflows"
    shutil.copytree(ROOT / "workflows", target)
    edition_file = target / "etna-2019-2.yaml"
    edition_file.write_text(with_instalments(edition_file.read_text(encoding="utf-8"), THREE), encoding="utf-8")
    with standalone_app(folder, WORKFLOWS_FOLDER=str(target), **config) as app:
        people = {role: make_user(f"{role}@dinsic.gouv.fr", role) for role in ("instructeur", "admin", "jury")}
        people["owner"] = make_user("porteur@interieur.gouv.fr", "applicant")
        people["other applicant"] = make_user("autre@culture.gouv.fr", "applicant")
        yield app, people


def signed_convention(app, owner: User, staff: User, amount: Decimal = ODD_AMOUNT, **answers) -> Dossier:
    """A dossier of `owner` whose convention `staff` countersigned now, through staff.agreements.countersign."""
    dossier = make_dossier(app, owner, states.AGREEMENT_SENT, staff, **answers)
    dossier.granted_amount = amount
    db.session.add(Agreement(dossier_id=dossier.id, sent_at=now(), signed_uploaded_at=now(),
                             signed_file_id=dossier.answers["lettre_engagement"][0]))
    db.session.flush()
    countersign(dossier, staff, "Contresignée par la directrice.")
    db.session.commit()
    return dossier


def lines(dossier: Dossier) -> list[PaymentLine]:
    db.session.expire_all()
    return list(db.session.execute(db.select(PaymentLine).filter_by(dossier_id=dossier.id)
                                   .order_by(PaymentLine.position)).scalars())
