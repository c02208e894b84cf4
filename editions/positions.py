"""Where things stand in an edition file, and a mistake found there (`file:line:column: message`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Position = tuple[int, int]
NodePath = tuple[Any, ...]


@dataclass(frozen=True, order=True)
class EditionError:
    """One mistake in an edition file, at a 1-based line and column (0, 0 when the place is unknown)."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if not self.line:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class InvalidEdition(Exception):
    """Raised with every error found in one file."""

    def __init__(self, errors: list[EditionError]):
        self.errors = sorted(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def unexpected(where: str, step: str, exc: BaseException) -> EditionError:
    """Turn a failure of our own code while reading or checking one file into an error of that file only."""
    detail = str(exc).splitlines()[0] if str(exc) else ""
    reason = f"{type(exc).__name__} : {detail}" if detail else type(exc).__name__
    return EditionError(where, 0, 0, f"{step} s’est arrêtée sur une erreur inattendue ({reason}) ; "
                                     "signalez-la à l’équipe technique")


@dataclass
class Positions:
    """Where each value (and each mapping key) of the file stands."""

    values: dict[NodePath, Position]
    keys: dict[NodePath, Position]

    def of(self, path: NodePath, key: bool = False) -> Position:
        """Return the position of `path`, or of its nearest ancestor that exists in the file."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))
