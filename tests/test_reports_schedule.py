"""When reports are due (a day, or a delay after the countersignature), the rows made when first needed, and what
the reports say against closing a dossier."""

from __future__ import annotations

import datetime as dt

import pytest

import states
from models import Agreement, Report, User, db
from reports import lifecycle
from reports.closing import closing_blockers
from reports.review import review
from reports.schedule import add_delay, ensure_reports, report_lines
from tests.report_journey import FINAL, INTERIM, signed_laureate
from tests.staff_world import make_dossier, make_user


@pytest.mark.parametrize(("day", "delay", "due"), [
    ((2019, 11, 4), "3 months", (2020, 2, 4)),
    ((2020, 1, 31), "1 month", (2020, 2, 29)),  # no 31 February: the last day of the month
    ((2020, 11, 30), "3 months", (2021, 2, 28)),
    ((2019, 11, 4), "90 days", (2020, 2, 2)),
    ((2019, 11, 4), "6 weeks", (2019, 12, 16)),
    ((2019, 12, 15), "12 months", (2020, 12, 15)),
])
def test_a_delay_moves_a_day_on(day, delay, due):
    assert add_delay(dt.date(*day), delay) == dt.date(*due)


def test_reports_are_due_after_the_countersignature_and_follow_the_yaml_until_accepted(app, clock):
    clock(2019, 11, 20, 10, 0)
    dossier = signed_laureate(app)
    db.session.add(Agreement(dossier_id=dossier.id, sent_at=dt.datetime(2019, 10, 10, tzinfo=dt.UTC),
                             countersigned_at=dt.datetime(2019, 10, 31, 23, 30, tzinfo=dt.UTC)))  # 1 Nov in Paris
    db.session.commit()
    edition = app.extensions["editions"].get("etna-2019-2")
    assert report_lines(dossier, edition)[0].report is None  # reading makes nothing
    made = ensure_reports(dossier, edition)
    db.session.commit()
    assert [(r.report_key, r.due_on) for r in made] == [(INTERIM, dt.date(2020, 2, 1)), (FINAL, dt.date(2020, 8, 1))]
    assert ensure_reports(dossier, edition) == made  # once

    later = edition.definition.model_copy(update={"reports": [
        r.model_copy(update={"due_after": "4 months"}) for r in edition.definition.reports]})
    moved = type(edition)(definition=later, path=edition.path, source=edition.source + "\n# moved")
    interim = made[0]
    interim.state = lifecycle.ACCEPTED  # accepted: its day stays what it was
    ensure_reports(dossier, moved)
    assert [r.due_on for r in made] == [dt.date(2020, 2, 1), dt.date(2020, 3, 1)]


def test_no_report_row_before_the_signature(app, clock):
    clock(2019, 10, 10, 10, 0)
    dossier = make_dossier(app, make_user("porteur@interieur.gouv.fr", "applicant"), states.AGREEMENT_SENT)
    edition = app.extensions["editions"].get("etna-2019-2")
    assert ensure_reports(dossier, edition) == [] and report_lines(dossier, edition) == []
    assert db.session.execute(db.select(Report)).scalars().all() == []


def test_closing_waits_for_the_final_report_only(app, clock):
    clock(2019, 11, 4, 10, 0)
    dossier = signed_laureate(app)
    staff = make_user("instructeur@dinsic.gouv.fr", "instructeur")
    edition = app.extensions["editions"].get("etna-2019-2")
    assert closing_blockers(dossier) == ["le rapport final d’expérimentation n'est pas accepté"]
    interim, final = ensure_reports(dossier, edition)
    for report in (interim, final):
        report.state = lifecycle.SUBMITTED
        review(report, dossier, edition, lifecycle.ACCEPTED, None, staff)
        db.session.commit()
        assert closing_blockers(dossier) == ([] if report is final else
                                             ["le rapport final d’expérimentation n'est pas accepté"])
    previous = make_dossier(app, db.session.get(User, dossier.owner_id), states.AGREEMENT_SIGNED)
    previous.edition_id = "etna-2019-1"  # an edition without reports: nothing of reports blocks it
    db.session.commit()
    assert closing_blockers(previous) == []


def test_a_refused_review_changes_nothing(app, clock):
    clock(2019, 11, 4, 10, 0)
    dossier = signed_laureate(app)
    staff = make_user("instructeur@dinsic.gouv.fr", "instructeur")
    edition = app.extensions["editions"].get("etna-2019-2")
    interim, _ = ensure_reports(dossier, edition)
    with pytest.raises(lifecycle.ReportRefused, match="Un rapport « À rendre » ne peut pas passer à « Accepté »"):
        review(interim, dossier, edition, lifecycle.ACCEPTED, None, staff)
    interim.state = lifecycle.SUBMITTED
    applicant = db.session.get(User, dossier.owner_id)
    with pytest.raises(lifecycle.ReportRefused, match="Seule l'équipe du programme examine les rapports"):
        review(interim, dossier, edition, lifecycle.ACCEPTED, None, applicant)
    with pytest.raises(lifecycle.ReportRefused, match="Choisissez"):
        review(interim, dossier, edition, "brouillon", None, staff)
    assert interim.history == []
