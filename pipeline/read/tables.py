"""Read a country's table file from data/raw, CSV or workbook, as Excel saved it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.core.findings import FileRefused
from pipeline.read.columns import header_score
from pipeline.read.raw import RawTable
from pipeline.read.text import HeaderScore, decode, physical_lines, read_bytes, table_from_lines
from pipeline.read.workbook import read_workbook


def read_table(
    path: Path, sheet_names: tuple[str, ...] = (), scorer: HeaderScore = header_score
) -> RawTable:
    """Read a country CSV or workbook as Excel saved it; raise FileRefused otherwise.

    `scorer` finds the header row: by default, how many country columns a row names.
    """
    data = read_bytes(path)
    if path.suffix.lower() == ".xlsx":
        return read_workbook(path, data, sheet_names, scorer)
    text, encoding = decode(data, path.name)
    lines = physical_lines(text)
    return table_from_lines(lines, path.name, hashlib.sha256(data).hexdigest(), encoding, scorer)


def count_rows(path: Path) -> int:
    """Data rows of a file that was not validated, so that the run's row count still adds up."""
    try:
        return len(read_table(path).rows)
    except FileRefused as exc:
        return exc.rows
