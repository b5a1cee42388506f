"""A row's cells typed: numbers that are exactly what the file says, or located errors."""

from __future__ import annotations

import math
import sys
from decimal import Decimal

from pipeline.check.locate import cell as _cell
from pipeline.check.locate import finding as _finding
from pipeline.core.findings import Finding, Severity
from pipeline.core.names import display
from pipeline.read.cells import NumberFormat, decimals_written, is_missing, parse_number
from pipeline.read.columns import NUMERIC, Column
from pipeline.read.raw import RawRow, RawTable


def column_letter(index: int) -> str:
    """Excel's letters of a 0-based column index: 0 -> 'A', 27 -> 'AB'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def typed_decimals(number: float) -> int:
    """The decimals a typed number carries, as Excel shows it at full precision: 1.25 -> 2."""
    exponent = Decimal(repr(number)).as_tuple().exponent
    return min(-exponent, 15) if isinstance(exponent, int) and exponent < 0 else 0


def typed_row(
    raw: RawTable,
    row: RawRow,
    columns: dict[str, Column],
    fmt: NumberFormat,
    findings: list[Finding],
) -> tuple[dict[str, object], dict[str, int]]:
    """One row's typed values; type errors and uncached formulas become findings.

    A workbook's typed number is that number; only text cells are read in the file's format.
    """
    values: dict[str, object] = {}
    decimals: dict[str, int] = {}
    for name, column in columns.items():
        text = _cell(row, column)
        if column.index in row.uncached:
            ref = f"{column_letter(column.index)}{row.line}"
            findings.append(
                _finding(
                    raw,
                    Severity.ERROR,
                    row.line,
                    column.label,
                    ref,
                    "formula-without-value",
                    f"Cell {ref} holds a formula with no stored value, so its figure is unknown.",
                )
            )
            values[name] = math.nan if name in NUMERIC else None
            continue
        if name not in NUMERIC:
            values[name] = display(text) or None
            continue
        typed = row.number(column.index)
        if typed is not None:
            number, written = typed, typed_decimals(typed)
        elif is_missing(text):
            values[name] = math.nan
            continue
        else:
            parsed = parse_number(text, fmt)
            if parsed is None:
                findings.append(
                    _finding(
                        raw,
                        Severity.ERROR,
                        row.line,
                        column.label,
                        text,
                        "type-error",
                        f'"{text.strip()}" is not a number in this file\'s format ({fmt.label}).',
                    )
                )
                values[name] = math.nan
                continue
            number, written = parsed, decimals_written(text, fmt)
        values[name] = number * column.factor + 0.0  # + 0.0: "-0" is 0, never "-0"
        decimals[name] = written + round(-math.log10(column.factor))
    return values, decimals


def representable(value: float, text: str) -> bool:
    """False for a figure a float cannot hold: overflow, infinity, subnormal, or a non-zero
    text that underflowed to 0."""
    if math.isinf(value) or (value != 0 and abs(value) < sys.float_info.min):
        return False
    return value != 0 or not any(c in "123456789" for c in text)


def unrepresentable_findings(
    raw: RawTable,
    row: RawRow,
    values: dict[str, object],
    columns: dict[str, Column],
) -> list[Finding]:
    """Errors for figures that are not finite, normal numbers (after conversions); those
    figures become not-a-number so that nothing downstream ever sees them."""
    out = []
    for name in NUMERIC:
        value = values.get(name)
        if not isinstance(value, float) or math.isnan(value):
            continue
        text = "" if row.number(columns[name].index) is not None else _cell(row, columns[name])
        if representable(value, text):
            continue
        values[name] = math.nan
        shown = text.strip() or repr(row.number(columns[name].index))
        out.append(
            _finding(
                raw,
                Severity.ERROR,
                row.line,
                columns[name].label,
                shown[:40] + ("…" if len(shown) > 40 else ""),
                "number-out-of-range",
            )
        )
    return out


def overlong_cells(row: RawRow, limit: int) -> list[int]:
    """Indices of the row's cells longer than `limit` characters."""
    return [i for i, c in enumerate(row.cells) if len(c) > limit]
