"""A workbook's sheets as stored: where each one is, and what is in it, before loading.

python-calamine loads a sheet as a full rectangle from A1 to its last cell, and reads an error
cell (#N/A, #DIV/0!) and a formula with no stored value as a blank. So before it loads anything,
each sheet is streamed once, in its own format, to find its extent, its error cells and its
formulas without a value:

- .xlsx and .xlsm: each sheet's XML part;
- .ods: content.xml, every sheet (python-calamine parses them all when it opens the file);
- .xlsb: each sheet's binary records (MS-XLSB), in the zip like .xlsx;
- .xls: the BIFF records of every sheet (MS-XLS), in the OLE2 container opened by olefile
  (python-calamine parses every sheet when it opens the file).

Memory stays that of one row (a record, for the binary formats), and a scan stops as soon as a
sheet is past the size limits.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from xml.etree.ElementTree import Element, iterparse

from pipeline import config
from pipeline.read.number_formats import BUILTIN, format_addition

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")


class TooLarge(Exception):
    """The workbook unpacks to more than config.MAX_WORKBOOK_UNPACKED_BYTES."""


#: A merged range: (first row, first column, last row, last column); rows 1-based, columns
#: 0-based, inclusive, as the rest of a scan counts them.
Merge = tuple[int, int, int, int]


@dataclass(frozen=True)
class SheetScan:
    """What a sheet's XML holds: its extent and its formulas with no stored value."""

    rows: int  #: last row holding a value or formula (1-based); 0 when empty
    columns: int  #: last column holding a value or formula (1-based)
    uncached: tuple[tuple[int, int], ...]  #: (row, 0-based column) of formulas with no value
    #: (row, 0-based column, the error as shown) of cells holding an error value
    errors: tuple[tuple[int, int, str], ...] = ()
    #: (first, last) 1-based rows hidden or filtered out in the workbook, inclusive
    hidden_rows: tuple[tuple[int, int], ...] = ()
    #: (first, last) 0-based columns hidden in the workbook, inclusive
    hidden_columns: tuple[tuple[int, int], ...] = ()
    #: merged ranges: (first row, first column, last row, last column), rows 1-based and
    #: columns 0-based, inclusive
    merged: tuple[Merge, ...] = ()
    #: (row, 0-based column, what its format adds) of number cells whose number format shows
    #: a currency, scale, percent, unit or nothing (pipeline.read.number_formats)
    formatted: tuple[tuple[int, int, str], ...] = ()

    @property
    def too_large(self) -> bool:
        """True when the sheet reaches past the row or column limit."""
        return self.rows > config.MAX_SHEET_ROWS or self.columns > config.MAX_SHEET_COLUMNS


def cell_position(ref: str) -> tuple[int, int] | None:
    """(row, 1-based column) of an A1 reference: 'XFD1048576' -> (1048576, 16384)."""
    match = _REF.match(ref.upper())
    if match is None:
        return None
    column = 0
    for letter in match[1]:
        column = column * 26 + ord(letter) - 64
    return int(match[2]), column


class _Limited:
    """A read-only stream that raises TooLarge past `limit` bytes (a zip bomb never unpacks)."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self.stream, self.left = stream, limit

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size if size >= 0 else self.left + 1)
        self.left -= len(data)
        if self.left < 0:
            raise TooLarge
        return data


def _relationship_targets(book: zipfile.ZipFile, rels: str) -> dict[str, str]:
    """Relationship ID -> the archive path it targets, from the workbook's `rels` part (the
    same XML in .xlsx and .xlsb)."""
    targets = {}
    with book.open(rels) as stream:
        for _, element in iterparse(_Limited(stream, config.MAX_WORKBOOK_UNPACKED_BYTES)):
            if element.tag == _PKG:
                target = element.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[element.get("Id", "")] = posixpath.normpath(path)
    return targets


def sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the path of its XML part in the archive."""
    limit = config.MAX_WORKBOOK_UNPACKED_BYTES
    targets = _relationship_targets(book, "xl/_rels/workbook.xml.rels")
    parts = {}
    with book.open("xl/workbook.xml") as stream:
        for _, element in iterparse(_Limited(stream, limit)):
            if element.tag == f"{_MAIN}sheet" and element.get(_REL) in targets:
                parts[element.get("name", "")] = targets[element.get(_REL, "")]
    return parts


