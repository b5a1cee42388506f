"""Locale-aware formatting of numbers, money and percentages (CLDR rules, via Babel)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent

NOT_REPORTED = "–"


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class Formatter:
    """Formats figures for one locale; a missing figure always prints as an en dash."""

    locale: str = "en"

    def number(self, value: float | None, decimals: int = 0) -> str:
        """1,234 or 3.5 with exactly `decimals` decimals."""
        if _missing(value):
            return NOT_REPORTED
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def usd(self, value: float | None, decimals: int = 0) -> str:
        """US$140,653 (the locale decides where the symbol goes)."""
        if _missing(value):
            return NOT_REPORTED
        standard = Locale.parse(self.locale).currency_formats["standard"].pattern
        pattern = standard.split(";")[0].replace(".00", "." + "0" * decimals if decimals else "")
        text = format_currency(
            value, "USD", format=pattern, locale=self.locale, currency_digits=False
        )
        # English CLDR writes a bare "$"; donors read several currencies, so say US$.
        return text.replace("$", "US$", 1) if "US" not in text else text

    def percent(self, value: float | None, decimals: int = 0) -> str:
        """43% with `decimals` decimals."""
        if _missing(value):
            return NOT_REPORTED
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
        return format_percent(value, format=pattern, locale=self.locale)


def decimals_needed(values: list[float], most: int = 2) -> int:
    """The fewest decimals (up to `most`) that show every value exactly: 32, 3.5 -> 1."""
    needed = 0
    for value in values:
        if _missing(value):
            continue
        while needed < most and round(value, needed) != round(value, most):
            needed += 1
    return needed
