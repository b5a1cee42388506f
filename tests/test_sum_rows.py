"""Rows that hold sums without saying so are refused, never counted as territories.

Offices put a region's subtotal under its districts with only the region's name ("Oromia"),
and a Totals row under the country's name or "All districts" with a slip in one figure.
Read as territories, either counts figures twice in every total of the brief. The invariant,
over generated tables: a row whose every figure equals the sum of two or more rows next to
it, or a row named like a Totals row whose figures but one equal the sums of the others, is
refused on its own line; written as the README asks ("Subtotal Oromia", "Total") the same
table gives the oracle's figures, as if the row were not there.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.check.rows import HEADING_WORDS, NOTE_WORDS
from pipeline.check.totals import BRACKETED_SUMMARY_WORDS, SUMMARY_WORDS
from pipeline.core.outcomes import Status
from pipeline.run.build import validate_country
from pipeline.run.tasks import Shared

from .test_oracle import PROGRAMME, SUMS
from .tier import examples

HEADER = "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)"
NAMES = [
    "Adama",
    "Bishoftu",
    "Hawassa",
    "Dilla",
    "Jimma",
    "Gondar",
    "Bahir Dar",
    "Mekelle",
    "Dessie",
]

Figures = tuple[int, int, int, int, int]  #: one per SUMS column, all reported


@st.composite
def territories(draw: st.DrawFn) -> list[Figures]:
    """3 to 8 territories with figures that keep to the data dictionary (members >= PMGs)."""
    out = []
    for _ in range(draw(st.integers(3, 8))):
        pmgs = draw(st.integers(1, 60))
        out.append(
            (
                draw(st.integers(100, 20_000)),
                pmgs,
                draw(st.integers(pmgs, pmgs + 3_000)),
                draw(st.integers(1, 900)),
                draw(st.integers(100, 900_000)),
            )
        )
    return out


def _line(name: str, figures: Figures) -> str:
    households, pmgs, members, volume, value = figures
    return f"{name},{households},maize,{pmgs},{members},{volume},{value}"


def _sums(rows: list[Figures]) -> Figures:
    return tuple(sum(column) for column in zip(*rows, strict=True))  # type: ignore[return-value]


def _validated(tmp_path: Path, lines: list[str]):  # type: ignore[no-untyped-def]
    path = tmp_path / "ethiopia.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return validate_country(path, Shared(programmes={"en": PROGRAMME}))


def _totals(table) -> tuple[float, ...]:  # type: ignore[no-untyped-def]
    return tuple(float(table.territories[c].sum()) for c in SUMS)


@settings(max_examples=examples(60), deadline=None)
@given(rows=territories(), data=st.data())
def test_a_regions_subtotal_without_the_word_is_refused_on_its_line(
    tmp_path_factory, rows: list[Figures], data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(rows) - 2), label="start")
    end = data.draw(st.integers(start + 2, len(rows)), label="end")
    below = data.draw(st.booleans(), label="subtotal below its rows")
    at = end if below else start  # the subtotal's place among the territories
    lines = [_line(NAMES[i], f) for i, f in enumerate(rows)]
    region = _sums(rows[start:end])
    # A subtotal often leaves Products blank, and a right Totals row may follow.
    products = data.draw(st.sampled_from(["maize", ""]), label="subtotal's products")
    # Its name is the region's, or left out (an unlabelled sum is no missing territory).
    name = data.draw(st.sampled_from(["Oromia", ""]), label="subtotal's name")
    subtotal = _line(name, region).replace(",maize,", f",{products},")
    total = [_line("Total", _sums(rows))] if data.draw(st.booleans(), label="Totals") else []
    tmp = tmp_path_factory.mktemp("subtotal")

    result, _, _ = _validated(tmp, [*lines[:at], subtotal, *lines[at:], *total])

    # A region of every territory is the sum of all the others: a probable Totals row.
    rule = "probable-totals-row" if end - start == len(rows) else "probable-subtotal-row"
    errors = [(f.line, f.rule) for f in result.findings if f.severity == "error"]
    # One error, one fix: the Totals row is reconciled without the refused row, whose blank
    # cells are not gaps.
    assert errors == [(at + 2, rule)]  # line 1 is the header
    assert not [f for f in result.findings if f.line == at + 2 and f.rule == "not-reported"]
    (refused,) = [f for f in result.findings if f.severity == "error"]
    assert ("Total" if rule == "probable-totals-row" else "Subtotal") in refused.fix

    # Written as the README asks, the row is a subtotal: left out, the figures are the oracle's.
    labelled = [*lines[:at], f"Subtotal {subtotal}".replace(" ,", ","), *lines[at:], *total]
    result, table, _ = _validated(tmp, labelled)
    assert result.status is not Status.INVALID, result.findings
    assert table is not None and _totals(table) == tuple(map(float, _sums(rows)))


@settings(max_examples=examples(60), deadline=None)
@given(
    rows=territories(),
    name=st.sampled_from(["Ethiopia", "All districts", "All territories"]),
    column=st.integers(0, 4),
    slip=st.integers(1, 500),
)
def test_a_totals_row_by_name_with_a_slip_is_refused_naming_both_figures(
    tmp_path_factory, rows: list[Figures], name: str, column: int, slip: int
) -> None:
    stated = list(_sums(rows))
    sum_of_others = stated[column]
    stated[column] += slip
    lines = [_line(NAMES[i], f) for i, f in enumerate(rows)]

    result, _, _ = _validated(
        tmp_path_factory.mktemp("slip"),
        [*lines, _line(name, tuple(stated))],  # type: ignore[arg-type]
    )

    errors = [f for f in result.findings if f.severity == "error"]
    (error,) = [f for f in errors if f.rule == "probable-totals-row"]
    # A slip in PMGs may also put them above the members: that row's own error, as well.
    assert {f.rule for f in errors} <= {"probable-totals-row", "members-below-pmgs"}
    assert (error.line, error.value) == (len(rows) + 2, name)
    assert f"is {stated[column]:,} where the other rows add up to {sum_of_others:,}" in (
        error.message
    )


@settings(max_examples=examples(60), deadline=None)
@given(rows=territories(), column=st.integers(0, 4), slip=st.integers(1, 500))
def test_a_row_that_is_the_sum_of_its_neighbours_but_in_one_figure_is_a_territory(
    tmp_path_factory, rows: list[Figures], column: int, slip: int
) -> None:
    """The near miss: a territory is never refused for matching its neighbours' sums in
    some figures only, and its figures are counted once, as given."""
    near = list(_sums(rows[:2]))
    near[column] += slip
    table_rows = [*rows[:2], tuple(near), *rows[2:]]
    lines = [_line(NAMES[i], f) for i, f in enumerate(table_rows)]  # type: ignore[arg-type]

    result, table, _ = _validated(tmp_path_factory.mktemp("near"), lines)

    assert not [f for f in result.findings if f.rule.startswith("probable-")]
    if result.status is not Status.INVALID:
        assert table is not None
        assert _totals(table) == tuple(map(float, _sums(table_rows)))  # type: ignore[arg-type]

    # With its name left out it is a territory without a name, not a sum: named as such.
    lines[2] = lines[2].replace(NAMES[2], "", 1)
    result, _, _ = _validated(tmp_path_factory.mktemp("near-unnamed"), lines)
    assert ("missing-territory", 4) in {(f.rule, f.line) for f in result.findings}
    assert not [f for f in result.findings if f.rule.startswith("probable-")]


def test_the_finding_names_the_rows_it_sums_and_how_to_label_it(tmp_path: Path) -> None:
    lines = [
        "Adama,1000,teff,5,200,10,5000",
        "Bishoftu,1500,wheat,7,300,20,6000",
        "Oromia,2500,,12,500,30,11000",
        "Hawassa,800,coffee,4,150,5,2500",
    ]
    result, _, _ = _validated(tmp_path, lines)
    (error,) = [f for f in result.findings if f.severity == "error"]
    assert (error.line, error.column, error.value) == (4, "Territory", "Oromia")
    assert "equals the sum of lines 2 to 3" in error.message
    assert 'Write "Subtotal Oromia" in its name' in error.fix


@settings(max_examples=examples(60), deadline=None)
@given(
    rows=territories(),
    data=st.data(),
    word=st.sampled_from(sorted(SUMMARY_WORDS)),
    case=st.sampled_from([str.title, str.upper, str.lower]),
    suffix=st.sampled_from(["", " 2004", " per territory", ":"]),
)
def test_a_summary_row_is_refused_on_its_line_and_never_counted(
    tmp_path_factory, rows: list[Figures], data: st.DataObject, word: str, case, suffix: str
) -> None:
    """An "Average" or "Target" row under the territories summarises them without being
    their sum: refused on its own line, one error, and the Totals row reconciles without it."""
    lines = [_line(NAMES[i], f) for i, f in enumerate(rows)]
    at = data.draw(st.integers(0, len(lines)), label="its place")
    figures = data.draw(territories(), label="its figures")[0]
    label = case(word) + suffix
    if data.draw(st.booleans(), label="in brackets after a name"):  # "Gulu (target)"
        word = data.draw(st.sampled_from(sorted(BRACKETED_SUMMARY_WORDS)), label="bracketed")
        label = f"Gulu ({case(word)})"
    total = [_line("Total", _sums(rows))] if data.draw(st.booleans(), label="Totals") else []

    result, _, _ = _validated(
        tmp_path_factory.mktemp("summary"),
        [*lines[:at], _line(label, figures), *lines[at:], *total],
    )

    errors = [(f.line, f.rule, f.value) for f in result.findings if f.severity == "error"]
    assert errors == [(at + 2, "summary-row", label)]

    # A territory whose figures are estimated is still a territory: never refused as a summary.
    result, table, _ = _validated(
        tmp_path_factory.mktemp("estimated"),
        [*lines[:at], _line("Gulu (estimated)", figures), *lines[at:]],
    )
    assert result.status == Status.VALIDATED, [f.as_text() for f in result.findings]
    assert table is not None and "Gulu (estimated)" in list(table.territories["territory"])


#: Labels that read as headings or notes, in the forms offices write them.
LABELS_ALONE = st.one_of(
    st.builds(
        lambda word, name, first: f"{word.title()} {name}" if first else f"{name} {word}",
        st.sampled_from(sorted(HEADING_WORDS)),
        st.sampled_from(["Eastern", "Nord", "Pwani", "1"]),
        st.booleans(),
    ),
    st.sampled_from(NAMES).map(lambda name: name + ":"),
    # a band over a period's rows, a label with a colon in it, a note with no colon
    st.sampled_from(["2004", "2003-2004", "2003/04", "Year 2004", "Phase 1 districts"]),
    st.sampled_from(NAMES).map(lambda name: f"Zone: {name}"),
    st.sampled_from(sorted(NOTE_WORDS)).map(lambda word: f"{word.title()} from the field office"),
    st.sampled_from(
        [
            "Figures collected by field staff in March 2004.",
            "Volume is in tonnes and value in US dollars.",
            "Two groups did not sell this season!",
            "Data from the district offices were not yet available for every season",
        ]
    ),
)


@settings(max_examples=examples(40), deadline=None)
@given(rows=territories(), data=st.data(), label=LABELS_ALONE)
def test_a_heading_or_sentence_alone_on_its_row_is_refused_and_a_name_alone_is_not_reported(
    tmp_path_factory, rows: list[Figures], data: st.DataObject, label: str
) -> None:
    """A label that reads as a heading ("Eastern Region", "Nyanza:") or a sentence, alone on
    its row (with its empty cells or on a one-cell line), is refused on that line: read as a
    territory that has not reported it would change "n of n reporting" into "n of n+1". With n/a in its cells, as the fix says, it is a
    territory that has not reported; a place's name alone is one already."""
    lines = [_line(NAMES[i], f) for i, f in enumerate(rows)]
    at = data.draw(st.integers(0, len(lines)), label="its place")
    total = [_line("Total", _sums(rows))] if data.draw(st.booleans(), label="Totals") else []
    # With the commas of the empty cells, as Excel writes it, or alone on a one-cell line.
    short = data.draw(st.booleans(), label="one cell")
    blank = label if short else ",".join([label, *[""] * 6])

    result, _, _ = _validated(
        tmp_path_factory.mktemp("alone"), [*lines[:at], blank, *lines[at:], *total]
    )
    errors = [(f.line, f.rule, f.value) for f in result.findings if f.severity == "error"]
    assert errors == [(at + 2, "label-only-row", label)]

    for alone in (",".join([label, *["n/a"] * 6]), ",".join(["Dilla Zuria", *[""] * 6])):
        result, table, _ = _validated(
            tmp_path_factory.mktemp("alone"), [*lines[:at], alone, *lines[at:], *total]
        )
        assert result.status == Status.VALIDATED, result.findings
        assert table is not None
        assert len(table.territories) == len(rows) + 1
        assert _totals(table) == tuple(float(s) for s in _sums(rows))