class _Scanner:
    """What a sheet's XML has shown so far: where the reader is, how far the sheet reaches,
    and its formulas with no stored value and its error cells."""

    def __init__(self, styles: dict[str, str] | None = None) -> None:
        self.styles = styles or {}  #: cell style index (the "s" attribute) -> what it adds
        self.formatted: list[tuple[int, int, str]] = []
        self.rows = self.columns = self.row = self.column = 0
        self.uncached: list[tuple[int, int]] = []
        self.errors: list[tuple[int, int, str]] = []
        self.hidden_rows: list[tuple[int, int]] = []
        self.hidden_columns: list[tuple[int, int]] = []
        self.merged: list[Merge] = []
        self.data: Element | None = None

    def start(self, element: Element) -> None:
        """An element opens: a row or a cell moves the reader (to its "r", else the next)."""
        if element.tag == f"{_MAIN}sheetData":
            self.data = element
        elif element.tag == f"{_MAIN}row":
            self.row, self.column = int(element.get("r") or self.row + 1), 0
            if _true(element.get("hidden")):  # hidden by hand, or filtered out
                self.hidden_rows.append((self.row, self.row))
        elif element.tag == f"{_MAIN}col" and _true(element.get("hidden")):
            first, last = int(element.get("min") or 1), int(element.get("max") or 1)
            self.hidden_columns.append((first - 1, min(last, config.MAX_SHEET_COLUMNS + 1) - 1))
        elif element.tag == f"{_MAIN}c":
            position = cell_position(element.get("r", ""))
            self.row, self.column = position if position else (self.row, self.column + 1)

    def end(self, element: Element) -> bool:
        """An element closes: record what it says; False once reading on is pointless."""
        tag = element.tag
        if tag == f"{_MAIN}dimension":
            extent = cell_position(element.get("ref", "").split(":")[-1])
            if extent:  # calamine sizes its buffer from it: it must be in limits too
                self.rows, self.columns = max(self.rows, extent[0]), max(self.columns, extent[1])
        elif tag == f"{_MAIN}c":
            self._cell(element)
        elif tag == f"{_MAIN}row" and self.data is not None:
            self.data.clear()  # rows already scanned are not kept
        elif tag == f"{_MAIN}mergeCell":  # after sheetData: "D5:G5"
            self._merge(element.get("ref", ""))
        elif tag == f"{_MAIN}mergeCells":
            return False
        # Too large already: the caller refuses it without reading on.
        return self.rows <= config.MAX_SHEET_ROWS and self.columns <= config.MAX_SHEET_COLUMNS

    def _cell(self, element: Element) -> None:
        if _holds_value(element):
            self.rows, self.columns = max(self.rows, self.row), max(self.columns, self.column)
        if element.find(f"{_MAIN}f") is not None and _no_stored_value(element):
            self.uncached.append((self.row, self.column - 1))
        elif element.get("t") == "e":
            shown = element.findtext(f"{_MAIN}v") or "#ERROR"
            self.errors.append((self.row, self.column - 1, shown))
        said = self.styles.get(element.get("s", ""))
        if said and element.get("t", "n") == "n" and element.find(f"{_MAIN}v") is not None:
            self.formatted.append((self.row, self.column - 1, said))

    def _merge(self, ref: str) -> None:
        first, _, last = ref.partition(":")
        start, end = cell_position(first), cell_position(last or first)
        if start and end:
            self.merged.append((start[0], start[1] - 1, end[0], end[1] - 1))

    def scan(self) -> SheetScan:
        return SheetScan(
            self.rows,
            self.columns,
            tuple(self.uncached),
            tuple(self.errors),
            tuple(self.hidden_rows),
            tuple(self.hidden_columns),
            tuple(self.merged),
            tuple(self.formatted),
        )


def _true(flag: str | None) -> bool:
    """An OOXML boolean attribute: "1" or "true" (xsd:boolean)."""
    return flag in ("1", "true")


