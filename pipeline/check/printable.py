"""Text the briefs print, checked against the shipped fonts: a letter no font has would
print as an empty box, and a donor would read a name that is not there."""

from __future__ import annotations

from pipeline.check.locate import cell as _cell
from pipeline.check.locate import finding as _finding
from pipeline.core.findings import Finding, Severity
from pipeline.core.glyphs import script_names, unprintable
from pipeline.read.columns import Column
from pipeline.read.raw import RawRow, RawTable

#: The text columns of a territory's row that the briefs, pages and charts print.
PRINTED = ("territory", "products")


def unprintable_findings(raw: RawTable, row: RawRow, columns: dict[str, Column]) -> list[Finding]:
    """An error for each printed cell of a territory's row holding a character that no
    shipped font has."""
    out = []
    for name in PRINTED:
        if name not in columns:
            continue
        text = _cell(row, columns[name]).strip()
        missing = unprintable(text)
        if not missing:
            continue
        shown = text[:60] + ("…" if len(text) > 60 else "")
        found = _finding(
            raw,
            Severity.ERROR,
            row.line,
            columns[name].label,
            shown,
            "unprintable-text",
            f'"{shown}" has characters that none of the briefs\' fonts has '
            f"({script_names(missing)}: {missing[:12]}): the brief would print each as an "
            "empty box.",
        )
        out.append(found)
    return out
