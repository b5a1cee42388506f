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

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from pipeline import config
from pipeline.core.countries import resolve_country
from pipeline.core.formatting import NOT_REPORTED, Formatter
from pipeline.core.outcomes import Status
from pipeline.present import brief_context as brief_module
from pipeline.present.brief_context import BriefData, Framing, Provenance, brief_context
from pipeline.present.overview_figures import country_frame, programme_summary
from pipeline.read.programme import read_programme
from pipeline.run.build import validate_country
from pipeline.run.outputs import frame_csv
from pipeline.run.tasks import Shared

from .conftest import SEED

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
        figures = (
            Decimal(draw(st.integers(0, 200_000))),
            Decimal(pmgs),
            Decimal(draw(st.integers(pmgs, pmgs + 5_000))),
            draw(st.none() | st.decimals(0, 5_000, places=draw(st.integers(0, 2)))),
            draw(st.none() | st.decimals(0, 9_000_000, places=draw(st.integers(0, 2)))),
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
    return Decimal(text.replace("US$", "").replace(",", ""))


PROGRAMME = read_programme(SEED / config.PROGRAMME_FILE)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), table=rows(), totals=st.none() | st.sampled_from(TOTALS_LABELS))
def test_every_output_equals_the_oracle(
    tmp_path: Path, data: st.DataObject, table: list[Row], totals: str | None
) -> None:
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
