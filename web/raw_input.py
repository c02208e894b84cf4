"""The one boundary raw input crosses: every form, query string and JSON body is cleaned on arrival.

Views, forms and autosave then only see text PostgreSQL can store and mail can carry (text_cleaning):
a NUL pasted into an answer is dropped instead of failing the save with a 500 and losing the work.
File uploads are left alone (they are bytes, checked by uploads/); their names are cleaned.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property

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


def init_app(app: Flask) -> None:
    app.request_class = CleanedRequest
