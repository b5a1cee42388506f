"""Excel workbooks (.xlsx), read with python-calamine: formulas are never evaluated.

Only visible sheets are read. Each is measured before it is loaded (pipeline/read/sheets.py);
typed number cells keep their value, apart from the text cells' number format.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

from pipeline import config
from pipeline.core.findings import FileRefused
from pipeline.core.names import fold
from pipeline.read.columns import header_score
from pipeline.read.raw import RawTable, refuse
from pipeline.read.sheets import TooLarge, archive_size, scan_sheet, sheet_parts
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


def choose_sheet(file: str, visible: list[str], sheet_names: tuple[str, ...]) -> str:
    """The visible sheet named after the country, else the only visible sheet, else refused."""
    wanted = {fold(n) for n in sheet_names if fold(n)}
    named = [s for s in visible if fold(s) in wanted]
    if named:
        return named[0]
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
        f'Rename the country\'s sheet to "{country}", or hide or delete the other sheets.',
    )


def read_workbook(
    path: Path, data: bytes, sheet_names: tuple[str, ...], scorer: HeaderScore = header_score
) -> RawTable:
    """Read the country's visible sheet of an .xlsx workbook, measured before it is loaded."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if archive_size(archive) > config.MAX_WORKBOOK_UNPACKED_BYTES:
            raise TooLarge
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible = [
            s.name
            for s in book.sheets_metadata
            if s.visible == SheetVisibleEnum.Visible and s.typ == SheetTypeEnum.WorkSheet
        ]
        name = choose_sheet(path.name, visible, sheet_names)
        scan = scan_sheet(archive, sheet_parts(archive)[name])
    except FileRefused:
        raise
    except TooLarge:
        raise refuse(
            path.name,
            "file-too-large",
            f"The workbook unpacks to more than {config.MAX_WORKBOOK_UNPACKED_BYTES:,} bytes.",
            "Save only the country's table in the workbook, or export it as CSV.",
        ) from None
    except Exception:  # noqa: BLE001 (zip, XML and calamine raise several types)
        raise _bad(path.name) from None
    if scan.rows > config.MAX_SHEET_ROWS or scan.columns > config.MAX_SHEET_COLUMNS:
        raise _too_large(path.name, name, scan.rows, scan.columns)
    try:
        sheet = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception:  # noqa: BLE001
        raise _bad(path.name) from None
    return _table(path.name, name, sheet, scan.uncached, hashlib.sha256(data).hexdigest(), scorer)


def _table(
    file: str,
    name: str,
    sheet: list[list[Any]],
    uncached_cells: tuple[tuple[int, int], ...],
    sha256: str,
    scorer: HeaderScore = header_score,
) -> RawTable:
    """The sheet's rows as records, each row keeping its typed numbers and uncached formulas."""
    uncached: dict[int, set[int]] = {}
    for row, column in uncached_cells:
        uncached.setdefault(row, set()).add(column)
    height = max(len(sheet), max(uncached, default=0))
    records: list[Record] = []
    typed: dict[int, Typed] = {}
    for i in range(1, height + 1):
        values = sheet[i - 1] if i <= len(sheet) else []
        records.append((i, i, [_cell_text(v) for v in values]))
        typed[i] = (tuple(_typed_number(v) for v in values), frozenset(uncached.get(i, ())))
    score, header_at = best_header(records, scorer)
    if score < 2:
        raise refuse(
            file,
            "no-header",
            f'No header row naming the expected columns was found in sheet "{name}".',
            "Put the header row above the data in the country's sheet.",
        )
    return table_from_records(
        records, header_at, [], f"{file} [{name}]", sha256, "xlsx", ", ", typed
    )
