"""`flask --app app editions new` for real calendars: date-times, every date moved by one offset, the file's
comments and layout kept (ruamel.yaml round-trip), dates cited in texts listed at their line for review."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def workflows(tmp_path, app):
    """A private copy of workflows/ served by the app, so the command may write into it."""
    folder = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", folder)
    registry = app.extensions["editions"]
    registry.folder = folder
    registry.load()
    return folder


def _changed(old: str, new: str) -> tuple[list[str], list[str]]:
    """The lines removed from the old text and added in the new one (the header of the copy aside)."""
    removed, added = [], []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0):
        if line.startswith("-") and not line.startswith("---"):
            removed.append(line[1:])
        elif line.startswith("+") and not line.startswith("+++") and not line.startswith("+# "):
            added.append(line[1:])
    return removed, added


def test_date_times_move_every_date_and_nothing_else(app, runner, workflows):
    old = (workflows / "innovation-2020-1.yaml").read_text(encoding="utf-8")
    result = runner.invoke(args=["editions", "new", "innovation-2021-1", "--from", "innovation-2020-1",
                                 "--opens", "2021-03-01 09:30", "--closes", "2021-04-29 17:00", "--with-workshops"])
    assert result.exit_code == 0, result.output
    new = (workflows / "innovation-2021-1.yaml").read_text(encoding="utf-8")
    removed, added = _changed(old, new)
    assert [line.split("#")[0].strip() for line in added] == [
        "id: innovation-2021-1", "number: 2", "short_title: INNOV 2", "reference_prefix: INNOV2-2021",
        "previous_edition: innovation-2020-1", "opens: 2021-03-01 09:30", "closes: 2021-04-29 17:00",
        "starts: 2021-03-11 11:00", "ends: 2021-03-11 12:00",  # the workshop, asked for: 364 days later
        "max: 2021-04-29",  # a date field's bound
        "date: 2022-03-30",  # the instalment's date
        "due: 2022-03-14",  # the final report's due day
    ]
    assert len(removed) == len(added) - 1  # previous_edition was added, every other line replaced one for one
    assert re.search(r"(?m)^opens: 2021-03-01 09:30 +# ouvert à partir de cette heure$", new)
    assert re.search(r"(?m)^closes: 2021-04-29 17:00 +# clôture à cette heure précise$", new)
    assert "    # pas de « place » : une session à distance seulement" in new  # comments kept

    edition = app.extensions["editions"].get("innovation-2021-1")
    assert edition.opens_at == dt.datetime(2021, 3, 1, 8, 30, tzinfo=dt.UTC)
    assert edition.closes_at == dt.datetime(2021, 4, 29, 15, 0, tzinfo=dt.UTC)  # 17:00, Paris summer time
    assert "Dates décalées (5) : workshops[0].starts 2020-03-12 11:00 → 2021-03-11 11:00" in result.output
    assert "reports[1].due 2021-03-15 → 2022-03-14" in result.output


def test_field_bounds_move_and_workshops_stay_behind_unless_asked(runner, workflows):
    result = runner.invoke(args=["editions", "new", "etna-2020-1", "--from", "etna-2019-2",
                                 "--opens", "2020-06-22", "--closes", "2020-09-04"])
    assert result.exit_code == 0, result.output
    new = (workflows / "etna-2020-1.yaml").read_text(encoding="utf-8")
    assert re.search(r"(?m)^workshops: \[\] +# les ateliers de l'édition précédente ne sont pas repris", new)
    assert new.count("        min: 2020-09-29") == 2 and "        max: 2022-12-30" in new  # 364 days later
    assert re.search(r"(?m)^opens: 2020-06-22 +# ouvert à partir de 0 h 00$", new)
    assert "Ajoutez les ateliers de cette édition (ou relancez avec --with-workshops)." in result.output
    assert "workshops[0]" not in result.output.split("à relire")[0]


def test_dates_cited_in_texts_are_listed_at_their_line_not_rewritten(runner, workflows):
    result = runner.invoke(args=["editions", "new", "etna-2020-1", "--from", "etna-2019-2",
                                 "--opens", "2020-06-22", "--closes", "2020-09-04"])
    assert result.exit_code == 0, result.output
    lines = (workflows / "etna-2020-1.yaml").read_text(encoding="utf-8").splitlines()
    cited = re.findall(r"(?m)^.*etna-2020-1\.yaml:(\d+): « ([^»]+) » \(([^)]+)\)$", result.output)
    assert ("6 septembre 2019", "page.sections[0].body") in [(text, path) for _, text, path in cited]
    assert ("octobre 2019", "steps[3].fields[1].help") in [(text, path) for _, text, path in cited]
    for number, text, _ in cited:
        line = lines[int(number) - 1]
        assert text.split()[0] in line, (number, text, line)  # the line where the date (begins to) read
    assert "Jusqu’au **6 septembre 2019 inclus**" in "\n".join(lines)  # never rewritten


def test_the_old_interface_and_its_refusals_hold(runner, workflows):
    refused = runner.invoke(args=["editions", "new", "etna-2020-1", "--from", "etna-2019-2",
                                  "--opens", "2020-04-30 10:00", "--closes", "2020-04-30 09:00"])
    assert refused.exit_code != 0 and "La date de clôture doit suivre la date d'ouverture." in refused.output
    wrong = runner.invoke(args=["editions", "new", "etna-2020-1", "--from", "etna-2019-2",
                                "--opens", "02/03/2020", "--closes", "2020-04-30"])
    assert wrong.exit_code != 0 and "« 02/03/2020 » n'est pas une date AAAA-MM-JJ" in wrong.output
    same_day = runner.invoke(args=["editions", "new", "etna-2020-1", "--from", "etna-2019-2",
                                   "--opens", "2020-04-30 09:00", "--closes", "2020-04-30"])
    assert same_day.exit_code == 0, same_day.output  # a date closes at the end of its day: after 9:00
    assert not (workflows / "etna-2020-2.yaml").exists()
