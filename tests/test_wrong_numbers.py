"""No wrong number reaches a brief: workbooks, totals in every form, rates, limits (#12)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline.check.totals import Kind, totals_kind
from pipeline.check.validate import country_table
from pipeline.core.findings import FileRefused, Severity
from pipeline.core.outcomes import Status
from pipeline.read.rates import rate_value, read_exchange_rates
from pipeline.read.sheets import SheetScan, TooLarge, cell_position, scan_sheet
from pipeline.read.tables import count_rows, read_table
from pipeline.read.workbook import choose_sheet
from pipeline.run.build import validate_country

HEADER = ["Territory", "Target households", "Products", "PMGs", "Members", "Volume sold (t)"]
HEADER += ["Value (US$)"]


def store_values(path: Path, values: dict[str, str]) -> None:
    """Give openpyxl's formulas the values Excel would have stored (openpyxl stores none)."""
    with zipfile.ZipFile(path) as book:
        parts = {n: book.read(n) for n in book.namelist()}
    for name, data in parts.items():
        if name.startswith("xl/worksheets/"):
            text = data.decode()
            for ref, value in values.items():
                text = re.sub(
                    # openpyxl writes <v/>, or <v></v> when lxml is installed
                    rf'(<c r="{ref}"[^>]*>(<f>[^<]*</f>))(<v\s*/>|<v></v>)',
                    rf"\1<v>{value}</v>",
                    text,
                )
            parts[name] = text.encode()
    with zipfile.ZipFile(path, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)


def _errors(table) -> list[tuple[int | None, str, str]]:
    return [(f.line, f.column, f.rule) for f in table.findings if f.severity is Severity.ERROR]


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Total", Kind.TOTAL),
        ("TOTALS:", Kind.TOTAL),
        ("Sum", Kind.TOTAL),
        ("Grand total", Kind.TOTAL),
        ("Total général", Kind.TOTAL),
        ("TOTAL GENERAL", Kind.TOTAL),
        ("Totaux", Kind.TOTAL),
        ("Jumla", Kind.TOTAL),
        ("Total Kenya", Kind.TOTAL),
        ("Kenya total", Kind.TOTAL),
        ("Total Learning Alliance", Kind.TOTAL),
        ("Subtotal", Kind.SUBTOTAL),
        ("Sub-total Eastern", Kind.SUBTOTAL),
        ("Sous-total Est", Kind.SUBTOTAL),
        ("Total Eastern", Kind.SUBTOTAL),
        ("Eastern region subtotal", Kind.SUBTOTAL),
        ("Mbeere", None),
        ("Sumbawanga", None),
        ("Totalville", None),
        ("", None),
    ],
)
def test_totals_labels_in_every_form(label: str, kind: Kind | None) -> None:
    assert totals_kind(label, ("kenya", "Kenya", "Learning Alliance")) is kind


def test_total_with_country_name_reconciles_and_is_never_a_territory(tmp_path: Path) -> None:
    path = tmp_path / "kenya.csv"
    path.write_text(
        ",".join(HEADER)
        + "\nA,100,x,2,20,1,100\nB,100,x,2,20,1,100\nTotal Kenya,200,,4,40,2,250\n"
    )
    result, table, _ = validate_country(path)
    assert table is not None and list(table.territories["territory"]) == ["A", "B"]
    assert _errors(table) == [(4, "Value (US$)", "totals-mismatch")]
    assert (result.rows_read, result.rows_accepted, result.rows_rejected) == (3, 2, 1)


def _workbook(tmp_path: Path, *rows: list[object], hidden_first: bool = False) -> Path:
    book = Workbook()
    sheet = book.active
    if hidden_first:
        sheet.title = "2003 (old)"
        sheet.append(HEADER)
        sheet.append(["Old", 1, "x", 1, 1, 1, 1])
        sheet.sheet_state = "hidden"
        sheet = book.create_sheet("Data")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "kenya.xlsx"
    book.save(path)
    return path


def test_typed_number_is_that_number_whatever_the_text_cells(tmp_path: Path) -> None:
    path = _workbook(tmp_path, ["A", 100, "x", 2, 20, 1.234, "3,5"], ["B", 1, "x", 1, 1, -0.0, 0])
    table = country_table(read_table(path))
    assert table.ok, _errors(table)
    assert table.territories["volume_sold_t"].tolist() == [1.234, 0.0]
    assert table.territories["value_usd"].tolist() == [3.5, 0.0]
    assert str(table.territories.loc[3, "volume_sold_t"]) == "0.0"


