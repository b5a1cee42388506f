"""Locate findings in the raw table: shared by validation, totals and normalisation."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline import config
from pipeline.core.findings import Finding, Severity
from pipeline.core.rules import RULES
from pipeline.read.cells import CellText, is_missing
from pipeline.read.columns import COUNTS, NUMERIC, Column
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


def number_cell(line: int, column: Column, text: str) -> CellText:
    """A figure cell's text as the number format is settled from it: a count is written
    without decimals, unless its header gives a scale ('000)."""
    return CellText(
        line,
        column.label,
        text,
        column.canonical in COUNTS and column.scale == 1,
        column.scale >= 1000,
    )


def number_cells(
    columns: dict[str, Column],
    rows: Iterable[RawRow],
    skip: frozenset[tuple[int, str]] = frozenset(),
) -> list[CellText]:
    """The text of every figure cell of `rows` that may settle the file's number format: not
    a workbook's typed number, not blank or "not reported", not overlong, not in `skip`
    ((line, column label) of cells already refused)."""
    return [
        number_cell(r.line, columns[c], text)
        for r in rows
        for c in NUMERIC
        if c in columns
        and r.number(columns[c].index) is None
        and (r.line, columns[c].label) not in skip
        and (text := cell(r, columns[c]))
        and len(text) <= config.MAX_CELL_CHARS
        and not is_missing(text)
    ]
