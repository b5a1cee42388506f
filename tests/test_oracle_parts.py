"""The oracle and its metamorphic variants for members by sex and age (#26), with gaps.

The women's and youth's counts, their shares and men (members − women) are computed here
straight from the generated rows, apart from the pipeline; every output that states them (the
summary, the processed table, the brief's tile line and totals row) must agree. Variants that
change nothing a donor reads must change nothing: where the columns stand and how their
headers are written, and a Totals row that states their sums. Leaving the columns out must
leave every other figure as it was.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline import config
from pipeline.core.countries import resolve_country
from pipeline.core.formatting import NOT_REPORTED, Formatter
from pipeline.core.outcomes import Status
from pipeline.present import brief_context as brief_module
from pipeline.present.brief_context import BriefData, Framing, Provenance, brief_context
from pipeline.read.programme import read_programme
from pipeline.run.build import validate_country
from pipeline.run.outputs import frame_csv
from pipeline.run.tasks import Shared
from tests.tier import examples

from .conftest import SEED
from .fakes import strip_tags

PROGRAMME = read_programme(SEED / config.PROGRAMME_FILE)
BASE = ["Territory", "Target households", "Products", "PMGs", "Members", "Volume sold (t)"]
BASE += ["Value (US$)"]
WOMEN_HEADERS = ["Women members", "Female members", "Members (women)", "Members (female)"]
YOUTH_HEADERS = ["Youth members", "Young members", "Members (youth)"]
NAMES = ["Mbeere", "Homabay", "Kitu", "Tana River", "Koné", "Lac"]


@dataclass(frozen=True)
class Row:
    name: str
    members: int | None
    women: int | None  #: None: not reported (a gap)
    youth: int | None


@st.composite
def tables(draw: st.DrawFn) -> list[Row]:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5, unique=True))
    out = []
    for name in names:
        members = draw(st.none() | st.integers(1, 5_000))
        # A part is a gap, or between 1 and members (never 0% or 100% of everyone: a
        # warning, tested in the error catalogue), and never given without members.
        top = members - 1 if members and members > 1 else None
        women = draw(st.none() | st.integers(1, top)) if top else None
        youth = draw(st.none() | st.integers(1, top)) if top else None
        out.append(Row(name, members, women, youth))
    return out


def _sum(values: list[int | None]) -> int | None:
    given = [v for v in values if v is not None]
    return sum(given) if given else None


def oracle(table: list[Row]) -> dict[str, object]:
    """Totals over the rows that reported each part; shares and men over the rows that
    reported both the part and members; and how many rows reported each."""
    out: dict[str, object] = {}
    for part in ("women", "youth"):
        both = [r for r in table if getattr(r, part) is not None and r.members is not None]
        out[part] = _sum([getattr(r, part) for r in table])
        out[f"{part}_reporting"] = len(both)
        top, bottom = sum(getattr(r, part) for r in both), sum(r.members for r in both)  # type: ignore[misc]
        out[f"{part}_share"] = Decimal(top) / Decimal(bottom) if both else None
    men = [r.members - r.women for r in table if r.women is not None and r.members is not None]  # type: ignore[operator]
    out["men"] = sum(men) if men else None
    return out


def write(table: list[Row], women: str | None, youth: str | None, order: list[int]) -> str:
    """The table as a CSV: the base columns, then the parts' columns (None: left out), all
    in `order`; a part's gap is written as one of the "not reported" forms."""
    header = [*BASE, *(h for h in (women, youth) if h)]
    lines = [[header[i] for i in order]]
    gaps = ["", "-", "n/a"]
    for n, r in enumerate(table):
        members = "" if r.members is None else str(r.members)
        cells = [r.name, "6000", "maize", "1", members, "12.5", "4000"]
        for header_given, value in ((women, r.women), (youth, r.youth)):
            if header_given:
                cells.append(gaps[n % 3] if value is None else str(value))
        lines.append([cells[i] for i in order])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(lines)
    return buffer.getvalue()


def _brief(path: Path) -> tuple[dict[str, object], object]:
    result, checked, indicators = validate_country(path, Shared(programmes={"en": PROGRAMME}))
    assert result.status is Status.VALIDATED, [f.as_text() for f in result.findings]
    assert checked is not None and indicators is not None
    with mock.patch.object(brief_module, "charts", return_value=[]):
        context = brief_context(
            BriefData(resolve_country("kenya"), checked, indicators),
            Framing(PROGRAMME, Formatter("en"), datetime(2004, 12, 1, tzinfo=UTC)),
            Provenance(path.name, "", "", 0, 0),
        )
    return context, indicators


def _percent(share: Decimal) -> str:
    """A share as a whole percentage, or with the fewest decimals that keep it from reading
    as 0% or 100% when it is neither (README, precision): 1 youth of 200 is 0.5%, not 0%."""
    percent = share * 100
    for places in range(7):
        shown = percent.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_EVEN")
        if shown not in (0, 100) or shown == percent:
            break
    return f"{shown}%"