def style_additions(book: zipfile.ZipFile) -> dict[str, str]:
    """Each cell style (its index in cellXfs, as a cell's "s" attribute writes it) whose
    number format adds something to a number: what it adds (`format_addition`)."""
    if "xl/styles.xml" not in book.namelist():
        return {}
    codes: dict[int, str] = {}
    formats: list[int] = []
    inside = False
    with book.open("xl/styles.xml") as stream:
        limited = _Limited(stream, config.MAX_WORKBOOK_UNPACKED_BYTES)
        for event, element in iterparse(limited, events=("start", "end")):
            if element.tag == f"{_MAIN}cellXfs":
                inside = event == "start"
            elif event == "end" and element.tag == f"{_MAIN}numFmt":
                codes[_number(element.get("numFmtId"))] = element.get("formatCode", "")
            elif event == "end" and element.tag == f"{_MAIN}xf" and inside:
                formats.append(_number(element.get("numFmtId")))
    said = {
        str(index): format_addition(codes[number]) if number in codes else BUILTIN.get(number, "")
        for index, number in enumerate(formats)
    }
    return {index: what for index, what in said.items() if what}


def _number(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def scan_sheet(
    book: zipfile.ZipFile, part: str, styles: dict[str, str] | None = None
) -> SheetScan:
    """Stream a sheet's XML: its declared dimension, its last cell, its uncached formulas,
    and its number cells whose style adds something (`style_additions`).

    Stops as soon as the sheet is past the size limits; memory stays that of one row.
    """
    scanner = _Scanner(styles)
    with book.open(part) as stream:
        events = iterparse(
            _Limited(stream, config.MAX_WORKBOOK_UNPACKED_BYTES), events=("start", "end")
        )
        for event, element in events:
            if event == "start":
                scanner.start(element)
            elif not scanner.end(element):
                break
    return scanner.scan()


def _holds_value(cell: Element) -> bool:
    return any(child.tag in (f"{_MAIN}v", f"{_MAIN}f", f"{_MAIN}is") for child in cell)


def _no_stored_value(cell: Element) -> bool:
    """A formula's value is stored in <v>; an empty <v> is a stored "" only for text results."""
    value = cell.find(f"{_MAIN}v")
    return value is None or (not value.text and cell.get("t") != "str")


_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}property"
_USER = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}user-defined"
_META_NAME = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}name"


def instructions_sheet(book: zipfile.ZipFile) -> str | None:
    """The sheet `make template` wrote its instructions on, as the custom document property
    config.INSTRUCTIONS_PROPERTY names it: docProps/custom.xml in .xlsx, meta.xml in .ods
    (where LibreOffice keeps it on saving); None when there is none."""
    for part, tag, key in (
        ("docProps/custom.xml", _CUSTOM, "name"),
        ("meta.xml", _USER, _META_NAME),
    ):
        if part not in book.namelist():
            continue
        with book.open(part) as stream:
            for _, element in iterparse(_Limited(stream, config.MAX_WORKBOOK_UNPACKED_BYTES)):
                if element.tag == tag and element.get(key) == config.INSTRUCTIONS_PROPERTY:
                    return "".join(element.itertext()).strip()
    return None


def archive_size(book: zipfile.ZipFile) -> int:
    """The declared unpacked size of every part (each part is also limited while read)."""
    return sum(info.file_size for info in book.infolist())


# --- .ods: OpenDocument spreadsheets (content.xml holds every sheet) -------------------------

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_NUMBER = "{urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"


