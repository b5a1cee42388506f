"""A Frictionless Data Package (v2) of the open-data tables, generated from the data dictionary.

Every field's type, description and constraints come from the pandera models in
`pipeline/check/schemas.py`: the dictionary has one copy, and the package is made from it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import pandera.pandas as pa

from pipeline.check.schemas import CountryTotals, TerritoryIndicators
from pipeline.core.countries import slugify
from pipeline.core.registry import OPTIONAL_DERIVED, OPTIONAL_REPORTED, WHOLE_NUMBERS, Unit
from pipeline.core.registry import indicator as spec_of

#: Counted in whole numbers: households, groups, people, and members by sex and age (#26).
COUNTS = (
    *WHOLE_NUMBERS,
    *OPTIONAL_REPORTED,
    *(n for n in OPTIONAL_DERIVED if spec_of(n).unit is Unit.PEOPLE),
)
from pipeline.read.programme import Programme
from pipeline.read.publishing import Publishing

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
#: "Not reported" is an empty cell in every table we write; nothing else is missing.
MISSING_VALUES = [""]
#: The columns that identify a row, where a table has them.
KEY_COLUMNS = ("territory", "period")
#: Every model whose tables we publish.
MODELS: tuple[type[pa.DataFrameModel], ...] = (TerritoryIndicators, CountryTotals)


@dataclass(frozen=True)
class TableResource:
    """One CSV of the package: its bytes and the model that is its data dictionary."""

    name: str  #: lower-case resource name, e.g. "kenya"
    path: str  #: relative to datapackage.json
    title: str
    model: type[pa.DataFrameModel]
    data: bytes
    key: tuple[str, ...] | None = None  #: the primary key; None: territory (and period)


def _column_type(name: str, column: Any) -> str:
    """The Table Schema type of a pandera column or index: counts are integers."""
    kind = str(column.dtype)
    if kind.startswith("int") or name in COUNTS:
        return "integer"
    if kind.startswith("float"):
        return "number"
    if kind.startswith("bool"):
        return "boolean"
    return "string"


def _constraints(column: Any, required: bool) -> dict[str, Any]:
    """Table Schema constraints from a pandera column's checks."""
    constraints: dict[str, Any] = {"required": True} if required else {}
    for check in column.checks:
        stats = check.statistics or {}
        if check.name in ("greater_than_or_equal_to", "in_range"):
            constraints["minimum"] = stats["min_value"]
        if check.name in ("less_than_or_equal_to", "in_range"):
            constraints["maximum"] = stats["max_value"]
        if check.name == "isin":
            constraints["enum"] = sorted(stats["allowed_values"])
        if check.name == "str_matches":
            constraints["pattern"] = str(stats["pattern"])
    if getattr(column, "unique", False):
        constraints["unique"] = True
    return constraints


def field_descriptor(name: str, column: Any, required: bool) -> dict[str, Any]:
    """One Table Schema field from the data dictionary's column."""
    descriptor: dict[str, Any] = {"name": name, "type": _column_type(name, column)}
    if column.description:
        descriptor["description"] = column.description
    if constraints := _constraints(column, required):
        descriptor["constraints"] = constraints
    return descriptor


def header(data: bytes) -> list[str]:
    """The column names of a CSV we wrote (UTF-8, perhaps with a BOM; plain names)."""
    return data.decode("utf-8-sig").split("\n", 1)[0].split(",")


def table_schema(
    model: type[pa.DataFrameModel], columns: Sequence[str], key: Sequence[str] | None = None
) -> dict[str, Any]:
    """The Table Schema of a CSV with `columns`, each described by `model`.

    A column the model does not describe is a bug, never a guess. The index (the source
    file's line) is the column the model's columns leave over.
    """
    schema = model.to_schema()
    fields = []
    for name in columns:
        if name in schema.columns:
            column = schema.columns[name]
            fields.append(field_descriptor(name, column, not column.nullable))
        elif schema.index is not None and schema.index.name in (None, name):
            fields.append(field_descriptor(name, schema.index, True))
        else:
            raise ValueError(f"Column {name!r} is not in the data dictionary ({model.__name__}).")
    if key is None:
        key = [c for c in KEY_COLUMNS if c in columns]
    schema_ = {"fields": fields, "missingValues": MISSING_VALUES}
    return {**schema_, "primaryKey": list(key)} if key else schema_


def resource_descriptor(resource: TableResource) -> dict[str, Any]:
    """One table of the package, with its schema, size and hash."""
    return {
        "name": resource.name,
        "type": "table",
        "path": resource.path,
        "title": resource.title,
        "description": (resource.model.__doc__ or "").strip().splitlines()[0],
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(resource.data),
        "hash": "sha256:" + hashlib.sha256(resource.data).hexdigest(),
        "schema": table_schema(resource.model, header(resource.data), resource.key),
    }


def data_package(
    resources: Sequence[TableResource],
    programme: Programme,
    publishing: Publishing,
    stamp: datetime,
) -> bytes:
    """datapackage.json: the programme's open-data tables, described from the data dictionary."""
    package: dict[str, Any] = {
        "$schema": PROFILE,
        "name": slugify(programme.short_name) or "impact-briefs",
        "title": programme.name,
        "description": (
            "Validated monitoring data of the programme, per territory and per country, as "
            "published in its impact briefs. Not reported figures are empty cells, never zero."
        ),
        "created": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sources": [{"title": programme.source}],
    }
    if publishing.licence:
        package["licenses"] = [publishing.licence]
    if publishing.contributors:
        package["contributors"] = [
            {"title": c.title, "roles": list(c.roles), **({"path": c.path} if c.path else {})}
            for c in publishing.contributors
        ]
    package["resources"] = [resource_descriptor(r) for r in resources]
    text = json.dumps(package, indent=2, ensure_ascii=False, sort_keys=False)
    return (text + "\n").encode("utf-8")


@cache
def integer_columns() -> frozenset[str]:
    """The columns the data dictionary counts in whole numbers, in any table we publish."""
    names = set()
    for model in MODELS:
        schema = model.to_schema()
        names |= {n for n, c in schema.columns.items() if _column_type(n, c) == "integer"}
    return frozenset(names)
