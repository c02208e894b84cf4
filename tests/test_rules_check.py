"""`workflows check` refuses totals, rules and gates that cannot work, each at its `file:line:column`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_editions_check import MINIMAL, check, check_app, folder, templates  # noqa: F401 — fixtures

# A budget group with totals, then rules and gates, added to the smallest valid edition of test_editions_check.
BUDGET = """\
      - key: date_debut
        type: date
        label: Début
      - key: date_fin
        type: date
        label: Fin
      - key: budget
        type: group
        label: Budget
        fields:
          - key: annee
            type: integer
            label: Année
          - key: poste
            type: text
            label: Poste
          - key: montant
            type: amount
            label: Montant
        totals:
          - key: cout_total
            label: Coût total
            column: montant
            role: project_cost
          - key: cout_par_annee
            label: Coût par année
            column: montant
            by: annee
      - key: montant_demande
        type: amount
        label: Montant demandé
        role: amount_requested
"""
RULES = """\
gates:
  - key: nature_exclue
    when:
      field: nature
      equals: irritant
    message: Les irritants ne sont pas éligibles.
  - key: petit_projet
    expression: cout_total < 10000
    message: Trop petit.
rules:
  - key: plafond
    expression: montant_demande <= 0.5 * cout_total
    message: Au plus la moitié du coût.
    fields: [montant_demande]
  - key: dates
    expression: date_fin > date_debut
    message: La fin après le début.
"""


def edition_text() -> str:
    head, documents = MINIMAL.split("documents:\n")
    return head + BUDGET + RULES + "documents:\n" + documents


def line_of(text: str, fragment: str, last: bool = False) -> int:
    """The number of the (first or last) line that reads `fragment`, indentation aside."""
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if line.strip() == fragment.strip()]
    return lines[-1] if last else lines[0]


def run(check_app, folder: Path, text: str):  # noqa: F811
    path = folder / "call.yaml"
    path.write_text(text, encoding="utf-8")
    return path, check(check_app, str(path))


def test_an_edition_with_totals_rules_and_gates_is_valid(check_app, folder):  # noqa: F811
    path, result = run(check_app, folder, edition_text())
    assert result.exit_code == 0, result.output


MISTAKES = {
    "unknown name in a rule": (
        ("expression: montant_demande <= 0.5 * cout_total", "expression: montant_demande <= 0.5 * cout_totl"),
        "{line}:42: règle « plafond » : nom inconnu « cout_totl » ; vouliez-vous dire « cout_total » ?"),
    "date compared with an amount": (
        ("expression: date_fin > date_debut", "expression: date_fin > montant_demande"),
        "{line}:17: règle « dates » : « > » compare une date (date_fin) et un nombre (montant_demande), qui ne se "
        "comparent pas"),
    "a rule that is no condition": (
        ("expression: date_fin > date_debut", "expression: date_fin - date_debut"),
        "{line}:17: règle « dates » : l’expression doit être une condition (vraie ou fausse), pas un nombre"),
    "code in a rule": (
        ("expression: date_fin > date_debut", "expression: __import__('os').system('id') == 0"),
        "{line}:17: règle « dates » : fonction inconnue « __import__('os').system »"),
    "a subtotal by value in a rule": (
        ("expression: cout_total < 10000", "expression: cout_par_annee < 10000"),
        "{line}:17: barrière « petit_projet » : nom inconnu « cout_par_annee »"),
    "unknown field of a gate's condition": (
        ("    when:\n      field: nature", "    when:\n      field: natur"),
        "{line}:14: condition sur un champ inconnu « natur » ; vouliez-vous dire « nature » ?"),
    "gate with both a condition and an expression": (
        ("    expression: cout_total < 10000", "    expression: cout_total < 10000\n    when: {field: nature, "
                                                "is_set: true}"),
        "{line}:10: la barrière « petit_projet » a besoin de « when » (une condition) ou de « expression », l’un "
        "des deux"),
    "unknown field a message is shown next to": (
        ("fields: [montant_demande]", "fields: [montant_demand]"),
        "{line}:14: champ inconnu « montant_demand » ; vouliez-vous dire « montant_demande » ?"),
    "total of a text column": (
        ("            column: montant\n            role", "            column: poste\n            role"),
        "{line}:21: le total « cout_total » additionne une colonne amount ou integer, pas text"),
    "total of an unknown column": (
        ("            column: montant\n            by", "            column: montants\n            by"),
        "{line}:21: colonne inconnue « montants » dans « budget » ; vouliez-vous dire « montant » ?"),
    "total named like a field": (
        ("          - key: cout_par_annee", "          - key: montant_demande"),
        "{line}:18: le total « montant_demande » porte la clé de un champ : choisissez-en une autre"),
    "role on a subtotal": (
        ("            by: annee", "            by: annee\n            role: amount_requested"),
        "{line}:19: un total par valeur (« by ») ne peut pas porter de « role »"),
    "role on a total of whole numbers": (
        ("            column: montant\n            role", "            column: annee\n            role"),
        "{line}:19: le rôle « project_cost » demande un total de montants (colonne amount), pas de integer"),
    "a second project cost": (
        ("        label: Montant demandé\n        role: amount_requested", "        label: Montant demandé\n"
                                                                         "        role: project_cost"),
        "{line}:15: le rôle « project_cost » est déjà donné au champ « cout_total »"),
}


@pytest.mark.parametrize("name", MISTAKES)
def test_each_mistake_is_refused_at_its_line(check_app, folder, name):  # noqa: F811
    (old, new), expected = MISTAKES[name]
    text = edition_text()
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    marker = new.splitlines()[0 if name.startswith("total of") else -1]
    if name == "role on a total of whole numbers":
        marker = "role: project_cost"
    if name == "gate with both a condition and an expression":
        marker = "- key: petit_projet"
    path, result = run(check_app, folder, text)
    assert result.exit_code == 1
    line = line_of(text, marker, last=name == "a second project cost")
    assert f"{path}:" + expected.format(line=line) in result.output, result.output
