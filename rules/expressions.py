"""The one evaluator of the rules and gates of the YAML: a small expression grammar, never `eval`.

An expression is parsed by Python's `ast` and every node is checked against a whitelist before anything
runs; what is not listed (attributes, subscripts, lambdas, comprehensions, `**`, any call but the few
functions below) is refused with a French message. Each name has a kind — number, date, bool or text —
known when the edition is checked, so `date_debut < montant_demande` is refused by `workflows check`, not
found out by an applicant. The grammar (docs/yaml-reference.md, « Règles ») :

- values: field keys, totals (`totals`), `opens` and `closes` (the call's dates), numbers (`0.5`), texts
  in quotes (`"operateur"`), `true`/`false` (or `True`/`False`), `date("2019-10-01")`;
- `+ - * /` on numbers; a date minus a date is a number of days; `and`, `or`, `not`; parentheses;
- comparisons `< <= > >= == !=` (chained: `0 < x <= 10`) between values of one kind (`<` not on texts
  or booleans), and `x in ["a", "b"]` / `not in`;
- functions: `given(x)` (an answer was given), `default(x, v)` (x, or v when not given), `min(…)`,
  `max(…)`, `abs(x)`.

A name without an answer makes the whole expression undecided (None): `required` says what must be
answered, a rule only speaks of the answers given — unless `given()` or `default()` asks about it.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

NUMBER, DATE, BOOL, TEXT = "number", "date", "bool", "text"
KIND_NAMES = {NUMBER: "un nombre", DATE: "une date", BOOL: "un booléen (vrai ou faux)", TEXT: "un texte"}
MAX_LENGTH = 1000  # characters
MAX_NODES = 200

_CONSTANTS = {"true": True, "false": False, "True": True, "False": False}
_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_OPERATORS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
              ast.In: "in", ast.NotIn: "not in", ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_NODE_NAMES = {
    ast.Attribute: "l’accès à un attribut (« . »)", ast.Subscript: "l’accès par crochets « [ ] »",
    ast.Lambda: "une fonction lambda", ast.Pow: "la puissance « ** »", ast.FloorDiv: "la division « // »",
    ast.Mod: "le reste « % »", ast.ListComp: "une liste en compréhension", ast.GeneratorExp: "un générateur",
    ast.IfExp: "« … if … else … »", ast.NamedExpr: "« := »", ast.Dict: "un dictionnaire", ast.Set: "un ensemble",
    ast.JoinedStr: "une f-chaîne", ast.Starred: "« * »", ast.Is: "« is »", ast.IsNot: "« is not »",
    ast.BitAnd: "« & »", ast.BitOr: "« | »", ast.BitXor: "« ^ »", ast.LShift: "« << »", ast.RShift: "« >> »",
    ast.Invert: "« ~ »", ast.Await: "« await »", ast.MatMult: "« @ »",
    ast.List: "une liste (seulement après « in »)", ast.Tuple: "une liste (seulement après « in »)",
}


class ExpressionError(ValueError):
    """An expression the grammar refuses; the message is French, `offset` the character (from 0) at fault."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


class Undecided(Exception):
    """A value the expression needs is not given (raised inside evaluation, never out of `evaluate`)."""


@dataclass(frozen=True)
class Compiled:
    """A checked expression: its tree, its kind and the names it reads."""

    source: str
    tree: ast.expr
    kind: str
    names: tuple[str, ...]

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        """The value for `values` (name → Decimal, date, bool or text; absent or None: not given), or None
        when a value it needs is not given or a division by zero leaves it undecided."""
        try:
            return _Evaluator(values).run(self.tree)
        except (Undecided, ArithmeticError):  # a division by zero, an answer not given
            return None