def test_hidden_sheets_are_never_read(tmp_path: Path) -> None:
    path = _workbook(tmp_path, ["New", 5, "x", 1, 1, 1, 1], hidden_first=True)
    book = __import__("openpyxl").load_workbook(path)
    book.create_sheet("Very hidden").sheet_state = "veryHidden"
    book.save(path)
    result, table, _ = validate_country(path)
    assert result.status is Status.VALIDATED
    assert table is not None and list(table.territories["territory"]) == ["New"]


def test_several_visible_sheets_none_named_is_refused_listing_them(tmp_path: Path) -> None:
    path = _workbook(tmp_path, ["A", 5, "x", 1, 1, 1, 1])
    book = __import__("openpyxl").load_workbook(path)
    book.create_sheet("Notes")
    book.save(path)
    result, _, _ = validate_country(path)
    (finding,) = result.findings
    assert (result.status, finding.rule) == (Status.REFUSED, "sheet-choice")
    assert '"Sheet", "Notes"' in finding.message and 'sheet to "Kenya"' in finding.fix
    book.active.title = "KEN"  # the sheet named after the country is chosen
    book.save(path)
    assert validate_country(path)[0].status is Status.VALIDATED


def test_formula_without_stored_value_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    path = _workbook(tmp_path, ["A", 100, "x", 2, 20, 1, "=2*50"], ["B", 1, "x", 1, 1, 1, 2])
    table = country_table(read_table(path))
    assert _errors(table) == [(2, "Value (US$)", "formula-without-value")]
    (error,) = [f for f in table.findings if f.severity is Severity.ERROR]
    assert error.value == "G2" and "open and save the file in excel" in error.fix.lower()
    assert not [f for f in table.findings if f.rule == "not-reported"]  # unknown, not missing
    assert [r.line for r in table.rejected] == [2]


@pytest.mark.parametrize(
    ("stored", "errors"), [("4", []), ("5", [(4, "PMGs", "totals-mismatch")])]
)
def test_totals_row_of_formulas_reconciles_through_stored_values(
    tmp_path: Path, stored: str, errors: list[tuple[int, str, str]]
) -> None:
    path = _workbook(
        tmp_path,
        ["A", 100, "x", 2, 20, 0.1, 10],
        ["B", 100, "x", 2, 20, 0.2, 10],
        ["Total général", "=B2+B3", None, "=D2+D3", "=E2+E3", "=F2+F3", "=G2+G3"],
    )
    values = {"B4": "200", "D4": stored, "E4": "40", "F4": "0.30000000000000004", "G4": "20"}
    store_values(path, values)
    table = country_table(read_table(path))
    assert _errors(table) == errors
    assert len(table.totals) == 1 and len(table.territories) == 2


def test_workbook_past_the_last_cell_is_refused_without_loading(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(HEADER)
    book.active["XFD1048576"] = 1
    path = tmp_path / "kenya.xlsx"
    book.save(path)
    assert path.stat().st_size < 10_000
    with pytest.raises(FileRefused) as info:
        read_table(path)
    assert info.value.finding.rule == "sheet-too-large"
    assert "row 1,048,576 and column 16,384" in info.value.finding.message


def test_huge_csv_cell_is_an_error_for_its_line_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "kenya.csv"
    path.write_text(
        ",".join(HEADER) + f'\nA,1,"{"x" * 1_000_000}",1,1,1,1\nB,1,x,1,1,1,1\n', "utf-8"
    )
    table = country_table(read_table(path))
    assert _errors(table) == [(2, "Products", "cell-too-long")]
    assert list(table.territories["territory"]) == ["B"]


def test_genuine_windows_1252_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "kenya.csv"
    path.write_bytes((",".join(HEADER) + "\nKoné’s,1,maïs,1,1,1,1\n").encode("cp1252"))
    table = read_table(path)
    assert (table.encoding, table.rows[0].cells[0]) == ("cp1252", "Koné’s")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("79.17", 79.17),
        ("1000", 1000.0),
        ("1e-320", None),
        ("1_000", None),
        ("-5", None),
        ("0", None),
        ("inf", None),
        ("nan", None),
        ("1" * 400, None),
        ("0." + "0" * 320 + "1", None),
        ("79,17", None),
    ],
)
def test_rates_are_plain_finite_positive_normal_decimals(text: str, value: float | None) -> None:
    assert rate_value(text) == value


def test_same_rate_twice_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "exchange_rates.csv"
    path.write_text("currency,period,units_per_usd\nKES,2004,80\nKES,2004,80.0\n")
    assert read_exchange_rates(path) == {("KES", "2004"): 80.0}


def test_conversion_that_would_overflow_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "kenya.csv"
    header = ",".join(HEADER).replace("Value (US$)", "Value (KES)")
    path.write_text(header + "\nA,1,x,1,1,1,1" + "0" * 300 + "\n")
    table = country_table(read_table(path), {("KES", ""): 1e-300})
    assert _errors(table) == [(2, "Value (KES)", "number-out-of-range")]


