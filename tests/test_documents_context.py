"""The one context documents and emails are filled with: French formats, hidden answers left out, computed
amounts from one place, and sample data that adds up and carries the characters that break templates."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest

from documents.context import (
    clean_text,
    context_from_answers,
    context_variables,
    display,
)
from documents.samples import sample_answers, sample_context

NNBSP, NBSP = "\u202f", "\u00a0"
FACTS = {"reference": "ETNA2-2019-0042", "title": "Projet", "state": "Déposé", "submitted_at": "", "created_at": "",
         "axis": ""}


@pytest.fixture
def edition(app):
    return app.extensions["editions"].get("etna-2019-2")


@pytest.mark.parametrize(("key", "value", "shown"), [
    ("montant_demande", "150000.5", f"150{NNBSP}000,50{NBSP}€"),  # stored as text by the forms…
    ("montant_demande", 150000.5, f"150{NNBSP}000,50{NBSP}€"),  # …or as a number by an import
    ("montant_demande", 0, f"0,00{NBSP}€"),
    ("date_debut", "2019-10-01", "1er octobre 2019"),
    ("date_fin", "2019-09-06", "6 septembre 2019"),
    ("agents_concernes", 1200, f"1{NNBSP}200"),
    ("donnees_personnelles", True, "Oui"),
    ("donnees_personnelles", False, "Non"),
    ("axe", "travail_collaboratif", "Le travail collaboratif"),
    ("briques_reutilisees", ["tchap", "jitsi"], "Tchap (messagerie instantanée de l’État) ; Jitsi (webconférence)"),
    ("description", "Ligne 1\r\nLigne 2 & <b> 🚀", "Ligne 1\nLigne 2 & <b> 🚀"),
    ("description", None, ""),
    ("briques_reutilisees", [], ""),
])
def test_answers_read_as_french_people_read_them(edition, key, value, shown):
    assert display(edition.fields[key], value) == shown


def test_files_show_their_names(edition):
    files = {7: SimpleNamespace(original_name="lettre & engagement.pdf", pages=2)}
    assert display(edition.fields["lettre_engagement"], [7], files) == "lettre & engagement.pdf"


def test_text_loses_only_what_a_word_file_cannot_hold():
    assert clean_text("a\r\nb\rc\x00\x07\x0b\x0cd\t« é » 🚀") == "a\nb\ncd\t« é » 🚀"


def test_hidden_answers_are_in_no_section_no_table_and_no_total(edition):
    answers = {"nature": "irritant", "irritant_description": "Clés USB.", "usage_existant": "Déjà à Lyon.",
               "cofinancement": False, "cofinancement_montant": "9999",
               "montant_demande": "120000",
               "budget_lignes": [{"poste": "Développement", "montant": "100000"},
                                 {"poste": "Accompagnement & suivi", "montant": 50000.5}]}
    context = context_from_answers(edition, answers, FACTS)
    assert context["a"]["usage_existant"] == "" and context["a"]["cofinancement_montant"] == ""
    assert context["a"]["irritant_description"] == "Clés USB."
    labels = [item["label"] for section in context["sections"] for item in section["items"]]
    assert edition.fields["irritant_description"].label in labels
    assert edition.fields["usage_existant"].label not in labels
    budget = context["g"]["budget_lignes"]
    assert budget["rows"][1]["poste"] == "Accompagnement & suivi"
    assert budget["rows"][1]["montant"] == f"50{NNBSP}000,50{NBSP}€"
    assert budget["total"] == f"150{NNBSP}000,50{NBSP}€"  # text and number amounts add up alike
    assert budget["totals"] == {"cout_total": f"150{NNBSP}000,50{NBSP}€"}
    assert context["a"]["cout_total"] == f"150{NNBSP}000,50{NBSP}€"  # a computed value reads as an answer
    assert context["c"]["project_cost"] == f"150{NNBSP}000,50{NBSP}€"  # and it is the cost of the project


def test_amounts_and_shares_are_computed_in_one_place(edition):
    answers = {"budget_lignes": [{"poste": "A", "montant": "100000.00"}, {"poste": "B", "montant": "50000.00"}],
               "montant_demande": "120000.00"}
    computed = context_from_answers(edition, answers, FACTS, granted=Decimal("90000"))["c"]
    assert computed["amount_requested"] == f"120{NNBSP}000,00{NBSP}€"
    assert computed["share_requested"] == f"80{NBSP}%" and computed["share_granted"] == f"60{NBSP}%"
    assert [(v["share"], v["amount"]) for v in computed["instalments"]] == [  # 50/30/20, on ETNA 2's reports
        (f"50{NBSP}%", f"45{NNBSP}000,00{NBSP}€"), (f"30{NBSP}%", f"27{NNBSP}000,00{NBSP}€"),
        (f"20{NBSP}%", f"18{NNBSP}000,00{NBSP}€")]
    before = context_from_answers(edition, answers, FACTS)["c"]  # no decision yet: nothing made up
    assert before["amount_granted"] == before["share_granted"] == "" and before["instalments"][0]["amount"] == ""


def test_every_context_provides_the_names_the_check_knows(edition):
    assert set(sample_context(edition)) == context_variables()


@pytest.mark.parametrize("edition_id", ["etna-2019-2", "etna-2019-1", "innovation-2020-1"])
def test_sample_data_adds_up_and_carries_the_characters_that_break_templates(app, edition_id):
    edition = app.extensions["editions"].get(edition_id)
    context = sample_context(edition)
    answers, files = sample_answers(edition)
    for key, field in edition.fields.items():
        if field.pattern:
            assert re.search(field.pattern, answers[key]), key  # a sample the form itself would take
        if field.max_length and isinstance(answers[key], str):
            assert len(answers[key]) <= field.max_length, key
    texts = [v for v in context["a"].values() if "&" in v]
    assert any('« exemple » & <test> "guillemets" l\'apostrophe 🚀' in v for v in texts)
    assert any("\n" in v and "{{ pas une variable }}" in v for v in texts)
    computed = context["c"]
    cost = "125" if edition_id.startswith("innovation") else "150"  # innovation caps the request at 100 000 €
    assert computed["project_cost"] == f"{cost}{NNBSP}000,00{NBSP}€" and computed["share_granted"] == f"80{NBSP}%"
    totals = [g["total"] for g in context["g"].values() if g["total"]]
    assert totals and all(total == computed["project_cost"] for total in totals)  # the budget lines make the cost
    assert [a["name"] for a in context["annexes"]] == [f.original_name for f in files.values()]
    assert context["dossier"]["reference"].endswith("-0042") and context["dossier"]["axis"]
