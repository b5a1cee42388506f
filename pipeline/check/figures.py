"""A row's cells typed: numbers that are exactly what the file says, or located errors."""

from __future__ import annotations

import math
import sys
from decimal import Decimal

from pipeline.check.locate import cell as _cell
from pipeline.check.locate import finding as _finding
from pipeline.core.findings import Finding, Severity
from pipeline.core.names import display
from pipeline.read.cells import (
    NumberFormat,
    decimals_written,
    is_error_value,
    is_missing,
    parse_decimal,
)
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
        error = row.error(column.index) or (text.strip() if is_error_value(text) else None)
        if error and name != "notes":
            ref = f"{column_letter(column.index)}{row.line}"
            findings.append(
                _finding(
                    raw,
                    Severity.ERROR,
                    row.line,
                    column.label,
                    error,
                    "error-value",
                    f"Cell {ref} holds the spreadsheet error {error}: the formula behind it "
                    "failed, so the figure is unknown. It is not read as not reported (write "
                    "-, n/a or leave the cell blank for that).",
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
            exact = Decimal(repr(typed)) if column.factor != 1 else None
        elif is_missing(text):
            values[name] = math.nan
            continue
        else:
            exact = parsed = parse_decimal(text, fmt)
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
            number, written = float(parsed), decimals_written(text, fmt)
        values[name] = scaled(number, exact, column.factor)
        # A figure keeps the precision it was written with: "13.1" thousand is to the hundred.
        decimals[name] = written - column.factor.adjusted()
    return values, decimals


def scaled(number: float, exact: Decimal | None, factor: Decimal) -> float:
    """A written figure in the column's unit: multiplied by the header's unit and scale in
    exact decimal arithmetic ("13.103" thousand is 13103, never 13102.999…); "-0" is 0."""
    if factor == 1 or exact is None or not exact.is_finite():
        return number + 0.0
    return float(exact * factor) + 0.0


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
