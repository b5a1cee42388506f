"""A workbook's sheets as stored: where each one's XML is, and what is in it, before loading.

python-calamine loads a sheet as a full rectangle from A1 to its last cell, and reads a
formula with no stored value as a blank. So before it loads anything, each sheet's XML is
streamed once to find its extent and its formulas without a value.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import IO
from xml.etree.ElementTree import Element, iterparse

from pipeline import config

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")


class TooLarge(Exception):
    """The workbook unpacks to more than config.MAX_WORKBOOK_UNPACKED_BYTES."""


@dataclass(frozen=True)
class SheetScan:
    """What a sheet's XML holds: its extent and its formulas with no stored value."""

    rows: int  #: last row holding a value or formula (1-based); 0 when empty
    columns: int  #: last column holding a value or formula (1-based)
    uncached: tuple[tuple[int, int], ...]  #: (row, 0-based column) of formulas with no value


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


def sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the path of its XML part in the archive."""
    limit = config.MAX_WORKBOOK_UNPACKED_BYTES
    targets = {}
    with book.open("xl/_rels/workbook.xml.rels") as stream:
        for _, element in iterparse(_Limited(stream, limit)):
            if element.tag == _PKG:
                target = element.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[element.get("Id", "")] = posixpath.normpath(path)
    parts = {}
    with book.open("xl/workbook.xml") as stream:
        for _, element in iterparse(_Limited(stream, limit)):
            if element.tag == f"{_MAIN}sheet" and element.get(_REL) in targets:
                parts[element.get("name", "")] = targets[element.get(_REL, "")]
    return parts


def scan_sheet(book: zipfile.ZipFile, part: str) -> SheetScan:
    """Stream a sheet's XML: its declared dimension, its last cell, its uncached formulas.

    Stops as soon as the sheet is past the size limits; memory stays that of one row.
    """
    rows = columns = row = column = 0
    uncached: list[tuple[int, int]] = []
    data: Element | None = None
    with book.open(part) as stream:
        events = iterparse(
            _Limited(stream, config.MAX_WORKBOOK_UNPACKED_BYTES), events=("start", "end")
        )
        for event, element in events:
            tag = element.tag
            if event == "start":
                if tag == f"{_MAIN}sheetData":
                    data = element
                elif tag == f"{_MAIN}row":
                    row, column = int(element.get("r") or row + 1), 0
                elif tag == f"{_MAIN}c":
                    position = cell_position(element.get("r", ""))
                    row, column = position if position else (row, column + 1)
                continue
            if tag == f"{_MAIN}dimension":
                extent = cell_position(element.get("ref", "").split(":")[-1])
                if extent:  # calamine sizes its buffer from it: it must be in limits too
                    rows, columns = max(rows, extent[0]), max(columns, extent[1])
            elif tag == f"{_MAIN}c":
                if _holds_value(element):
                    rows, columns = max(rows, row), max(columns, column)
                if element.find(f"{_MAIN}f") is not None and _no_stored_value(element):
                    uncached.append((row, column - 1))
            elif tag == f"{_MAIN}row" and data is not None:
                data.clear()  # rows already scanned are not kept
            elif tag == f"{_MAIN}sheetData":
                break
            if rows > config.MAX_SHEET_ROWS or columns > config.MAX_SHEET_COLUMNS:
                break  # too large already: the caller refuses it without reading on
    return SheetScan(rows, columns, tuple(uncached))


def _holds_value(cell: Element) -> bool:
    return any(child.tag in (f"{_MAIN}v", f"{_MAIN}f", f"{_MAIN}is") for child in cell)


def _no_stored_value(cell: Element) -> bool:
    """A formula's value is stored in <v>; an empty <v> is a stored "" only for text results."""
    value = cell.find(f"{_MAIN}v")
    return value is None or (not value.text and cell.get("t") != "str")


def archive_size(book: zipfile.ZipFile) -> int:
    """The declared unpacked size of every part (each part is also limited while read)."""
    return sum(info.file_size for info in book.infolist())
