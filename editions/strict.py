"""The base of every node of an edition file, in a leaf module so that the schema's parts can live apart."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Base for every node of the file: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)
