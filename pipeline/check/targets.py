"""Type and check targets.csv: each bad row is a located finding and is left out, never fatal.

Two steps. `targets_table` checks the file on its own, once per run (columns, countries,
indicators, numbers, periods, duplicates: the pandera model `TargetInput`);
`target_match.country_targets` then checks one country's targets against its validated table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import cast

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Index, Series

from pipeline.check.locate import finding as _finding
from pipeline.core.findings import FileRefused, Finding, Severity
from pipeline.core.names import identity
from pipeline.core.registry import INDICATORS, Unit
from pipeline.core.rules import RULES
from pipeline.read.cells import NumberFormat, is_missing, parse_number, settle_format
from pipeline.read.periods import FORMS, period_key
from pipeline.read.raw import RawRow, RawTable
from pipeline.read.targets import (
    INDICATORS as TARGETED,
)
from pipeline.read.targets import (
    NUMERIC,
    REQUIRED,
    country_code,
    indicator_code,
    share_text,
    targets_column,
)

LEFT_OUT = "This target is left out; the brief is built without it."


class TargetInput(pa.DataFrameModel):
    """One target as typed from targets.csv; the index is its physical line."""

    line: Index[int] = pa.Field(ge=1, description="Physical line in targets.csv (1-based)")
    country: Series[str] = pa.Field(description="ISO alpha-3 code of the country")
    territory: Series[str] = pa.Field(description='Territory; "" for a country target')
    indicator: Series[str] = pa.Field(isin=list(TARGETED), description="Indicator code")
    period: Series[str] = pa.Field(description='Canonical period; "" for the latest')
    baseline: Series[float] = pa.Field(ge=0, nullable=True, description="Baseline figure")
    baseline_year: Series[str] = pa.Field(description="When the baseline was measured")
    target: Series[float] = pa.Field(ge=0, description="Target figure")

    @pa.dataframe_check(name="share-above-one")
    def share_at_most_one(cls, df: pd.DataFrame) -> pd.Series[bool]:
        """A share (reach, of target households) has its target and baseline at most 100%."""
        shares = [n for n in TARGETED if INDICATORS[n].unit is Unit.SHARE]
        baseline_ok = df["baseline"].isna() | (df["baseline"] <= 1)
        return ~df["indicator"].isin(shares) | ((df["target"] <= 1) & baseline_ok)

    @pa.dataframe_check(name="duplicate-target")
    def unique_target(cls, df: pd.DataFrame) -> pd.Series[bool]:
        """One target per country, territory (in its one normal form, `identity`), indicator and
        period."""
        keys = df[["country", "indicator", "period"]].assign(
            territory=df["territory"].map(identity)
        )
        return ~keys.duplicated(keep=False)

    class Config:
        strict = True
        name = "target input"


@dataclass(frozen=True)
class Target:
    """One target that passed the checks."""

    line: int
    country: str  #: ISO alpha-3
    territory: str  #: "" for a country target; the country file's spelling once matched
    indicator: str
    period: str  #: canonical label as written; "" means the country's latest period
    baseline: float  #: NaN when none is given
    baseline_year: str
    target: float
    data_period: str = ""  #: the period of the country file it is compared with


@dataclass(frozen=True)
class Targets:
    """targets.csv, typed and checked on its own: its good rows and every finding."""

    file: str
    sha256: str
    labels: dict[str, str]  #: column -> header as written
    rows: tuple[Target, ...]
    findings: tuple[Finding, ...]
    countries: dict[int, str]  #: line -> the country it names (alpha-3), where it names one
    #: (line, "baseline" or "target") -> the cell as written: what a figure's lineage cites
    written: dict[tuple[int, str], str] = field(default_factory=dict)
    source_file: str = ""  #: the file's own name, without the sheet `file` cites
    sheet: str = ""  #: the workbook sheet it was read from; "" for a text file

    def for_country(self, alpha_3: str) -> tuple[list[Target], list[Finding]]:
        """The good rows of one country, and the findings on its rows."""
        rows = [t for t in self.rows if t.country == alpha_3]
        found = [f for f in self.findings if self.countries.get(f.line or 0) == alpha_3]
        return rows, found

    @property
    def unattributed(self) -> list[Finding]:
        """Findings on rows that name no country: shown in the validation report's own part."""
        return [f for f in self.findings if f.line not in self.countries]


def _header(raw: RawTable) -> dict[str, int]:
    """Column -> index; a missing required column refuses the whole file."""
    columns: dict[str, int] = {}
    for index, label in enumerate(raw.header):
        name = targets_column(label)
        if name and name not in columns:
            columns[name] = index
    for name in REQUIRED:
        if name not in columns:
            raise FileRefused(
                Finding(
                    Severity.ERROR,
                    raw.file,
                    raw.header_line,
                    name,
                    "",
                    "missing-column",
                    f'The targets file has no "{name}" column, so no target can be read.',
                    "Use the header country,territory,indicator,period,baseline,baseline_year,"
                    "target.",
                )
            )
    return columns


