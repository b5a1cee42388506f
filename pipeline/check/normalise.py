"""Normalisations applied to a table: currency conversion, and the warnings that report them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from pipeline.check.locate import cell as _cell
from pipeline.check.locate import finding as _finding
from pipeline.core.findings import FileRefused, Finding, Severity
from pipeline.read.columns import Column
from pipeline.read.currencies import currency_code
from pipeline.read.rates import ExchangeRates
from pipeline.read.raw import RawRow, RawTable


def row_currency(row: RawRow, columns: dict[str, Column]) -> str | None:
    """The currency of a row's value: from the header, else the currency column, else US$;
    None when the currency column holds something that is no currency (an error)."""
    if columns["value_usd"].currency:
        return columns["value_usd"].currency
    if "currency" in columns:
        written = _cell(row, columns["currency"]).strip()
        return currency_code(written) if written else "USD"
    return "USD"


def currency_findings(
    raw: RawTable, columns: dict[str, Column], rows: list[RawRow]
) -> list[Finding]:
    """A currency stated twice must be one: a header's currency and a currency column that
    disagree refuse the file, naming both; a cell that names no currency is an error."""
    if "currency" not in columns:
        return []
    value, column = columns["value_usd"], columns["currency"]
    errors, clashes = [], []
    for row in rows:
        written = _cell(row, column).strip()
        if not written:
            continue
        code = currency_code(written)
        if code is None:
            errors.append(
                _finding(
                    raw,
                    Severity.ERROR,
                    row.line,
                    column.label,
                    written,
                    "unknown-currency",
                    f'"{written}" is not a currency this tool knows.',
                )
            )
        elif value.currency and code != value.currency:
            clashes.append((row.line, written))
    if clashes:
        lines = ", ".join(str(line) for line, _ in clashes[:10]) + (
            " …" if len(clashes) > 10 else ""
        )
        raise FileRefused(
            _finding(
                raw,
                Severity.ERROR,
                raw.header_line,
                value.label,
                clashes[0][1],
                "currency-conflict",
                f'The header "{value.label}" says values are in {value.currency}, but the '
                f'column "{column.label}" says {clashes[0][1]} on line(s) {lines}: one value '
                "cannot be in both.",
            )
        )
    return errors


def _rate(rates: ExchangeRates, currency: str, period: str) -> float | None:
    """Units of `currency` per US$ for `period`; a rate with a blank period fits any period."""
    return rates.get((currency, period), rates.get((currency, "")))


#: An exchange rate a conversion used: (currency, period of the rate, units per US$).
RateUsed = tuple[str, str, float]


@dataclass(frozen=True)
class Conversion:
    """The rate one row's value was converted to US$ at, and where exchange_rates.csv states
    it (the lineage table cites it)."""

    currency: str
    period: str  #: the rate's period; "" for a rate that applies to any period
    rate: float  #: units of the currency per US$
    line: int | None  #: its line in exchange_rates.csv; None when it was not read from one


def conversion(rates: ExchangeRates, used: RateUsed) -> Conversion:
    """The conversion of a rate used, with its line in exchange_rates.csv."""
    currency, period, rate = used
    lines = getattr(rates, "lines", {})  # a plain dict of rates (tests) has no lines
    return Conversion(currency, period, rate, lines.get((currency, period)))


def convert(
    raw: RawTable,
    row: RawRow,
    values: dict[str, object],
    columns: dict[str, Column],
    rates: ExchangeRates,
    decimals: dict[str, int],
) -> tuple[Finding | None, RateUsed | None]:
    """Convert the row's value to US$ in place: (None, the rate used), or (an error naming
    currency and period, None) when there is no rate; (None, None) when nothing is converted."""
    currency = row_currency(row, columns)
    value = values.get("value_usd")
    if currency is None:
        values["value_usd"] = math.nan  # its currency is an error of its own
        return None, None
    if currency == "USD" or not isinstance(value, float) or math.isnan(value):
        return None, None
    decimals["value_usd"] = 0  # a converted total agrees to the nearest dollar
    period = str(values.get("period") or "")
    rate = _rate(rates, currency, period)
    if rate is None:
        values["value_usd"] = math.nan
        return (
            _finding(
                raw,
                Severity.ERROR,
                row.line,
                columns["value_usd"].label,
                _cell(row, columns["value_usd"]).strip(),
                "missing-exchange-rate",
                f"No exchange rate for {currency} in period {period or '(none given)'} in "
                "exchange_rates.csv.",
            ),
            None,
        )
    values["value_usd"] = value / rate
    return None, (currency, period if (currency, period) in rates else "", rate)


def conversion_notes(
    columns: dict[str, Column], used: list[tuple[str, str, float]]
) -> list[tuple[Column, str, str]]:
    """Each unit or currency conversion applied: the column, a plain sentence about it, and
    what to check (the unit for a unit, the rate for a currency)."""
    notes = []
    volume = columns["volume_sold_t"]
    if volume.unit_factor != 1:
        notes.append(
            (
                volume,
                f'Volumes given in kilograms ("{volume.label}") were converted to tonnes.',
                (
                    f'Check that the figures of "{volume.label}" are in kilograms, as its header '
                    "says."
                ),
            )
        )
    for column in columns.values():
        if column.scale != 1:
            scale = _SCALES.get(column.scale, "units")
            note = (
                f'Figures in "{column.label}" are in {scale}: each was multiplied by '
                f"{column.scale:,}, exactly."
            )
            check = (
                f'Check that the figures of "{column.label}" are in {scale}, as its header says.'
            )
            notes.append((column, note, check))
    for currency, period, rate in used:
        when = f" for {period}" if period else ""
        notes.append(
            (
                columns["value_usd"],
                (
                    f"Values in {currency} were converted to US$ at {rate:,.4g} {currency} per "
                    f"US${when} (exchange_rates.csv)."
                ),
                (
                    f"Check that the values are in {currency} and that the rate in "
                    "exchange_rates.csv is the one for the period."
                ),
            )
        )
    return notes


_SCALES = {1_000: "thousands", 1_000_000: "millions"}


def normalisation_findings(
    raw: RawTable, columns: dict[str, Column], used: list[tuple[str, str, float]]
) -> list[Finding]:
    """Warnings that say what was normalised: renamed headers, conversions, trimmed spaces."""
    out = []
    renamed = [f'"{c.label}" as {c.canonical}' for c in columns.values() if c.label != c.canonical]
    if renamed:
        out.append(
            _finding(
                raw,
                Severity.WARNING,
                raw.header_line,
                "",
                "",
                "renamed-headers",
                "Headers read as: " + "; ".join(renamed) + ".",
            )
        )
    for column, note, check in conversion_notes(columns, used):
        said = _finding(
            raw, Severity.WARNING, raw.header_line, column.label, "", "converted", note
        )
        out.append(replace(said, fix=check))
    for column in columns.values():
        lines = [
            r.line for r in raw.rows if (text := _cell(r, column)) and _has_extra_spaces(text)
        ]
        if lines:
            shown = ", ".join(map(str, lines[:10])) + (" …" if len(lines) > 10 else "")
            out.append(
                _finding(
                    raw,
                    Severity.WARNING,
                    lines[0],
                    column.label,
                    "",
                    "trimmed-spaces",
                    f"Extra spaces were removed in {len(lines)} cell(s) of "
                    f"{column.label}, on line(s) {shown}.",
                )
            )
    return out


#: One space of any kind between two digits: a thousands separator ("3 200", with a
#: no-break space as Excel and LibreOffice write it in French), which the number reader reads.
_DIGIT_GROUP_SPACE = re.compile(r"(?<=\d)\s(?=\d)")


def _has_extra_spaces(text: str) -> bool:
    """True when the cell has spaces the reader dropped: at either end, or more than one
    between words; never for the space that groups a number's digits."""
    text = _DIGIT_GROUP_SPACE.sub("", text)
    return text != " ".join(text.split())
