"""An oracle: a country's totals computed straight from the generated table, never by the
pipeline; for any table that validates, the brief, the processed CSV and the overview agree."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from pipeline import config
from pipeline.check.target_match import country_targets
from pipeline.check.targets import targets_table
from pipeline.check.validate import CountryTable
from pipeline.core.countries import resolve_country
from pipeline.core.findings import Severity
from pipeline.core.formatting import NOT_REPORTED, Formatter
from pipeline.core.outcomes import CountryResult, Status
from pipeline.present import brief_context as brief_module
from pipeline.present.brief_context import BriefData, Framing, Provenance, brief_context
from pipeline.present.overview_figures import country_frame, programme_summary
from pipeline.read.cells import COMMA, POINT, parse_decimal
from pipeline.read.programme import read_programme
from pipeline.read.rates import read_exchange_rates
from pipeline.read.targets import read_targets
from pipeline.run.build import validate_country
from pipeline.run.outputs import frame_csv
from pipeline.run.tasks import Shared
from tests.tier import examples

from .conftest import SEED
from .fakes import strip_tags

SUMS = ("target_households", "pmgs", "members", "volume_sold_t", "value_usd")
HEADERS = {
    "territory": ["Territory", "District", "territory"],
    "target_households": ["Target population (no. of households)", "Target households"],
    "products": ["Products", "Crops"],
    "pmgs": ["PMGs", "Producer marketing groups"],
    "members": ["Members", "Farmers"],
    "volume_sold_t": ["Volume sold (mts)", "Volume (MT)", "volume_sold_t"],
    "value_usd": ["Value (US$)", "Value (in US$)", "Value (USD)"],
}
NAMES = ["Mbeere", "Tana River", "Kitui", "Koné", "Île Nord", "Sud-Est", "Lac", "Mwingi"]
TOTALS_LABELS = [
    "Total",
    "TOTALS",
    "Grand total",
    "Total général",
    "Totaux",
    "Jumla",
    "Total Kenya",
    "Tot.",
    "OVERALL",
    "Totales",
    "Total geral",
    "Somme",
    "Total (all districts)",
    "National total",
    # A totals word with the period's years: the Totals row (of that period, with a period
    # column), never a part's subtotal left unreconciled.
    "Total 2004",
    "Grand total (2003-04)",
    "2004 Total",
    "TOTAL KENYA 2004",
    "Total all districts 2003/2004",
]
MISSING = ["", "-", "n/a"]


@dataclass(frozen=True)
class Row:
    name: str
    figures: tuple[Decimal | None, ...]  #: one per SUMS column; None is not reported


@st.composite
def rows(draw: st.DrawFn) -> list[Row]:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5, unique=True))
    out = []
    for name in names:
        pmgs = draw(st.integers(0, 60))
        members = draw(st.integers(pmgs, pmgs + 5_000))
        volume = draw(st.none() | st.decimals(0, 5_000, places=draw(st.integers(0, 2))))
        value = draw(st.none() | st.decimals(0, 9_000_000, places=draw(st.integers(0, 2))))
        # Sales need sellers, and a value needs produce sold (rule sales-without-sellers).
        if 0 in (pmgs, members):
            volume, value = (None if v is None else Decimal(0) for v in (volume, value))
        if volume == 0 and value:
            value = Decimal(0)
        figures = (
            Decimal(draw(st.integers(0, 200_000))),
            Decimal(pmgs),
            Decimal(members),
            volume,
            value,
        )
        out.append(Row(name, figures))
    return out


def oracle(table: list[Row]) -> dict[str, Decimal | None]:
    """Each column's sum over the territories that reported it; None when none did."""
    sums: dict[str, Decimal | None] = {}
    for i, column in enumerate(SUMS):
        reported = [r.figures[i] for r in table if r.figures[i] is not None]
        sums[column] = sum(reported, Decimal(0)) if reported else None
    return sums


def text_number(value: Decimal, decimal: str, group: str, grouped: bool) -> str:
    whole, _, frac = f"{value:f}".partition(".")
    whole = f"{int(whole):,}".replace(",", group) if grouped else whole
    return whole + (decimal + frac if frac else "")


