"""Read a country's table file from data/raw, CSV or workbook, as Excel saved it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline import config
from pipeline.core.findings import FileRefused
from pipeline.read.columns import header_score
from pipeline.read.raw import RawTable, refuse
from pipeline.read.text import HeaderScore, decode, physical_lines, read_bytes, table_from_lines
from pipeline.read.workbook import WORKBOOK_SUFFIXES, read_workbook


def read_table(
    path: Path, sheet_names: tuple[str, ...] = (), scorer: HeaderScore = header_score
) -> RawTable:
    """Read a country CSV or workbook as Excel saved it; raise FileRefused otherwise.

    `scorer` finds the header row: by default, how many country columns a row names.
    """
    suffix = path.suffix.lower()
    if suffix not in config.TABLE_SUFFIXES:
        raise refuse(
            path.name,
            "unreadable-format",
            f'"{path.name}" is a {suffix or "extension-less"} file: this tool reads a '
            "country's table only from .csv (or .tsv, .txt text), .xlsx, .xlsm, .xls, .xlsb "
            "or .ods. The file was not read, and the country gets no brief until it is.",
            'Open it and save it as .xlsx or .csv ("CSV UTF-8") under the same name.',
        )
    data = read_bytes(path)
    if suffix in WORKBOOK_SUFFIXES:
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
