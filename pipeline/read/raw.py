"""A country file read as text cells, traceable to its physical lines."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from pipeline.core.findings import FileRefused
from pipeline.core.registry import N_
from pipeline.core.rules import file_error

#: Encodings Excel and common editors save CSV in; detection is restricted to them so that
#: a short file is never "detected" as some unrelated code page.
CANDIDATE_ENCODINGS = ["utf_8", "cp1252", "utf_16"]
#: Each name is a msgid too: a brief names the encoding in its own language (N_ marks it).
ENCODING_NAMES = {
    "utf_8": N_("UTF-8"),
    "utf_8_sig": N_("UTF-8 with byte-order mark"),
    "cp1252": N_("Windows-1252"),
    "utf_16": N_("UTF-16"),
    "xlsx": N_("Excel workbook"),
    "xls": N_("Excel 97-2003 workbook"),
    "xlsb": N_("Excel binary workbook"),
    "ods": N_("OpenDocument spreadsheet"),
}


@dataclass(frozen=True)
class RawRow:
    """One non-blank data row: its physical line, its cells and its original text.

    A workbook row also keeps what its cells were typed as: a number cell is that number,
    whatever text number format the file's other cells use.
    """

    line: int
    cells: tuple[str, ...]
    text: str
    #: per cell, the number a workbook cell was typed as (None for text and blank cells)
    numbers: tuple[float | None, ...] = ()
    #: column indices of workbook cells holding a formula with no stored value
    uncached: frozenset[int] = frozenset()
    #: (column index, error as shown) of workbook cells typed as an error value (#N/A, #DIV/0!):
    #: python-calamine reads them as blank, so they are found in the file itself
    errors: tuple[tuple[int, str], ...] = ()

    def number(self, index: int) -> float | None:
        """The typed number in cell `index`, or None when it was written as text."""
        return self.numbers[index] if index < len(self.numbers) else None

    def error(self, index: int) -> str | None:
        """The error value typed in cell `index` (e.g. "#N/A"), or None."""
        return next((shown for i, shown in self.errors if i == index), None)


@dataclass(frozen=True)
class UnreadSheet:
    """Another sheet of the workbook that holds values and is not read: only the country's
    sheet is. The officer is told of it, so nothing in the file is left out in silence."""

    name: str
    visible: bool
    filled: int  #: cells holding a value
    table: bool  #: its rows include a header naming the expected columns


@dataclass(frozen=True)
class Source:
    """Where a table's text comes from: the file as an officer names it, its bytes' SHA-256,
    how its text was read, and what parts its cells."""

    file: str  #: e.g. "kenya.csv", or "kenya.xlsx [Kenya]" for a workbook's sheet
    sha256: str
    encoding: str
    delimiter: str
    sheet: str = ""  #: the workbook sheet the table is read from; "" for a text file


@dataclass(frozen=True)
class RawTable:
    """A country file read as text cells, with everything needed to trace a cell back."""

    file: str
    sha256: str
    encoding: str
    delimiter: str
    header_line: int
    header: tuple[str, ...]
    rows: tuple[RawRow, ...]
    blank_lines: tuple[int, ...] = ()
    #: (line, cells) of the title and note lines above the header: a title may state a unit
    #: or currency ("Values in KES"), which must agree with the header's
    preamble: tuple[tuple[int, tuple[str, ...]], ...] = ()
    sheet: str = ""  #: the workbook sheet it is read from; "" for a text file
    #: lines (header, data or above the header) hidden in the workbook that hold a value
    hidden_lines: tuple[int, ...] = ()
    #: 0-based columns hidden in the workbook that hold a value on some line
    hidden_columns: tuple[int, ...] = ()
    #: the workbook's other sheets that hold values: none of them is read
    unread_sheets: tuple[UnreadSheet, ...] = ()
    #: the sheet's merged ranges: (first line, first column, last line, last column), lines
    #: 1-based and columns 0-based, inclusive
    merged: tuple[tuple[int, int, int, int], ...] = ()
    #: (line, 0-based column, what its number format adds) of the sheet's number cells whose
    #: format shows a currency, scale, percent, unit or nothing (pipeline.read.number_formats)
    formatted: tuple[tuple[int, int, str], ...] = ()

    @property
    def source_file(self) -> str:
        """The file's own name, without the sheet `file` cites ("kenya.xlsx")."""
        return self.file.removesuffix(f" [{self.sheet}]") if self.sheet else self.file

    @cached_property
    def _by_line(self) -> dict[int, RawRow]:
        return {row.line: row for row in self.rows}

    def row(self, line: int) -> RawRow:
        """The data row that starts on physical line `line`."""
        return self._by_line[line]


def encoding_label(encoding: str) -> str:
    """Readable name of a Python codec name: 'utf_8_sig' -> 'UTF-8 with byte-order mark'."""
    return ENCODING_NAMES.get(encoding, encoding)


def refuse(file: str, rule: str, message: str, fix: str, rows: int = 0) -> FileRefused:
    """A refusal of the whole file; `rows` are its data rows, when they could be counted."""
    return FileRefused(file_error(file, rule, message, fix=fix), rows)
