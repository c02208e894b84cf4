"""Text between the questions: a heading, a paragraph. They hold no answer."""

from __future__ import annotations

from forms.types.base import FieldType
from forms.types.registry import register


@register
class Heading(FieldType):
    """A heading that opens a part of a step; `label` is its text."""

    name = "heading"
    options = frozenset()
    answers = False
    in_groups = False
    control = "heading"


@register
class Paragraph(FieldType):
    """A paragraph of explanation; `label` is its text."""

    name = "paragraph"
    options = frozenset()
    answers = False
    in_groups = False
    control = "paragraph"