def scan_ods(book: zipfile.ZipFile) -> dict[str, SheetScan]:
    """Every sheet of an .ods file: extent (repeated rows and columns counted only where
    they hold a value), error cells (LibreOffice's calcext:value-type="error"), formulas
    without a value, hidden rows and columns. Stops at the first sheet past the limits."""
    scans: dict[str, SheetScan] = {}
    styles: dict[str, str] = {}  # cell style -> what its number style adds
    sheet = _OdsSheet("")
    with book.open("content.xml") as stream:
        events = iterparse(
            _Limited(stream, config.MAX_WORKBOOK_UNPACKED_BYTES), events=("start", "end")
        )
        numbers: dict[str, str] = {}  # number style -> what it adds
        for event, element in events:
            if event == "start":
                if element.tag == f"{_TABLE}table":
                    sheet = _OdsSheet(element.get(f"{_TABLE}name", ""), styles)
                else:
                    sheet.start(element)
                continue
            _ods_style(element, numbers, styles)
            sheet.end(element)
            if element.tag == f"{_TABLE}table":
                scans[sheet.name] = sheet.scan()
            if sheet.too_large:
                scans[sheet.name] = SheetScan(sheet.rows, sheet.columns, (), ())
                break
    return scans


def _ods_style(element: Element, numbers: dict[str, str], styles: dict[str, str]) -> None:
    """Record what a number style adds (`numbers`), and which cell styles use one that adds
    something (`styles`): the automatic styles come before the sheets in content.xml."""
    if element.tag.startswith(_NUMBER) and element.tag.endswith("-style"):
        numbers[element.get(f"{_STYLE}name", "")] = _number_style_addition(element)
    elif element.tag == f"{_STYLE}style":
        said = numbers.get(element.get(f"{_STYLE}data-style-name") or "", "")
        if said:
            styles[element.get(f"{_STYLE}name", "")] = said


def _number_style_addition(style: Element) -> str:
    """What a LibreOffice number style (ODF 16.27) adds to a number: a currency, a percent,
    a display factor (a scale), or text with letters (a unit); "" for a plain or date one."""
    kind = style.tag.removeprefix(_NUMBER)
    if kind == "currency-style":
        symbol = "".join(style.findtext(f"{_NUMBER}currency-symbol") or "").strip()
        return f"a currency ({symbol})" if symbol else "a currency"
    if kind == "percentage-style":
        return "a percent"
    if kind != "number-style":
        return ""
    number = style.find(f"{_NUMBER}number")
    if number is not None and number.get(f"{_NUMBER}display-factor", "1") not in ("1", "1.0"):
        return "a scale (thousands)"
    text = "".join(t.text or "" for t in style.findall(f"{_NUMBER}text")).strip()
    return f"a unit or text ({text})" if any(c.isalpha() for c in text) else ""


class _OdsSheet:
    """What one sheet of content.xml has shown so far, and where the reader is in it."""

    def __init__(self, name: str, styles: dict[str, str] | None = None) -> None:
        self.name = name
        self.styles = styles or {}  #: cell style -> what its number style adds
        self.rows = self.columns = self.row = self.column = self.declared = 0
        self.row_repeat = 1
        self.uncached: list[tuple[int, int]] = []
        self.errors: list[tuple[int, int, str]] = []
        self.hidden_rows: list[tuple[int, int]] = []
        self.hidden_columns: list[tuple[int, int]] = []
        self.merged: list[Merge] = []
        self.formatted: list[tuple[int, int, str]] = []

    @property
    def too_large(self) -> bool:
        return self.rows > config.MAX_SHEET_ROWS or self.columns > config.MAX_SHEET_COLUMNS

    def start(self, element: Element) -> None:
        """A row opens (it moves the reader), or a column is declared (it may be hidden)."""
        if element.tag == f"{_TABLE}table-row":
            self.row_repeat = _repeat(element, "rows")
            self.row, self.column = self.row + 1, 0
            if _hidden(element):  # collapsed by hand, or filtered out
                self.hidden_rows.append((self.row, self.row + self.row_repeat - 1))
        elif element.tag == f"{_TABLE}table-column":
            repeat = min(_repeat(element, "columns"), config.MAX_SHEET_COLUMNS + 1)
            if _hidden(element):
                self.hidden_columns.append((self.declared, self.declared + repeat - 1))
            self.declared += repeat

    def end(self, element: Element) -> None:
        """A cell or row closes: record what it holds, then forget it."""
        if element.tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
            self._cell(element)
            element.clear()
        elif element.tag == f"{_TABLE}table-row":
            self.row += self.row_repeat - 1
            element.clear()
        elif element.tag == f"{_TABLE}table":
            element.clear()

    def _cell(self, element: Element) -> None:
        repeat = _repeat(element, "columns")
        kind = element.get(f"{_OFFICE}value-type")
        said = self.styles.get(element.get(f"{_TABLE}style-name", ""), "")
        if kind in ("currency", "percentage"):  # shown as money or as a share, stored bare
            currency = element.get(f"{_OFFICE}currency") or ""
            said = f"a currency ({currency})" if kind == "currency" else "a percent"
        if said and kind in ("float", "currency", "percentage"):
            for column in range(self.column, self.column + min(repeat, 64)):
                self.formatted.append((self.row, column, said.replace(" ()", "")))
        across, down = _span(element, "columns"), _span(element, "rows")
        if across > 1 or down > 1:  # a merged cell; the cells it covers follow as covered
            self.merged.append(
                (self.row, self.column, self.row + down - 1, self.column + across - 1)
            )
        shown = "".join(element.itertext()).strip()
        if kind or shown or element.get(f"{_TABLE}formula"):
            self.rows = max(self.rows, self.row + self.row_repeat - 1)
            self.columns = max(self.columns, self.column + repeat)
            if element.get(f"{_CALCEXT}value-type") == "error":
                self.errors.append((self.row, self.column, shown or "#ERROR"))
            elif element.get(f"{_TABLE}formula") and not kind:
                self.uncached.append((self.row, self.column))
        self.column += repeat

    def scan(self) -> SheetScan:
        return SheetScan(
            self.rows,
            self.columns,
            tuple(self.uncached),
            tuple(self.errors),
            tuple(self.hidden_rows),
            tuple(self.hidden_columns),
            tuple(self.merged),
            tuple(self.formatted),
        )


