"""What a workbook hides, merges, or holds outside the sheet that is read.

A reader sees every cell of a sheet, hidden or not, while the officer who hid or filtered a
row may believe it left out of the figures. So a hidden row or column that holds a value is an
error naming its line or column: the officer says whether it belongs, by unhiding or deleting
it. Merged cells below the header are an error naming the range: a merged cell's value is in
its first cell only, whatever the sheet shows over the others. Another sheet that holds values
is named in a warning, since it is not read at all.
"""

from __future__ import annotations

from pipeline.check.figures import column_letter
from pipeline.check.locate import finding
from pipeline.core.findings import Finding, Severity
from pipeline.core.rules import RULES
from pipeline.read.columns import NUMERIC, Column
from pipeline.read.raw import RawTable, UnreadSheet

#: Characters of a hidden row's text quoted in its finding.
QUOTED = 80


def workbook_findings(raw: RawTable) -> list[Finding]:
    """Errors for hidden rows and columns holding values; warnings for unread sheets."""
    return [
        *(_hidden_row(raw, line) for line in raw.hidden_lines),
        *(_hidden_column(raw, index) for index in raw.hidden_columns),
        *(_merged(raw, *span) for span in raw.merged if _in_the_table(raw, *span)),
        *(_unread(raw, sheet) for sheet in raw.unread_sheets),
    ]


def _line_cells(raw: RawTable, line: int) -> tuple[str, ...]:
    """The cells on a line of the sheet: above the header, the header, or a data row."""
    if line == raw.header_line:
        return raw.header
    above = dict(raw.preamble)
    if line in above:
        return above[line]
    return raw.row(line).cells


def _hidden_row(raw: RawTable, line: int) -> Finding:
    text = ", ".join(c.strip() for c in _line_cells(raw, line) if c.strip())
    shown = text if len(text) <= QUOTED else text[: QUOTED - 1] + "…"
    return finding(
        raw,
        Severity.ERROR,
        line,
        "",
        text,
        "hidden-row",
        f'Row {line} of sheet "{raw.sheet}" is hidden or filtered out, yet it holds values '
        f"({shown}). Every row is read, hidden or not, so whether it belongs in the figures "
        "is not known.",
    )


def _hidden_column(raw: RawTable, index: int) -> Finding:
    letter = column_letter(index)
    label = raw.header[index].strip() if index < len(raw.header) else ""
    named = f'column {letter} ("{label}")' if label else f"column {letter}, which has no header,"
    return finding(
        raw,
        Severity.ERROR,
        raw.header_line,
        label or letter,
        "",
        "hidden-column",
        f'In sheet "{raw.sheet}", {named} is hidden, yet it holds values. Every column is '
        "read, hidden or not, so whether it belongs in the figures is not known.",
    )


def format_findings(raw: RawTable, columns: dict[str, Column]) -> list[Finding]:
    """An error for each figure cell below the header whose number format adds something to
    the number it shows (a currency, a scale, a percent, a unit): the stored value is read, as
    the header says, so what the sheet shows and what the brief would state differ."""
    figures = {columns[name].index: columns[name].label for name in NUMERIC if name in columns}
    return [
        finding(
            raw,
            Severity.ERROR,
            line,
            figures[column],
            f"{column_letter(column)}{line}",
            "cell-format",
            f'Cell {column_letter(column)}{line} of sheet "{raw.sheet}" shows its number with '
            f"a format that adds {said}, which this tool does not read: it reads the number "
            f'stored in the cell, as the header "{figures[column]}" says, so the brief could '
            "state another figure than the sheet shows.",
        )
        for line, column, said in raw.formatted
        if line > raw.header_line and column in figures
    ]


def _in_the_table(raw: RawTable, top: int, first: int, bottom: int, last: int) -> bool:
    """A range of two cells or more that reaches below the header, within its columns."""
    return (bottom > top or last > first) and bottom > raw.header_line and first < len(raw.header)


def _merged(raw: RawTable, top: int, first: int, bottom: int, last: int) -> Finding:
    span = f"{column_letter(first)}{top}:{column_letter(last)}{bottom}"
    label = raw.header[first].strip()
    return finding(
        raw,
        Severity.ERROR,
        top,
        label or column_letter(first),
        span,
        "merged-cells",
        f'Cells {span} of sheet "{raw.sheet}" are merged. A merged cell shows one value over '
        "several cells, but only its first cell holds it: the others are read as blank, or as "
        "what they held before the merge, so what each row reports is not known.",
    )


def _unread(raw: RawTable, sheet: UnreadSheet) -> Finding:
    cells = f"{sheet.filled:,} filled cell{'s' if sheet.filled != 1 else ''}"
    held = f"a table with the expected columns ({cells})" if sheet.table else cells
    hidden = "hidden sheet" if not sheet.visible else "sheet"
    return Finding(
        Severity.WARNING,
        raw.source_file,
        None,
        "",
        sheet.name,
        "unread-sheet",
        f'The {hidden} "{sheet.name}" holds {held} and is not read: only sheet "{raw.sheet}" is.',
        RULES["unread-sheet"].fix,
    )