@st.composite
def csv_file(draw: st.DrawFn, table: list[Row], totals: str | None) -> tuple[str, bytes]:
    delimiter, decimal, group = draw(
        st.sampled_from([(",", ".", ","), (";", ",", "."), (";", ",", " "), ("\t", ".", ",")])
    )
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    grouped = draw(st.booleans())
    header = [draw(st.sampled_from(HEADERS[c])) for c in HEADERS]

    def cell(text: str) -> str:
        return f'"{text}"' if delimiter in text or '"' in text else text

    def line(name: str, figures: tuple[Decimal | None, ...]) -> str:
        shown = [
            draw(st.sampled_from(MISSING))
            if f is None
            else text_number(f, decimal, group, grouped)
            for f in figures
        ]
        return delimiter.join(cell(c) for c in [name, shown[0], "maize, beans", *shown[1:]])

    lines = [draw(st.sampled_from(["", "Impact of the alliance"]))] if draw(st.booleans()) else []
    lines += [delimiter.join(cell(h) for h in header)]
    lines += [line(r.name, r.figures) for r in table]
    if totals:
        lines.append(line(totals, tuple(oracle(table).values())))
    return "kenya.csv", ("\r\n".join(lines) + "\r\n").encode(encoding)


@st.composite
def workbook_file(draw: st.DrawFn, table: list[Row], totals: str | None) -> tuple[str, bytes]:
    book = Workbook()
    sheet = book.active
    sheet.title = "Kenya"
    sheet.append([draw(st.sampled_from(HEADERS[c])) for c in HEADERS])

    def cell(value: Decimal | None) -> object:
        if value is None:
            return draw(st.sampled_from([None, "-", "n/a"]))
        if draw(st.booleans()):  # a typed number cell
            return int(value) if value == value.to_integral() else float(value)
        return text_number(value, ".", ",", draw(st.booleans()))  # a number stored as text

    for row in table:
        figures = [cell(f) for f in row.figures]
        sheet.append([row.name, figures[0], "maize", *figures[1:]])
    if totals:
        figures = [cell(f) for f in oracle(table).values()]
        sheet.append([totals, figures[0], None, *figures[1:]])
    buffer = io.BytesIO()
    book.save(buffer)
    return "kenya.xlsx", buffer.getvalue()


def close(got: float, expected: Decimal | None, decimals: int = 6) -> bool:
    if expected is None:
        return math.isnan(got)  # not reported
    return abs(Decimal(repr(got)) - expected) <= Decimal(10) ** -decimals


def shown_number(text: str) -> Decimal:
    """The number a table cell shows (its markup and unit left out)."""
    plain = strip_tags(str(text)).strip()
    return Decimal(plain.replace("US$", "").replace(",", ""))


PROGRAMME = read_programme(SEED / config.PROGRAMME_FILE)


@settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), table=rows(), totals=st.none() | st.sampled_from(TOTALS_LABELS))
def test_every_output_equals_the_oracle(
    tmp_path: Path, data: st.DataObject, table: list[Row], totals: str | None
) -> None:
    # A territory that happens to hold the others' sums is refused as a probable Totals row
    # (#19): that outcome is the metamorphic test's below, not this one's.
    assume(not _probable_totals(table))
    writer = data.draw(st.sampled_from([csv_file, workbook_file]))
    name, content = data.draw(writer(table, totals))
    path = tmp_path / name
    path.write_bytes(content)
    expected = oracle(table)
    shared = Shared(programmes={"en": PROGRAMME})
    result, checked, indicators = validate_country(path, shared)
    assert result.status is Status.VALIDATED, [f.as_text() for f in result.findings]
    assert checked is not None and indicators is not None
    assert len(checked.territories) == len(table)
    assert len(checked.totals) == (1 if totals else 0)
    # The overview's row for the country, and the programme's totals.
    frame = country_frame([result], Formatter("en"))
    overview = programme_summary([result])
    # The processed CSV, read back as a donor would.
    processed = list(csv.DictReader(io.StringIO(frame_csv(indicators).decode())))
    for column in SUMS:
        assert close(result.summary[column], expected[column]), column
        assert close(float(frame.at[0, column]), expected[column]), column
        assert close(getattr(overview, column), expected[column]), column
        cells = [r[column] for r in processed if r[column]]
        got = sum((Decimal(c) for c in cells), Decimal(0)) if cells else None
        assert (got is None and expected[column] is None) or (
            got is not None
            and expected[column] is not None
            and abs(got - expected[column]) <= Decimal("1e-6")
        ), column
    # The brief's totals row, as the template shows it (charts are not the subject here).
    with mock.patch.object(brief_module, "charts", return_value=[]):
        context = brief_context(
            BriefData(resolve_country("kenya"), checked, indicators),
            Framing(PROGRAMME, Formatter("en"), datetime(2004, 12, 1, tzinfo=UTC)),
            Provenance(path.name, "", "", 0, 0),
        )
    for column, cell in zip(SUMS, context["totals"], strict=True):
        if expected[column] is None:
            assert cell["text"] == NOT_REPORTED
            continue
        shown = shown_number(cell["text"])
        places = -shown.as_tuple().exponent  # type: ignore[operator]
        assert abs(shown - expected[column]) <= Decimal("0.5") * Decimal(10) ** -places, column


