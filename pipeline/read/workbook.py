"""Workbooks (.xlsx, .xlsm, .ods, .xls, .xlsb), read with python-calamine: formulas are never
evaluated.

Only visible sheets are read. Each is measured before it is loaded (pipeline/read/sheets.py);
typed number cells keep their value, apart from the text cells' number format.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline import config
from pipeline.core.findings import FileRefused
from pipeline.core.names import fold
from pipeline.read.columns import header_score
from pipeline.read.raw import RawTable, Source, UnreadSheet, refuse
from pipeline.read.sheets import (
    SheetScan,
    TooLarge,
    archive_size,
    instructions_sheet,
    scan_ods,
    scan_sheet,
    scan_xls,
    scan_xlsb,
    sheet_parts,
    style_additions,
    xls_stream,
    xlsb_sheet_parts,
)
from pipeline.read.text import HeaderScore, Record, Typed, best_header, table_from_records


def _cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export would hold (numbers without grouping)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _typed_number(value: object) -> float | None:
    """A number cell's value ("-0" as 0); None for text, blanks, dates and booleans."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value) + 0.0
    return None


def _bad(file: str) -> FileRefused:
    return refuse(
        file,
        "bad-workbook",
        "This file cannot be read as an Excel workbook.",
        "Open it in Excel and save it again as .xlsx, or export it as CSV.",
    )


def _too_large(file: str, sheet: str, rows: int, columns: int) -> FileRefused:
    return refuse(
        file,
        "sheet-too-large",
        f'Sheet "{sheet}" reaches row {rows:,} and column {columns:,}; the limits are '
        f"{config.MAX_SHEET_ROWS:,} rows and {config.MAX_SHEET_COLUMNS:,} columns.",
        "Delete the cells far below or to the right of the table (select them, Delete "
        "sheet rows/columns, save), or export the table as CSV.",
    )


def choose_sheet(
    file: str, visible: list[str], sheet_names: tuple[str, ...], hidden: tuple[str, ...] = ()
) -> str:
    """The visible sheet named after the country, else the only visible sheet, else refused;
    refused too when the sheet named after the country is hidden (another would be read)."""
    wanted = {fold(n) for n in sheet_names if fold(n)}
    named = [s for s in visible if fold(s) in wanted]
    if named:
        return named[0]
    if concealed := [s for s in hidden if fold(s) in wanted]:
        shown = ", ".join(f'"{s}"' for s in visible) or "none"
        raise refuse(
            file,
            "sheet-choice",
            f'The sheet named after the country, "{concealed[0]}", is hidden, and only visible '
            f"sheets are read (visible: {shown}), so another table than the country's could "
            "be read in its place.",
            f'Unhide sheet "{concealed[0]}" in Excel (right-click a sheet tab > Unhide) and save '
            "the file.",
        )
    if len(visible) == 1:
        return visible[0]
    if not visible:
        raise refuse(
            file,
            "sheet-choice",
            "The workbook has no visible worksheet.",
            "Unhide the country's sheet in Excel and save the file.",
        )
    listed = ", ".join(f'"{s}"' for s in visible)
    country = sheet_names[1] if len(sheet_names) > 1 else "the country"
    raise refuse(
        file,
        "sheet-choice",
        f"The workbook has {len(visible)} visible sheets ({listed}) and none is named after "
        "the country, so which one holds its table is not known.",
        f'Rename the country\'s sheet to "{country}". If its rows are spread over several '
        "sheets (one per region or period), put them all in that sheet (a Period column tells "
        "periods apart): a hidden or deleted sheet's rows are left out of the brief.",
    )


#: Workbook formats, each measured in its own way before python-calamine loads it.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls", ".xlsb")


