"""The one boundary raw input crosses: every form, query string and JSON body is cleaned on arrival,
every id in a URL is bounded.

Views, forms and autosave then only see text PostgreSQL can store and mail can carry (text_cleaning):
a NUL pasted into an answer is dropped instead of failing the save with a 500 and losing the work.
File uploads are left alone (they are bytes, checked by uploads/); their names are cleaned.
`<int:…>` in a route only matches ids the database columns can hold: /dossiers/9223372036854775808 is
« page introuvable », not a database error.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

from models.base import MAX_ID
from text_cleaning import clean_text, clean_value


def _cleaned(data: MultiDict) -> ImmutableMultiDict:
    return ImmutableMultiDict([(clean_text(k), clean_text(v)) for k, v in data.items(multi=True)])


class CleanedRequest(Request):
    """A request whose text input is cleaned of control characters once, before anyone reads it."""

    @cached_property
    def args(self) -> ImmutableMultiDict:  # type: ignore[override]
        return _cleaned(super().args)

    def _load_form_data(self) -> None:
        if "form" in self.__dict__:
            return
        super()._load_form_data()
        self.__dict__["form"] = _cleaned(self.__dict__["form"])
        for upload in self.__dict__["files"].values():
            upload.filename = clean_text(upload.filename) if upload.filename else upload.filename

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:  # type: ignore[override]
        return clean_value(super().get_json(force=force, silent=silent, cache=cache))


class IdConverter(IntegerConverter):
    """`<int:…>` bounded by what an id column holds (a larger number matches no route: 404)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002 (werkzeug's names)
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits, min, MAX_ID if max is None else max, signed)


def init_app(app: Flask) -> None:
    """Before any route is added: the converter applies to every `<int:…>` of every blueprint."""
    app.request_class = CleanedRequest
    app.url_map.converters["int"] = IdConverter
