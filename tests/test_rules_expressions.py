"""The one evaluator of rules and gates: its grammar, its refusals of anything else, its type errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rules.expressions import ExpressionError, compile_expression

KINDS = {"montant_demande": "number", "cout_total": "number", "cofinancement_montant": "number",
         "date_debut": "date", "date_fin": "date", "opens": "date", "cofinancement": "bool",
         "type_structure": "text", "agents": "number"}
VALUES = {"montant_demande": Decimal("60000.00"), "cout_total": Decimal("150000.50"),
          "date_debut": dt.date(2019, 10, 1), "date_fin": dt.date(2020, 6, 30), "opens": dt.date(2019, 6, 24),
          "cofinancement": False, "type_structure": "operateur", "agents": Decimal(1200)}


@pytest.mark.parametrize(("source", "result"), [
    ("montant_demande <= 0.5 * cout_total", True),
    ("montant_demande <= 0.3 * cout_total", False),
    ("montant_demande + default(cofinancement_montant, 0) <= cout_total", True),
    ("montant_demande + cofinancement_montant <= cout_total", None),  # not given: the rule does not apply
    ("not given(cofinancement_montant) or cofinancement", True),
    ("date_fin > date_debut", True),
    ("date_debut >= opens and date_debut >= date(\"2019-10-01\")", True),
    ("date_fin - date_debut >= 365", False),  # 273 days
    ("0 < agents <= 1200", True),
    ("type_structure in [\"administration_centrale\", \"operateur\"]", True),
    ("type_structure not in ['operateur']", False),
    ("type_structure == \"autre\" or cofinancement == true", False),
    ("max(montant_demande, 100) == montant_demande and min(1, 2) == 1 and abs(-3) == 3", True),
    ("(montant_demande / cout_total) * 100 <= 40", True),
    ("montant_demande / (cout_total - cout_total) < 1", None),  # division by zero: undecided, never a crash
    ("-montant_demande < 0 and +agents > 0", True),
    ("not (cofinancement)", True),
    ("0.1 + 0.2 == 0.3", True),  # decimal arithmetic: no float rounding
])
def test_the_grammar_computes_with_decimals_dates_and_missing_answers(source, result):
    assert compile_expression(source, KINDS).evaluate(VALUES) is result


def test_a_compiled_expression_lists_the_names_it_reads():
    compiled = compile_expression("montant_demande + default(cofinancement_montant, 0) <= cout_total", KINDS)
    assert compiled.names == ("montant_demande", "cofinancement_montant", "cout_total")


@pytest.mark.parametrize(("source", "message"), [
    ("__import__('os').system('true')", "fonction inconnue « __import__('os').system »"),
    ("__import__('os') == 1", "fonction inconnue « __import__ »"),
    ("montant_demande.__class__", "l’accès à un attribut (« . ») n’est pas permis"),
    ("().__class__.__bases__[0]", "n’est pas permis"),
    ("open('/etc/passwd')", "fonction inconnue « open »"),
    ("eval('1')", "fonction inconnue « eval »"),
    ("(lambda: 1)() == 1", "fonction inconnue"),
    ("[x for x in [1]] == [1]", "une liste en compréhension n’est pas permis"),
    ("montant_demande ** 99999999 > 0", "la puissance « ** » n’est pas permis"),
    ("montant_demande % 2 == 0", "le reste « % » n’est pas permis"),
    ("(x := 1) == 1", "« := » n’est pas permis"),
    ("1 if cofinancement else 2", "« … if … else … » n’est pas permis"),
    ("f'{cout_total}' == ''", "une f-chaîne n’est pas permis"),
    ("cout_total; 1", "syntaxe incorrecte"),
    ("import os", "syntaxe incorrecte"),
    ("(montant_demande", "n’est pas refermé"),
    ("min(*[1, 2]) == 1", "n’est pas permis"),
    ("max(a=1) == 1", "fonction inconnue « max »"),
    ("b'x' == b'x'", "valeur non permise"),
    ("", "l’expression est vide"),
    ("1 == 1 and " * 120 + "true", "dépasse 1000 caractères"),
    ("agents > " + " + ".join(["1"] * 150), "expression trop longue"),
])
def test_anything_outside_the_grammar_is_refused_in_french(source, message):
    with pytest.raises(ExpressionError) as refused:
        compile_expression(source, KINDS)
    assert message in str(refused.value)


@pytest.mark.parametrize(("source", "message"), [
    ("date_debut < montant_demande", "« < » compare une date (date_debut) et un nombre (montant_demande), qui ne se "
                                     "comparent pas"),
    ("montant_demande == \"60000\"", "« == » compare un nombre (montant_demande) et un texte ('60000')"),
    ("date_fin + 1 > date_debut", "« + » calcule sur des nombres, pas sur une date et un nombre"),
    ("type_structure < \"b\"", "« < » ne s’applique pas à un texte"),
    ("cofinancement and montant_demande", "« and » attend un booléen (vrai ou faux), pas un nombre"),
    ("not montant_demande", "« not » attend un booléen"),
    ("montant_demande + cout_total", "l’expression doit être une condition (vraie ou fausse), pas un nombre"),
    ("montant_demande in [1, \"a\"]", "la liste de « in » doit contenir des valeurs écrites, de même sorte"),
    ("montant_demande in cout_total", "« in » attend une liste de valeurs entre crochets"),
    ("agents in [1, 2] < 3", "« in » ne s’enchaîne pas avec une autre comparaison"),
    ("default(montant_demande, date(\"2019-01-01\")) > 0", "« default » attend deux valeurs de même sorte"),
    ("date(\"2019-02-30\") < date_fin", "« date » attend une date AAAA-MM-JJ qui existe"),
    ("date(date_debut) < date_fin", "« date » attend une date écrite entre guillemets"),
    ("given(1)", "« given » attend le nom d’un champ"),
    ("min(date_fin, 1) == date_fin", "« min » attend des nombres ou des dates, tous de même sorte"),
    ("montant_demande <= 0.5 * cout_totl", "nom inconnu « cout_totl »"),
])
def test_types_that_do_not_fit_are_refused_with_what_they_are(source, message):
    with pytest.raises(ExpressionError) as refused:
        compile_expression(source, KINDS)
    assert message in str(refused.value)


def test_the_offset_points_at_the_element_at_fault():
    with pytest.raises(ExpressionError) as refused:
        compile_expression("montant_demande <= 0.5 * cout_totl", KINDS)
    assert refused.value.offset == len("montant_demande <= 0.5 * ")


def test_a_folded_expression_over_several_lines_reads_as_one():
    source = "montant_demande\n  <= cout_total"
    assert compile_expression(source, KINDS).evaluate(VALUES) is True