def read_workbook(
    path: Path, data: bytes, sheet_names: tuple[str, ...], scorer: HeaderScore = header_score
) -> RawTable:
    """Read the country's visible sheet of a workbook, measured before it is loaded.

    Every format follows the same rules: only visible worksheets are read, typed number cells
    keep their value, error cells and formulas without a stored value are errors naming the
    cell. What is measured before loading differs (pipeline/read/sheets.py): the sheet's XML
    (.xlsx, .xlsm), content.xml (.ods), the sheet's binary records (.xlsb), every sheet's BIFF
    records (.xls).
    """
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    suffix = path.suffix.lower()
    try:
        scans = _scan_before_loading(suffix, data)
        if scans is not None:  # formats that python-calamine parses whole when it opens them
            for measured, each in scans.items():
                if each.too_large:
                    raise _too_large(path.name, measured, each.rows, each.columns)
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible = [
            s.name
            for s in book.sheets_metadata
            if s.visible == SheetVisibleEnum.Visible and s.typ == SheetTypeEnum.WorkSheet
        ]
        hidden = tuple(
            s.name
            for s in book.sheets_metadata
            if s.visible != SheetVisibleEnum.Visible and s.typ == SheetTypeEnum.WorkSheet
        )
        name = choose_sheet(path.name, visible, sheet_names, hidden)
        scan = _measured(scans, suffix, data, name)
        # The template's own Instructions sheet is the tool's text: nothing to tell of it.
        own = instructions_sheet(_archive(data)) if suffix in _ZIPPED_XML else None
        # Every other worksheet, hidden or not, is looked at: none may be left out unsaid.
        unread = tuple(
            replace(found, visible=other.name in visible)
            for other in book.sheets_metadata
            if other.typ == SheetTypeEnum.WorkSheet and other.name not in (name, own)
            if (
                found := _unread(
                    path.name, book, other.name, _measured(scans, suffix, data, other.name), scorer
                )
            )
        )
        table = next((u for u in unread if u.visible and u.table), None)
        if table is not None:
            raise _other_table(path.name, name, table.name)
    except FileRefused:
        raise
    except TooLarge:
        raise refuse(
            path.name,
            "file-too-large",
            f"The workbook unpacks to more than {config.MAX_WORKBOOK_UNPACKED_BYTES:,} bytes.",
            "Save only the country's table in the workbook, or export it as CSV.",
        ) from None
    except Exception:  # noqa: BLE001 (zip, XML, OLE2 and calamine raise several types)
        raise _bad(path.name) from None
    if scan.too_large:
        raise _too_large(path.name, name, scan.rows, scan.columns)
    try:
        sheet = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception:  # noqa: BLE001
        raise _bad(path.name) from None
    sha256 = hashlib.sha256(data).hexdigest()
    source = Source(path.name, sha256, _LABELS.get(suffix, "xlsx"), ", ")
    return replace(_table(source, name, sheet, scan, scorer), unread_sheets=unread)


def _measured(
    scans: dict[str, SheetScan] | None, suffix: str, data: bytes, name: str
) -> SheetScan:
    return scans[name] if scans is not None else _scan_one(suffix, data, name)


def _unread(
    file: str, book: Any, name: str, scan: SheetScan, scorer: HeaderScore
) -> UnreadSheet | None:
    """Another sheet, when it holds a value (visible or not: the caller knows)."""
    if scan.rows == 0:
        return None
    if scan.too_large:
        raise _too_large(file, name, scan.rows, scan.columns)
    cells = [[_cell_text(v) for v in row] for row in book.get_sheet_by_name(name).to_python()]
    filled = sum(1 for row in cells for text in row if text.strip())
    if not filled:
        return None
    table = best_header([(i, i, row) for i, row in enumerate(cells, 1)], scorer)[0] >= 2
    return UnreadSheet(name, False, filled, table)


def _other_table(file: str, chosen: str, other: str) -> FileRefused:
    """A second visible sheet holding a table: its rows would be left out of the brief."""
    return refuse(
        file,
        "other-sheet-table",
        f'Sheet "{other}" also holds a table with the expected columns, but only sheet '
        f'"{chosen}" is read, so the rows of "{other}" would be left out of the brief.',
        f'Move the rows of "{other}" into sheet "{chosen}" (a Period column tells periods '
        f'apart) and delete sheet "{other}"; or hide it, if it is not part of this report.',
    )


#: Formats whose parts are XML in a zip, where a custom document property can be read.
_ZIPPED_XML = (".xlsx", ".xlsm", ".ods")

