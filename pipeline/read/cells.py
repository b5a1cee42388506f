"""Parse text cells into numbers under one number format settled per file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pipeline import config

#: Spaces that French-locale Excel writes as thousands separators.
_SPACES = " \u00a0\u202f"


@dataclass(frozen=True)
class NumberFormat:
    """How a file writes numbers: its decimal mark and thousands separator(s)."""

    decimal: str
    groups: str  #: characters accepted as thousands separators

    @property
    def label(self) -> str:
        """Plain description, e.g. 'decimal point, comma thousands'."""
        mark = "point" if self.decimal == "." else "comma"
        sep = "comma" if "," in self.groups else "point or space"
        return f"decimal {mark}, {sep} thousands"

    def pattern(self) -> re.Pattern[str]:
        """Regex of a number in this format (optional sign, grouped or plain digits)."""
        g = "[" + re.escape(self.groups) + "]"
        d = re.escape(self.decimal)
        return re.compile(
            rf"^(?P<sign>[-+−]?)(?P<int>\d{{1,3}}(?:{g}\d{{3}})+|\d+)"
            rf"(?:{d}(?P<frac>\d+))?$"
        )


POINT = NumberFormat(".", ",")
COMMA = NumberFormat(",", "." + _SPACES)

#: `123,456` with exactly three digits after the mark reads either way; anything else is proof.
_PROOF_COMMA_DECIMAL = re.compile(r"^[-+−]?\d+,(\d{1,2}|\d{4,})$|\d\.\d{3},\d")
_PROOF_POINT_DECIMAL = re.compile(r"^[-+−]?\d+\.(\d{1,2}|\d{4,})$|\d,\d{3}\.\d")
_GROUPED_COMMA = re.compile(r"^[-+−]?\d{1,3}(,\d{3})+$")
_GROUPED_POINT = re.compile(r"^[-+−]?\d{1,3}(\.\d{3})+$")


def is_missing(text: str) -> bool:
    """True for the declared not-reported markers (blank, -, n/a, ...)."""
    return text.strip().lower() in config.MISSING_MARKERS


def settle_format(delimiter: str, numeric: list[str], counts: list[str]) -> NumberFormat:
    """The file's number format, decided from evidence in its cells.

    A decimal mark followed by other than three digits proves the format; so does a
    grouped number in a count column (households cannot have decimals). Otherwise a
    comma-delimited file uses a decimal point and a semicolon one a decimal comma, as Excel does.
    """
    cells = [c.strip() for c in numeric]
    if any(_PROOF_COMMA_DECIMAL.search(c) for c in cells):
        return COMMA
    if any(_PROOF_POINT_DECIMAL.search(c) for c in cells):
        return POINT
    stripped = [c.strip() for c in counts]
    if any(_GROUPED_COMMA.match(c) for c in stripped):
        return POINT
    if any(_GROUPED_POINT.match(c) for c in stripped):
        return COMMA
    return COMMA if delimiter == ";" else POINT


def parse_decimal(text: str, fmt: NumberFormat) -> Decimal | None:
    """The exact number a cell holds in `fmt`, or None if it is not one."""
    match = fmt.pattern().match(text.strip())
    if match is None:
        return None
    digits = re.sub(r"\D", "", match["int"])
    value = Decimal(f"{digits}.{match['frac'] or 0}")
    return -value if match["sign"] in ("-", "−") else value


def parse_number(text: str, fmt: NumberFormat) -> float | None:
    """The number a cell holds in `fmt`, or None if it is not one."""
    value = parse_decimal(text, fmt)
    return None if value is None else float(value)


def decimals_written(text: str, fmt: NumberFormat) -> int:
    """How many decimals a number cell was written with: its precision."""
    match = fmt.pattern().match(text.strip())
    return len(match["frac"]) if match and match["frac"] else 0


@dataclass(frozen=True)
class Product:
    """One product a territory markets, with an optional note such as 'not sold yet'."""

    name: str
    note: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.note})" if self.note else self.name


def product_list(text: str) -> list[Product]:
    """Split a products cell on commas and semicolons outside parentheses."""
    products, depth, current = [], 0, ""
    for char in text + ",":
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char in ",;" and depth <= 0:
            item = " ".join(current.split())
            match = re.fullmatch(r"(?P<name>.*?)\s*\((?P<note>[^()]*)\)", item)
            if match and match["name"]:
                products.append(Product(match["name"], match["note"].strip()))
            elif item:
                products.append(Product(item))
            current, depth = "", 0
        else:
            current += char
    return products