def _text(row: RawRow, columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return row.cells[index].strip() if index is not None and index < len(row.cells) else ""


def _number(text: str, indicator: str | None, fmt: NumberFormat) -> float | None:
    """The figure a cell holds (a reach cell may end in %), NaN when blank, None if not one."""
    if is_missing(text):
        return math.nan
    share = indicator is not None and INDICATORS[indicator].unit is Unit.SHARE
    digits, factor = share_text(text) if share else (text, 1.0)
    number = parse_number(digits, fmt)
    return None if number is None else number * factor


def targets_table(raw: RawTable) -> Targets:
    """Type every row of the targets file and check it; bad rows become findings."""
    columns = _header(raw)
    labels = {name: raw.header[i] for name, i in columns.items()}
    fmt = settle_format(
        raw.delimiter, [_text(r, columns, n) for r in raw.rows for n in NUMERIC], []
    )
    findings: list[Finding] = []
    countries: dict[int, str] = {}
    records: dict[int, dict[str, object]] = {}
    cells: dict[tuple[int, str], str] = {}

    def bad(row: RawRow, name: str, rule: str, message: str) -> None:
        value = _text(row, columns, name) if name else row.text
        column = labels.get(name, "")
        findings.append(
            _finding(raw, Severity.WARNING, row.line, column, value, rule, f"{message} {LEFT_OUT}")
        )

    width = len(raw.header)
    for row in raw.rows:
        before = len(findings)
        country = country_code(_text(row, columns, "country"))
        if country:
            countries[row.line] = country
        if len(row.cells) != width:
            rule = "extra-cell" if len(row.cells) > width else "missing-cell"
            bad(row, "", rule, f"The row has {len(row.cells)} cells but the header has {width}.")
            continue
        if not country:
            text = _text(row, columns, "country")
            bad(row, "country", "target-unknown-country", f'"{text}" is not a country.')
        indicator = indicator_code(_text(row, columns, "indicator"))
        if indicator is None:
            text = _text(row, columns, "indicator")
            bad(row, "indicator", "target-unknown-indicator", f'"{text}" is not an indicator.')
        values: dict[str, object] = {"country": country, "indicator": indicator}
        for name in ("period", "baseline_year"):
            text = _text(row, columns, name)
            key = period_key(text)  # the one normal form, as on the country file's side
            if key is None:
                bad(row, name, "bad-period", f'"{text}" is not a period: write it as {FORMS}.')
            values[name] = key or ""
        for name in NUMERIC:
            text = _text(row, columns, name)
            number = _number(text, indicator, fmt)
            if number is None or (name == "target" and math.isnan(number)):
                what = f'"{text}" is not a number ({fmt.label})' if text else "No target is given"
                bad(row, name, "target-not-a-number", f"{what}.")
            values[name] = number
            cells[(row.line, name)] = text
        values["territory"] = " ".join(_text(row, columns, "territory").split())
        if len(findings) == before:
            records[row.line] = values
    frame = _frame(records)
    failed = _schema_findings(raw, frame, labels, cells)
    findings.extend(failed)
    dropped = {f.line for f in failed}
    rows = tuple(
        Target(int(line), **r)  # type: ignore[arg-type]
        for line, r in records.items()
        if line not in dropped
    )
    findings.sort(key=lambda f: (f.line or 0, f.column))
    return Targets(
        raw.file,
        raw.sha256,
        labels,
        rows,
        tuple(findings),
        countries,
        cells,
        raw.source_file,
        raw.sheet,
    )


_NAMES = ("country", "territory", "indicator", "period", "baseline", "baseline_year", "target")


def _frame(records: dict[int, dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_dict(records, orient="index", columns=list(_NAMES))
    frame.index = pd.Index(frame.index.astype(int), name="line")
    return frame.astype({n: float if n in NUMERIC else str for n in _NAMES})


_CHECK_RULES = {"greater_than_or_equal_to(0)": "negative-target"}


def _schema_findings(
    raw: RawTable, frame: pd.DataFrame, labels: dict[str, str], cells: dict[tuple[int, str], str]
) -> list[Finding]:
    """Run `TargetInput` lazily; every failure case is a finding on its row and column."""
    try:
        TargetInput.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    out: dict[tuple[int, str], Finding] = {}
    for case in cases.itertuples():
        rule = _CHECK_RULES.get(str(case.check), str(case.check))
        if case.index is None or rule not in RULES:
            raise RuntimeError(f"Unexpected schema failure: {case}")  # a bug in our typing
        line = int(case.index)
        name = _column(rule, str(case.column), cast(pd.Series, frame.loc[line]))
        value = cells.get((line, name), str(frame.at[line, name]))
        out.setdefault(
            (line, rule),
            _finding(
                raw,
                Severity.WARNING,
                line,
                labels.get(name, name),
                value,
                rule,
                f"{_message(rule, frame, line)} {LEFT_OUT}",
            ),
        )
    return list(out.values())


def _column(rule: str, column: str, row: pd.Series) -> str:
    """The column a whole-row check is reported against."""
    if rule == "duplicate-target":
        return "indicator"
    if rule == "share-above-one":
        return "target" if row["target"] > 1 else "baseline"
    return column


def _message(rule: str, frame: pd.DataFrame, line: int) -> str:
    if rule == "duplicate-target":
        keys = frame[["country", "indicator", "period"]].assign(
            territory=frame["territory"].map(identity)
        )
        same = (keys == keys.loc[line]).all(axis=1)
        others = ", ".join(str(i) for i in frame.index[same] if i != line)
        return f"Another target for the same indicator and period is on line {others}."
    return RULES[rule].description
