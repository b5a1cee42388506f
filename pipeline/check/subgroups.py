"""Members by sex and age (#26): each part of the members checked against the members.

A part (women, youth) is a count like any other (the data dictionary checks it is a whole
number ≥ 0 and reads "not reported" tokens); here, what only a part of a whole can break:

- more women (or youth) than members on a row: an error naming the line and both numbers;
- women (or youth) reported where members is not: an error, since no share can be stated;
- a country whose women (or youth) are 0% or 100% of its members: a warning to check, as a
  whole programme of only men or only women is far likelier a column filled in wrongly.
"""

from __future__ import annotations

import math

import pandas as pd

from pipeline.check.locate import cell as _cell
from pipeline.check.locate import finding as _finding
from pipeline.core.findings import Finding, Severity
from pipeline.core.registry import INDICATORS, optional_given
from pipeline.read.columns import Column
from pipeline.read.raw import RawTable


def subgroup_findings(
    raw: RawTable, frame: pd.DataFrame, columns: dict[str, Column], rejected: set[int]
) -> list[Finding]:
    """Every part-of-members finding of a country's territory rows; `rejected` lines (already
    in error) are not checked against a whole country."""
    out: list[Finding] = []
    members = columns["members"]
    for name in optional_given(columns):
        whole = str(INDICATORS[name].part_of)
        column = columns[name]
        for line, row in frame.iterrows():
            part, total = float(row[name]), float(row[whole])
            if math.isnan(part):
                continue
            row_line = int(str(line))
            text = _cell(raw.row(row_line), column).strip()
            if math.isnan(total):
                rule = "part-without-members"
                message = (
                    f"{column.label} on line {line} is {part:,.0f}, but {members.label} is "
                    "not reported there: a share of members cannot be stated without them."
                )
            elif part > total:
                rule = "part-above-members"
                message = (
                    f"{column.label} on line {line} is {part:,.0f}, more than the "
                    f"{total:,.0f} {members.label} on that line: a part of the members "
                    "cannot outnumber them."
                )
            else:
                continue
            out.append(_finding(raw, Severity.ERROR, row_line, column.label, text, rule, message))
        out.extend(_whole_country(raw, frame, name, column, rejected))
    return out


def _whole_country(
    raw: RawTable, frame: pd.DataFrame, name: str, column: Column, rejected: set[int]
) -> list[Finding]:
    """A warning when a part is 0% or 100% of the members of the whole country (per period)."""
    whole = str(INDICATORS[name].part_of)
    kept = frame[~frame.index.isin(list(rejected))]
    both = kept[[name, whole, *(["period"] if "period" in kept else [])]].dropna(
        subset=[name, whole]
    )
    if "period" not in both:
        both = both.assign(period="")
    out = []
    for period, rows in both.groupby(both["period"].fillna(""), sort=True):
        part, total = float(rows[name].sum()), float(rows[whole].sum())
        if total <= 0 or 0 < part < total or part > total:
            continue  # more than the members is each row's own error, never "100%"
        share = "0%" if part == 0 else "100%"
        where = f" in {period}" if period else ""
        out.append(
            _finding(
                raw,
                Severity.WARNING,
                None,
                column.label,
                share,
                "part-share-extreme",
                f'"{column.label}" is {share} of the members in every territory that reports '
                f"both{where} ({part:,.0f} of {total:,.0f}).",
            )
        )
    return out