@pytest.mark.parametrize("label", TOTALS_LABELS)
def test_a_wrong_totals_row_in_any_form_is_refused(tmp_path: Path, label: str) -> None:
    path = tmp_path / "kenya.csv"
    path.write_text(
        "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)\n"
        f"A,10,x,1,5,1,100\nB,10,x,1,5,1,100\n{label},20,,2,10,2,400\n"
    )
    result, table, _ = validate_country(path, Shared(programmes={"en": PROGRAMME}))
    assert result.status is Status.INVALID
    assert table is not None and list(table.territories["territory"]) == ["A", "B"]
    assert [(f.line, f.rule) for f in result.findings if f.severity == "error"] == [
        (4, "totals-mismatch")
    ]


#: Two periods, and how a Totals row's label may name each.
PERIOD_PAIRS = [
    (("2003", "2004"), ("Total 2003", "Total 2004")),
    (("2003-2004", "2004-2005"), ("Total 2003-04", "Grand total (2004/2005)")),
    (("2003", "2004"), ("2003 Total", "TOTAL KENYA 2004")),
]


@settings(max_examples=examples(30), deadline=None)
@given(
    pair=st.sampled_from(PERIOD_PAIRS),
    members=st.lists(st.integers(5, 900), min_size=4, max_size=4),
    slip=st.sampled_from([None, (0, 1), (0, -1), (1, 1), (1, -1)]),
)
def test_a_totals_row_named_by_its_period_is_reconciled_with_that_periods_territories(
    tmp_path_factory: pytest.TempPathFactory,
    pair: tuple[tuple[str, str], tuple[str, str]],
    members: list[int],
    slip: tuple[int, int] | None,
) -> None:
    """ "Total 2004" with its period cell blank is the Totals row of 2004: reconciled with the
    territories of 2004 alone, so a slip of one member in either period's row is refused on
    that row's line, and a right one validates."""
    periods, labels = pair
    lines = [
        "Period,Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)"
    ]
    for p, period in enumerate(periods):
        part = members[2 * p : 2 * p + 2]
        lines += [
            f"{period},{name},1000,maize,2,{m},5,900" for name, m in zip("AB", part, strict=True)
        ]
        stated = sum(part) + (slip[1] if slip and slip[0] == p else 0)
        lines.append(f",{labels[p]},2000,,4,{stated},10,1800")
    path = tmp_path_factory.mktemp("dated") / "kenya.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result, _, _ = validate_country(path, Shared(programmes={"en": PROGRAMME}))

    errors = [(f.line, f.rule) for f in result.findings if f.severity == "error"]
    if slip is None:
        assert result.status is Status.VALIDATED, [f.as_text() for f in result.findings]
    else:
        assert errors == [(4 + 3 * slip[0], "totals-mismatch")]