def _close(got: float, expected: object) -> bool:
    if expected is None:
        return math.isnan(got)
    return abs(Decimal(repr(got)) - Decimal(str(expected))) <= Decimal("1e-9")


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), table=tables())
def test_the_parts_equal_the_oracle_wherever_and_however_they_are_written(
    tmp_path: Path, data: st.DataObject, table: list[Row]
) -> None:
    assume(any(r.members is not None for r in table))
    women = data.draw(st.sampled_from(WOMEN_HEADERS))
    youth = data.draw(st.sampled_from(YOUTH_HEADERS))
    width = len(BASE) + 2
    order = [0, *data.draw(st.permutations(range(1, width)))]  # the territory stays first
    path = tmp_path / "kenya.csv"
    path.write_text(write(table, women, youth, order), encoding="utf-8")
    expected = oracle(table)
    context, indicators = _brief(path)
    summary = {
        "women": "members_women",
        "youth": "members_youth",
        "women_share": "women_share",
        "youth_share": "youth_share",
        "men": "members_men",
    }
    from pipeline.compute.indicators import country_summary

    s = country_summary(indicators)  # type: ignore[arg-type]
    for key, name in summary.items():
        assert _close(s.values[name], expected[key]), (key, s.values[name], expected[key])
    assert s.reporting["women_share"] == expected["women_reporting"]
    assert s.reporting["youth_share"] == expected["youth_reporting"]
    # The processed table, read back as a donor would: the parts' cells sum to the oracle.
    processed = list(csv.DictReader(io.StringIO(frame_csv(indicators).decode())))  # type: ignore[arg-type]
    for key, name in (("women", "members_women"), ("youth", "members_youth")):
        cells = [int(r[name]) for r in processed if r[name]]
        assert (sum(cells) if cells else None) == expected[key]
    # The tile line under members: each share as a whole percentage, with its coverage.
    members_tile = next(t for t in context["headlines"] if t["indicator"] == "members")
    line = strip_tags(str(members_tile["notes"][-1]))
    territories = len(table)
    for part in ("women", "youth"):
        share = expected[f"{part}_share"]
        if share is None:
            assert f"{part} not reported" in line
            continue
        assert f"{_percent(share)} {part}" in line, line  # type: ignore[arg-type]
        reporting = expected[f"{part}_reporting"]
        if reporting < territories:
            assert f"{reporting} of {territories} reporting" in line
    # The impact table's totals row: Women and Youth stand after Members.
    totals = [strip_tags(str(c["text"])) for c in context["totals"]]
    for position, key in ((3, "women"), (4, "youth")):
        want = expected[key]
        assert totals[position] == (NOT_REPORTED if want is None else f"{want:,}")


@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(table=tables())
def test_leaving_the_parts_out_changes_no_other_figure(tmp_path: Path, table: list[Row]) -> None:
    assume(any(r.members is not None for r in table))
    order = list(range(len(BASE) + 2))
    with_parts, without = tmp_path / "with", tmp_path / "without"
    with_parts.mkdir(exist_ok=True)
    without.mkdir(exist_ok=True)
    (with_parts / "kenya.csv").write_text(write(table, "Women members", "Youth members", order))
    (without / "kenya.csv").write_text(write(table, None, None, order[: len(BASE)]))
    a, _ = _brief(with_parts / "kenya.csv")
    b, _ = _brief(without / "kenya.csv")
    # Every figure of the plain brief is the same with the parts: the totals without the two
    # columns, the derived indicators without the two shares, the lead sentence.
    assert [c["text"] for i, c in enumerate(a["totals"]) if i not in (3, 4)] == [
        c["text"] for c in b["totals"]
    ]
    derived = [c["text"] for i, c in enumerate(a["totals_indicators"]) if i not in (2, 3)]
    assert derived == [c["text"] for c in b["totals_indicators"]]
    assert a["lead"] == b["lead"]


@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), table=tables())
def test_a_totals_row_of_the_parts_reconciles_and_a_wrong_one_is_refused(
    tmp_path: Path, data: st.DataObject, table: list[Row]
) -> None:
    assume(len(table) >= 2 and any(r.women is not None for r in table))
    expected = oracle(table)
    order = list(range(len(BASE) + 2))
    text = write(table, "Women members", "Youth members", order)
    members = _sum([r.members for r in table])
    women = expected["women"]
    wrong = data.draw(st.booleans())
    stated = women + 1 if wrong else women  # type: ignore[operator]
    youth = "" if expected["youth"] is None else str(expected["youth"])
    total = f"Total,{6000 * len(table)},,{len(table)},{members or ''},"
    total += f"{12.5 * len(table)},{4000 * len(table)},{stated},{youth}\n"
    path = tmp_path / "kenya.csv"
    path.write_text(text + total, encoding="utf-8")
    result, checked, _ = validate_country(path, Shared(programmes={"en": PROGRAMME}))
    line = len(table) + 2
    errors = [(f.line, f.column, f.rule) for f in result.findings if f.severity == "error"]
    if wrong:
        assert errors == [(line, "Women members", "totals-mismatch")]
    else:
        assert errors == [] and checked is not None and len(checked.totals) == 1


@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), table=tables())
def test_more_women_than_members_on_any_row_is_refused_naming_it(
    tmp_path: Path, data: st.DataObject, table: list[Row]
) -> None:
    candidates = [i for i, r in enumerate(table) if r.members is not None]
    assume(candidates)
    bad = data.draw(st.sampled_from(candidates))
    extra = data.draw(st.integers(1, 1_000))
    row = table[bad]
    table[bad] = Row(row.name, row.members, row.members + extra, row.youth)  # type: ignore[operator]
    order = list(range(len(BASE) + 2))
    path = tmp_path / "kenya.csv"
    path.write_text(write(table, "Members (female)", "Youth members", order), encoding="utf-8")
    result, _, _ = validate_country(path, Shared(programmes={"en": PROGRAMME}))
    errors = [f for f in result.findings if f.severity == "error"]
    assert [(f.line, f.column, f.rule) for f in errors] == [
        (bad + 2, "Members (female)", "part-above-members")
    ]
    assert f"{row.members + extra:,}" in errors[0].message  # type: ignore[operator]
    assert f"{row.members:,}" in errors[0].message
