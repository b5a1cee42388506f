"""The data dictionary's checks (pandera, lazily): every failure case as a located finding."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pandera.pandas as pa

from pipeline.check.locate import cell as _cell
from pipeline.check.locate import finding as _finding
from pipeline.check.schemas import TerritoryInput
from pipeline.core.findings import Finding, Severity
from pipeline.core.frames import as_float
from pipeline.core.names import identity
from pipeline.core.registry import CEILINGS
from pipeline.core.rules import RULES
from pipeline.read.columns import Column
from pipeline.read.raw import RawTable

#: pandera check names -> our rule codes.
_CHECK_RULES = {"greater_than_or_equal_to(0)": "negative-number"}
#: Whole-table checks -> the column they are reported against.
_TABLE_CHECK_COLUMNS = {
    "members-below-pmgs": "members",
    "duplicate-territory": "territory",
    "sales-without-sellers": "value_usd",
}


def schema_findings(
    raw: RawTable, frame: pd.DataFrame, columns: dict[str, Column]
) -> list[Finding]:
    """Run the pandera model lazily and translate every failure case into a finding."""
    try:
        TerritoryInput.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    findings: dict[tuple[int, str, str], Finding] = {}
    for case in cases.itertuples():
        check = str(case.check)
        rule = "above-ceiling" if check.startswith("less_than_or_equal_to") else check
        rule = _CHECK_RULES.get(rule, rule)
        name = _TABLE_CHECK_COLUMNS.get(rule, str(case.column))
        if case.index is None or name not in columns:
            raise RuntimeError(f"Unexpected schema failure: {case}")  # a bug in our typing
        line = int(case.index)
        column = columns[name]
        cell = str(frame.at[line, name]) if name == "territory" else _raw_text(raw, line, column)
        findings.setdefault(
            (line, name, rule),
            _finding(
                raw,
                Severity.ERROR,
                line,
                column.label,
                cell,
                rule,
                _schema_message(rule, name, frame, line, columns),
            ),
        )
    return list(findings.values())


def _raw_text(raw: RawTable, line: int, column: Column) -> str:
    return _cell(raw.row(line), column).strip()


def _shown(frame: pd.DataFrame, line: int) -> str:
    """A territory's name quoted, its invisible characters made visible ("Kitu<U+200D>")."""
    name = str(frame.at[line, "territory"])
    visible = "".join(f"<U+{ord(c):04X}>" if unicodedata.category(c) == "Cf" else c for c in name)
    return f'"{visible}"'


def _schema_message(
    rule: str,
    name: str,
    frame: pd.DataFrame,
    line: int,
    columns: dict[str, Column],
) -> str:
    if rule == "duplicate-territory":
        keys = frame["territory"].map(identity)
        periods = frame["period"].fillna("") if "period" in frame else pd.Series("", frame.index)
        same_period = periods == periods[line]
        same = [int(i) for i in frame.index[(keys == keys[line]) & same_period]]
        written = str(frame.at[line, "territory"])
        others = "; ".join(
            f"line {i}"
            + ("" if str(frame.at[i, "territory"]) == written else f" as {_shown(frame, i)}")
            for i in same
            if i != line
        )
        return f"The territory {_shown(frame, line)} also appears on {others}."
    if rule == "whole-number":
        value = as_float(frame.at[line, name])
        if abs(value - round(value)) < 1e-6:  # a formula's binary rounding, shown whole
            return (
                f"{columns[name].label} is stored as {value!r}, which the sheet shows as "
                f"{round(value):,}: a formula's rounding. Write =ROUND(…; 0) around the "
                f"formula, or type {round(value)}."
            )
    if rule == "above-ceiling":
        label = columns[name].label
        return (
            f"{as_float(frame.at[line, name]):,.0f} is above the ceiling of {CEILINGS[name]:,} for "
            f"{label}: no territory reports that much."
        )
    if rule == "members-below-pmgs":
        members, pmgs = as_float(frame.at[line, "members"]), as_float(frame.at[line, "pmgs"])
        return (
            f"{members:,.0f} {columns['members'].label} is fewer than {pmgs:,.0f} "
            f"{columns['pmgs'].label}: every group has at least one member."
        )
    if rule == "sales-without-sellers":
        sales = ", ".join(
            f"{columns[n].label}: {as_float(frame.at[line, n]):,.10g}"
            for n in ("value_usd", "volume_sold_t")
            if as_float(frame.at[line, n]) > 0
        )
        zeros = ", ".join(
            f"{columns[n].label}: 0"
            for n in ("pmgs", "members", "volume_sold_t")
            if as_float(frame.at[line, n]) == 0
        )
        return (
            f"{_shown(frame, line)} reports sales ({sales}) but {zeros}: sales come from "
            "members of PMGs, and a value from produce sold."
        )
    return RULES[rule].description