# --- #19 rule 7: what offices do to a correct table -----------------------------------------
#
# A metamorphic oracle. A correct table (its figures in US$ and tonnes, `Row`) is written the
# way field offices, Excel, LibreOffice and Google Sheets write it: units, scales and currencies
# anywhere in the headers or in a units row, a title, number formats with ambiguous cells and
# an occasional cell typed in another format, Totals rows under any label (the country's name
# too), subtotals, notes, repeated headers, blank lines, Country and Currency columns, periods
# spelled every accepted way on both sides of the rates and targets joins, and workbooks with
# typed, text, formula and error cells, as .csv, .xlsx or .ods. There are two outcomes only:
# the validated figures (CountryTable, processed table) are the oracle's, territory by
# territory; or the file is refused with a finding that names a line. A file with nothing
# doubtful in it must validate: refusing everything would not pass.


@dataclass(frozen=True)
class Typed:
    """A workbook number cell."""

    value: Decimal


@dataclass(frozen=True)
class Formula:
    """A workbook formula cell and the value stored with it (None: never computed)."""

    value: Decimal
    stored: bool = True


@dataclass(frozen=True)
class Error:
    """A workbook error cell."""

    shown: str


@dataclass
class Case:
    """A generated file: its cells as written, and what the pipeline must make of it."""

    lines: list[list[object]]
    table: list[Row]
    fmt: tuple[str, str, str]  #: delimiter, decimal mark, thousands separator
    grouped: bool
    rates: str = ""
    targets: str = ""
    period: str = ""  #: canonical period of every row, "" without a period column
    may_refuse: bool = False  #: something doubtful was written: refusing it is right


#: (written per column: text in the header, factor from the written number to the oracle's)
CURRENCIES_WRITTEN = {"USD": ["US$", "USD", "$", "in US$", "usd"], "KES": ["KES", "kes", "KSh"]}
RATES = {"USD": Decimal(1), "KES": Decimal(80)}
TITLE_LABELS = ["Kenya", "KENYA", "All districts", "Total Kenya", *TOTALS_LABELS]
COUNTRY_CELLS = ["Kenya", "KEN", "KE", "kenya", ""]
PERIOD_FORMS = ["2003-2004", "2003/2004", "2003 – 2004", "2003 / 2004"]


def _bracketed(draw: st.DrawFn, pieces: list[str]) -> str:
    pieces = [p for p in pieces if p]
    if not pieces:
        return ""
    pieces = draw(st.permutations(pieces))
    if draw(st.booleans()):
        pieces = [" ".join(pieces)]
    shapes = [("(", ")"), ("[", "]"), ("", "")]
    return " ".join(f"{o}{p}{c}" for p in pieces for o, c in [draw(st.sampled_from(shapes))])


