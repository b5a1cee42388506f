"""Locate findings in the raw table: shared by validation, totals and normalisation."""

from __future__ import annotations

from pipeline.core.findings import Finding, Severity
from pipeline.core.rules import RULES
from pipeline.read.columns import Column
from pipeline.read.raw import RawRow, RawTable


def finding(  # noqa: PLR0913 (one argument per field of the Finding it makes)
    raw: RawTable,
    severity: Severity,
    line: int | None,
    column: str,
    value: str,
    rule: str,
    message: str | None = None,
) -> Finding:
    spec = RULES[rule]
    return Finding(
        severity, raw.file, line, column, value, rule, message or spec.description, spec.fix
    )


def cell(row: RawRow, column: Column) -> str:
    return row.cells[column.index] if column.index < len(row.cells) else ""