def compile_expression(source: str, kinds: Mapping[str, str], want: str | None = BOOL) -> Compiled:
    """Parse and type `source` against the kinds of its names; ExpressionError (French) when it is refused."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("l’expression est vide")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"l’expression dépasse {MAX_LENGTH} caractères")
    text = " ".join(source.splitlines())  # a folded YAML block may span lines
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"syntaxe incorrecte ({_syntax(exc)})", max((exc.offset or 1) - 1, 0)) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("expression trop imbriquée ou illisible") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise ExpressionError(f"expression trop longue ({len(nodes)} éléments, {MAX_NODES} au plus)")
    typer = _Typer(kinds)
    kind = typer.kind(tree.body)
    if want is not None and kind != want:
        raise ExpressionError(f"l’expression doit être une condition (vraie ou fausse), pas {KIND_NAMES[kind]}")
    return Compiled(source, tree.body, kind, tuple(dict.fromkeys(typer.names)))


def _syntax(exc: SyntaxError) -> str:
    message = (exc.msg or "").lower()
    if "never closed" in message or "unexpected eof" in message or "was never closed" in message:
        return "une parenthèse ou un guillemet n’est pas refermé"
    if "unmatched" in message:
        return "parenthèse fermante en trop"
    return f"au caractère {exc.offset or 1}"


def _at(node: ast.AST) -> int:
    return getattr(node, "col_offset", 0)


# --- Types ----------------------------------------------------------------------------------------

class _Typer:
    """Give each node its kind, refusing what the grammar does not know."""

    def __init__(self, kinds: Mapping[str, str]) -> None:
        self.kinds = kinds
        self.names: list[str] = []

    def kind(self, node: ast.AST) -> str:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            what = _NODE_NAMES.get(type(node), f"« {type(node).__name__} »")
            raise ExpressionError(f"{what} n’est pas permis dans une règle", _at(node))
        return method(node)

    def _Constant(self, node: ast.Constant) -> str:
        value = node.value
        if isinstance(value, bool):
            return BOOL
        if isinstance(value, (int, float)) and not isinstance(value, complex):
            return NUMBER
        if isinstance(value, str):
            return TEXT
        raise ExpressionError(f"valeur non permise : {value!r}", _at(node))

    def _Name(self, node: ast.Name) -> str:
        if node.id in _CONSTANTS:
            return BOOL
        if node.id not in self.kinds:
            raise ExpressionError(f"nom inconnu « {node.id} »", _at(node))
        self.names.append(node.id)
        return self.kinds[node.id]

    def _UnaryOp(self, node: ast.UnaryOp) -> str:
        operand = self.kind(node.operand)
        if isinstance(node.op, ast.Not):
            return self._expect(node.operand, operand, BOOL, "« not »")
        if isinstance(node.op, (ast.USub, ast.UAdd)):
            return self._expect(node.operand, operand, NUMBER, "le signe « - »")
        raise ExpressionError(f"{_NODE_NAMES.get(type(node.op), 'cet opérateur')} n’est pas permis", _at(node))

    def _BoolOp(self, node: ast.BoolOp) -> str:
        word = "« and »" if isinstance(node.op, ast.And) else "« or »"
        for value in node.values:
            self._expect(value, self.kind(value), BOOL, word)
        return BOOL

    def _BinOp(self, node: ast.BinOp) -> str:
        if type(node.op) not in (ast.Add, ast.Sub, ast.Mult, ast.Div):
            raise ExpressionError(f"{_NODE_NAMES.get(type(node.op), 'cet opérateur')} n’est pas permis dans une "
                                  "règle", _at(node))
        left, right = self.kind(node.left), self.kind(node.right)
        symbol = _OPERATORS[type(node.op)]
        if isinstance(node.op, ast.Sub) and left == right == DATE:
            return NUMBER  # days between two dates
        if left != NUMBER or right != NUMBER:
            raise ExpressionError(f"« {symbol} » calcule sur des nombres, pas sur {KIND_NAMES[left]} et "
                                  f"{KIND_NAMES[right]} ({self._shown(node)})", _at(node))
        return NUMBER

    def _Compare(self, node: ast.Compare) -> str:
        left = self.kind(node.left)
        left_node = node.left
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            symbol = _OPERATORS.get(type(op))
            if symbol is None:
                raise ExpressionError(f"{_NODE_NAMES.get(type(op), 'cet opérateur')} n’est pas permis dans une règle",
                                      _at(node))
            if isinstance(op, (ast.In, ast.NotIn)):
                if len(node.ops) > 1:
                    raise ExpressionError(f"« {symbol} » ne s’enchaîne pas avec une autre comparaison : "
                                          "reliez-les par « and »", _at(node))
                self._membership(right_node, left, symbol)
                left_node = right_node
                continue
            right = self.kind(right_node)
            if left != right:
                raise ExpressionError(f"« {symbol} » compare {KIND_NAMES[left]} ({self._shown(left_node)}) et "
                                      f"{KIND_NAMES[right]} ({self._shown(right_node)}), qui ne se comparent pas",
                                      _at(node))
            if isinstance(op, _ORDERING) and left in (BOOL, TEXT):
                raise ExpressionError(f"« {symbol} » ne s’applique pas à {KIND_NAMES[left]} : employez « == » ou "
                                      "« != »", _at(node))
            left, left_node = right, right_node
        return BOOL

    def _membership(self, node: ast.AST, kind: str, symbol: str) -> None:
        if not isinstance(node, (ast.List, ast.Tuple)) or not node.elts:
            raise ExpressionError(f"« {symbol} » attend une liste de valeurs entre crochets, par exemple "
                                  "[\"a\", \"b\"]", _at(node))
        for element in node.elts:
            if not isinstance(element, ast.Constant) or self.kind(element) != kind:
                raise ExpressionError(f"la liste de « {symbol} » doit contenir des valeurs écrites, de même sorte "
                                      f"({KIND_NAMES[kind]})", _at(element))

    def _Call(self, node: ast.Call) -> str:
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in _FUNCTIONS or node.keywords:
            raise ExpressionError(f"fonction inconnue « {ast.unparse(node.func)} » (permises : "
                                  f"{', '.join(sorted(_FUNCTIONS))})", _at(node))
        return _FUNCTIONS[name](self, node)

    def _expect(self, node: ast.AST, kind: str, wanted: str, where: str) -> str:
        if kind != wanted:
            raise ExpressionError(f"{where} attend {KIND_NAMES[wanted]}, pas {KIND_NAMES[kind]} "
                                  f"({self._shown(node)})", _at(node))
        return kind

    @staticmethod
    def _shown(node: ast.AST) -> str:
        return ast.unparse(node)

    def _args(self, node: ast.Call, count: int | None) -> list[str]:
        if count is not None and len(node.args) != count:
            raise ExpressionError(f"« {node.func.id} » attend {count} valeur{'s' if count > 1 else ''}, pas "
                                  f"{len(node.args)}", _at(node))
        if not node.args:
            raise ExpressionError(f"« {node.func.id} » attend au moins une valeur", _at(node))
        return [self.kind(a) for a in node.args]


def _date_call(typer: _Typer, node: ast.Call) -> str:
    (kind,) = typer._args(node, 1)
    argument = node.args[0]
    if not isinstance(argument, ast.Constant) or not isinstance(argument.value, str):
        raise ExpressionError("« date » attend une date écrite entre guillemets : date(\"2019-10-01\")", _at(node))
    try:
        dt.date.fromisoformat(argument.value)
    except ValueError:
        raise ExpressionError(f"« date » attend une date AAAA-MM-JJ qui existe, pas « {argument.value} »",
                              _at(node)) from None
    return DATE


def _given_call(typer: _Typer, node: ast.Call) -> str:
    typer._args(node, 1)
    if not isinstance(node.args[0], ast.Name) or node.args[0].id in _CONSTANTS:
        raise ExpressionError("« given » attend le nom d’un champ : given(cofinancement_montant)", _at(node))
    return BOOL


def _default_call(typer: _Typer, node: ast.Call) -> str:
    value, fallback = typer._args(node, 2)
    if value != fallback:
        raise ExpressionError(f"« default » attend deux valeurs de même sorte, pas {KIND_NAMES[value]} et "
                              f"{KIND_NAMES[fallback]}", _at(node))
    return value


def _extreme_call(typer: _Typer, node: ast.Call) -> str:
    kinds = typer._args(node, None)
    if len(set(kinds)) != 1 or kinds[0] not in (NUMBER, DATE):
        raise ExpressionError(f"« {node.func.id} » attend des nombres ou des dates, tous de même sorte", _at(node))
    return kinds[0]


def _abs_call(typer: _Typer, node: ast.Call) -> str:
    (kind,) = typer._args(node, 1)
    return typer._expect(node.args[0], kind, NUMBER, "« abs »")


_FUNCTIONS: dict[str, Callable[[_Typer, ast.Call], str]] = {
    "date": _date_call, "given": _given_call, "default": _default_call, "min": _extreme_call,
    "max": _extreme_call, "abs": _abs_call,
}


# --- Evaluation (only of trees the typer accepted) ------------------------------------------------

class _Evaluator:
    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values

    def run(self, node: ast.AST) -> Any:
        match node:
            case ast.Constant(value=bool() as value):
                return value
            case ast.Constant(value=int() | float() as value):
                return Decimal(str(value))
            case ast.Constant(value=str() as value):
                return value
            case ast.Name(id=name) if name in _CONSTANTS:
                return _CONSTANTS[name]
            case ast.Name(id=name):
                value = self.values.get(name)
                if value is None:
                    raise Undecided(name)
                return value
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                return not self.run(operand)
            case ast.UnaryOp(op=ast.USub(), operand=operand):
                return -self.run(operand)
            case ast.UnaryOp(operand=operand):
                return self.run(operand)
            case ast.BoolOp(op=ast.And(), values=values):
                return all(self.run(v) for v in values)
            case ast.BoolOp(values=values):
                return any(self.run(v) for v in values)
            case ast.BinOp(left=left, op=op, right=right):
                return self._arithmetic(self.run(left), op, self.run(right))
            case ast.Compare():
                return self._compare(node)
            case ast.Call(func=ast.Name(id=name), args=args):
                return self._call(name, args)
        raise ExpressionError(f"« {type(node).__name__} » n’est pas permis")  # unreachable after the typer

    @staticmethod
    def _arithmetic(left: Any, op: ast.operator, right: Any) -> Any:
        if isinstance(op, ast.Sub) and isinstance(left, dt.date):
            return Decimal((left - right).days)
        if isinstance(op, ast.Add):
            return left + right
        if isinstance(op, ast.Sub):
            return left - right
        if isinstance(op, ast.Mult):
            return left * right
        return left / right

    def _compare(self, node: ast.Compare) -> bool:
        left = self.run(node.left)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, (ast.In, ast.NotIn)):
                options = [self.run(e) for e in right_node.elts]
                right = None
                holds = (left in options) == isinstance(op, ast.In)
            else:
                right = self.run(right_node)
                holds = _COMPARE[type(op)](left, right)
            if not holds:
                return False
            left = right
        return True

    def _call(self, name: str, args: list[ast.expr]) -> Any:
        if name == "given":
            return self.values.get(args[0].id) is not None
        if name == "default":
            try:
                return self.run(args[0])
            except Undecided:
                return self.run(args[1])
        if name == "date":
            return dt.date.fromisoformat(args[0].value)
        values = [self.run(a) for a in args]
        if name == "abs":
            return abs(values[0])
        return min(values) if name == "min" else max(values)


_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b, ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
}