@st.composite
def office_files(  # noqa: C901 (a generator: one branch per thing offices do to a table)
    draw: st.DrawFn,
) -> Case:
    table = draw(rows())
    fmt = draw(
        st.sampled_from([(",", ".", ","), (";", ",", "."), (";", ",", " "), ("\t", ".", ",")])
    )
    case = Case([], table, fmt, draw(st.booleans()))
    currency = draw(st.sampled_from(["USD", "KES"]))
    value_scale = draw(st.sampled_from([1, 1000]))
    households_scale = draw(st.sampled_from([1, 1, 1000]))
    kilograms = draw(st.booleans())
    #: how each figure column turns an oracle figure into what is written
    factor = {
        "target_households": Decimal(1) / households_scale,
        "pmgs": Decimal(1),
        "members": Decimal(1),
        "volume_sold_t": Decimal(1000) if kilograms else Decimal(1),
        "value_usd": RATES[currency] / value_scale,
    }
    value_said = [
        draw(st.sampled_from(CURRENCIES_WRITTEN[currency])),
        "'000" if value_scale == 1000 else "",
    ]
    volume_said = ["kg" if kilograms else draw(st.sampled_from(["t", "mts", "tonnes", ""])), ""]
    households_said = ["('000)" if households_scale == 1000 else ""]
    currency_column = currency == "KES" and draw(st.booleans())
    units_row = draw(st.booleans())
    names = {
        "territory": draw(st.sampled_from(["Territory", "District", "Region"])),
        "target_households": draw(st.sampled_from(["Target households", "Target population"])),
        "products": "Products",
        "pmgs": draw(st.sampled_from(["PMGs", "No. of PMGs", "Groups"])),
        "members": draw(st.sampled_from(["Members", "Farmers", "# members"])),
        "volume_sold_t": draw(st.sampled_from(["Volume sold", "Volume"])),
        "value_usd": draw(st.sampled_from(["Value", "Value of sales", "Value sold"])),
    }
    units: dict[str, str] = {}
    if units_row:  # the header is silent; a units row under it says it all
        units = {
            "target_households": "'000" if households_scale == 1000 else "households",
            "volume_sold_t": "kg" if kilograms else "t",
            "value_usd": " ".join(p for p in value_said if p)
            if not currency_column
            else value_said[1],
        }
        header = dict(names)
        if currency_column:
            header["value_usd"] = names["value_usd"]
    else:
        header = {
            **names,
            "target_households": f"{names['target_households']} {households_said[0]}".strip(),
            "volume_sold_t": f"{names['volume_sold_t']} {_bracketed(draw, volume_said)}".strip(),
            "value_usd": f"{names['value_usd']} "
            + _bracketed(draw, [value_said[1]] if currency_column else value_said),
        }
        header = {k: v.strip() for k, v in header.items()}
    extra = []
    if currency_column:
        extra.append(("Currency", lambda: draw(st.sampled_from(["KES", "kes", "Ksh"]))))
    if draw(st.booleans()):
        extra.append(
            (
                draw(st.sampled_from(["Country", "Pays", "ISO3"])),
                lambda: draw(st.sampled_from(COUNTRY_CELLS)),
            )
        )
    if draw(st.booleans()):
        case.period = "2003-2004"
        extra.append(("Period", lambda: draw(st.sampled_from(PERIOD_FORMS))))
    if currency == "KES":
        keyed = draw(st.sampled_from(PERIOD_FORMS)) if case.period else ""
        # A blank-period rate that would give other figures, beside the period's own rate.
        fallback = "KES,,125\n" if case.period else ""
        case.rates = f"currency,period,units_per_usd\n{fallback}kes,{keyed},80\n"

    columns = list(SUMS)
    order = [
        "territory",
        "target_households",
        "products",
        "pmgs",
        "members",
        "volume_sold_t",
        "value_usd",
    ]
    if draw(st.booleans()):
        title = draw(
            st.sampled_from(["Impact of a learning alliance : case of Kenya", "Kenya 2003-2004"])
        )
        case.lines.append([title])
    case.lines.append([header[c] for c in order] + [name for name, _ in extra])
    if units_row:
        case.lines.append([units.get(c, "") for c in order] + ["" for _ in extra])

    def written(figure: Decimal | None, column: str) -> object:
        return None if figure is None else figure * factor[column]

    def data_line(
        label: str, figures: tuple[Decimal | None, ...], filled: bool = True
    ) -> list[object]:
        cells = {c: written(f, c) for c, f in zip(columns, figures, strict=True)}
        line = [label, cells["target_households"], "maize, beans" if filled else ""]
        line += [cells[c] for c in ("pmgs", "members", "volume_sold_t", "value_usd")]
        return line + [make() for _, make in extra]

    body = [data_line(r.name, r.figures) for r in table]
    if len(body) > 1 and draw(st.booleans()):  # the header again, as at a page break
        body.insert(1, list(case.lines[-1 if not units_row else -2]))
    if draw(st.booleans()):
        body.insert(draw(st.integers(0, len(body))), [])
    if len(table) > 1 and draw(st.booleans()):
        part = oracle(table[:1])
        body.append(data_line("Sub-total East", tuple(part.values()), filled=False))
    sums = oracle(table)
    labels = list(TOTALS_LABELS)
    if any(v for v in sums.values()):
        labels += ["Kenya", "KENYA", "All districts"]
    if draw(st.booleans()):
        body.append(data_line(draw(st.sampled_from(labels)), tuple(sums.values()), filled=False))
    if draw(st.booleans()):
        body.append(
            [
                draw(
                    st.sampled_from(
                        [
                            "Source: CRS M&E unit",
                            "* provisional figures",
                            "Note: from the field offices",
                        ]
                    )
                )
            ]
        )
    case.lines += body
    if case.period or draw(st.booleans()):
        territory = draw(st.sampled_from(table)).name
        shown = draw(st.sampled_from([territory, territory.upper(), f" {territory.lower()} "]))
        period = draw(st.sampled_from(PERIOD_FORMS)) if case.period else ""
        country = draw(st.sampled_from(["Kenya", "ken", "KE"]))
        case.targets = (
            "country,territory,indicator,period,target\n"
            f'{country},"{shown}",members,{period},100\n{country},,pmgs,{period},10\n'
        )
    return case


