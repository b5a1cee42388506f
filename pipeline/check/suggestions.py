"""Suggestions attached to a table's refused number cells: the plain value to write, in the
finding's fix and its `suggested` field. The file stays refused; nothing is applied."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from pipeline import config
from pipeline.check.locate import cell as _cell
from pipeline.check.locate import number_cell, number_cells
from pipeline.check.suggest import CellContext, Suggestion, suggest
from pipeline.check.suggest_parse import NumberStyle
from pipeline.core.findings import Finding
from pipeline.read.cells import NumberFormat, is_missing, settle, settle_format
from pipeline.read.columns import COUNTS, NUMERIC, Column
from pipeline.read.raw import RawRow, RawTable

#: The rule whose findings get a suggestion: a number cell that is not a number.
SUGGESTED_RULE = "type-error"
#: A volume column's unit, by the factor its header gives (pipeline.read.columns.UNITS).
_VOLUME_UNITS = {Decimal(1): "t", Decimal("0.001"): "kg"}


def style_of(fmt: NumberFormat) -> NumberStyle:
    """The suggester's view of a file's settled number format."""
    return NumberStyle(fmt.decimal, fmt.groups, fmt.label)


def cell_context(
    row: RawRow, column: Column, columns: dict[str, Column], style: NumberStyle
) -> CellContext | None:
    """What the suggester needs about a cell: its column, unit, currency and number format."""
    unit, source = "", ""
    if column.canonical == "volume_sold_t":
        if column.factor not in _VOLUME_UNITS:
            return None  # a unit the suggester does not know: no suggestion, never a wrong one
        unit = _VOLUME_UNITS[column.factor]
    elif column.canonical == "value_usd":
        if column.currency:
            unit, source = column.currency, "header"
        elif "currency" in columns:
            code = _cell(row, columns["currency"]).strip().upper().replace("US$", "USD")
            unit, source = (code, "column") if code else ("USD", "blank")
        else:
            unit = "USD"
    return CellContext(column.canonical, style, unit, source, column.label)


def with_suggestions(
    raw: RawTable, columns: dict[str, Column], fmt: NumberFormat, findings: Sequence[Finding]
) -> list[Finding]:
    """`findings` with a suggestion in the fix of each refused number cell (rule type-error)."""
    by_label = {c.label: c for c in columns.values() if c.canonical in NUMERIC}
    refused = [f for f in findings if f.rule == SUGGESTED_RULE and f.column in by_label]
    if not refused:
        return list(findings)
    style = style_of(fmt)
    decided = _format_decided_by(raw, columns, fmt, {(f.line, f.column) for f in refused})
    made: dict[int, Suggestion] = {}
    for finding in refused:
        column = by_label[finding.column]
        row = raw.row(finding.line) if finding.line else None
        context = cell_context(row, column, columns, style) if row else None
        if row is None or context is None:
            continue
        suggestion = suggest(_cell(row, column), context)
        if suggestion.ok and _reads_two_ways(raw, columns, finding, suggestion.write, refused):
            suggestion = Suggestion(
                suggestion.found,
                "",
                f"Written as {suggestion.write}, the figure would read two ways in this file "
                "(its point or comma as the decimal mark, or separating thousands), so it "
                f"cannot be suggested: write it with a fourth decimal ({suggestion.write}0), or "
                "save the table as .xlsx.",
            )
        elif suggestion.ok and decided and style.decimal in suggestion.write:
            suggestion = Suggestion(
                suggestion.found,
                "",
                "This file's number format is decided by its refused cells alone, so a number "
                f"with decimals cannot be suggested: write it as the file's other numbers are "
                f"written ({fmt.label}).",
            )
        made[id(finding)] = suggestion
    advice = _rename_advice(raw, columns, refused, made)
    out = []
    for finding in findings:
        made_here = made.get(id(finding))
        if made_here is None:
            out.append(finding)
            continue
        suggestion = made_here
        fix = suggestion.reason if suggestion.ok else f"{suggestion.reason} {finding.fix}"
        fix += advice.get(finding.column, "")
        out.append(replace(finding, fix=fix, suggested=suggestion.write))
    return out


def _reads_two_ways(
    raw: RawTable,
    columns: dict[str, Column],
    finding: Finding,
    write: str,
    refused: list[Finding],
) -> bool:
    """True when `write`, in the refused cell's place, would itself be refused as reading two
    ways ("1.001" in a file with nothing else proving its decimal point)."""
    skip = frozenset((f.line or 0, f.column) for f in refused)
    by_label = {c.label: c for c in columns.values()}
    mine = number_cell(finding.line or 0, by_label[finding.column], write)
    cells = number_cells(columns, raw.rows, skip)
    return any(d.cell == mine for d in settle(raw.delimiter, [*cells, mine]).doubts)


def _format_decided_by(
    raw: RawTable,
    columns: dict[str, Column],
    fmt: NumberFormat,
    refused: set[tuple[int | None, str]],
) -> bool:
    """True when the file's number format comes from refused cells alone: once they are
    corrected, the file would read its numbers another way."""

    def texts(names: tuple[str, ...]) -> list[str]:
        return [
            _cell(r, columns[c])
            for r in raw.rows
            for c in names
            if c in columns
            and r.number(columns[c].index) is None
            and (r.line, columns[c].label) not in refused
            and len(_cell(r, columns[c])) <= config.MAX_CELL_CHARS
        ]

    return settle_format(raw.delimiter, texts(NUMERIC), texts(COUNTS)) != fmt


def _rename_advice(
    raw: RawTable,
    columns: dict[str, Column],
    refused: list[Finding],
    made: dict[int, Suggestion],
) -> dict[str, str]:
    """For a volume column whose every figure carries one unit other than the header's
    ("kg"), the other fix: head the column with that unit. Never when some figure lacks it,
    since the rename would then misread those figures."""
    column = columns.get("volume_sold_t")
    if column is None:
        return {}
    mine = [made.get(id(f)) for f in refused if f.column == column.label]
    units = {s.unit for s in mine if s is not None and s.ok}
    header_unit = _VOLUME_UNITS.get(column.factor, "")
    if not mine or len(units) != 1 or not all(s is not None and s.ok for s in mine):
        return {}
    unit = units.pop()
    figures = [
        r
        for r in raw.rows
        if r.number(column.index) is not None or not is_missing(_cell(r, column))
    ]
    if unit == header_unit or unit not in _VOLUME_UNITS.values() or len(figures) != len(mine):
        return {}  # some figures are plain numbers: renaming would misread them
    name = re.sub(r"\s*\([^)]*\)", "", column.label).strip() or column.label
    return {
        column.label: f' Or, since every figure in "{column.label}" is in {unit}, head the '
        f'column "{name} ({unit})" and write each figure in {unit}, without the unit.'
    }
