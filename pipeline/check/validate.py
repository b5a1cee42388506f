"""Turn a raw table into typed, validated territory rows plus findings: nothing lost, nothing silent."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import pandas as pd

from pipeline import config
from pipeline.check.facts import country_check, merged_columns
from pipeline.check.figures import (
    column_letter,
    overlong_cells,
    typed_row,
    unrepresentable_findings,
)
from pipeline.check.locate import cell as _cell
from pipeline.check.locate import finding as _finding
from pipeline.check.locate import number_cells
from pipeline.check.normalise import (
    Conversion,
    conversion,
    convert,
    currency_findings,
    normalisation_findings,
)
from pipeline.check.printable import unprintable_findings
from pipeline.check.rows import (
    Layout,
    RowKind,
    SumRow,
    classify,
    label_reading,
    resolve_totals,
    short_label,
)
from pipeline.check.schema_findings import schema_findings
from pipeline.check.subgroups import subgroup_findings
from pipeline.check.suggestions import with_suggestions
from pipeline.check.totals import (
    TotalsRow,
    labelled_period,
    subtotal_finding,
    summary_word,
    totals_findings,
)
from pipeline.check.workbook import format_findings, workbook_findings
from pipeline.core.findings import FileRefused, Finding, Severity
from pipeline.core.rules import RULES
from pipeline.read.cells import (
    COMMA,
    POINT,
    NumberFormat,
    is_missing,
    parse_number,
    settle,
)
from pipeline.read.columns import NUMERIC, OPTIONAL, REQUIRED, Column, match_header
from pipeline.read.periods import FORMS, period_key
from pipeline.read.rates import ExchangeRates
from pipeline.read.raw import RawRow, RawTable


@dataclass(frozen=True)
class CountryTable:
    """The validated table of one country and everything found on the way."""

    raw: RawTable
    territories: pd.DataFrame  #: TerritoryInput rows, indexed by physical line
    totals: tuple[TotalsRow, ...]
    columns: dict[str, Column]
    number_format: NumberFormat
    findings: tuple[Finding, ...]
    rejected: tuple[RawRow, ...] = field(default=())
    #: (currency, period, units per US$) of every conversion applied, for the data notes
    conversions: tuple[tuple[str, str, float], ...] = ()
    #: how many rows of each kind (`pipeline.check.rows.RowKind`) the file holds
    row_kinds: dict[str, int] = field(default_factory=dict)
    #: line -> the rate its value was converted to US$ at (rows in another currency)
    converted: dict[int, Conversion] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not any(f.severity is Severity.ERROR for f in self.findings)


def _header_findings(raw: RawTable) -> tuple[dict[str, Column], list[Finding]]:
    """Match the header; refuse the file when it cannot be used."""
    match = match_header(list(raw.header))
    if match.problems:
        found = ", ".join(f'"{h}"' for h in raw.header)
        expected = f"{', '.join(REQUIRED)}; and, where reported, {', '.join(OPTIONAL)}"
        first, *others = match.problems
        # The first problem's fix is the finding's own fix: the message does not repeat it.
        details = " ".join([first.message, *(f"{p.message} {p.fix}" for p in others)])
        raise FileRefused(
            Finding(
                Severity.ERROR,
                raw.file,
                raw.header_line,
                first.column,
                "",
                first.rule,
                f"{details} Columns found: {found}. Columns expected: {expected}.",
                first.fix,
            )
        )
    notes = [
        _finding(
            raw,
            Severity.WARNING,
            raw.header_line,
            label,
            "",
            "unknown-column",
            f'The column "{label}" is not used in the brief and was ignored.',
        )
        for _, label in match.ignored
        if label
    ]
    notes += [
        _finding(
            raw,
            Severity.WARNING,
            raw.header_line,
            label,
            "",
            "unknown-column",
            f'The column "{label}" is not used in the brief and was ignored: it starts like '
            f'the column "{match.columns[name].label}" but says something more.',
        )
        for _, label, name in match.alike
    ]
    notes += [
        blank for index, label in match.ignored if not label and (blank := _unlabelled(raw, index))
    ]
    return match.columns, notes


def _rows_above_header(raw: RawTable, columns: dict[str, Column]) -> list[Finding]:
    """Lines above the header that read as territories' rows (a name, and figures in two
    figure columns at least): a sheet sorted with its header row moves data above it, where
    it would not be read. Titles and notes above the header hold no such figures."""
    found = []
    for line, cells in raw.preamble:

        def cell(name: str, cells: tuple[str, ...] = cells) -> str:
            index = columns[name].index
            return cells[index].strip() if index < len(cells) else ""

        figures = [
            n
            for n in NUMERIC
            if n in columns and any(parse_number(cell(n), f) is not None for f in (POINT, COMMA))
        ]
        name = cell("territory")
        if len(figures) >= 2 and name and parse_number(name, POINT) is None:
            found.append(
                _finding(
                    raw,
                    Severity.ERROR,
                    line,
                    columns["territory"].label,
                    name,
                    "row-above-header",
                    f'Line {line} ("{name}") is above the header (line {raw.header_line}) but '
                    "reads as a territory's row: rows above the header are not read, so its "
                    "figures would be left out.",
                )
            )
    return found


def _unlabelled(raw: RawTable, index: int) -> Finding | None:
    """A column with no header that holds values: often the second half of a merged header
    ("Members" over men and women), whose figures would be lost in silence. An empty one (a
    spacer column, Excel's trailing separators) loses nothing."""
    filled = [(r.line, r.cells[index].strip()) for r in raw.rows if index < len(r.cells)]
    line, value = next(((line, v) for line, v in filled if v), (0, ""))
    if not value:
        return None
    letter = column_letter(index)
    return _finding(
        raw,
        Severity.ERROR,
        line,
        "",
        value,
        "unlabelled-column",
        f"Column {letter} has no header but holds values ({value!r} on line {line}): what "
        "it reports is not known, so its figures cannot be read, nor left out in silence.",
    )


def _settle(raw: RawTable, columns: dict[str, Column], rows: list[RawRow]) -> NumberFormat:
    """The number format of the file's text cells, settled from all of them (`settle`);
    a workbook's typed numbers are no evidence. A cell the format leaves in doubt refuses
    the file, naming it and the cell that says otherwise."""
    cells = number_cells(columns, rows)
    settled = settle(raw.delimiter, cells)
    if settled.doubts:
        doubt = settled.doubts[0]
        raise FileRefused(
            _finding(
                raw,
                Severity.ERROR,
                doubt.cell.line,
                doubt.cell.column,
                doubt.cell.text.strip(),
                doubt.rule,
                doubt.message,
            )
        )
    return settled.fmt


def country_table(
    raw: RawTable,
    rates: ExchangeRates | None = None,
    names: tuple[str, ...] = (),
    country: str | None = None,
) -> CountryTable:
    """Validate every row of a raw table lazily and collect every finding at once.

    `names` are the country's and programme's names, so that "Total Kenya" is a Totals row;
    `country` is the file's country (ISO alpha-3), which a Country column must name.
    Every row is classified first (`pipeline.check.rows`): only territories, Totals rows and
    subtotals hold figures; notes, repeated headers and units rows are counted, never read.
    """
    rates = rates if rates is not None else ExchangeRates()
    used: set[tuple[str, str, float]] = set()
    converted: dict[int, Conversion] = {}
    columns, findings = _header_findings(raw)
    findings.extend(workbook_findings(raw))
    findings.extend(format_findings(raw, columns))
    findings.extend(_rows_above_header(raw, columns))
    layout = classify(raw, columns, names)
    if not layout.lines(RowKind.TERRITORY):
        kinds = ", ".join(f"{n} {k}" for k, n in layout.counts(0).items() if n)
        raise FileRefused(
            _finding(
                raw,
                Severity.ERROR,
                None,
                "",
                "",
                "no-data-rows",
                f"The file has no territory row below its header (only {kinds}).",
            )
        )
    columns = merged_columns(raw, columns, layout)
    data = [r for r in raw.rows if layout.kinds[r.line] in _DATA_ROWS]
    country_check(raw, columns, data, country)
    findings.extend(layout.findings)
    findings.extend(currency_findings(raw, columns, data))
    fmt = _settle(raw, columns, data)
    width = len(raw.header)
    records: dict[int, dict[str, object]] = {}
    written: dict[int, dict[str, int]] = {}
    gaps: dict[int, list[Finding]] = {}
    totals: list[TotalsRow] = []
    unnamed: dict[int, tuple[dict[str, object], dict[str, int]]] = {}  # rows with no name
    bad_lines: set[int] = set()
    for row in data:
        if len(row.cells) != width:
            findings.append(_wrong_width(raw, row, columns, width))
            bad_lines.add(row.line)
            continue
        if long := overlong_cells(row, config.MAX_CELL_CHARS):
            findings.append(_overlong(raw, row, long))
            bad_lines.add(row.line)
            continue
        before = len(findings)
        values, decimals = typed_row(raw, row, columns, fmt, findings)
        # The period in its one normal form first: the rate of "2003/2004" is the rate of
        # "2003-2004", never the blank-period one.
        _canonical_period(raw, row, values, columns, findings)
        problem, rate = convert(raw, row, values, columns, rates, decimals)
        findings.extend([problem] if problem else [])
        used |= {rate} if rate else set()
        converted |= {row.line: conversion(rates, rate)} if rate else {}
        findings.extend(unrepresentable_findings(raw, row, values, columns))
        label = str(values.get("territory") or "")
        kind = layout.kinds[row.line]
        if kind is RowKind.SUBTOTAL:
            findings.append(subtotal_finding(raw, row.line, columns["territory"], label))
        elif kind is RowKind.TOTAL:
            totals.append(TotalsRow(row.line, values.get("period"), _figures(values), decimals))  # type: ignore[arg-type]
        elif not label or summary_word(label):  # not a territory: _unnamed_findings
            unnamed[row.line] = (values, decimals)
        else:
            records[row.line] = values
            written[row.line] = decimals
            findings.extend(unprintable_findings(raw, row, columns))
            gaps[row.line] = _not_reported(raw, row, columns)
        if len(findings) > before and any(f.severity is Severity.ERROR for f in findings[before:]):
            bad_lines.add(row.line)
    by_name, probable = resolve_totals(layout, records, written)
    findings.extend(_labels_alone(raw, layout, columns, records, gaps, set(by_name)))
    for line in by_name:
        values = records.pop(line)
        gaps.pop(line)
        layout.kinds[line] = RowKind.TOTAL
        totals.append(TotalsRow(line, values.get("period"), _figures(values), written[line]))  # type: ignore[arg-type]
        findings.append(_totals_by_name(raw, line, columns, str(values["territory"])))
    totals = sorted((_dated(raw, t, records, columns) for t in totals), key=lambda t: t.line)
    findings.extend(_sum_row(raw, row, columns, records) for row in probable)
    findings.extend(_unnamed_findings(raw, layout, columns, records, written, unnamed))
    # A row refused as a probable subtotal or Totals row is one error with one fix: its blank
    # cells are not gaps, and a Totals row is reconciled without it, not refused once more.
    sums = [row.line for row in probable]
    findings.extend(f for line in sorted(gaps) if line not in sums for f in gaps[line])
    period_gaps = _missing_periods(raw, records, columns)
    bad_lines |= {f.line for f in period_gaps if f.line}
    findings.extend(period_gaps)
    frame = _frame(records, columns)
    schema_errors = schema_findings(raw, frame, columns)
    bad_lines |= {f.line for f in schema_errors if f.severity is Severity.ERROR and f.line}
    findings.extend(schema_errors)
    findings.extend(subgroup_findings(raw, frame, columns, bad_lines))
    unread = _unread_columns(findings, columns, set(records))
    territories = frame.drop(index=sums, errors="ignore")
    findings.extend(totals_findings(raw, territories, totals, columns, unread))
    findings.extend(normalisation_findings(raw, columns, sorted(used)))
    findings = with_suggestions(raw, columns, fmt, findings)  # what to write instead (#22)
    findings.sort(key=lambda f: (f.line or 0, f.severity != Severity.ERROR))
    # Every error's row is rejected, Totals rows that do not reconcile included.
    bad_lines |= {f.line for f in findings if f.severity is Severity.ERROR and f.line}
    rejected = tuple(r for r in raw.rows if r.line in bad_lines)
    return CountryTable(
        raw,
        frame,
        tuple(totals),
        columns,
        fmt,
        tuple(findings),
        rejected,
        tuple(sorted(used)),
        layout.counts(len(raw.blank_lines)),
        converted,
    )


#: The rows that hold figures; the other kinds are counted, never read as figures.
_DATA_ROWS = (RowKind.TERRITORY, RowKind.TOTAL, RowKind.SUBTOTAL)


def _figures(values: dict[str, object]) -> dict[str, float]:
    return {
        k: v
        for k, v in values.items()
        if k in NUMERIC and isinstance(v, float) and not math.isnan(v)
    }


def _note_below(raw: RawTable, line: int, columns: dict[str, Column]) -> Finding:
    text = _cell(raw.row(line), columns["territory"]).strip()
    return _finding(
        raw,
        Severity.WARNING,
        line,
        "",
        text,
        "note-row",
        f'Line {line} ("{text}") was read as a note, not a territory: it is below the Totals '
        "row and holds nothing else.",
    )


def _unread_columns(
    findings: list[Finding], columns: dict[str, Column], lines: set[int]
) -> frozenset[str]:
    """The columns with a territory's cell refused ("240*"): their sums leave that cell out,
    so a Totals row is not compared with them (the cell's own error says what to fix)."""
    labels = {c.label: name for name, c in columns.items()}
    return frozenset(
        labels[f.column]
        for f in findings
        if f.severity is Severity.ERROR and f.line in lines and f.column in labels
    )


def _labels_alone(
    raw: RawTable,
    layout: Layout,
    columns: dict[str, Column],
    records: dict[int, dict[str, object]],
    gaps: dict[int, list[Finding]],
    totals_by_name: set[int],
) -> list[Finding]:
    """Rows holding only a label that are not territories, taken out of `records` and `gaps`:
    notes below a Totals row by name, and labels that read as headings or sentences."""
    found: list[Finding] = []
    for line, candidate in layout.pending.items():
        if candidate in totals_by_name and line in records:  # below a Totals row by name
            records.pop(line)
            gaps.pop(line, None)
            layout.kinds[line] = RowKind.NOTE
            found.append(_note_below(raw, line, columns))
    for line, finding in _label_only_findings(raw, columns, records).items():
        records.pop(line)  # one error with one fix: its blank cells are not gaps
        gaps.pop(line)
        found.append(finding)
    return found


def _label_only_findings(
    raw: RawTable, columns: dict[str, Column], records: dict[int, dict[str, object]]
) -> dict[int, Finding]:
    """A row holding a label and nothing else, not even "n/a", whose label reads as a heading
    ("Eastern Region") or a sentence: refused, since read as a territory that has not
    reported it would make "3 of 3 reporting" into "3 of 5" and put the heading in the
    table. A place's name alone on its row stays a territory that has not reported."""
    found: dict[int, Finding] = {}
    for line, values in records.items():
        row = raw.row(line)
        if any(_cell(row, c).strip() for name, c in columns.items() if name != "territory"):
            continue
        label = str(values.get("territory") or "")
        if reading := label_reading(label):
            found[line] = _label_only(raw, line, columns, label, reading)
    return found


def _label_only(
    raw: RawTable, line: int, columns: dict[str, Column], label: str, reading: str
) -> Finding:
    return _finding(
        raw,
        Severity.ERROR,
        line,
        columns["territory"].label,
        label,
        "label-only-row",
        f'"{short_label(label)}" on line {line} holds nothing else and reads as {reading}, '
        "not a territory: a territory's row with no figures counts as one that has not "
        "reported.",
    )


def _wrong_width(raw: RawTable, row: RawRow, columns: dict[str, Column], width: int) -> Finding:
    """A row with more or fewer cells than the header; a heading or sentence alone on a short
    line ("Eastern Region" with no commas) is named as such, with its own fix."""
    cells = [c.strip() for c in row.cells]
    reading = label_reading(cells[0]) if cells and not any(cells[1:]) else ""
    if len(cells) < width and reading:
        return _label_only(raw, row.line, columns, cells[0], reading)
    return _finding(
        raw,
        Severity.ERROR,
        row.line,
        "",
        row.text,
        "extra-cell" if len(row.cells) > width else "missing-cell",
        f"The row has {len(row.cells)} cells but the header has {width}; "
        "no value in it can be trusted.",
    )


def _totals_by_name(raw: RawTable, line: int, columns: dict[str, Column], label: str) -> Finding:
    return _finding(
        raw,
        Severity.WARNING,
        line,
        columns["territory"].label,
        label,
        "totals-by-name",
        f'"{label}" on line {line} is read as the Totals row: it names the country (or all its '
        "territories) and its figures are the sums of the other rows.",
    )


def _summary_row(
    raw: RawTable, line: int, columns: dict[str, Column], label: str, word: str
) -> Finding:
    return _finding(
        raw,
        Severity.ERROR,
        line,
        columns["territory"].label,
        label,
        "summary-row",
        f'"{label}" on line {line} is a summary row ("{word}"), not a territory: read as one, '
        "its figures would be added to every total of the brief.",
    )


def _unnamed_findings(
    raw: RawTable,
    layout: Layout,
    columns: dict[str, Column],
    records: dict[int, dict[str, object]],
    written: dict[int, dict[str, int]],
    unnamed: dict[int, tuple[dict[str, object], dict[str, int]]],
) -> list[Finding]:
    """A row labelled as a summary ("Average", "Target"): refused as such. A row with figures
    but no name: a Totals row or a subtotal whose label was left out if
    its figures are the sums of the territories (refused as such, with "write Total" as the
    fix), else a territory whose name is missing. Each is tested alone against the named
    territories, so the findings of the other rows never change."""
    found: list[Finding] = []
    for line, (values, decimals) in sorted(unnamed.items()):
        label = str(values.get("territory") or "")
        if word := summary_word(label):
            found.append(_summary_row(raw, line, columns, label, word))
            continue
        both = {**records, line: values}
        _, probable = resolve_totals(layout, both, {**written, line: decimals})
        sums = [r for r in probable if r.line == line]
        if sums:
            found.append(_sum_row(raw, sums[0], columns, both))
        else:
            found.append(
                _finding(
                    raw, Severity.ERROR, line, columns["territory"].label, "", "missing-territory"
                )
            )
    return found


def _sum_row(
    raw: RawTable, row: SumRow, columns: dict[str, Column], records: dict[int, dict[str, object]]
) -> Finding:
    """A row that holds sums without being labelled as a Totals row or a subtotal: refused,
    since read as a territory it would count the rows it sums twice."""
    line = row.line
    shown = ", ".join(columns[n].label for n in row.matched)
    if row.subtotal:
        first, last = row.lines[0], row.lines[-1]
        name = _cell(raw.row(line), columns["territory"]).strip()
        rule = "probable-subtotal-row"
        message = (
            f"Every figure on line {line} ({shown}) equals the sum of lines {first} to {last}: "
            "it looks like a subtotal (a region's), which would count those rows twice."
        )
        label = f'"Subtotal {name}" in its name' if name else '"Subtotal" and the region\'s name'
        fix = (
            f"Write {label} if it is a subtotal: it is then left out of the sums. If it really "
            "is a territory, check its figures with the field office."
        )
    elif row.differ:
        rule = "probable-totals-row"
        differ = "; ".join(
            f"{columns[n].label} is {_plain(records[line].get(n))} where the other rows add up "
            f"to {_plain(total)}"
            for n, total in row.differ
        )
        message = (
            f"Line {line} holds the sum of all the other rows in {shown}, but not in the "
            f"rest ({differ}): it looks like a Totals row with a slip, which would count every "
            "figure twice."
        )
        fix = (
            'Label the row "Total" and check its figures against the territories; if it '
            "really is a territory, check its figures with the field office."
        )
    else:
        rule = "probable-totals-row"
        message = (
            f"Every figure on line {line} ({shown}) equals the sum of all the other rows: it "
            "looks like a Totals row, which would count every figure twice."
        )
        fix = RULES[rule].fix
    found = _finding(
        raw,
        Severity.ERROR,
        line,
        columns["territory"].label,
        _cell(raw.row(line), columns["territory"]).strip(),
        rule,
        message,
    )
    return replace(found, fix=fix)


def _plain(value: object) -> str:
    return f"{value:,.10g}" if isinstance(value, float) else str(value)


def _overlong(raw: RawTable, row: RawRow, indices: list[int]) -> Finding:
    """A row with a cell too long to be a figure or a name: an error, never a crash."""
    header = raw.header[indices[0]] if indices[0] < len(raw.header) else ""
    size = len(row.cells[indices[0]])
    return _finding(
        raw,
        Severity.ERROR,
        row.line,
        header,
        row.cells[indices[0]][:40] + "…",
        "cell-too-long",
        f"A cell holds {size:,} characters; the limit is {config.MAX_CELL_CHARS:,}.",
    )


def _dated(
    raw: RawTable,
    row: TotalsRow,
    records: dict[int, dict[str, object]],
    columns: dict[str, Column],
) -> TotalsRow:
    """A Totals row whose period cell is blank but whose label names one of the file's
    periods ("Total 2004") is that period's Totals row, reconciled with its territories."""
    if row.period or "period" not in columns:
        return row
    period = labelled_period(_cell(raw.row(row.line), columns["territory"]))
    if period and period in {r.get("period") for r in records.values()}:
        return replace(row, period=period)
    return row


def _canonical_period(
    raw: RawTable,
    row: RawRow,
    values: dict[str, object],
    columns: dict[str, Column],
    findings: list[Finding],
) -> None:
    """Write the row's period in its one normal form (`period_key`, as every join compares
    it), or add a bad-period error."""
    text = values.get("period")
    if not isinstance(text, str):
        return
    key = period_key(text)
    if key is None:
        findings.append(
            _finding(
                raw,
                Severity.ERROR,
                row.line,
                columns["period"].label,
                text,
                "bad-period",
                f'"{text}" is not a period: write it as {FORMS}.',
            )
        )
    else:
        values["period"] = key or None


def _missing_periods(
    raw: RawTable, records: dict[int, dict[str, object]], columns: dict[str, Column]
) -> list[Finding]:
    """When any territory row gives a period, every one must: else figures would mix."""
    if "period" not in columns or not any(r.get("period") for r in records.values()):
        return []
    return [
        _finding(raw, Severity.ERROR, line, columns["period"].label, "", "missing-period")
        for line, r in records.items()
        if not r.get("period")
    ]


def _not_reported(raw: RawTable, row: RawRow, columns: dict[str, Column]) -> list[Finding]:
    return [
        _finding(
            raw,
            Severity.WARNING,
            row.line,
            c.label,
            _cell(row, c).strip(),
            "not-reported",
            f"{c.label} is not reported; it is shown as – and left out of totals.",
        )
        for name, c in columns.items()
        if (name in REQUIRED or name in NUMERIC)
        and name != "territory"
        and is_missing(_cell(row, c))
        and c.index not in row.uncached
        and row.error(c.index) is None
    ]


def _frame(records: dict[int, dict[str, object]], columns: dict[str, Column]) -> pd.DataFrame:
    names = [
        c for c in (*REQUIRED, *OPTIONAL) if c in columns and c not in ("currency", "country")
    ]
    frame = pd.DataFrame.from_dict(records, orient="index", columns=names)
    frame.index = pd.Index(frame.index.astype(int), name="line")
    for name in names:
        # Blank text cells are None; mask them before astype turns them into "None".
        typed = frame[name].astype(float if name in NUMERIC else "str")
        frame[name] = typed if name in NUMERIC else typed.where(frame[name].notna())
    return frame
