"""A workbook figure whose number format adds to what it shows is refused, never misread.

The tool reads a number cell's stored value and the header's unit, scale and currency; the
sheet shows that value through the cell's number format. Where the format adds a currency
(`[$€-2] #,##0`), a scale (`#,##0,`), a percent (`0%`), a unit (`0 "kg"`) or hides the number
(`;;;`), the officer sees another figure than the brief would state. The invariant, over
generated .xlsx and .ods workbooks: such a format on any figure cell below the header is an
error naming that cell; a plain format (`#,##0`, `0.00`, accounting brackets, General) says
nothing, and the figures are the stored values.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from odf.number import Number, NumberStyle
from odf.number import Text as NumberText
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook

from pipeline.check.figures import column_letter
from pipeline.core.outcomes import Status
from pipeline.read.number_formats import format_addition
from pipeline.run.build import validate_country

from .tier import examples

HEADER = ["Territory", "Target households", "Products", "PMGs", "Members"]
HEADER += ["Volume sold (t)", "Value (US$)"]
ROWS = [
    ["Mbeere", 5000, "greengrams", 9, 447, 32, 13103],
    ["Homabay", 5000, "groundnuts", 27, 3014, 145, 78175],
    ["Kitu", 4000, "greengrams", 8, 381, 161, 46153],
]
#: Excel codes that add to the number shown, as offices and locales write them.
ADDING = [
    "[$€-2] #,##0",
    '"$"#,##0',
    "$#,##0.00",
    "[$KES] #,##0",
    "#,##0,",
    "#,##0.0,,",
    "0%",
    "0.0%",
    '#,##0 "kg"',
    '0.0\\ "t"',
    ";;;",
    '[>=1000]#,##0,"K";0',
]
#: Codes that show the stored number as it is.
PLAIN = ["General", "0", "#,##0", "#,##0.00", "#,##0_);(#,##0)", "0.0", "0.00E+00", "@"]


#: What each adding code adds, as the finding names it to the officer.
ADDED = [
    "a currency (€)",
    "a currency ($)",
    "a currency ($)",
    "a currency (KES)",
    "a scale (thousands)",
    "a scale (thousands)",
    "a percent",
    "a percent",
    "a unit or text (kg)",
    "a unit or text (t)",
    "nothing shown",
    "a unit or text (K)",
]


@pytest.mark.parametrize(("code", "added"), list(zip(ADDING, ADDED, strict=True)))
def test_a_format_that_adds_to_the_number_says_what(code: str, added: str) -> None:
    assert format_addition(code) == added
    # The negative numbers' section says the same; a zero's section alone says nothing.
    if ";" not in code and code != ";;;":
        assert format_addition(f"0;{code}") == added
        assert format_addition(f"0;0;{code}") == ""


@pytest.mark.parametrize(
    ("code", "added"),
    [
        ('"US$ "#,##0', "a currency (US$)"),
        ("#,##0\\ ", ""),  # an escaped space: spacing, no text
        ("#,##0\\t", "a unit or text (t)"),
        ('0.0 "tonnes"', "a unit or text (tonnes)"),
        ('#,##0" %"', "a unit or text (%)"),
        ("[$-409]#,##0", ""),
        ("[Blue]#,##0;[Red]-#,##0", ""),
        ('#,##0;"("#,##0")"', ""),
        ('"abc";"def"', "a unit or text (abc)"),
        ("0 kg", "a unit or text (kg)"),
        ("£#,##0", "a currency (£)"),
        ("", ""),
    ],
)
def test_what_each_part_of_a_code_adds(code: str, added: str) -> None:
    """Quoted and escaped text, brackets (a locale only, a colour, a currency), sections."""
    assert format_addition(code) == added


@pytest.mark.parametrize("code", [*PLAIN, "dd/mm/yyyy", "h:mm", '#,##0;-#,##0;"-"'])
def test_a_plain_or_date_format_adds_nothing(code: str) -> None:
    assert format_addition(code) == ""


def _xlsx(code: str, cells: set[tuple[int, int]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Kenya"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    for line, column in cells:
        sheet.cell(line, column + 1).number_format = code
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ods(kind: str, cells: set[tuple[int, int]]) -> bytes:
    """`kind`: "currency", "percentage" (the cell's own value type), "factor" (a number style
    with a display factor of 1000), "unit" (a number style followed by " kg"), or "plain"."""
    document = OpenDocumentSpreadsheet()
    style = NumberStyle(name="N1")
    style.addElement(Number(decimalplaces="0", displayfactor="1000" if kind == "factor" else "1"))
    if kind == "unit":
        style.addElement(NumberText(text=" kg"))
    document.automaticstyles.addElement(style)
    document.automaticstyles.addElement(Style(name="ce1", family="table-cell", datastylename="N1"))
    table = Table(name="Kenya")
    for line, values in enumerate([HEADER, *ROWS], 1):
        row = TableRow()
        for column, value in enumerate(values):
            if isinstance(value, str):
                cell = TableCell(valuetype="string")
            elif (line, column) in cells and kind in ("currency", "percentage"):
                extra = {"currency": "EUR"} if kind == "currency" else {}
                cell = TableCell(valuetype=kind, value=str(value), **extra)
            elif (line, column) in cells:
                cell = TableCell(valuetype="float", value=str(value), stylename="ce1")
            else:
                cell = TableCell(valuetype="float", value=str(value))
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


FIGURES = [1, 3, 4, 5, 6]  #: the 0-based columns of figures


@settings(max_examples=examples(40), deadline=None)
@given(
    suffix=st.sampled_from(["xlsx", "ods"]),
    data=st.data(),
    cells=st.sets(
        st.tuples(st.integers(2, 1 + len(ROWS)), st.sampled_from(FIGURES)), min_size=1, max_size=4
    ),
)
def test_a_figure_shown_through_a_format_that_adds_to_it_is_refused_naming_the_cell(
    tmp_path_factory: pytest.TempPathFactory,
    suffix: str,
    data: st.DataObject,
    cells: set[tuple[int, int]],
) -> None:
    if suffix == "xlsx":
        content = _xlsx(data.draw(st.sampled_from(ADDING), label="code"), cells)
    else:
        kind = data.draw(st.sampled_from(["currency", "percentage", "factor", "unit"]))
        content = _ods(kind, cells)
    path = tmp_path_factory.mktemp("formats") / f"kenya.{suffix}"
    path.write_bytes(content)

    result, _, _ = validate_country(path)

    named = sorted((f.line, f.value) for f in result.findings if f.rule == "cell-format")
    assert named == sorted((line, f"{column_letter(c)}{line}") for line, c in cells)
    assert result.status is Status.INVALID


@settings(max_examples=examples(20), deadline=None)
@given(
    suffix=st.sampled_from(["xlsx", "ods"]),
    code=st.sampled_from(PLAIN),
    cells=st.sets(st.tuples(st.integers(2, 4), st.sampled_from(FIGURES)), max_size=6),
)
def test_a_plain_format_says_nothing_and_the_figures_are_the_stored_values(
    tmp_path_factory: pytest.TempPathFactory, suffix: str, code: str, cells
) -> None:
    content = _xlsx(code, cells) if suffix == "xlsx" else _ods("plain", cells)
    path: Path = tmp_path_factory.mktemp("plain") / f"kenya.{suffix}"
    path.write_bytes(content)

    result, table, _ = validate_country(path)

    assert result.status is Status.VALIDATED, [f.as_text() for f in result.findings]
    assert table is not None
    assert list(table.territories["members"]) == [row[4] for row in ROWS]
    assert list(table.territories["value_usd"]) == [row[6] for row in ROWS]