def _text(value: object, case: Case, data: st.DataObject) -> str:
    """A cell as a CSV holds it, in the file's format."""
    _, decimal, group = case.fmt
    if value is None:
        return data.draw(st.sampled_from(MISSING))
    if isinstance(value, Decimal):
        return text_number(
            value.normalize() if value == value.to_integral() else value,
            decimal,
            group,
            case.grouped,
        )
    if isinstance(value, (Typed, Formula)):
        return _text(value.value, case, data)
    return str(value)


def _csv(case: Case, data: st.DataObject) -> tuple[str, bytes]:
    delimiter = case.fmt[0]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for line in case.lines:
        writer.writerow([_text(v, case, data) for v in line])
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
    return "kenya.csv", out.getvalue().encode(encoding)


def _workbook_cell(value: object, case: Case, data: st.DataObject) -> object:
    if value is None:
        return data.draw(st.sampled_from([None, "-", "n/a"]))
    if isinstance(value, Decimal):
        kind = data.draw(st.sampled_from(["typed", "typed", "text", "formula"]))
        if kind == "typed":
            return Typed(value)
        if kind == "formula":
            return Formula(value)
        return text_number(value, ".", ",", data.draw(st.booleans()))
    return value


def _xlsx(case: Case, data: st.DataObject, tmp: Path) -> tuple[str, bytes]:
    from tests.test_wrong_numbers import store_values

    book = Workbook()
    sheet = book.active
    sheet.title = "Kenya"
    stored: dict[str, str] = {}
    for r, line in enumerate(case.lines, 1):
        for c, value in enumerate(line, 1):
            cell = _workbook_cell(value, case, data)
            ref = f"{get_column_letter(c)}{r}"
            if isinstance(cell, Typed):
                sheet[ref] = float(cell.value)
            elif isinstance(cell, Formula):
                sheet[ref] = f"={cell.value}"
                stored[ref] = str(cell.value)
            elif isinstance(cell, Error):
                sheet[ref] = cell.shown
                sheet[ref].data_type = "e"
            elif cell is not None:
                sheet[ref] = cell
    path = tmp / "kenya.xlsx"
    book.save(path)
    store_values(path, stored)
    return "kenya.xlsx", path.read_bytes()


def _ods(case: Case, data: st.DataObject) -> tuple[str, bytes]:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    sheet = Table(name="Kenya")
    for line in case.lines:
        row = TableRow()
        for value in line:
            cell = _workbook_cell(value, case, data)
            if isinstance(cell, (Typed, Formula)):
                extra = {"formula": f"of:={cell.value}"} if isinstance(cell, Formula) else {}
                element = TableCell(valuetype="float", value=str(cell.value), **extra)
                element.addElement(P(text=str(cell.value)))
            elif cell is None:
                element = TableCell()
            else:
                element = TableCell(valuetype="string")
                element.addElement(P(text=str(cell)))
            row.addElement(element)
        sheet.addElement(row)
    document.spreadsheet.addElement(sheet)
    buffer = io.BytesIO()
    document.write(buffer)
    return "kenya.ods", buffer.getvalue()


def validated_case(
    folder: Path, name: str, content: bytes, case: Case
) -> tuple[CountryResult, CountryTable | None, pd.DataFrame | None]:
    """The generated file written to `folder` as `name`, with the case's exchange rates
    beside it (if any), validated as a country of the shipped programme."""
    (folder / name).write_bytes(content)
    rates = {}
    if case.rates:
        (folder / "exchange_rates.csv").write_text(case.rates, encoding="utf-8")
        rates = read_exchange_rates(folder / "exchange_rates.csv")
    return validate_country(folder / name, Shared(programmes={"en": PROGRAMME}, rates=rates))