def test_refused_files_count_their_rows(tmp_path: Path) -> None:
    path = tmp_path / "kenya.csv"
    path.write_bytes(
        (",".join(HEADER) + "\nKoné,1,x,1,1,1,1\nB\x92,1,x,1,1,1,1\n").encode("latin-1")
    )
    path.write_bytes(path.read_bytes().replace("Koné".encode("latin-1"), "Koné".encode()))
    result, _, _ = validate_country(path)
    assert (result.status, result.findings[0].rule) == (Status.REFUSED, "mixed-encoding")
    assert (result.rows_read, result.rows_refused) == (2, 2)
    assert count_rows(path) == 2


def test_too_many_rows_counts_them_as_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipeline.config.MAX_DATA_ROWS", 2)
    path = tmp_path / "kenya.csv"
    path.write_text(",".join(HEADER) + "\nA,1,x,1,1,1,1\nB,1,x,1,1,1,1\nC,1,x,1,1,1,1\n")
    result, _, _ = validate_country(path)
    assert (result.findings[0].rule, result.rows_read, result.rows_refused) == (
        "too-many-rows",
        3,
        3,
    )


def test_two_files_for_one_country_count_their_rows(dirs) -> None:
    from pipeline.run.runner import run

    for name in ("kenya.csv", "KE.csv"):
        (dirs.raw / name).write_text(",".join(HEADER) + "\nA,1,x,1,1,1,1\nB,1,x,1,1,1,1\n")
    outcome = run(dirs, brief=False)
    assert [c.status for c in outcome.countries] == [Status.REFUSED, Status.REFUSED]
    assert outcome.invariant() == (4, 0, 0, 4)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _scan(sheet_xml: str) -> SheetScan:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr(
            "xl/worksheets/sheet1.xml", f'<worksheet xmlns="{MAIN}">{sheet_xml}</worksheet>'
        )
    with zipfile.ZipFile(buffer) as book:
        return scan_sheet(book, "xl/worksheets/sheet1.xml")


@pytest.mark.parametrize(
    ("sheet_xml", "extent"),
    [
        ('<dimension ref="A1:C3"/>', (3, 3)),  # no sheetData at all: the dimension stands
        (
            '<dimension ref=""/><sheetData><row r="2"><c r="B2"><v>1</v></c></row></sheetData>',
            (2, 2),
        ),
        # A formatted but empty cell (a border, say) is not part of the table.
        (
            '<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="E1" s="3"/></row></sheetData>',
            (1, 1),
        ),
        ('<sheetData><row><c r="junk"><v>1</v></c><c><v>2</v></c></row></sheetData>', (1, 2)),
    ],
)
def test_a_sheet_is_measured_by_its_cells_that_hold_something(
    sheet_xml: str, extent: tuple[int, int]
) -> None:
    scan = _scan(sheet_xml)
    assert (scan.rows, scan.columns) == extent


def test_cell_references_outside_a1_form_are_not_positions() -> None:
    assert cell_position("$B$7") == (7, 2)
    assert [cell_position(ref) for ref in ("", "R1C1", "7B", "ABCD1")] == [None] * 4


def test_a_sheet_that_unpacks_past_the_limit_stops_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipeline.config.MAX_WORKBOOK_UNPACKED_BYTES", 100)
    with pytest.raises(TooLarge):
        _scan("<sheetData>" + "<row><c><v>1</v></c></row>" * 50 + "</sheetData>")
    path = _workbook(tmp_path, ["A", 1, "x", 1, 1, 1, 1])
    with pytest.raises(FileRefused) as info:
        read_table(path)
    assert info.value.finding.rule == "file-too-large"
    assert "unpacks to more than 100 bytes" in info.value.finding.message


def test_a_workbook_with_no_visible_sheet_is_refused() -> None:
    with pytest.raises(FileRefused) as info:
        choose_sheet("kenya.xlsx", [], ("kenya", "Kenya"))
    assert info.value.finding.rule == "sheet-choice"
    assert info.value.finding.message == "The workbook has no visible worksheet."


def test_a_sheet_without_a_header_row_is_refused_naming_the_sheet(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Kenya"
    book.active.append(["Notes on the 2004 season"])
    book.active.append(["Gulu", 1, 2])
    path = tmp_path / "kenya.xlsx"
    book.save(path)
    with pytest.raises(FileRefused) as info:
        read_table(path)
    assert info.value.finding.rule == "no-header"
    assert 'sheet "Kenya"' in info.value.finding.message
