"""The dashboard's figures and the dossier list: filters, search, sort and keyset pagination."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

import states
from models import Dossier, db
from staff import listing, stats
from staff.listing import Filters, decode_cursor, list_dossiers
from tests.journey import text
from tests.staff_world import edition, make_dossier, make_user, sign_in_as

PARIS_SUMMER = dt.timezone(dt.timedelta(hours=2))


def _bulk(app, owner, count: int, **columns) -> list[int]:
    """Many bare dossiers at once (the list reads only their indexed columns)."""
    loaded = edition(app)
    rows = [Dossier(edition_id=loaded.id, revision=loaded.revision, owner_id=owner.id, answers={}, set_aside={},
                    completed_steps=[], **{k: (v(i) if callable(v) else v) for k, v in columns.items()})
            for i in range(count)]
    db.session.add_all(rows)
    db.session.commit()
    return [r.id for r in rows]


def test_dashboard_counts_by_state_axis_and_day_in_paris_time(app, client, clock):
    clock(2019, 8, 30, 12, 0)
    owner = make_user("porteur@interieur.gouv.fr", "applicant")
    late_evening = dt.datetime(2019, 7, 1, 23, 30, tzinfo=PARIS_SUMMER)  # 21:30 UTC: still 1 July in Paris
    _bulk(app, owner, 2, state=states.SUBMITTED, axis="travail_collaboratif", submitted_at=late_evening,
          reference=lambda i: f"A-{i}")
    _bulk(app, owner, 1, state=states.ELIGIBLE, axis="travail_mobilite",
          submitted_at=dt.datetime(2019, 7, 3, 9, tzinfo=PARIS_SUMMER), reference="B-1")
    _bulk(app, owner, 3, state=states.DRAFT, axis=lambda i: "travail_mobilite" if i else None)

    figures = stats.edition_stats(edition(app))
    assert (figures.started, figures.submitted, figures.phase, figures.days_left) == (6, 3, "open", 7)
    assert dict(figures.by_state)[states.DRAFT] == 3 and dict(figures.by_state)[states.ELIGIBLE] == 1
    assert [(a.label, a.started, a.submitted) for a in figures.by_axis] == [
        ("Le travail collaboratif", 2, 2), ("Le travail en mobilité et à distance", 3, 1), ("Axe non choisi", 1, 0)]
    days = {d.day: d for d in figures.per_day}
    assert figures.per_day[0].day == dt.date(2019, 6, 24) and figures.per_day[-1].day == dt.date(2019, 8, 30)
    assert days[dt.date(2019, 7, 1)].submitted == 2 and days[dt.date(2019, 7, 2)].submitted == 0
    assert days[dt.date(2019, 7, 3)].cumulated == 3

    sign_in_as(client, make_user("instructeur@dinsic.gouv.fr", "instructeur"))
    page = text(client.get("/equipe/editions/etna-2019-2"))
    assert "7 jours" in page and "avant la clôture" in page
    assert "1er juillet 2019 : 2 dépôts" in page  # the bar's title, read by screen readers
    assert "<svg" in page and 'role="img"' in page and "style=" not in page.split("<svg")[1].split("</svg>")[0]


def test_filters_and_search(app, client, clock):
    clock(2019, 9, 10, 9, 0)
    owner = make_user("porteur@interieur.gouv.fr", "applicant")
    tchap = make_dossier(app, owner, states.SUBMITTED, titre="Tchap en préfecture")
    nomade = make_dossier(app, owner, states.ELIGIBLE, titre="Poste nomade sécurisé", axe="travail_mobilite",
                          administration="Ministère de l'Agriculture")
    make_dossier(app, owner, states.DRAFT, titre="Tchap pour tous")
    loaded = edition(app)

    def found(**filters) -> list[str | None]:
        return [d.title for d in list_dossiers(loaded, Filters(**filters)).dossiers]

    assert found(state=states.ELIGIBLE) == ["Poste nomade sécurisé"]
    assert found(axis="travail_mobilite") == ["Poste nomade sécurisé"]
    assert found(administration="Ministère de l'Agriculture") == ["Poste nomade sécurisé"]
    assert sorted(found(query="tchap")) == ["Tchap en préfecture", "Tchap pour tous"]
    assert found(query="tchap préfecture") == ["Tchap en préfecture"]
    assert found(query=nomade.reference.lower()) == ["Poste nomade sécurisé"]
    assert found(query="inexistant") == []
    assert found(query="%") == found()  # not a word: no filter
    assert listing.administrations(loaded) == ["Ministère de l'Agriculture", "Ministère de l'Intérieur"]

    sign_in_as(client, make_user("instructeur@dinsic.gouv.fr", "instructeur"))
    page = text(client.get("/equipe/editions/etna-2019-2/dossiers?q=Tchap&etat=déposé"))
    assert "1 dossier correspond aux filtres" in page and tchap.reference in page
    assert nomade.reference not in page


@pytest.mark.parametrize("sort", list(listing.SORTS))
def test_pages_follow_one_another_without_gap_or_repeat(app, clock, sort):
    clock(2019, 9, 10, 9, 0)
    owner = make_user("porteur@interieur.gouv.fr", "applicant")
    base = dt.datetime(2019, 7, 1, 10, tzinfo=dt.UTC)
    _bulk(app, owner, 95, state=states.SUBMITTED, reference=lambda i: f"ETNA2-2019-{i:04d}",
          title=lambda i: f"Projet {i % 7}",  # many equal titles
          submitted_at=lambda i: base + dt.timedelta(hours=i // 4),  # four dossiers per instant
          updated_at=lambda i: base + dt.timedelta(minutes=i % 11))
    _bulk(app, owner, 12, state=states.DRAFT, title=lambda i: None if i % 2 else f"Brouillon {i}")  # nulls
    loaded = edition(app)
    filters = Filters(sort=sort)
    seen, cursor, pages = [], None, 0
    while True:
        page = list_dossiers(loaded, filters, cursor, per_page=20)
        assert page.total == 107
        seen += page.dossiers
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert pages == 6 and len({d.id for d in seen}) == len(seen) == 107

    column, descending = listing.SORTS[sort].column.key, listing.SORTS[sort].descending

    def key(d):
        value = getattr(d, column)
        return (value is None, value if not descending or value is None else _Reverse(value),
                -d.id if descending else d.id)

    assert [d.id for d in seen] == [d.id for d in sorted(seen, key=key)]


class _Reverse:
    """Order values the other way round, for the check of descending sorts."""

    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        return self.value > other.value

    def __eq__(self, other):
        return self.value == other.value


def test_a_tampered_cursor_gives_the_first_page(app, client, clock):
    clock(2019, 9, 10, 9, 0)
    owner = make_user("porteur@interieur.gouv.fr", "applicant")
    _bulk(app, owner, 3, state=states.SUBMITTED, submitted_at=dt.datetime(2019, 7, 1, tzinfo=dt.UTC))
    for cursor in ("", "%%%", "WzEsMl0", "bm90IGpzb24", "WyJ4IiwgImEiXQ"):
        assert decode_cursor("depot", cursor) is None
    sign_in_as(client, make_user("instructeur@dinsic.gouv.fr", "instructeur"))
    assert client.get("/equipe/editions/etna-2019-2/dossiers?apres=%%%&tri=inconnu").status_code == 200


def test_an_unknown_edition_is_not_found(app, client):
    sign_in_as(client, make_user("instructeur@dinsic.gouv.fr", "instructeur"))
    for url in ("/equipe/editions/inconnue", "/equipe/editions/inconnue/dossiers", "/equipe/dossiers/999"):
        assert client.get(url).status_code == 404


def test_states_filter_lists_every_state(app):
    assert list(itertools.chain(listing.Filters.from_args({"etat": s}).state for s in states.STATES)) == list(
        states.STATES)
    assert listing.Filters.from_args({"etat": "inventé", "tri": "inventé"}) == Filters(drafts=False)


def test_large_results_are_counted_up_to_a_limit(app, client, clock, monkeypatch):
    clock(2019, 9, 10, 9, 0)
    monkeypatch.setattr(listing, "COUNT_UP_TO", 5)
    owner = make_user("porteur@interieur.gouv.fr", "applicant")
    _bulk(app, owner, 7, state=states.SUBMITTED, submitted_at=dt.datetime(2019, 7, 1, tzinfo=dt.UTC))
    page = list_dossiers(edition(app), Filters(), per_page=3)
    assert page.total_reached_limit and len(page.dossiers) == 3
    assert listing.count_dossiers(edition(app), Filters()) == 7
    sign_in_as(client, make_user("instructeur@dinsic.gouv.fr", "instructeur"))
    assert "Plus de 5 dossiers correspondent aux filtres" in text(client.get("/equipe/editions/etna-2019-2/dossiers"))
    assert "7 dossiers" in text(client.get("/equipe/editions/etna-2019-2/exports"))
