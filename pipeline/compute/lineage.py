"""The lineage of every figure a brief states: the input cells it is made from, and how.

One record per figure (`Lineage`): its formula in words and as an expression, its inputs
(each a cell of the country file as written, where it is, what it was read as, and the
conversions applied to it; or another figure, as a share's total), and the territories it
leaves out and why. `lineage_records` flattens them into the lineage table, one row per figure
and input: what an auditor, and the oracle test, follow from a printed number back to the cells.

Pure: from the validated table (`CountryTable`) and the figures (`FigureSet`), no I/O. It cites
the figures as they were made; it never recomputes them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import cast

import pandas as pd

from pipeline import config
from pipeline.check.normalise import Conversion
from pipeline.check.validate import CountryTable
from pipeline.compute.figures import FigureSet, make_figure
from pipeline.compute.indicators import in_period
from pipeline.compute.targets import TargetResults, value_figure_id
from pipeline.core.figure import Coverage, Figure
from pipeline.core.formatting import Formatter
from pipeline.core.frames import as_float, line_of
from pipeline.core.registry import INDICATORS, N_, REPORTED, Kind, optional_given
from pipeline.read.cells import is_missing, parse_decimal
from pipeline.read.raw import RawTable

#: The lineage table's columns, in order (README, "Publishing results").
LINEAGE_FIELDS: tuple[str, ...] = (
    "figure_id",
    "indicator",
    "period",
    "territory",
    "shown",
    "value",
    "formula",
    "expression",
    "transform",
    "role",
    "input",
    "input_figure",
    "input_file",
    "input_sha256",
    "sheet",
    "line",
    "column",
    "raw_text",
    "parsed_value",
    "factor",
    "currency",
    "rate",
    "rate_file",
    "rate_line",
    "converted_value",
    "left_out",
)

#: How an input enters its figure's expression: summed (or the figure itself), or a side of a
#: ratio of sums.
TERM, NUMERATOR, DENOMINATOR = "term", "numerator", "denominator"

#: The transforms a lineage row names (the issue's words).
IDENTITY = "identity"
UNIT = "unit conversion"
CURRENCY = "currency conversion"
AGGREGATION = "aggregation"
RATIO = "ratio"

#: Why a flagged territory is left out of the total stated without it (msgid).
FLAGGED = N_("flagged for checking")


@dataclass(frozen=True)
class InputCell:
    """One figure cell of the country file: where it is, as written, as read, as converted."""

    line: int
    territory: str
    indicator: str  #: the reported indicator its column is
    column: str  #: the header as written
    raw_text: str  #: the cell as written (a workbook number: as the sheet stores it)
    parsed: Decimal | None  #: the number written, in the column's own unit; None: not reported
    factor: Decimal  #: the header's unit and scale, to the indicator's unit (kg -> t: 0.001)
    conversion: Conversion | None  #: the rate its value was converted to US$ at
    value: float  #: the validated figure, in the indicator's unit (NaN: not reported)
    #: a cell of another file than the country's (targets.csv): its name, SHA-256, sheet,
    #: and the file as the brief cites it ("targets.csv", "targets.xlsx [Targets]")
    file: str = ""
    sha256: str = ""
    sheet: str = ""
    cited: str = ""

    @property
    def reported(self) -> bool:
        """The cell holds a figure."""
        return self.parsed is not None and not math.isnan(self.value)

    @property
    def transforms(self) -> list[str]:
        """The conversions applied to it."""
        out = [UNIT] if self.factor != 1 else []
        return out + ([CURRENCY] if self.conversion is not None else [])


@dataclass(frozen=True)
class Input:
    """What a figure is made from: a cell, or another figure (a share's whole)."""

    role: str  #: TERM, NUMERATOR or DENOMINATOR
    cell: InputCell | None = None
    figure: str = ""  #: another figure's ID, when the input is a figure

    @property
    def name(self) -> str:
        """The name it has in the expression: its indicator, or the figure's ID."""
        return self.cell.indicator if self.cell is not None else self.figure


@dataclass(frozen=True)
class LeftOut:
    """A territory a figure leaves out, and why."""

    territory: str
    line: int
    why: str  #: msgid, e.g. "{name} not reported"
    name: str = ""  #: the figure it did not report

    def text(self, fmt: Formatter | None = None) -> str:
        """ "Tana River (line 6): value_usd not reported"; in the brief's language with `fmt`."""
        said = fmt._ if fmt else str
        why = said(self.why).format(name=self.name)
        line = said(N_("line {line}")).format(line=self.line)
        return said(N_("{territory} ({line}): {why}")).format(
            territory=self.territory, line=line, why=why
        )


@dataclass(frozen=True)
class Lineage:
    """How one stated figure was made."""

    figure: Figure
    shown: str  #: the figure as printed (a table's cell, its unit in the heading)
    words: str  #: msgid: the formula in words, with {placeholders}
    terms: Mapping[str, object]  #: the placeholders' values
    expression: str  #: the formula over the inputs' names: "sum(value_usd) ÷ sum(members)"
    transform: str  #: the figure's own transform: identity, aggregation or ratio
    inputs: tuple[Input, ...]
    left_out: tuple[LeftOut, ...] = field(default=())

    def formula(self, fmt: Formatter | None = None) -> str:
        """The formula in words (English, or the brief's language with `fmt`): in another
        language than English the figures are named in it too ("somme de membres"), as the
        expression beside it keeps their column names."""
        if fmt is None:
            return self.words.format(**self.terms)
        terms = dict(self.terms)
        if fmt.language != "en":
            for key in ("numerator", "denominator"):
                name = terms.get(key)
                if isinstance(name, str) and name in INDICATORS:
                    terms[key] = fmt._(INDICATORS[name].in_sentence)
        return fmt._(self.words).format(**terms)

    @property
    def cells(self) -> list[InputCell]:
        """The input cells, in order."""
        return [i.cell for i in self.inputs if i.cell is not None]


def input_cells(table: CountryTable) -> dict[tuple[int, str], InputCell]:
    """Every reported figure cell of the accepted territory rows: (line, indicator) -> cell."""
    raw, frame = table.raw, table.territories
    out: dict[tuple[int, str], InputCell] = {}
    for label in frame.index:
        line = line_of(label)
        row = raw.row(line)
        territory = str(frame.at[label, "territory"])
        for name in (*REPORTED, *optional_given(table.columns)):
            column = table.columns[name]
            text = row.cells[column.index] if column.index < len(row.cells) else ""
            typed = row.number(column.index)
            parsed: Decimal | None
            if typed is not None:
                parsed = Decimal(repr(typed))
            else:
                parsed = None if is_missing(text) else parse_decimal(text, table.number_format)
            value = as_float(frame.at[label, name])
            conversion = table.converted.get(line) if name == "value_usd" else None
            out[line, name] = InputCell(
                line, territory, name, column.label, text, parsed, column.factor, conversion, value
            )
    return out


def _left_out(
    rows: pd.DataFrame, names: Iterable[str], cells: Mapping[tuple[int, str], InputCell]
) -> list[LeftOut]:
    out = []
    for label in rows.index:
        line = line_of(label)
        missing = [n for n in names if not cells[line, n].reported]
        if missing:
            territory = cells[line, missing[0]].territory
            out.append(LeftOut(territory, line, N_("{name} not reported"), " and ".join(missing)))
    return out


def _sides(name: str) -> tuple[str, str | None]:
    spec = INDICATORS[name]
    if spec.kind is Kind.REPORTED:
        return name, None
    if spec.difference:  # men: members − women
        return spec.difference
    return str(spec.numerator), spec.denominator


#: msgids of a difference's formula in words (men: members − women), a group's and a row's.
_DIFFERENCE_WORDS = (
    N_(
        "sum of {numerator} − sum of {denominator}, over the {n} of {total} territories "
        "that reported both"
    ),
    N_("{numerator} − {denominator}, both on line {line}"),
)


#: msgids of a group's formula in words: (denominator or not, rows left out on purpose or not)
_GROUP_WORDS = {
    (False, False): N_("sum of {numerator} over {n} of {total} territories"),
    (True, False): N_(
        "sum of {numerator} ÷ sum of {denominator}, over the {n} of {total} territories "
        "that reported both"
    ),
    (False, True): N_(
        "sum of {numerator} over {n} of {total} territories, without those flagged for checking"
    ),
    (True, True): N_(
        "sum of {numerator} ÷ sum of {denominator}, over the {n} of {total} territories "
        "that reported both, without those flagged for checking"
    ),
}


#: msgids of the formula of the table's row "N other territories", by denominator or not.
_UNLISTED_WORDS = {
    False: N_("sum of {numerator} over {n} of the {total} territories not listed one by one"),
    True: N_(
        "sum of {numerator} ÷ sum of {denominator}, over the {n} of the {total} territories "
        "not listed one by one that reported both"
    ),
}


def _total(
    f: Figure,
    rows: pd.DataFrame,
    cells: Mapping[tuple[int, str], InputCell],
    fmt: Formatter,
    excluded: tuple[LeftOut, ...] = (),
    unlisted: bool = False,
) -> Lineage:
    """A group's figure: a sum over its rows, or a ratio of sums over the rows that reported
    both sides; `excluded` are rows left out on purpose (flagged), already not in `rows`;
    `unlisted`: the rows are those the table sums in its row "N other territories"."""
    top, bottom = _sides(f.indicator)
    names = [top] + ([bottom] if bottom else [])
    lines = [line_of(label) for label in rows.index]
    counted = [ln for ln in lines if all(cells[ln, n].reported for n in names)]
    left = tuple(_left_out(rows, names, cells)) + excluded
    terms = {"numerator": top, "denominator": bottom, "n": len(counted)}
    terms["total"] = len(lines) + len(excluded)
    words = (
        _UNLISTED_WORDS[bottom is not None]
        if unlisted
        else _GROUP_WORDS[bottom is not None, bool(excluded)]
    )
    if INDICATORS[f.indicator].difference and bottom is not None:
        inputs = tuple(Input(NUMERATOR, cells[ln, top]) for ln in counted)
        inputs += tuple(Input(DENOMINATOR, cells[ln, bottom]) for ln in counted)
        expression = f"sum({top}) − sum({bottom})"
        words = _DIFFERENCE_WORDS[0]
        return Lineage(
            f, fmt.figure(f, bare=True), words, terms, expression, AGGREGATION, inputs, left
        )
    if bottom is None:
        inputs = tuple(Input(TERM, cells[ln, top]) for ln in counted)
        expression, transform = f"sum({top})", AGGREGATION
    else:
        inputs = tuple(Input(NUMERATOR, cells[ln, top]) for ln in counted)
        inputs += tuple(Input(DENOMINATOR, cells[ln, bottom]) for ln in counted)
        expression, transform = f"sum({top}) ÷ sum({bottom})", f"{AGGREGATION}, {RATIO}"
    return Lineage(f, fmt.figure(f, bare=True), words, terms, expression, transform, inputs, left)


def _territory(
    f: Figure, line: int, cells: Mapping[tuple[int, str], InputCell], whole: str, fmt: Formatter
) -> Lineage:
    """A territory's figure: its cell, a ratio of two of its cells, or its share of the whole."""
    spec = INDICATORS[f.indicator]
    shown = fmt.figure(f, bare=True)
    terms: dict[str, object] = {"line": line}
    if spec.kind is Kind.REPORTED:
        cell = cells[line, f.indicator]
        terms["numerator"] = f.indicator
        words = N_("{numerator} as reported on line {line}")
        return Lineage(f, shown, words, terms, f.indicator, IDENTITY, (Input(TERM, cell),))
    if spec.difference:
        top, bottom = spec.difference
        terms |= {"numerator": top, "denominator": bottom}
        inputs = (Input(NUMERATOR, cells[line, top]), Input(DENOMINATOR, cells[line, bottom]))
        words = _DIFFERENCE_WORDS[1]
        return Lineage(f, shown, words, terms, f"{top} − {bottom}", IDENTITY, inputs)
    top = str(spec.numerator)
    if spec.kind is Kind.SHARE:
        terms |= {"numerator": top, "whole": whole}
        inputs = (Input(NUMERATOR, cells[line, top]), Input(DENOMINATOR, figure=whole))
        words = N_("{numerator} on line {line} ÷ the country's {whole}")
        return Lineage(f, shown, words, terms, f"{top} ÷ {whole}", RATIO, inputs)
    bottom = str(spec.denominator)
    terms |= {"numerator": top, "denominator": bottom}
    inputs = (Input(NUMERATOR, cells[line, top]), Input(DENOMINATOR, cells[line, bottom]))
    words = N_("{numerator} ÷ {denominator}, both on line {line}")
    return Lineage(f, shown, words, terms, f"{top} ÷ {bottom}", RATIO, inputs)


def figure_lineage(
    figures: FigureSet,
    table: CountryTable,
    fmt: Formatter,
    extra: Iterable[Figure] = (),
    others: tuple[Mapping[str, Figure], Iterable[int]] | None = None,
    targets: TargetResults | None = None,
) -> list[Lineage]:
    """How each figure of a brief was made: every period's totals (with the totals without
    flagged rows they carry), every territory's figures, `extra` figures (the country's
    share of its own value, 100%), and `others`: the figures of the table's row "N other
    territories" (`others_figures`) and the lines of the territories it sums."""
    cells = input_cells(table)
    frame = table.territories
    out: list[Lineage] = []
    for period, totals in figures.totals.items():
        rows = in_period(frame, period)
        for f in totals.values():
            out.append(_total(f, rows, cells, fmt))
            out += list(_without(f, rows, cells, fmt))
    for f in extra:
        whole = figures.totals[f.period][str(INDICATORS[f.indicator].numerator)].id
        inputs = (Input(NUMERATOR, figure=whole), Input(DENOMINATOR, figure=whole))
        words, terms = N_("the country's {whole} ÷ itself"), {"whole": whole}
        shown = fmt.figure(f, bare=True)
        out.append(Lineage(f, shown, words, terms, f"{whole} ÷ {whole}", RATIO, inputs))
    if others is not None:
        out += _unlisted(others[0], set(others[1]), frame, figures, cells, fmt)
    if targets is not None:
        out += target_lineage(targets, figures.country, fmt)
    for line, own in figures.territories.items():
        for f in own.values():
            whole = figures.totals[f.period][str(INDICATORS["value_share"].numerator)].id
            out.append(_territory(f, line, cells, whole, fmt))
    return out


#: msgids of a target's and a baseline's formula in words
_SET_WORDS = {
    "target": N_("the target set on line {line} of {file}"),
    "baseline": N_("the baseline set on line {line} of {file}"),
}


def target_lineage(targets: TargetResults, country: str, fmt: Formatter) -> Iterator[Lineage]:
    """The baselines and targets a brief states beside its figures: each a cell of
    targets.csv, as written there, in its indicator's unit."""
    source = targets.source
    if source is None:
        return
    for r in targets.frame.itertuples():
        territory = str(r.territory or "")
        for kind in ("baseline", "target"):
            value = as_float(getattr(r, kind))
            if math.isnan(value):
                continue  # no baseline given: the brief states none
            line = int(cast(int, r.line))
            own = value_figure_id(country, str(r.indicator), str(r.data_period), territory, kind)
            spec = INDICATORS[str(r.indicator)].target
            shown_as = spec.actual if spec else str(r.indicator)
            f = replace(
                make_figure(country, shown_as, value, Coverage(1, 1), str(r.data_period)),
                id=own,
                territory=territory,
            )
            cell = InputCell(
                line,
                territory,
                kind,
                source.labels.get(kind, kind),
                source.written.get((line, kind), ""),
                Decimal(repr(value)),
                Decimal(1),
                None,
                value,
                source.source_file,
                targets.sha256,
                source.sheet,
                targets.file,
            )
            terms = {"line": line, "file": targets.file}
            words = _SET_WORDS[kind]
            shown = fmt.figure(f, bare=True)
            yield Lineage(f, shown, words, terms, kind, IDENTITY, (Input(TERM, cell),))


def _unlisted(
    group: Mapping[str, Figure],
    lines: set[int],
    frame: pd.DataFrame,
    figures: FigureSet,
    cells: Mapping[tuple[int, str], InputCell],
    fmt: Formatter,
) -> Iterator[Lineage]:
    """The figures of the row "N other territories": sums and ratios over its territories,
    and its share, its value of sales ÷ the country's."""
    rows = frame.loc[[label for label in frame.index if line_of(label) in lines]]
    for name, f in group.items():
        if INDICATORS[name].kind is not Kind.SHARE:
            yield _total(f, rows, cells, fmt, unlisted=True)
            continue
        top = str(INDICATORS[name].numerator)
        part, whole = group[top].id, figures.totals[f.period][top].id
        inputs = (Input(NUMERATOR, figure=part), Input(DENOMINATOR, figure=whole))
        words = N_("{part} ÷ the country's {whole}")
        shown = fmt.figure(f, bare=True)
        terms = {"part": part, "whole": whole}
        yield Lineage(f, shown, words, terms, f"{part} ÷ {whole}", RATIO, inputs)


def _without(
    total: Figure, rows: pd.DataFrame, cells: Mapping[tuple[int, str], InputCell], fmt: Formatter
) -> Iterator[Lineage]:
    """The total without its flagged rows, which a flagged total states beside it."""
    without = next((flag.without for flag in total.flags if flag.without is not None), None)
    if without is None:
        return
    flagged = sorted({flag.line for flag in total.flags if flag.line is not None})
    excluded = tuple(
        LeftOut(cells[line, REPORTED[0]].territory, line, FLAGGED) for line in flagged
    )
    rest = rows.drop(index=[line for line in flagged if line in rows.index])
    yield _total(without, rest, cells, fmt, excluded)


def _plain(number: Decimal) -> str:
    """A number as plain decimal text: 13103, 3.5, 0.001 (never 1.3103E+4)."""
    return f"{number.normalize():f}" if number else "0"


def _number(value: float) -> str:
    """A figure at full precision (repr); "" when it has no value."""
    return "" if math.isnan(value) else repr(value)


def _cell_fields(i: Input, raw: RawTable) -> tuple[object, ...]:
    """input … converted_value of one input (LINEAGE_FIELDS)."""
    cell = i.cell
    if cell is None:
        return (i.name, i.figure, *[""] * 13)
    rate = cell.conversion
    return (
        cell.indicator,
        "",
        cell.file or raw.source_file,
        cell.sha256 if cell.file else raw.sha256,
        cell.sheet if cell.file else raw.sheet,
        cell.line,
        cell.column,
        cell.raw_text,
        "" if cell.parsed is None else _plain(cell.parsed),
        _plain(cell.factor),
        rate.currency if rate else "",
        repr(rate.rate) if rate else "",
        config.EXCHANGE_RATES_FILE if rate else "",
        rate.line if rate and rate.line is not None else "",
        _number(cell.value),
    )


def lineage_records(lineages: Iterable[Lineage], raw: RawTable) -> Iterator[tuple[object, ...]]:
    """The lineage table's rows (LINEAGE_FIELDS), one per figure and input; a figure made of
    nothing (nobody reported it) has one row, which says what it leaves out."""
    for lineage in lineages:
        f = lineage.figure
        head = (
            f.id,
            f.indicator,
            f.period,
            f.territory,
            lineage.shown,
            _number(f.value),
            lineage.formula(),
            lineage.expression,
        )
        left = "; ".join(x.text() for x in lineage.left_out)
        for i in lineage.inputs or (Input(""),):
            conversions = i.cell.transforms if i.cell is not None else []
            own = [] if conversions and lineage.transform == IDENTITY else [lineage.transform]
            transform = ", ".join([*conversions, *own])
            yield (*head, transform, i.role, *_cell_fields(i, raw), left)