def _span(element: Element, what: str) -> int:
    """How many rows or columns a merged cell spans (table:number-columns-spanned)."""
    try:
        return max(1, int(element.get(f"{_TABLE}number-{what}-spanned") or 1))
    except ValueError:
        return 1


def _hidden(element: Element) -> bool:
    """A row or column LibreOffice hides: table:visibility "collapse" or "filter"."""
    return element.get(f"{_TABLE}visibility", "visible") != "visible"


def _repeat(element: Element, what: str) -> int:
    """How many times a row or cell is repeated (table:number-rows-repeated)."""
    try:
        return max(1, int(element.get(f"{_TABLE}number-{what}-repeated") or 1))
    except ValueError:
        return 1


# --- .xlsb: Excel binary workbooks (MS-XLSB records in a zip) -------------------------------

#: BIFF12 error codes (MS-XLSB 2.5.97.2 BErr), as Excel shows them.
BINARY_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}


def _records(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """(type, data) of each MS-XLSB record: type and size are 7-bit varints."""
    read = stream.read
    while True:
        first = read(1)
        if not first:
            return
        kind = first[0] & 0x7F
        if first[0] & 0x80:
            kind |= (read(1)[0] & 0x7F) << 7
        size = 0
        for shift in (0, 7, 14, 21):
            byte = read(1)
            if not byte:
                return
            size |= (byte[0] & 0x7F) << shift
            if not byte[0] & 0x80:
                break
        yield kind, read(size)


def xlsb_sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the path of its binary part (BrtBundleSh records of xl/workbook.bin)."""
    limit = config.MAX_WORKBOOK_UNPACKED_BYTES
    targets = _relationship_targets(book, "xl/_rels/workbook.bin.rels")
    parts = {}
    with book.open("xl/workbook.bin") as stream:
        for kind, data in _records(_Limited(stream, limit)):  # type: ignore[arg-type]
            if kind == 0x9C:  # BrtBundleSh: hsState, iTabID, strRelID, strName
                relation, end = _wide(data, 8)
                name, _ = _wide(data, end)
                if relation in targets:
                    parts[name] = targets[relation]
            elif kind == 0x90:  # BrtEndBundleShs
                break
    return parts


def _wide(data: bytes, at: int) -> tuple[str, int]:
    """An XLWideString at `at`: a 4-byte count of UTF-16 units, then the units."""
    count = struct.unpack_from("<I", data, at)[0]
    if count == 0xFFFFFFFF:
        return "", at + 4
    end = at + 4 + 2 * count
    return data[at + 4 : end].decode("utf-16-le", "replace"), end


def scan_xlsb(book: zipfile.ZipFile, part: str) -> SheetScan:
    """A binary sheet's extent and error cells (BrtCellError, and BrtFmlaError, which
    python-calamine skips as if the cell were empty)."""
    rows = columns = row = 0
    errors: list[tuple[int, int, str]] = []
    hidden_rows: list[tuple[int, int]] = []
    hidden_columns: list[tuple[int, int]] = []
    merged: list[Merge] = []
    with book.open(part) as stream:
        for kind, data in _records(_Limited(stream, config.MAX_WORKBOOK_UNPACKED_BYTES)):  # type: ignore[arg-type]
            if kind == 0xB0 and len(data) >= 16:  # BrtMergeCell, after the sheet's data
                first_row, last_row, first, last = struct.unpack_from("<IIII", data)
                merged.append((first_row + 1, first, last_row + 1, last))
            elif kind == 0xB2:  # BrtEndMergeCells
                break
            elif kind == 0x00 and len(data) >= 4:  # BrtRowHdr: the row the cells below are in
                row = struct.unpack_from("<I", data)[0] + 1
                if len(data) >= 12 and data[11] & 0x10:  # fDyZero: the row is hidden
                    hidden_rows.append((row, row))
            elif kind == 0x3C and len(data) >= 17 and data[16] & 0x01:  # BrtColInfo, fHidden
                first, last = struct.unpack_from("<II", data)
                hidden_columns.append((first, min(last, config.MAX_SHEET_COLUMNS)))
            elif 0x02 <= kind <= 0x0B and len(data) >= 4:  # a cell holding something
                column = struct.unpack_from("<I", data)[0]
                rows, columns = max(rows, row), max(columns, column + 1)
                if kind in (0x03, 0x0B) and len(data) > 8:
                    errors.append((row, column, BINARY_ERRORS.get(data[8], "#ERROR")))
            if rows > config.MAX_SHEET_ROWS or columns > config.MAX_SHEET_COLUMNS:
                break
    return SheetScan(
        rows, columns, (), tuple(errors), tuple(hidden_rows), tuple(hidden_columns), tuple(merged)
    )


# --- .xls: Excel 97-2003 workbooks (BIFF8 records, or BIFF5, in an OLE2 container) -----------

#: Cell records whose first 4 bytes are (row, column), each a little-endian u16.
_XLS_CELLS = {0x0203, 0x0204, 0x00FD, 0x027E, 0x0205, 0x0006, 0x00D6}


def _biff(stream: bytes, at: int) -> Iterator[tuple[int, int, bytes]]:
    """(offset, type, data) of the BIFF records from `at` to the end of the stream."""
    while at + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, at)
        yield at, kind, stream[at + 4 : at + 4 + size]
        at += 4 + size


def xls_stream(data: bytes) -> bytes:
    """The workbook stream of an .xls file (olefile); ValueError when it has none."""
    import olefile

    with olefile.OleFileIO(data) as container:
        for name in ("Workbook", "Book"):
            if container.exists(name):
                return bytes(container.openstream(name).read())
    raise ValueError("no workbook stream")


def scan_xls(stream: bytes) -> dict[str, SheetScan]:
    """Every sheet of an .xls workbook stream: its declared and real extent, and its error
    cells (BOOLERR with fError, FORMULA whose stored value is an error)."""
    sheets: list[tuple[str, int]] = []
    biff8 = True
    for _, kind, data in _biff(stream, 0):
        if kind == 0x0809 and len(data) >= 2:  # BOF of the globals: which BIFF version
            biff8 = struct.unpack_from("<H", data)[0] >= 0x0600
        elif kind == 0x0085 and len(data) >= 8:  # BOUNDSHEET: where a sheet starts, its name
            sheets.append((_sheet_name(data, biff8), struct.unpack_from("<I", data)[0]))
        elif kind == 0x000A:  # EOF of the globals
            break
    return {name: _scan_xls_sheet(stream, at) for name, at in sheets}


def _sheet_name(data: bytes, biff8: bool) -> str:
    count = data[6]
    if not biff8:
        return data[7 : 7 + count].decode("cp1252", "replace")
    wide = data[7] & 1
    raw = data[8 : 8 + count * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1", "replace")


def _scan_xls_sheet(stream: bytes, at: int) -> SheetScan:
    rows = columns = depth = 0
    errors: list[tuple[int, int, str]] = []
    hidden_rows: list[tuple[int, int]] = []
    hidden_columns: list[tuple[int, int]] = []
    merged: list[Merge] = []
    for _, kind, data in _biff(stream, at):
        if kind == 0x0809:
            depth += 1  # the sheet's own BOF, then any embedded chart's
            continue
        if kind == 0x000A:
            depth -= 1
            if depth <= 0:
                break
            continue
        if depth != 1:
            continue
        if kind == 0x0200 and len(data) >= 10:  # DIMENSIONS: python-calamine reserves them
            last_row = struct.unpack_from(
                "<I" if len(data) >= 14 else "<H", data, 4 if len(data) >= 14 else 2
            )[0]
            last_column = struct.unpack_from("<H", data, 10 if len(data) >= 14 else 6)[0]
            rows, columns = max(rows, last_row), max(columns, last_column)
        elif kind in _XLS_CELLS and len(data) >= 4:
            row, column = struct.unpack_from("<HH", data)
            rows, columns = max(rows, row + 1), max(columns, column + 1)
            if (shown := _xls_error(kind, data)) is not None:
                errors.append((row + 1, column, shown))
        elif kind in (0x0208, 0x007D, 0x00E5):
            _xls_layout(kind, data, (hidden_rows, hidden_columns), merged)
        elif kind == 0x00BD and len(data) >= 6:  # MULRK: row, first column, ..., last column
            row, _ = struct.unpack_from("<HH", data)
            last = struct.unpack_from("<H", data, len(data) - 2)[0]
            rows, columns = max(rows, row + 1), max(columns, last + 1)
        if rows > config.MAX_SHEET_ROWS or columns > config.MAX_SHEET_COLUMNS:
            break
    return SheetScan(
        rows, columns, (), tuple(errors), tuple(hidden_rows), tuple(hidden_columns), tuple(merged)
    )


def _xls_layout(
    kind: int,
    data: bytes,
    hidden: tuple[list[tuple[int, int]], list[tuple[int, int]]],
    merged: list[Merge],
) -> None:
    """A ROW record with fDyZero (a hidden row), a COLINFO with fHidden (hidden columns), or
    a MERGEDCELLS record (merged ranges)."""
    rows, columns = hidden
    if kind == 0x00E5:
        merged.extend(_xls_merged(data))
    elif kind == 0x0208 and len(data) >= 13 and data[12] & 0x20:
        row = struct.unpack_from("<H", data)[0] + 1
        rows.append((row, row))
    elif kind == 0x007D and len(data) >= 10 and data[8] & 0x01:
        columns.append(struct.unpack_from("<HH", data))


def _xls_merged(data: bytes) -> list[Merge]:
    """A MERGEDCELLS record: a count, then (first row, last row, first column, last column)
    of each range, 0-based."""
    count = min(struct.unpack_from("<H", data)[0], (len(data) - 2) // 8) if len(data) >= 2 else 0
    ranges = (struct.unpack_from("<HHHH", data, 2 + 8 * i) for i in range(count))
    return [(top + 1, first, bottom + 1, last) for top, bottom, first, last in ranges]


def _xls_error(kind: int, data: bytes) -> str | None:
    """The error a cell record holds, as Excel shows it: a BOOLERR with fError, or a FORMULA
    whose stored value is an error; None for any other cell."""
    if kind == 0x0205 and len(data) >= 8 and data[7] == 1:
        return BINARY_ERRORS.get(data[6], "#ERROR")
    if kind == 0x0006 and len(data) >= 14 and data[6] == 2 and data[12:14] == b"\xff\xff":
        return BINARY_ERRORS.get(data[8], "#ERROR")
    return None
