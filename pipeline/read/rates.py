"""Read data/raw/exchange_rates.csv: units of a currency per US$, by period (a loader)."""

from __future__ import annotations

import math
from pathlib import Path

from pipeline.core.findings import FileRefused, Finding, Severity
from pipeline.read.raw import refuse
from pipeline.read.text import DELIMITERS, csv_records, decode, physical_lines, read_bytes

#: (currency, period) -> units of the currency per US$; period "" applies to any period.
ExchangeRates = dict[tuple[str, str], float]


def read_exchange_rates(path: Path) -> ExchangeRates:
    """Read exchange_rates.csv (currency, period, units per US$); absent file -> no rates."""
    if not path.is_file():
        return {}
    text, _ = decode(read_bytes(path), path.name)
    lines = physical_lines(text)
    delimiter = max(DELIMITERS, key=lambda d: lines[0].count(d))
    rates: ExchangeRates = {}
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
        try:
            currency, period, rate = (c.strip() for c in cells[:3])
            value = float(rate)
            if not math.isfinite(value) or value <= 0 or len(currency) != 3:
                raise ValueError
        except ValueError:
            raise FileRefused(
                Finding(
                    Severity.ERROR,
                    path.name,
                    first,
                    "",
                    ",".join(cells),
                    "bad-exchange-rates",
                    "Each row needs a 3-letter currency code, a period (or blank) and a rate "
                    "above 0 written with a decimal point.",
                    "Correct the row.",
                )
            ) from None
        rates[(currency.upper(), period)] = value
    return rates
