"""Parse text cells into numbers under one number format settled per file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

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

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """A number in this format: optional sign, plain or grouped digits (a group of
        thousands never starts with 0: "0,250" is never 250), optional decimals."""
        g = "[" + re.escape(self.groups) + "]"
        d = re.escape(self.decimal)
        return re.compile(
            rf"^(?P<sign>[-+−]?)(?P<int>[1-9]\d{{0,2}}(?:{g}\d{{3}})+|\d+)"
            rf"(?:{d}(?P<frac>\d+))?$"
        )


#: Both formats accept spaces between thousands ("13 103"), which no format uses as a mark.
POINT = NumberFormat(".", "," + _SPACES)
COMMA = NumberFormat(",", "." + _SPACES)

#: Spreadsheet error values, as Excel, LibreOffice and Google Sheets show them. They are never
#: "not reported": `N/A` is an officer's "not reported", `#N/A` is a formula that failed.
_ERROR_VALUE = re.compile(
    r"^(#(N/A|DIV/0!|REF!|VALUE!|NAME\?|NUM!|NULL!|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|"
    r"BUSY!|UNKNOWN!|EXTERNAL!|PYTHON!|GETTING_DATA|ERROR!)|Err:\d{3}|#ERR\d{3})$",
    re.IGNORECASE,
)


def is_missing(text: str) -> bool:
    """True for the declared not-reported markers (blank, -, n/a, N/A); never `#N/A`."""
    return text.strip().lower() in config.MISSING_MARKERS


def is_error_value(text: str) -> bool:
    """True for a spreadsheet error value written in a cell (#N/A, #DIV/0!, Err:502 ...)."""
    return bool(_ERROR_VALUE.match(text.strip()))


@dataclass(frozen=True)
class CellText:
    """A numeric text cell and where it is: what the format is settled from."""

    line: int
    column: str  #: the header as written
    text: str
    count: bool = False  #: in a count column (households, PMGs, members): never has decimals
    #: in a column whose header gives thousands or more ("Value ('000)"): three decimals are
    #: its units ("13.103" thousand is 13,103), the natural way to write them
    thousands: bool = False

    @property
    def where(self) -> str:
        """'"13,103" (line 3, Value (US$))'."""
        return f'"{self.text.strip()}" (line {self.line}, {self.column})'


@dataclass(frozen=True)
class FormatDoubt:
    """A cell the settled format cannot read for sure, and the cell that says otherwise."""

    cell: CellText
    other: CellText | None  #: the cell proving the other reading; None when none does
    message: str
    rule: str  #: "mixed-number-formats"


@dataclass(frozen=True)
class Settlement:
    """A file's number format, what proved it, and the cells it leaves in doubt."""

    fmt: NumberFormat
    proof: CellText | None  #: the first cell that proved the format; None: the delimiter's
    doubts: tuple[FormatDoubt, ...] = ()


def _grouping(match: re.Match[str]) -> set[str]:
    """The thousands separators a matched number uses ("1.234,5" in COMMA -> {"."})."""
    return set(re.sub(r"\d", "", match["int"]))


@dataclass
class _Evidence:
    """What a file's numeric cells say of its number format, cell by cell."""

    point: list[CellText] = field(default_factory=list)  #: readable with a decimal point only
    comma: list[CellText] = field(default_factory=list)  #: readable with a decimal comma only
    ambiguous: list[CellText] = field(default_factory=list)  #: two numbers, one per format
    groups: set[str] = field(default_factory=set)  #: thousands separators seen
    #: (column, decimal mark) of cells written with three decimals or more
    long_decimals: set[tuple[str, str]] = field(default_factory=set)


def _evidence(cells: list[CellText]) -> _Evidence:
    """Sort every cell by what it proves: one format, the other, or nothing (one reading)."""
    out = _Evidence()
    for cell in cells:
        text = cell.text.strip()
        as_point, as_comma = POINT.regex.match(text), COMMA.regex.match(text)
        if as_point and as_comma:
            if _value(as_point) == _value(as_comma):
                out.groups |= _grouping(as_point)
            elif cell.count:  # a count is never written with decimals: the mark is grouping
                mark = "." if "." in text else ","
                (out.comma if mark == "." else out.point).append(cell)
                out.groups.add(mark)
            else:
                out.ambiguous.append(cell)
        elif as_point or as_comma:
            match, mark = (as_point, ".") if as_point else (as_comma, ",")
            (out.point if as_point else out.comma).append(cell)
            out.groups |= _grouping(match)  # type: ignore[arg-type]
            if len(match["frac"] or "") >= 3:  # type: ignore[index]
                out.long_decimals.add((cell.column, mark))
    return out


def settle(delimiter: str, cells: list[CellText]) -> Settlement:
    """The number format of a file, settled from all of its numeric text cells at once.

    A cell that reads in one format only ("3.5", "1,234.5", "3,5", "0,250") proves that format;
    so does a grouped count ("5,000": households have no decimals). Cells that prove both
    formats contradict each other: both are named. With no proof, a semicolon file uses a
    decimal comma and any other a decimal point, as Excel writes them.

    A cell such as "13,103" reads as two different numbers. The format settled is the file's
    own word for it when it agrees with the delimiter's convention (a decimal point in a comma-
    or tab-delimited file, a decimal comma in a semicolon one), with or without a proof cell.
    A format proven against that convention by one cell ("3,5" in a comma file) may be a typing
    slip: it settles no doubtful cell, and the file is refused naming both cells. Proven by two
    cells or more, it is the file's: a doubtful cell whose separator is then the thousands
    separator is a whole number; one whose separator is the decimal mark has three decimals
    only if the rest of the file proves it (three or more decimals elsewhere in its column, a
    column in thousands, thousands written with another separator, "13 103"); otherwise the
    file is refused. One mistyped cell never turns every value a thousand times smaller or
    larger. A file whose thousands are written with spaces only ("5 000") and whose doubtful
    cells hold a comma ("1,250") has a decimal comma, whatever its delimiter: a file groups its
    thousands one way. With no proof at all, a doubtful cell whose other reading is as likely
    is refused ("ambiguous-number"), never settled by the delimiter's habit: "12.000" in a comma
    or tab file (a Portuguese 12,000), "12,500" in a tab file (French Excel's 12.5).
    """
    evidence = _evidence(cells)
    point, comma, ambiguous = evidence.point, evidence.comma, evidence.ambiguous
    groups_seen, long_decimals = evidence.groups, evidence.long_decimals
    if point and comma:
        first, second = sorted((point[0], comma[0]), key=lambda c: c.line)
        message = (
            f"{first.where} and {second.where} are written in two different number formats "
            f"({_reading(first)}; {_reading(second)}): one file cannot use both, so none of "
            "its figures can be read for sure."
        )
        return Settlement(POINT, point[0], (FormatDoubt(first, second, message, _MIXED),))
    convention = COMMA if delimiter == ";" else POINT
    marks = {"," if "," in c.text else "." for c in ambiguous}
    if not point and groups_seen and groups_seen <= _SPACE_MARKS and marks == {","}:
        # Thousands written with spaces ("13 103", as French Excel writes them, in a tab file
        # too) leave the comma of "1,250" to be the decimal mark: a file groups its thousands
        # one way, and here it is with spaces.
        return Settlement(COMMA, comma[0] if comma else None, ())
    if point or comma:
        fmt, proofs = (POINT, point) if point else (COMMA, comma)
    else:
        fmt, proofs = convention, []
    proof = proofs[0] if proofs else None
    doubts = []
    for cell in ambiguous if fmt is not convention else ():
        mark = "," if "," in cell.text else "."
        if len(proofs) >= 2:  # a format two cells prove is the file's, not a typing slip
            if mark != fmt.decimal:
                continue  # its thousands separator: a whole number
            if groups_seen - {mark} or (cell.column, mark) in long_decimals or cell.thousands:
                continue  # thousands written another way; three decimals in its column
        doubts.append(FormatDoubt(cell, proof, _doubt(cell, fmt, proof), _MIXED))
    if not proofs:  # by convention alone: "12.000" may be a European 12,000
        doubts += [
            FormatDoubt(cell, None, _unproven(cell, fmt), _AMBIGUOUS)
            for cell in ambiguous
            if _decimal_by_convention_only(cell, fmt, groups_seen, long_decimals)
            or (delimiter == "\t" and _thousands_by_convention_only(cell, fmt, groups_seen))
        ]
    return Settlement(fmt, proof, tuple(doubts))


_AMBIGUOUS = "ambiguous-number"


def _decimal_by_convention_only(
    cell: CellText, fmt: NumberFormat, groups: set[str], long_decimals: set[tuple[str, str]]
) -> bool:
    """A doubtful cell whose separator would be the decimal mark of the delimiter's
    convention ("12.000" in a comma or tab file), with nothing in the file to prove it: no
    thousands written another way, no three decimals elsewhere in its column, no scale."""
    mark = "," if "," in cell.text else "."
    if mark != fmt.decimal or cell.thousands:
        return False
    return not (groups - {mark}) and (cell.column, mark) not in long_decimals


def _thousands_by_convention_only(cell: CellText, fmt: NumberFormat, groups: set[str]) -> bool:
    """In a tab file, which English and French Excel both write ("Unicode text"), a doubtful
    cell whose separator would be the thousands separator ("12,500": 12,500 in English, 12.5
    in French), with no thousands written that way elsewhere to prove it."""
    mark = "," if "," in cell.text else "."
    return mark != fmt.decimal and not cell.thousands and not cell.count and mark not in groups


def _unproven(cell: CellText, fmt: NumberFormat) -> str:
    text = cell.text.strip()
    other = COMMA if fmt is POINT else POINT
    settled, otherwise = parse_number(text, fmt) or 0.0, parse_number(text, other) or 0.0
    mark = "," if "," in text else "."
    name = "comma" if mark == "," else "point"
    role = "decimal mark" if mark == fmt.decimal else "thousands separator"
    other_role = "thousands separator" if mark == fmt.decimal else "decimal mark"
    return (
        f"{cell.where} reads as {_plain(settled)} with its {name} as the {role}, as this kind "
        f"of file usually has, but as {_plain(otherwise)} with its {name} as the {other_role}, "
        "as spreadsheets in other languages write it; nothing else in the file says which, so "
        "its figures cannot be read for sure."
    )


_MIXED = "mixed-number-formats"
#: Thousands separators that are spaces: ordinary, no-break and narrow no-break.
_SPACE_MARKS = frozenset(" \u00a0\u202f\u2009")


def _value(match: re.Match[str]) -> Decimal:
    digits = re.sub(r"\D", "", match["int"])
    return Decimal(f"{digits}.{match['frac'] or 0}")


def _reading(cell: CellText) -> str:
    """What makes a proof cell a proof, in words."""
    text = cell.text.strip()
    if cell.count and POINT.regex.match(text) and COMMA.regex.match(text):
        name = "point" if "." in text else "comma"
        return f"{text} is a count, so its {name} separates thousands"
    name = "point" if POINT.regex.match(text) else "comma"
    return f"{text} has a decimal {name}"


def _doubt(cell: CellText, fmt: NumberFormat, proof: CellText | None) -> str:
    text = cell.text.strip()
    other = COMMA if fmt is POINT else POINT
    settled, otherwise = parse_number(text, fmt) or 0.0, parse_number(text, other) or 0.0
    mark = "comma" if fmt.decimal == "," else "point"
    why = f"as {proof.where} has a decimal {mark}" if proof else ""
    return (
        f"{cell.where} reads as {_plain(settled)} in the format {why}, but as "
        f"{_plain(otherwise)} in the usual format of this kind of file; nothing else in the "
        "file says which, so its figures cannot be read for sure."
    )


def _plain(number: float) -> str:
    return f"{number:,.3f}".rstrip("0").rstrip(".") if number % 1 else f"{number:,.0f}"


def settle_format(delimiter: str, numeric: list[str], counts: list[str]) -> NumberFormat:
    """The number format of bare cell texts (`settle`, without where they are)."""
    cells = [CellText(0, "", t) for t in numeric if t.strip()]
    cells += [CellText(0, "", t, count=True) for t in counts if t.strip()]
    return settle(delimiter, cells).fmt


def parse_decimal(text: str, fmt: NumberFormat) -> Decimal | None:
    """The exact number a cell holds in `fmt`, or None if it is not one."""
    match = fmt.regex.match(text.strip())
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
    match = fmt.regex.match(text.strip())
    return len(match["frac"]) if match and match["frac"] else 0


@dataclass(frozen=True)
class Product:
    """One product a territory markets, with an optional note such as 'not sold yet'."""

    name: str
    note: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.note})" if self.note else self.name


def product_list(text: str) -> list[Product]:
    """Split a products cell on commas, semicolons and line breaks (Alt+Enter in a cell)
    outside parentheses."""
    products, depth, current = [], 0, ""
    for char in text + ",":
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char in ",;\n\r" and depth <= 0:
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
