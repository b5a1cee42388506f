"""Excel workbooks (.xlsx), read with python-calamine: formulas are never evaluated."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from pipeline.core.names import fold
from pipeline.read.columns import header_score
from pipeline.read.raw import RawTable, refuse
from pipeline.read.text import HeaderScore, best_header, table_from_records


def _cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export would hold (numbers without grouping)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_workbook(
    path: Path, data: bytes, sheet_names: tuple[str, ...], scorer: HeaderScore = header_score
) -> RawTable:
    """Read the country's sheet (or the first) of an .xlsx workbook."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        wanted = {fold(n) for n in sheet_names}
        name = next((s for s in book.sheet_names if fold(s) in wanted), book.sheet_names[0])
        sheet = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception:  # noqa: BLE001 (calamine raises several types for a corrupt file)
        raise refuse(
            path.name,
            "bad-workbook",
            "This file cannot be read as an Excel workbook.",
            "Open it in Excel and save it again as .xlsx, or export it as CSV.",
        ) from None
    records = [(i, i, [_cell_text(v) for v in row]) for i, row in enumerate(sheet, start=1)]
    score, header_at = best_header(records, scorer)
    if score < 2:
        raise refuse(
            path.name,
            "no-header",
            f'No header row naming the expected columns was found in sheet "{name}".',
            "Put the header row above the data in the country's sheet.",
        )
    return table_from_records(
        records,
        header_at,
        [],
        f"{path.name} [{name}]",
        hashlib.sha256(data).hexdigest(),
        "xlsx",
        ", ",
    )