def _spoil(case: Case, data: st.DataObject, workbook: bool) -> None:
    """At most one thing an office may get wrong: a cell typed in another number format, an
    error value, a formula never computed. Any of them may refuse the file (naming a line)."""
    where = [
        (i, j)
        for i, line in enumerate(case.lines)
        for j, v in enumerate(line)
        if isinstance(v, Decimal) and 0 < j < 7
    ]
    if not where or not data.draw(st.booleans()):
        return
    i, j = data.draw(st.sampled_from(where))
    kind = data.draw(st.sampled_from(["format", "error"] + (["uncomputed"] if workbook else [])))
    case.may_refuse = True
    if kind == "format":
        decimal, group = (",", ".") if case.fmt[1] == "." else (".", ",")
        text = text_number(case.lines[i][j], decimal, group, data.draw(st.booleans()))  # type: ignore[arg-type]
        readings = {parse_decimal(text, f) for f in (POINT, COMMA)} - {None}
        if len(readings) > 1:
            case.may_refuse = False
            return  # "1,000" is 1000 in one format, 1 in the other: no reader can know
        case.lines[i][j] = text
    elif kind == "error":
        shown = data.draw(st.sampled_from(["#N/A", "#DIV/0!", "#REF!", "#VALUE!"]))
        case.lines[i][j] = Error(shown) if workbook and data.draw(st.booleans()) else shown
    else:
        case.lines[i][j] = Formula(case.lines[i][j], stored=False)  # type: ignore[arg-type]


def _probable_totals(table: list[Row]) -> bool:
    """True when a generated territory happens to hold the sums of the others, to the
    precision it is written with (README, "Rows"): a probable Totals row, rightly refused.
    Generous on precision, since a header's scale ('000) coarsens what is written."""
    for row in table:
        others = [r for r in table if r is not row]
        if len(others) < 2:
            continue
        sums = oracle(others)
        pairs = [(f, sums[c]) for f, c in zip(row.figures, SUMS, strict=True) if f is not None]
        if not pairs or any(s is None for _, s in pairs):
            continue
        coarse = [abs(f - s) <= Decimal(500) for f, s in pairs]  # type: ignore[operator]
        if all(coarse) and sum(1 for f, _ in pairs if f) >= 2:
            return True
    return False


@settings(
    max_examples=examples(50),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=office_files(), data=st.data())
def test_what_offices_do_to_a_table_gives_the_oracles_figures_or_names_a_line(
    tmp_path: Path, case: Case, data: st.DataObject
) -> None:
    writer = data.draw(st.sampled_from(["csv", "xlsx", "ods"]))
    _spoil(case, data, workbook=writer != "csv")
    if writer == "csv":
        name, content = _csv(case, data)
    elif writer == "xlsx":
        name, content = _xlsx(case, data, tmp_path)
    else:
        name, content = _ods(case, data)
    result, checked, _ = validated_case(tmp_path, name, content, case)
    if result.status is not Status.VALIDATED:
        errors = [f for f in result.findings if f.severity is Severity.ERROR]
        assert errors and all(f.line is not None for f in errors), [f.as_text() for f in errors]
        assert case.may_refuse or _probable_totals(case.table), [f.as_text() for f in errors]
        return
    assert checked is not None
    got = checked.territories.set_index("territory")
    assert sorted(got.index) == sorted(r.name for r in case.table)
    for row in case.table:
        for column, figure in zip(SUMS, row.figures, strict=True):
            assert close(float(got.at[row.name, column]), figure, 4), (row.name, column)
        if case.period:
            assert got.at[row.name, "period"] == case.period
    if case.targets:
        (tmp_path / "targets.csv").write_text(case.targets, encoding="utf-8")
        kept, findings = country_targets(
            targets_table(read_targets(tmp_path / "targets.csv")), "KEN", checked
        )
        assert not findings, [f.as_text() for f in findings]
        assert len(kept) == 2 and {t.data_period for t in kept} == {case.period}
