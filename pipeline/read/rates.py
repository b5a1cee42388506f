"""Read data/raw/exchange_rates.csv: units of a currency per US$, by period (a loader)."""

from __future__ import annotations

import hashlib
import math
import re
import sys
from pathlib import Path

from pipeline.core.findings import FileRefused, Finding, Severity
from pipeline.read.currencies import currency_code
from pipeline.read.periods import FORMS, period_key
from pipeline.read.raw import refuse
from pipeline.read.text import DELIMITERS, csv_records, decode, physical_lines, read_bytes


class ExchangeRates(dict[tuple[str, str], float]):
    """(currency, period) -> units of the currency per US$; period "" applies to any period.

    Both keys are in their one normal form (`currency_code`, `period_key`), as on the side of
    the country files, so "kes,2003/2004" and a row's "KES" in "2003-2004" meet. `lines` keeps
    the line of exchange_rates.csv each rate is stated on, so that a converted figure cites it.
    """

    def __init__(self, rates: dict[tuple[str, str], float] | None = None) -> None:
        super().__init__(rates or {})
        self.lines: dict[tuple[str, str], int] = {}
        self.sha256 = ""  #: of exchange_rates.csv's bytes


#: A rate as a plain decimal: digits, an optional decimal point; no sign, `_` or exponent.
_PLAIN_DECIMAL = re.compile(r"^(\d+(\.\d*)?|\.\d+)$")


def rate_value(text: str) -> float | None:
    """The rate a cell states: a finite, positive, normal number written as a plain decimal."""
    if not _PLAIN_DECIMAL.match(text):
        return None
    value = float(text)
    return value if math.isfinite(value) and value >= sys.float_info.min else None


def _bad_row(file: str, line: int, cells: list[str], message: str, fix: str) -> FileRefused:
    return FileRefused(
        Finding(
            Severity.ERROR, file, line, "", ",".join(cells), "bad-exchange-rates", message, fix
        )
    )


def read_exchange_rates(path: Path) -> ExchangeRates:
    """Read exchange_rates.csv (currency, period, units per US$); absent file -> no rates."""
    if not path.is_file():
        return ExchangeRates()
    data = read_bytes(path)
    text, _ = decode(data, path.name)
    lines = physical_lines(text)
    delimiter = max(DELIMITERS, key=lambda d: lines[0].count(d))
    rates = ExchangeRates()
    rates.sha256 = hashlib.sha256(data).hexdigest()
    stated: dict[tuple[str, str], tuple[int, str]] = {}
    records = csv_records(lines, delimiter)
    header = [c.strip().lower() for c in records[0][2]]
    expected = ["currency", "period", "units_per_usd"]
    if header[:3] != expected:
        raise refuse(
            path.name,
            "bad-exchange-rates",
            f"The header is {', '.join(header)}; expected {', '.join(expected)}.",
            "Use the three columns currency, period, units_per_usd.",
        )
    for first, _, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue
        currency, written, rate = (*(c.strip() for c in cells[:3]), "", "", "")[:3]
        value = rate_value(rate)
        code = currency_code(currency)
        if value is None or code is None:
            raise _bad_row(
                path.name,
                first,
                cells,
                "Each row needs an ISO 4217 currency code (e.g. KES), a period (or blank) and "
                "a rate above 0 written as a plain decimal with a decimal point (e.g. 79.17; "
                "no exponent, sign or _).",
                "Correct the row.",
            )
        period = period_key(written)
        if period is None:
            raise _bad_row(
                path.name,
                first,
                cells,
                f'"{written}" is not a period: write it as {FORMS}, or leave it blank for a '
                "rate that applies to every period.",
                "Correct the period.",
            )
        key = (code, period)
        if key in stated and rates[key] != value:
            line, before = stated[key]
            raise _bad_row(
                path.name,
                first,
                cells,
                f"Two different rates for {code} in period {period or '(any)'}: {before} on "
                f"line {line} and {rate} on line {first}.",
                "Keep one rate per currency and period: the one your programme used.",
            )
        stated[key] = (first, rate)
        rates[key] = value
        rates.lines.setdefault(key, first)
    return rates
