"""frictionless's reading of an SCDL « subventions » CSV against the published schema, as data.gouv.fr validates.

tests/fixtures/scdl-subventions-2.1.1.schema.json is the schema of shared/data (schema.data.gouv.fr,
scdl/subventions 2.1.1), copied as is.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from frictionless import Resource, Schema

SCHEMA = Path(__file__).resolve().parent / "fixtures" / "scdl-subventions-2.1.1.schema.json"


def scdl_report(content: str):
    """frictionless's report on a CSV text against the SCDL schema (header, types, patterns, required cells)."""
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return Resource(data=content.encode("utf-8"), format="csv", schema=schema).validate()


def rows_of(content: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content)))
