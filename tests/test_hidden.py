"""What a workbook hides, or holds outside the sheet read, is never left out in silence.

A reader sees every cell, hidden or not, while an officer who hid or filtered a row may think
it left out. The invariants, over generated workbooks in each format a library can write
(.xlsx, .ods, and .xlsb record by record; .xls from the committed fixture):
- a hidden row or column that holds a value is an error naming exactly its line or column;
  hidden blank rows and columns say nothing, and a table with nothing hidden validates;
- another visible sheet holding a table refuses the file; any other sheet holding a value is
  named in a warning; an empty one says nothing.
"""

from __future__ import annotations

import io
import shutil
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import olefile
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
from odf.text import P
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from pipeline.check.figures import column_letter
from pipeline.core.findings import Finding
from pipeline.core.outcomes import Status
from pipeline.read.sheets import _biff, xls_stream
from pipeline.run.build import validate_country

from .conftest import FIXTURES
from .fixtures.formats.make_fixtures import HEADER, sheet_part, xlsb
from .tier import examples

Cell = str | int | float | None


@dataclass
class Sheet:
    """A worksheet to write: its rows (1-based lines), what is hidden, whether it shows."""

    name: str
    rows: list[list[Cell]]
    hidden_rows: set[int] = field(default_factory=set)  #: 1-based lines
    hidden_columns: set[int] = field(default_factory=set)  #: 0-based
    visible: bool = True
    #: merged ranges: (first line, first column, last line, last column); lines 1-based,
    #: columns 0-based, inclusive; only the first cell keeps its value
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def _xlsx(sheets: list[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for each in sheets:
        sheet = book.create_sheet(each.name)
        for r, row in enumerate(each.rows, 1):
            for c, value in enumerate(row, 1):
                if value is not None:
                    sheet.cell(r, c, value)
        for line in each.hidden_rows:
            sheet.row_dimensions[line].hidden = True
        for column in each.hidden_columns:
            sheet.column_dimensions[get_column_letter(column + 1)].hidden = True
        sheet.sheet_state = "visible" if each.visible else "hidden"
        for top, first, bottom, last in each.merged:
            sheet.merge_cells(
                start_row=top, start_column=first + 1, end_row=bottom, end_column=last + 1
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ods(sheets: list[Sheet]) -> bytes:
    document = OpenDocumentSpreadsheet()
    for each in sheets:
        table = Table(name=each.name)
        width = max((len(r) for r in each.rows), default=1)
        for c in range(max([width, *(c + 1 for c in each.hidden_columns)])):
            shown = "collapse" if c in each.hidden_columns else "visible"
            table.addElement(TableColumn(visibility=shown))
        starts = {(top, first): (bottom, last) for top, first, bottom, last in each.merged}
        covered = {
            (line, c)
            for top, first, bottom, last in each.merged
            for line in range(top, bottom + 1)
            for c in range(first, last + 1)
        } - set(starts)
        reach = max([width, *(last + 1 for _, _, _, last in each.merged)])
        for line, values in enumerate(each.rows, 1):
            row = TableRow(visibility="collapse" if line in each.hidden_rows else "visible")
            merging = any(top <= line <= bottom for top, _, bottom, _ in each.merged)
            cells = list(values or [None]) + [None] * ((reach - len(values)) if merging else 0)
            for c, value in enumerate(cells):
                if (line, c) in covered:
                    row.addElement(CoveredTableCell())
                    continue
                if (line, c) in starts:
                    bottom, last = starts[(line, c)]
                    spans = {"numberrowsspanned": bottom - line + 1}
                    spans["numbercolumnsspanned"] = last - c + 1
                    cell = TableCell(valuetype="string", **spans)
                    cell.addElement(P(text=str(value if value is not None else "")))
                    row.addElement(cell)
                elif value is None or value == "":
                    row.addElement(TableCell())
                elif isinstance(value, str):
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=value))
                    row.addElement(cell)
                else:
                    cell = TableCell(valuetype="float", value=str(value))
                    cell.addElement(P(text=str(value)))
                    row.addElement(cell)
            table.addElement(row)
        document.spreadsheet.addElement(table)
    for each, table in zip(sheets, document.spreadsheet.getElementsByType(Table), strict=True):
        if not each.visible:  # a hidden sheet's table style says display="false"
            table.setAttribute("stylename", _hidden_table_style(document))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def _hidden_table_style(document: OpenDocumentSpreadsheet) -> str:
    from odf.style import Style, TableProperties

    if not any(
        s.getAttribute("name") == "hiddentable" for s in document.automaticstyles.childNodes
    ):
        style = Style(name="hiddentable", family="table")
        style.addElement(TableProperties(display="false"))
        document.automaticstyles.addElement(style)
    return "hiddentable"


def _xlsb(sheets: list[Sheet]) -> bytes:
    parts = [
        (
            s.name,
            0 if s.visible else 1,
            sheet_part(
                [[v for v in row] for row in s.rows],
                hidden_rows=frozenset(line - 1 for line in s.hidden_rows),
                hidden_columns=frozenset(s.hidden_columns),
                merged=tuple((t - 1, f, b - 1, la) for t, f, b, la in s.merged),
            ),
        )
        for s in sheets
    ]
    return xlsb(parts)


WRITERS: dict[str, Callable[[list[Sheet]], bytes]] = {"xlsx": _xlsx, "ods": _ods, "xlsb": _xlsb}


def _validated(tmp: Path, suffix: str, sheets: list[Sheet]) -> tuple[Status, list[Finding]]:
    folder = tmp / suffix
    folder.mkdir(exist_ok=True)
    path = folder / f"kenya.{suffix}"
    path.write_bytes(WRITERS[suffix](sheets))
    result, _, _ = validate_country(path)
    return result.status, result.findings


@st.composite
def tables(draw: st.DrawFn) -> list[list[Cell]]:
    """A valid country table: maybe a title above the header, maybe a Notes column, maybe a
    blank line between territories."""
    notes = draw(st.booleans())
    rows: list[list[Cell]] = []
    if draw(st.booleans()):
        rows += [["Learning alliance, Kenya"], []]
    rows.append(HEADER + (["Notes"] if notes else []))
    names = ["Mbeere", "Homabay", "Kitu", "Tana River", "Mwingi"]
    for name in names[: draw(st.integers(2, 5))]:
        pmgs = draw(st.integers(1, 20))
        row: list[Cell] = [
            name,
            draw(st.integers(1_000, 9_000)),
            "greengrams",
            pmgs,
            draw(st.integers(pmgs * 10, pmgs * 60)),
            draw(st.integers(1, 300)),
            draw(st.integers(1_000, 90_000)),
        ]
        if notes:
            row.append(draw(st.sampled_from(["", "checked"])))
        rows.append(row)
        if draw(st.integers(0, 4)) == 0:
            rows.append([])
    return rows


def _filled(value: Cell) -> bool:
    return value is not None and str(value).strip() != ""


@settings(max_examples=examples(40), deadline=None)
@given(
    rows=tables(),
    suffix=st.sampled_from(sorted(WRITERS)),
    data=st.data(),
)
def test_a_hidden_row_or_column_holding_a_value_is_named_and_a_blank_one_is_not(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[list[Cell]],
    suffix: str,
    data: st.DataObject,
) -> None:
    lines = range(1, len(rows) + 2)  # one more: a hidden blank line below the table
    hidden_rows = data.draw(st.sets(st.sampled_from(list(lines)), max_size=3), label="rows")
    hidden_columns = data.draw(st.sets(st.integers(0, 9), max_size=2), label="columns")
    sheet = Sheet("Kenya", rows, hidden_rows, hidden_columns)

    status, findings = _validated(tmp_path_factory.mktemp("hidden"), suffix, [sheet])

    holding = {n for n, row in enumerate(rows, 1) if any(_filled(v) for v in row)}
    used = {c for row in rows for c, v in enumerate(row) if _filled(v)}
    header_line = next(n for n, row in enumerate(rows, 1) if row[:1] == ["Territory"])
    said_rows = [f.line for f in findings if f.rule == "hidden-row"]
    said_columns = [(f.line, f.column) for f in findings if f.rule == "hidden-column"]
    assert said_rows == sorted(hidden_rows & holding)
    header = rows[header_line - 1]
    assert said_columns == [
        (header_line, str(header[c]) if c < len(header) else column_letter(c))
        for c in sorted(hidden_columns & used)
    ]
    if not said_rows and not said_columns:
        assert status is Status.VALIDATED, [f.as_text() for f in findings]
    else:
        assert status is Status.INVALID


_CONTENTS = st.sampled_from(["empty", "note", "table"])


@settings(max_examples=examples(30), deadline=None)
@given(
    rows=tables(),
    suffix=st.sampled_from(sorted(WRITERS)),
    others=st.lists(st.tuples(st.booleans(), _CONTENTS), max_size=3),
)
def test_another_sheet_is_refused_if_it_holds_a_visible_table_else_named_if_it_holds_anything(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[list[Cell]],
    suffix: str,
    others: list[tuple[bool, str]],
) -> None:
    content: dict[str, list[list[Cell]]] = {
        "empty": [],
        "note": [["Collected by the Embu field office"]],
        "table": [HEADER, ["Old", 1, "x", 1, 1, 1, 1]],
    }
    sheets = [Sheet("Kenya", rows)] + [
        Sheet(f"Sheet {i}", content[kind], visible=visible)
        for i, (visible, kind) in enumerate(others, 2)
    ]

    status, findings = _validated(tmp_path_factory.mktemp("sheets"), suffix, sheets)

    tables_shown = [s.name for s in sheets[1:] if s.visible and s.rows == content["table"]]
    if tables_shown:
        assert status is Status.REFUSED
        (finding,) = findings
        assert finding.rule == "other-sheet-table"
        assert f'Sheet "{tables_shown[0]}" also holds a table' in finding.message
        return
    named = [f.value for f in findings if f.rule == "unread-sheet"]
    assert named == [s.name for s in sheets[1:] if s.rows]
    assert status is Status.VALIDATED, [f.as_text() for f in findings]


def test_a_hidden_row_of_an_xls_workbook_is_named(tmp_path: Path) -> None:
    """.xls has no maintained writer: the committed Kenya fixture's ROW record of line 4
    (Homabay, below the title and the header) gets its fDyZero bit, as Excel sets it when the row is hidden."""
    path = tmp_path / "kenya.xls"
    shutil.copy(FIXTURES / "formats" / "kenya.xls", path)
    stream = xls_stream(path.read_bytes())
    patched = bytearray(stream)
    for at, kind, record in _biff(stream, 0):
        if kind == 0x0208 and int.from_bytes(record[:2], "little") == 3:  # 0-based row 3
            patched[at + 4 + 12] |= 0x20
    with olefile.OleFileIO(str(path), write_mode=True) as container:
        container.write_stream("Workbook", bytes(patched))

    result, _, _ = validate_country(path)

    hidden = [f for f in result.findings if f.rule == "hidden-row"]
    assert [f.line for f in hidden] == [4]
    assert "Row 4" in hidden[0].message and "Homabay" in hidden[0].value
    assert result.status is Status.INVALID


@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_the_templates_instructions_sheet_is_known_by_its_property_and_no_other_sheet_is(
    tmp_path: Path, suffix: str
) -> None:
    """`make template` names its Instructions sheet in a custom document property, which
    Excel keeps in docProps/custom.xml and LibreOffice in meta.xml: that sheet is the tool's
    own text. The same sheet without the property is named as not read."""
    rows: list[list[Cell]] = [HEADER, ["Mbeere", 5000, "x", 9, 447, 32, 13103]]
    guide = Sheet("Instructions", [["How to fill in the Kenya table"], ["1.", "Write one row"]])
    sheets = [Sheet("Kenya", rows), guide]

    def named(content: bytes) -> list[str]:
        path = tmp_path / f"kenya.{suffix}"
        path.write_bytes(content)
        result, _, _ = validate_country(path)
        return [f.value for f in result.findings if f.rule == "unread-sheet"]

    assert named(WRITERS[suffix](sheets)) == ["Instructions"]
    assert named(_with_property(suffix, WRITERS[suffix](sheets), "Instructions")) == []
    # The property names a sheet: another one stays named.
    assert named(_with_property(suffix, WRITERS[suffix](sheets), "Notes")) == ["Instructions"]


def _with_property(suffix: str, content: bytes, sheet: str) -> bytes:
    """The workbook with the template's document property naming `sheet`."""
    from pipeline import config

    if suffix == "xlsx":
        from openpyxl import load_workbook
        from openpyxl.packaging.custom import StringProperty

        book = load_workbook(io.BytesIO(content))
        book.custom_doc_props.append(
            StringProperty(name=config.INSTRUCTIONS_PROPERTY, value=sheet)
        )
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    from odf.meta import UserDefined
    from odf.opendocument import load

    document = load(io.BytesIO(content))
    document.meta.addElement(UserDefined(name=config.INSTRUCTIONS_PROPERTY, text=sheet))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


@settings(max_examples=examples(40), deadline=None)
@given(rows=tables(), suffix=st.sampled_from(sorted(WRITERS)), data=st.data())
def test_merged_cells_below_the_header_are_named_and_a_merged_title_is_not(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[list[Cell]],
    suffix: str,
    data: st.DataObject,
) -> None:
    """A merged cell's value is in its first cell only: "n/a" merged over a row's figures
    leaves what the others held before, a target merged over two territories leaves the
    second blank, and a region's name merged across the table reads as a territory. So merged
    cells that reach below the header are an error naming the range; a title merged across
    the top of the sheet is no part of the table and says nothing."""
    header_line = next(n for n, row in enumerate(rows, 1) if row[:1] == ["Territory"])
    last_line = len(rows)
    top = data.draw(st.integers(header_line + 1, last_line), label="first line")
    bottom = data.draw(st.integers(top, min(top + 2, last_line)), label="last line")
    first = data.draw(st.integers(0, 6), label="first column")
    last = data.draw(st.integers(first, 6), label="last column")
    assume((top, first) != (bottom, last))  # one cell is no merge
    title = [(1, 0, 1, 6)] if header_line > 1 else []
    sheet = Sheet("Kenya", rows, merged=[*title, (top, first, bottom, last)])

    status, findings = _validated(tmp_path_factory.mktemp("merged"), suffix, [sheet])

    span = f"{column_letter(first)}{top}:{column_letter(last)}{bottom}"
    merged = [(f.line, f.value, f.rule) for f in findings if f.rule == "merged-cells"]
    assert merged == [(top, span, "merged-cells")]
    assert status is Status.INVALID


@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_a_title_merged_across_the_top_is_no_finding(tmp_path: Path, suffix: str) -> None:
    rows: list[list[Cell]] = [["Learning alliance, Kenya"], HEADER]
    rows.append(["Mbeere", 5000, "greengrams", 9, 447, 32, 13103])
    sheet = Sheet("Kenya", rows, merged=[(1, 0, 1, 6)])
    status, findings = _validated(tmp_path, suffix, [sheet])
    assert status is Status.VALIDATED, [f.as_text() for f in findings]


def test_merged_cells_of_an_xls_workbook_are_named(tmp_path: Path) -> None:
    """.xls has no maintained writer: the committed Kenya fixture's sheet-extension record
    (0x0867, 23 bytes) becomes a MERGEDCELLS record of one range, B3:B4 (Mbeere's and
    Homabay's targets), padded to the same length so no offset moves."""
    path = tmp_path / "kenya.xls"
    shutil.copy(FIXTURES / "formats" / "kenya.xls", path)
    stream = xls_stream(path.read_bytes())
    patched = bytearray(stream)
    at = next(at for at, kind, record in _biff(stream, 0) if kind == 0x0867)
    size = int.from_bytes(stream[at + 2 : at + 4], "little")
    body = struct.pack("<HHHHH", 1, 2, 3, 1, 1).ljust(size, b"\0")
    patched[at : at + 4 + size] = struct.pack("<HH", 0x00E5, size) + body
    with olefile.OleFileIO(str(path), write_mode=True) as container:
        container.write_stream("Workbook", bytes(patched))

    result, _, _ = validate_country(path)

    merged = [(f.line, f.value) for f in result.findings if f.rule == "merged-cells"]
    assert merged == [(3, "B3:B4")]
    assert result.status is Status.INVALID


@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_a_hidden_sheet_named_after_the_country_is_never_passed_over_for_another(
    tmp_path: Path, suffix: str
) -> None:
    """Only visible sheets are read, and a lone visible sheet is read when none is named after
    the country: with the country's own sheet hidden, a summary sheet would be read in its
    place. The file is refused, naming the hidden sheet."""
    table: list[list[Cell]] = [HEADER, ["Mbeere", 5000, "greengrams", 9, 447, 32, 13103]]
    summary: list[list[Cell]] = [HEADER, ["Eastern", 9000, "greengrams", 17, 828, 193, 59256]]
    sheets = [Sheet("Summary", summary), Sheet("Kenya", table, visible=False)]

    status, findings = _validated(tmp_path, suffix, sheets)

    assert status is Status.REFUSED
    (refusal,) = findings
    assert refusal.rule == "sheet-choice" and '"Kenya", is hidden' in refusal.message
    # Shown again, with the summary hidden, it is the sheet read.
    shown = [Sheet("Summary", summary, visible=False), Sheet("Kenya", table)]
    status, findings = _validated(tmp_path, suffix, shown)
    assert status is Status.VALIDATED, [f.as_text() for f in findings]