#: How each format is named where the brief says what a file was read as.
_LABELS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".ods": "ods", ".xls": "xls", ".xlsb": "xlsb"}


def _archive(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    if archive_size(archive) > config.MAX_WORKBOOK_UNPACKED_BYTES:
        raise TooLarge
    return archive


def _scan_before_loading(suffix: str, data: bytes) -> dict[str, SheetScan] | None:
    """Every sheet measured, for the formats python-calamine parses whole when it opens them
    (.ods, .xls); None for those it loads a sheet at a time (.xlsx, .xlsm, .xlsb)."""
    if suffix == ".ods":
        return scan_ods(_archive(data))
    if suffix == ".xls":
        return scan_xls(xls_stream(data))
    if suffix in (".xlsx", ".xlsm", ".xlsb"):
        _archive(data)  # the unpacked size is checked before python-calamine opens it
    return None


def _scan_one(suffix: str, data: bytes, name: str) -> SheetScan:
    archive = _archive(data)
    if suffix == ".xlsb":
        return scan_xlsb(archive, xlsb_sheet_parts(archive)[name])
    return scan_sheet(archive, sheet_parts(archive)[name], style_additions(archive))


def _table(
    source: Source,
    name: str,
    sheet: list[list[Any]],
    scan: SheetScan,
    scorer: HeaderScore = header_score,
) -> RawTable:
    """The sheet's rows as records, each row keeping its typed numbers, its uncached formulas
    and its error cells."""
    file = source.file
    uncached: dict[int, set[int]] = {}
    for row, column in scan.uncached:
        uncached.setdefault(row, set()).add(column)
    errors: dict[int, list[tuple[int, str]]] = {}
    for row, column, shown in scan.errors:
        errors.setdefault(row, []).append((column, shown))
    height = max(len(sheet), max(uncached, default=0), max(errors, default=0))
    records: list[Record] = []
    typed: dict[int, Typed] = {}
    for i in range(1, height + 1):
        values = sheet[i - 1] if i <= len(sheet) else []
        records.append((i, i, [_cell_text(v) for v in values]))
        typed[i] = (
            tuple(_typed_number(v) for v in values),
            frozenset(uncached.get(i, ())),
            tuple(errors.get(i, ())),
        )
    score, header_at = best_header(records, scorer)
    if score < 2:
        raise refuse(
            file,
            "no-header",
            f'No header row naming the expected columns was found in sheet "{name}".',
            "Put the header row above the data in the country's sheet.",
        )
    # The table names its sheet wherever it is cited: "kenya.xlsx [Kenya]".
    table = table_from_records(
        records, header_at, [], replace(source, file=f"{file} [{name}]", sheet=name), typed
    )
    return replace(
        table,
        hidden_lines=_hidden_lines(records, typed, scan.hidden_rows),
        hidden_columns=_hidden_columns(records, scan.hidden_columns),
        merged=scan.merged,
        formatted=scan.formatted,
    )


def _spanned(spans: tuple[tuple[int, int], ...], end: int) -> set[int]:
    """The indices of (first, last) spans, up to `end`: a span may reach a sheet's last row."""
    return {i for first, last in spans for i in range(first, min(last, end) + 1)}


def _hidden_lines(
    records: list[Record], typed: dict[int, Typed], spans: tuple[tuple[int, int], ...]
) -> tuple[int, ...]:
    """Hidden rows that hold a value: an officer who hid or filtered them may believe them
    left out, yet a reader sees every row."""
    hidden = _spanned(spans, len(records))
    return tuple(
        line
        for line, _, cells in records
        if line in hidden and (any(c.strip() for c in cells) or typed[line][1] or typed[line][2])
    )


def _hidden_columns(records: list[Record], spans: tuple[tuple[int, int], ...]) -> tuple[int, ...]:
    """Hidden columns (0-based) that hold a value on some row."""
    width = max((len(cells) for _, _, cells in records), default=0)
    hidden = _spanned(spans, width - 1)
    return tuple(
        sorted(
            column
            for column in hidden
            if any(column < len(cells) and cells[column].strip() for _, _, cells in records)
        )
    )
