"""Every figure traceable to the cells it came from (#25): the lineage table, and an oracle that
recomputes each figure from the cited cells of the raw file, through the stated formula and
conversions, using nothing but the lineage table and the raw file."""

from __future__ import annotations

import csv
import io
import math
import re
import shutil
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pipeline import config
from pipeline.compute.figures import brief_figures, share_total
from pipeline.compute.lineage import LINEAGE_FIELDS, figure_lineage, lineage_records
from pipeline.compute.plausibility import FLAG_RULES
from pipeline.config import Dirs
from pipeline.core.formatting import Formatter
from pipeline.core.outcomes import Status
from pipeline.core.registry import decimals
from pipeline.run.outputs import as_typed, csv_bytes
from pipeline.run.runner import run
from tests.tier import examples

from .conftest import SEED
from .fakes import fake_attachments, fake_pdf
from .test_oracle import (
    Case,
    _csv,
    _ods,
    _probable_totals,
    _xlsx,
    office_files,
    validated_case,
)

Row = dict[str, str]


def table_of(data: bytes) -> list[Row]:
    """The lineage table as a reader that is not Excel loads it (`as_typed`)."""
    rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    return [{k: str(as_typed(v)) for k, v in row.items()} for row in rows]


def by_figure(rows: list[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        out[row["figure_id"]].append(row)
    return out


# --- On Kenya's real table -----------------------------------------------------------------


@pytest.fixture(scope="module")
def kenya(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dirs, list[Row]]:
    """Kenya's real table built once (the stand-in PDF), and its lineage table."""
    root = tmp_path_factory.mktemp("kenya")
    dirs = Dirs(raw=root / "raw", processed=root / "processed", reports=root / "reports")
    dirs.raw.mkdir()
    for name in (config.PROGRAMME_FILE, config.SETTINGS_FILE, "kenya.csv"):
        shutil.copy(SEED / name, dirs.raw / name)
    (result,) = run(dirs, render=fake_pdf).countries
    assert result.status is Status.BUILT
    return dirs, table_of(config.lineage_csv(dirs.reports, "kenya").read_bytes())


def test_kenyas_value_of_sales_cites_its_four_value_cells(kenya: tuple[Dirs, list[Row]]) -> None:
    rows = by_figure(kenya[1])["KEN.value_usd.total.all"]
    assert {r["shown"] for r in rows} == {"140,653"} and {r["value"] for r in rows} == {"140653.0"}
    assert [(r["input_file"], r["line"], r["column"], r["raw_text"]) for r in rows] == [
        ("kenya.csv", "3", "Value (in US$)", "13,103"),
        ("kenya.csv", "4", "Value (in US$)", "78,175"),
        ("kenya.csv", "5", "Value (in US$)", "46,153"),
        ("kenya.csv", "6", "Value (in US$)", "3,222"),
    ]
    assert rows[0]["formula"] == "sum of value_usd over 4 of 4 territories"
    assert rows[0]["expression"] == "sum(value_usd)" and rows[0]["transform"] == "aggregation"
    sha = rows[0]["input_sha256"]
    assert sha == __import__("hashlib").sha256((SEED / "kenya.csv").read_bytes()).hexdigest()


def test_tana_rivers_price_cites_its_value_and_volume_on_line_6(
    kenya: tuple[Dirs, list[Row]],
) -> None:
    rows = by_figure(kenya[1])["KEN.price_usd_per_t.tana-river.all"]
    assert {r["shown"] for r in rows} == {"US$921"}
    assert [
        (r["role"], r["line"], r["column"], r["raw_text"], r["parsed_value"]) for r in rows
    ] == [
        ("numerator", "6", "Value (in US$)", "3,222", "3222"),
        ("denominator", "6", "Volume sold (mts)", "3.5", "3.5"),
    ]
    assert rows[0]["expression"] == "value_usd ÷ volume_sold_t" and rows[0]["transform"] == "ratio"


def test_a_total_without_its_flagged_row_says_what_it_leaves_out(
    kenya: tuple[Dirs, list[Row]],
) -> None:
    rows = by_figure(kenya[1])["KEN.members_per_pmg.without-tana-river.all"]
    assert {r["shown"] for r in rows} == {"87"}
    assert {r["line"] for r in rows} == {"3", "4", "5"}
    assert {r["left_out"] for r in rows} == {"Tana River (line 6): flagged for checking"}


def test_a_total_a_territory_did_not_report_names_it_in_the_table_and_the_appendix(
    dirs: Dirs,
) -> None:
    (dirs.raw / "kenya.csv").write_text(
        "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)\n"
        "Mbeere,500,maize,3,60,1.5,795\nKitui,400,beans,2,40,n/a,1590\n"
        "Homabay,450,beans,2,45,2,\n",
        encoding="utf-8",
    )
    (result,) = run(dirs, render=fake_pdf).countries
    assert result.status is Status.BUILT, [f.as_text() for f in result.findings]
    rows = by_figure(table_of(config.lineage_csv(dirs.reports, "kenya").read_bytes()))
    value = rows["KEN.value_usd.total.all"]
    assert [(r["line"], r["raw_text"]) for r in value] == [("2", "795"), ("3", "1590")]
    assert {r["formula"] for r in value} == {"sum of value_usd over 2 of 3 territories"}
    assert {r["left_out"] for r in value} == {"Homabay (line 4): value_usd not reported"}
    # A ratio leaves out a territory that did not report either side.
    price = rows["KEN.price_usd_per_t.total.all"]
    assert [(r["role"], r["line"]) for r in price] == [("numerator", "2"), ("denominator", "2")]
    assert {r["left_out"] for r in price} == {
        "Kitui (line 3): volume_sold_t not reported; Homabay (line 4): value_usd not reported"
    }
    html = (dirs.reports / "kenya.pdf").read_text(encoding="utf-8")
    entry = re.search(r'id="how-KEN.value_usd.total.all">(.*?)</p>', html, re.DOTALL)
    assert entry is not None
    assert entry[1].endswith("Left out: Homabay (line 4): value_usd not reported.")


def test_every_figure_the_brief_states_is_in_its_lineage_and_attached(
    kenya: tuple[Dirs, list[Row]],
) -> None:
    dirs, rows = kenya
    data = config.lineage_csv(dirs.reports, "kenya").read_bytes()
    pdf = dirs.reports / "kenya.pdf"
    assert fake_attachments(pdf)["kenya-lineage.csv"] == data
    html = pdf.read_text(encoding="utf-8")
    stated = set(re.findall(r'data-figure="([^"]+)"', html))
    assert stated and stated <= {r["figure_id"] for r in rows}
    # Each linked figure has its entry, and each entry is a linked figure.
    linked = re.findall(r'<a class="figure-link" href="#how-([^"]+)">', html)
    entries = re.findall(r'<p class="how-entry" id="how-([^"]+)">', html)
    assert "KEN.value_usd.total.all" in linked and sorted(set(linked)) == sorted(entries)
    assert "4 cells: kenya.csv, lines 3–6, column Value (in US$)" in html


def test_the_row_of_the_territories_not_listed_is_traced_to_their_cells(dirs: Dirs) -> None:
    """A large country's table lists its leading territories and sums the others in one row,
    "N other territories": its figures are stated, so they are in the lineage table too."""
    shown = config.MAX_TERRITORIES_SHOWN
    lines = ["Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)"]
    for i in range(shown + 3):  # the three smallest sellers are not listed
        volume = "" if i == shown + 2 else f"{1 + i % 7}.5"
        lines.append(f"Area {i:02d},{900 + 7 * i},maize,{2 + i % 3},{40 + i},{volume},{5000 - i}")
    content = ("\n".join(lines) + "\n").encode("utf-8")
    (dirs.raw / "kenya.csv").write_bytes(content)
    (result,) = run(dirs, render=fake_pdf).countries
    assert result.status is Status.BUILT, [f.as_text() for f in result.findings]
    rows = by_figure(table_of(config.lineage_csv(dirs.reports, "kenya").read_bytes()))
    html = (dirs.reports / "kenya.pdf").read_text(encoding="utf-8")
    stated = set(re.findall(r'data-figure="([^"]+)"', html))
    assert "KEN.value_usd.total.all.others" in stated and stated <= set(rows)
    value = rows["KEN.value_usd.total.all.others"]
    assert [(r["line"], r["raw_text"]) for r in value] == [
        (str(shown + 2), str(5000 - shown)),
        (str(shown + 3), str(5000 - shown - 1)),
        (str(shown + 4), str(5000 - shown - 2)),
    ]
    assert {r["formula"] for r in value} == {
        "sum of value_usd over 3 of the 3 territories not listed one by one"
    }
    price = rows["KEN.price_usd_per_t.total.all.others"]
    assert {r["left_out"] for r in price} == {
        f"Area {shown + 2} (line {shown + 4}): volume_sold_t not reported"
    }
    share = rows["KEN.value_usd.total.all.others.share"]
    assert [r["input_figure"] for r in share] == [
        "KEN.value_usd.total.all.others",
        "KEN.value_usd.total.all",
    ]
    case = Case([], [], (",", ".", ","), grouped=False)
    for figure in ("KEN.value_usd.total.all.others", "KEN.price_usd_per_t.total.all.others"):
        got = recompute(figure, rows, content, case, "")
        assert math.isclose(got, float(rows[figure][0]["value"]), rel_tol=1e-12), figure
    got = recompute("KEN.value_usd.total.all.others.share", rows, content, case, "")
    assert math.isclose(got, float(share[0]["value"]), rel_tol=1e-12)
    assert {r["shown"] for r in share} == {f"{round(100 * got)}%"}


def test_baselines_and_targets_the_brief_states_cite_their_cells_of_targets_csv(
    dirs: Dirs,
) -> None:
    from .test_targets import HEADER, KENYA_TARGETS

    shutil.copy(SEED / "kenya.csv", dirs.raw / "kenya.csv")
    written = HEADER + KENYA_TARGETS.replace("8000", '"8,000"')
    (dirs.raw / "targets.csv").write_text(written, encoding="utf-8")
    (result,) = run(dirs, render=fake_pdf).countries
    assert result.status is Status.BUILT, [f.as_text() for f in result.findings]
    rows = by_figure(table_of(config.lineage_csv(dirs.reports, "kenya").read_bytes()))
    html = (dirs.reports / "kenya.pdf").read_text(encoding="utf-8")
    stated = set(re.findall(r'data-figure="([^"]+)"', html))
    assert "KEN.members.mbeere.all.target" in stated and stated <= set(rows)
    sha = __import__("hashlib").sha256(written.encode("utf-8")).hexdigest()
    records = _csv_cells(written.encode("utf-8"), ",")
    for figure in [f for f in rows if f.endswith((".target", ".baseline"))]:
        (row,) = rows[figure]
        assert (row["input_file"], row["input_sha256"], row["sheet"]) == ("targets.csv", sha, "")
        line, column = int(row["line"]), row["column"]
        assert records[line][records[1].index(column)] == row["raw_text"]
        assert float(_written(row["raw_text"], Case([], [], (",", ".", ","), True), False)) == (
            float(row["value"])
        )
    (members,) = rows["KEN.members.total.all.target"]
    assert (members["line"], members["column"], members["raw_text"]) == ("4", "target", "8,000")
    assert members["formula"] == "the target set on line 4 of targets.csv"
    assert (members["shown"], members["transform"]) == ("8,000", "identity")
    # The key finding states it, linked to its entry.
    assert '<a class="figure-link" href="#how-KEN.members.total.all.target">' in html
    entry = re.search(r'id="how-KEN.members.total.all.target">(.*?)</p>', html, re.DOTALL)
    assert entry is not None
    assert entry[1] == (
        "PMG members · Target · Kenya: 8,000 (KEN.members.total.all.target)\n"
        "Formula: the target set on line 4 of targets.csv (target). "
        "Inputs: 1 cell: targets.csv, line 4, column target."
    )


def test_the_manifest_lists_the_lineage_table(kenya: tuple[Dirs, list[Row]]) -> None:
    import json

    dirs, _ = kenya
    manifest = json.loads(config.manifest(dirs.reports).read_text(encoding="utf-8"))
    assert "open-data/kenya-lineage.csv" in manifest["countries"]["kenya.csv"]["outputs"]


def test_a_converted_value_cites_its_rate_and_its_line_in_exchange_rates(dirs: Dirs) -> None:
    (dirs.raw / "exchange_rates.csv").write_text(
        "currency,period,units_per_usd\nUGX,,3000\nKES,,79.5\n", encoding="utf-8"
    )
    (dirs.raw / "kenya.csv").write_text(
        "Territory,Target households,Products,PMGs,Members,Volume sold (kg),Value ('000 KES)\n"
        "Mbeere,500,maize,3,60,1500,795\nKitui,400,beans,2,40,2500,1590\n",
        encoding="utf-8",
    )
    (result,) = run(dirs, render=fake_pdf).countries
    assert result.status is Status.BUILT, [f.as_text() for f in result.findings]
    rows = by_figure(table_of(config.lineage_csv(dirs.reports, "kenya").read_bytes()))
    mbeere = rows["KEN.value_usd.mbeere.all"]
    assert [
        (r["raw_text"], r["factor"], r["currency"], r["rate"], r["rate_line"], r["value"])
        for r in mbeere
    ] == [("795", "1000", "KES", "79.5", "3", "10000.0")]
    assert mbeere[0]["transform"] == "unit conversion, currency conversion"
    volume = rows["KEN.volume_sold_t.total.all"]
    assert [(r["factor"], r["converted_value"]) for r in volume] == [
        ("0.001", "1.5"),
        ("0.001", "2.5"),
    ]


def test_an_entry_is_its_title_line_then_one_line_of_how(dirs: Dirs) -> None:
    """The appendix sets an entry's text as written (pre-line): a header written over two
    lines is one line in the entry, as it was when the browser collapsed it."""
    (dirs.raw / "kenya.csv").write_text(
        'Territory,Target households,Products,PMGs,Members,Volume sold (t),"Value\n(in US$)"\n'
        "Mbeere,500,maize,3,60,1.5,795\nKitui,400,beans,2,40,2.5,1590\n",
        encoding="utf-8",
    )
    (result,) = run(dirs, render=fake_pdf).countries
    assert result.status is Status.BUILT, [f.as_text() for f in result.findings]
    html = (dirs.reports / "kenya.pdf").read_text(encoding="utf-8")
    entries = re.findall(r'<p class="how-entry" id="how-([^"]+)">(.*?)</p>', html, re.DOTALL)
    assert entries and all(text.count("\n") == 1 for _, text in entries), entries
    value = dict(entries)["KEN.value_usd.total.all"]
    assert value.startswith("Value of sales · Kenya: US$2,385 (KEN.value_usd.total.all)\n")
    # The header takes the file's first two lines: the data are on lines 3 and 4.
    assert "2 cells: kenya.csv, lines 3–4, column Value (in US$)." in value


#: A workbook's table: typed numbers, one value written as text, a value in thousands of KES.
WORKBOOK = [
    ["Territory", "Target households", "Products", "PMGs", "Members", "Volume sold (kg)",
     "Value ('000 KES)"],
    ["Mbeere", 500, "maize", 3, 60, 1500, 795],
    ["Kitui", 400, "beans", 2, 40, 2500, "1,590.5"],
]  # fmt: skip


def _workbook(kind: str) -> bytes:
    """WORKBOOK as an .xlsx or .ods file, its sheet named Kenya."""
    buffer = io.BytesIO()
    if kind == "xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Kenya"
        for line in WORKBOOK:
            sheet.append(line)
        book.save(buffer)
        return buffer.getvalue()
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Kenya")
    for line in WORKBOOK:
        row = TableRow()
        for value in line:
            typed = isinstance(value, int)
            cell = (
                TableCell(valuetype="float", value=str(value))
                if typed
                else TableCell(valuetype="string")
            )
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    document.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_workbooks_figures_cite_sheet_row_and_rate_and_recompute(dirs: Dirs, kind: str) -> None:
    rates = "currency,period,units_per_usd\nUGX,,3000\nKES,,79.5\n"
    (dirs.raw / "exchange_rates.csv").write_text(rates, encoding="utf-8")
    content = _workbook(kind)
    (dirs.raw / f"kenya.{kind}").write_bytes(content)
    (result,) = run(dirs, render=fake_pdf).countries
    assert result.status is Status.BUILT, [f.as_text() for f in result.findings]
    rows = by_figure(table_of(config.lineage_csv(dirs.reports, "kenya").read_bytes()))
    kitui = rows["KEN.value_usd.kitui.all"]
    assert [
        (r["input_file"], r["sheet"], r["line"], r["column"], r["raw_text"], r["parsed_value"])
        for r in kitui
    ] == [(f"kenya.{kind}", "Kenya", "3", "Value ('000 KES)", "1,590.5", "1590.5")]
    assert [(r["factor"], r["currency"], r["rate"], r["rate_line"]) for r in kitui] == [
        ("1000", "KES", "79.5", "3")
    ]
    assert kitui[0]["transform"] == "unit conversion, currency conversion"
    total = rows["KEN.value_usd.total.all"]
    assert [(r["sheet"], r["line"]) for r in total] == [("Kenya", "2"), ("Kenya", "3")]
    case = Case([], [], (",", ".", ","), grouped=True)
    for figure, cited in rows.items():
        value = recompute(figure, rows, content, case, rates)
        assert math.isclose(value, float(cited[0]["value"]), rel_tol=1e-12), figure
    assert math.isclose(float(total[0]["value"]), (795_000 + 1_590_500) / 79.5, rel_tol=1e-12)


# --- The oracle ------------------------------------------------------------------------------
# Each reader is a pure function of the file's bytes, kept for the last few files: a file is
# read once however many figures cite it (each figure read the whole workbook again before:
# half of the property's time). The readers' records are only read, never changed.


@lru_cache(maxsize=4)
def _csv_cells(data: bytes, delimiter: str) -> dict[int, list[str]]:
    """A CSV's records by the physical line each starts on (read here, not by the pipeline)."""
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out, end = {}, 0
    for cells in reader:
        out[end + 1] = cells
        end = reader.line_num
    return out


@lru_cache(maxsize=4)
def _sheet_cells(data: bytes, sheet: str) -> dict[int, list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    rows = book[sheet].iter_rows(values_only=True)
    return {i: list(r) for i, r in enumerate(rows, start=1)}


@lru_cache(maxsize=4)
def _ods_cells(data: bytes, sheet: str) -> dict[int, list[object]]:
    """An .ods sheet's rows by number, read here with odfpy (not by the pipeline): a number
    cell is its stored value, a text cell its text, an empty cell None; repeated rows and
    cells (how LibreOffice writes runs of the same cell) counted out."""
    from odf import teletype
    from odf.namespaces import OFFICENS, TABLENS
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = load(io.BytesIO(data))
    table = next(t for t in document.getElementsByType(Table) if t.getAttribute("name") == sheet)
    out: dict[int, list[object]] = {}
    number = 1
    for row in table.getElementsByType(TableRow):
        cells: list[object] = []
        for cell in row.getElementsByType(TableCell):
            kind = cell.attributes.get((OFFICENS, "value-type"))
            value: object
            if kind in ("float", "percentage", "currency"):
                value = float(cell.attributes[(OFFICENS, "value")])
            else:
                text = "\n".join(teletype.extractText(p) for p in cell.getElementsByType(P))
                value = text or None
            repeat = int(cell.attributes.get((TABLENS, "number-columns-repeated"), 1))
            cells += [value] * min(repeat, 64)  # a row's trailing empties may repeat 1,000s
        for _ in range(min(int(row.attributes.get((TABLENS, "number-rows-repeated"), 1)), 64)):
            out[number] = list(cells)
            number += 1
    return out


def _column(records: dict[int, list[object]], label: str, line: int) -> int:
    """The index of the header cell `label`, in the nearest header row above `line`."""
    for at in sorted((n for n in records if n < line), reverse=True):
        cells = [str(c).strip() if c is not None else "" for c in records[at]]
        if label in cells:
            return cells.index(label)
    raise AssertionError(f"no header {label!r} above line {line}")


def _written(text: str, case: Case, workbook: bool) -> Decimal:
    """The number a text cell holds in the generated file's format (a workbook's text cells
    are written with a decimal point)."""
    _, mark, group = (",", ".", ",") if workbook else case.fmt
    plain = text.strip().replace(group, "").replace(" ", "").replace(mark, ".")
    return Decimal(plain)


def recompute(
    figure: str, figures: dict[str, list[Row]], raw: bytes, case: Case, rates: str
) -> float:
    """A figure from the raw file's cells, by the lineage table's formula and conversions."""
    sides: dict[str, list[float]] = defaultdict(list)
    records: dict[int, list[object]] | None = None
    rate_lines = rates.splitlines()
    for row in figures[figure]:
        if row["input_figure"]:
            sides[row["role"]].append(recompute(row["input_figure"], figures, raw, case, rates))
            continue
        if not row["input_file"]:
            continue  # nothing reported it
        if records is None:
            if row["input_file"].endswith(".ods"):
                records = _ods_cells(raw, row["sheet"])
            elif row["sheet"]:
                records = _sheet_cells(raw, row["sheet"])
            else:
                records = _csv_cells(raw, case.fmt[0])  # type: ignore[assignment]
        assert records is not None
        line = int(row["line"])
        cell = records[line][_column(records, row["column"], line)]
        if isinstance(cell, (int, float)):  # a workbook's typed number
            written = Decimal(repr(float(cell)))
        else:
            assert str(cell or "") == row["raw_text"], (cell, row)
            written = (
                _written(str(cell), case, bool(row["sheet"]))
                if row["parsed_value"]
                else Decimal(0)
            )
        if not row["parsed_value"]:  # not reported: the figure has no value
            assert str(cell or "").strip().lower() in config.MISSING_MARKERS, (cell, row)
            return math.nan
        assert written == Decimal(row["parsed_value"]), (written, row, records[line])
        factor = Decimal(row["factor"])
        value = float(written * factor) if factor != 1 else float(written)
        if row["rate"]:
            stated = rate_lines[int(row["rate_line"]) - 1].split(",")
            assert float(stated[2]) == float(row["rate"]), (stated, row)
            value /= float(stated[2])
        sides[row["role"]].append(value)
    if "numerator" in sides:
        bottom = sum(sides["denominator"])
        return sum(sides["numerator"]) / bottom if bottom > 0 else math.nan
    return sum(sides["term"]) if sides["term"] else math.nan


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=office_files(), data=st.data())
def test_every_figure_is_recomputed_from_its_cited_cells(
    tmp_path: Path, case: Case, data: st.DataObject
) -> None:
    writer = data.draw(st.sampled_from(["csv", "xlsx", "ods"]))
    if writer == "csv":
        name, content = _csv(case, data)
    elif writer == "xlsx":
        name, content = _xlsx(case, data, tmp_path)
    else:
        name, content = _ods(case, data)
    result, table, indicators = validated_case(tmp_path, name, content, case)
    if result.status is not Status.VALIDATED:
        assert _probable_totals(case.table), [f.as_text() for f in result.findings]
        return
    assert table is not None and indicators is not None
    flags = [f for f in result.findings if f.rule in FLAG_RULES]
    figures = brief_figures("KEN", indicators, flags)
    shares = [share_total(figures, p) for p in figures.totals]
    lineage = figure_lineage(figures, table, Formatter("en"), shares)
    rows = table_of(csv_bytes(LINEAGE_FIELDS, lineage_records(lineage, table.raw)))
    grouped = by_figure(rows)
    assert len(grouped) == len(lineage)
    cells = [r for r in rows if r["input_file"]]
    event(
        f"{writer}, validated" + (", converted at a rate" if any(r["rate"] for r in cells) else "")
    )
    # Each cell is cited in the file as named, and in a workbook by its sheet too.
    assert {r["input_file"] for r in cells} <= {name}
    assert {r["sheet"] for r in cells} <= ({""} if writer == "csv" else {"Kenya"})
    fmt = Formatter("en")
    for figure, cited in grouped.items():
        indicator, stated = cited[0]["indicator"], cited[0]["value"]
        value = float(stated) if stated else math.nan
        got = recompute(figure, grouped, content, case, case.rates)
        if math.isnan(value):
            assert math.isnan(got), (figure, got)
        else:
            assert math.isclose(got, value, rel_tol=1e-12, abs_tol=1e-9), (figure, got, value)
        shown = fmt.value(indicator, value, decimals(indicator, value), bare=True)
        assert {r["shown"] for r in cited} == {shown}, figure
