"""One country's targets checked against its validated table: territories and periods."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from pipeline.check.targets import LEFT_OUT, Target, Targets
from pipeline.check.validate import CountryTable
from pipeline.core.findings import Finding, Severity
from pipeline.core.names import identity
from pipeline.core.registry import INDICATORS
from pipeline.core.rules import RULES
from pipeline.read.periods import sort_key


def _left_out(
    targets: Targets, t: Target, column: str, value: str, rule: str, message: str
) -> Finding:
    """A finding on a target left out of its country's brief."""
    label = targets.labels.get(column, column)
    return Finding(
        Severity.WARNING,
        targets.file,
        t.line,
        label,
        value,
        rule,
        f"{message} {LEFT_OUT}",
        RULES[rule].fix,
    )


def country_targets(
    targets: Targets, alpha_3: str, table: CountryTable
) -> tuple[list[Target], list[Finding]]:
    """One country's targets matched to its validated table, and every finding on them.

    A blank period is the file's latest; a file without periods is compared whatever the
    target's period. A territory must be reported in the target's period.
    """
    rows, findings = targets.for_country(alpha_3)
    frame = table.territories
    by_period = (
        frame["period"].fillna("") if "period" in frame else pd.Series("", index=frame.index)
    )
    labels = sorted(set(by_period))
    latest = "" if labels == [""] else max(labels, key=sort_key)
    kept: list[Target] = []
    for t in rows:
        period = "" if latest == "" else (t.period or latest)
        if INDICATORS[t.indicator].optional and t.indicator not in frame:
            message = f"{table.raw.file} has no {INDICATORS[t.indicator].label} column."
            findings.append(
                _left_out(targets, t, "indicator", t.indicator, "target-column-not-given", message)
            )
            continue

        if period not in labels:
            message = f"{table.raw.file} reports {', '.join(labels)}, not {t.period}."
            findings.append(
                _left_out(targets, t, "period", t.period, "target-period-not-reported", message)
            )
            continue
        territory = ""
        if t.territory:
            names = frame.loc[by_period == period, "territory"]
            match = [n for n in names if identity(n) == identity(t.territory)]
            if not match:
                where = f" in {period}" if period else ""
                message = f'{table.raw.file} reports no territory "{t.territory}"{where}.'
                findings.append(
                    _left_out(
                        targets, t, "territory", t.territory, "target-unknown-territory", message
                    )
                )
                continue
            territory = match[0]
        kept.append(replace(t, territory=territory, data_period=period))
    kept, clashes = _resolved_duplicates(kept, targets)
    findings.extend(clashes)
    findings.sort(key=lambda f: (f.line or 0, f.column))
    return kept, findings


def _resolved_duplicates(
    rows: list[Target], targets: Targets
) -> tuple[list[Target], list[Finding]]:
    """Two targets that meet once a blank period is read as the latest: both are left out."""

    def key(t: Target) -> tuple[str, str, str]:
        return (t.territory, t.indicator, t.data_period)

    groups: dict[tuple[str, str, str], list[Target]] = {}
    for t in rows:
        groups.setdefault(key(t), []).append(t)
    clashes = []
    for group in (g for g in groups.values() if len(g) > 1):
        for t in group:
            others = ", ".join(str(o.line) for o in group if o is not t)
            message = (
                "Another target for the same indicator and period (a blank period is the "
                f"latest) is on line {others}."
            )
            clashes.append(
                _left_out(targets, t, "indicator", t.indicator, "duplicate-target", message)
            )
    return [t for t in rows if len(groups[key(t)]) == 1], clashes