@settings(max_examples=examples(30), deadline=None)
@given(
    rows=territories(),
    data=st.data(),
    mark=st.sampled_from(["{}*", "{} (a)", "about {}", "{} t", "~{}"]),
)
def test_a_refused_cell_is_the_one_error_not_a_totals_mismatch_too(
    tmp_path_factory, rows: list[Figures], data: st.DataObject, mark: str
) -> None:
    """A territory's cell written "240*" is refused on its own; the Totals row is not compared
    with a sum that leaves that cell out (it would seem wrong when it is right). Every other
    column is still reconciled: a slip there is still named."""
    at = data.draw(st.integers(0, len(rows) - 1), label="the row")
    column = data.draw(st.integers(0, 4), label="the column")
    lines = [_line(NAMES[i], f) for i, f in enumerate(rows)]
    cells = lines[at].split(",")
    index = [1, 3, 4, 5, 6][column]  # households, PMGs, members, volume, value
    cells[index] = mark.format(cells[index])
    lines[at] = ",".join(cells)
    sums = list(_sums(rows))
    slip = data.draw(st.sampled_from([None, *(c for c in range(5) if c != column)]), label="slip")
    if slip is not None:
        sums[slip] += 1
    total = _line("Total", tuple(sums))  # type: ignore[arg-type]

    result, _, _ = _validated(tmp_path_factory.mktemp("refused"), [*lines, total])

    errors = [(f.line, f.rule) for f in result.findings if f.severity == "error"]
    expected = [(at + 2, "type-error")]
    if slip is not None:
        expected.append((len(rows) + 2, "totals-mismatch"))
    assert errors == expected
