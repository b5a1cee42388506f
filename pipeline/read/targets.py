"""data/raw/targets.csv: baselines and targets per country, territory, indicator and period.

The file is optional and edited by hand. It is read with the country files' own reader
(encodings, delimiters, title rows, workbooks); `pipeline.check.targets` types and checks it.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.core.countries import country_key
from pipeline.core.findings import FileRefused
from pipeline.core.names import fold
from pipeline.core.registry import TARGETED
from pipeline.read.columns import label_key
from pipeline.read.raw import RawTable, refuse
from pipeline.read.tables import read_table

#: The indicators a target may be set for, in the registry's order (README, "Targets"); how
#: each compares with an actual is its registry entry's `target`.
INDICATORS: tuple[str, ...] = TARGETED

#: Columns of the targets file, required first.
REQUIRED = ("country", "indicator", "target")
OPTIONAL = ("territory", "period", "baseline", "baseline_year")
NUMERIC = ("baseline", "target")
_ALIASES = {
    "country": ("Country",),
    "territory": ("Territory", "District", "Region", "Area"),
    "indicator": ("Indicator",),
    "period": ("Period", "Year", "Reporting period"),
    "baseline": ("Baseline", "Baseline value"),
    "baseline_year": ("Baseline year",),
    "target": ("Target", "Target value"),
}
_LOOKUP = {label_key(v): k for k, vs in _ALIASES.items() for v in (k, *vs)}


def targets_column(label: str) -> str | None:
    """The targets column a header names ('Baseline year' -> 'baseline_year'), or None."""
    return _LOOKUP.get(label_key(label))


def targets_header_score(cells: list[str]) -> int:
    """How many distinct targets columns a row names: finds the header row."""
    return len({targets_column(c) for c in cells if c.strip()} - {None})


def read_targets(path: Path) -> RawTable:
    """The targets file as text cells; FileRefused when it is not a targets table."""
    try:
        return read_table(path, ("targets", "Targets"), targets_header_score)
    except FileRefused as exc:
        if exc.finding.rule != "no-header":
            raise
        raise refuse(
            exc.finding.file,
            "no-header",
            "No header row naming the targets columns was found.",
            "Start the file with the header " + ",".join((*REQUIRED, *OPTIONAL)) + ".",
        ) from None


def indicator_code(text: str) -> str | None:
    """The indicator a cell names ('Value (US$)' is not one; 'value_usd', 'Value USD' are)."""
    key = fold(text)
    return next((code for code in INDICATORS if fold(code) == key), None)


def country_code(text: str) -> str | None:
    """The ISO alpha-3 code of the country a cell names, in any form a file name may take."""
    return country_key(text)


def countries_named(path: Path | None) -> frozenset[str]:
    """The countries (alpha-3) a targets file names: each one's brief depends on the file.

    Cheap (no pandas), for the incremental build; an unreadable file names none.
    """
    if path is None:
        return frozenset()
    try:
        raw = read_targets(path)
    except FileRefused:
        return frozenset()
    index = next((i for i, h in enumerate(raw.header) if targets_column(h) == "country"), None)
    if index is None:
        return frozenset()
    cells = (r.cells[index] for r in raw.rows if index < len(r.cells))
    return frozenset(c for c in map(country_code, cells) if c)


def share_text(text: str) -> tuple[str, float]:
    """A share cell without its percent sign, and the factor it is read with: '45%' -> 0.01."""
    stripped = text.strip()
    if re.fullmatch(r".*\d\s*%", stripped):
        return stripped.rstrip("%").strip(), 0.01
    return stripped, 1.0
