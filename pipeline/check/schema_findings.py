"""The data dictionary's checks (pandera, lazily): every failure case as a located finding."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from pipeline.check.locate import cell as _cell
from pipeline.check.locate import finding as _finding
from pipeline.check.schemas import TerritoryInput
from pipeline.core.findings import Finding, Severity
from pipeline.core.rules import RULES
from pipeline.read.columns import Column
from pipeline.read.raw import RawTable

#: pandera check names -> our rule codes.
_CHECK_RULES = {"greater_than_or_equal_to(0)": "negative-number"}
#: Whole-table checks -> the column they are reported against.
_TABLE_CHECK_COLUMNS = {"members-below-pmgs": "members", "duplicate-territory": "territory"}


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
        rule = _CHECK_RULES.get(str(case.check), str(case.check))
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
                _schema_message(rule, raw, frame, line, columns),
            ),
        )
    return list(findings.values())


def _raw_text(raw: RawTable, line: int, column: Column) -> str:
    return _cell(raw.row(line), column).strip()


def _schema_message(
    rule: str, raw: RawTable, frame: pd.DataFrame, line: int, columns: dict[str, Column]
) -> str:
    if rule == "duplicate-territory":
        # Territory cells were whitespace-normalised when typed; case is what is left to fold.
        keys = frame["territory"].str.casefold()
        periods = frame["period"].fillna("") if "period" in frame else pd.Series("", frame.index)
        same_period = periods == periods[line]
        same = [int(i) for i in frame.index[(keys == keys[line]) & same_period]]
        others = ", ".join(str(i) for i in same if i != line)
        return f'The territory "{frame.at[line, "territory"]}" also appears on line {others}.'
    if rule == "members-below-pmgs":
        members, pmgs = frame.at[line, "members"], frame.at[line, "pmgs"]
        return (
            f"{members:,.0f} {columns['members'].label} is fewer than {pmgs:,.0f} "
            f"{columns['pmgs'].label}: every group has at least one member."
        )
    return RULES[rule].description
