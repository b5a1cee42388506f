"""Totals and subtotal rows: recognised by their label, never a territory, reconciled."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from pipeline.check.locate import finding as _finding
from pipeline.core.findings import Finding, Severity
from pipeline.read.columns import Column
from pipeline.read.periods import period_key
from pipeline.read.raw import RawTable

#: Labels of a Totals row, as words after folding case and accents ("Total général").
TOTAL_WORDS = frozenset(
    {
        ("total",),
        ("totals",),
        ("sum",),
        ("grand", "total"),
        ("grand", "totals"),
        ("total", "general"),
        ("total", "generale"),
        ("totaux",),
        ("totaux", "generaux"),
        ("overall", "total"),
        ("overall",),
        ("tot",),  # "Tot.", "TOT"
        ("sum", "total"),
        ("totales",),  # Spanish
        ("total", "geral"),  # Portuguese
        ("soma",),
        ("suma",),
        ("somme",),
        ("jumla",),
        ("jumla", "kuu"),
    }
)
#: Labels of a subtotal row (a region's sum within the file), alone or with the region's name.
SUBTOTAL_WORDS = frozenset(
    {("subtotal",), ("subtotals",), ("sub", "total"), ("sub", "totals"), ("sous", "total")}
)


#: First words of a row that summarises the others without being their sum: an average, a
#: target, a share. Read as a territory, its figures would be added to every total.
SUMMARY_WORDS = frozenset(
    {
        # averages and shares
        "average", "averages", "avg", "mean", "median", "moyenne", "moy", "mediane", "wastani",
        "promedio", "media", "mediana", "percentage", "percent", "pourcentage", "asilimia",
        "porcentaje", "percentagem", "porcentagem", "ratio", "taux", "per",
        # targets, plans and baselines
        "target", "targets", "objectif", "objectifs", "cible", "cibles", "lengo", "malengo",
        "objetivo", "objetivos", "goal", "goals", "plan", "planned", "prevu", "previsto",
        "planeado", "planejado", "planificado", "baseline", "reference", "linha", "linea",
        "achieved", "achievement", "expected", "projected", "projection", "forecast",
        # estimates, extremes, running sums and differences
        "estimate", "estimated", "estimation", "estimativa", "estimado", "makadirio",
        "maximum", "max", "minimum", "min", "cumulative", "cumul", "acumulado", "previous",
        "prior", "difference", "diff", "variance", "ecart", "diferencia", "diferenca", "tofauti",
    }
)  # fmt: skip
#: A label's words in brackets: "Gulu (target)" is Gulu's target, not Gulu. Estimates are
#: left out: "Kitu (estimated)" is Kitu, with estimated figures.
_BRACKETED = re.compile(r"[(\[]([^)\]]*)[)\]]")
BRACKETED_SUMMARY_WORDS = frozenset(
    {
        "target", "targets", "objectif", "objectifs", "cible", "cibles", "lengo", "objetivo",
        "goal", "plan", "planned", "prevu", "previsto", "baseline", "average", "avg", "mean",
        "median", "moyenne", "wastani", "promedio", "media",
    }
)  # fmt: skip


def summary_word(label: str) -> str | None:
    """The summary word that starts a row's label ("Average", "Target 2004") or stands in
    its brackets ("Gulu (target)"), if any."""
    found = words(label)
    if found and found[0] in SUMMARY_WORDS:
        return found[0]
    inside = [w for part in _BRACKETED.findall(label) for w in words(part)]
    return next((w for w in inside if w in BRACKETED_SUMMARY_WORDS), None)


class Kind(StrEnum):
    """What a row's label makes it."""

    TOTAL = "total"  #: the whole file's (or period's) Totals row: reconciled
    SUBTOTAL = "subtotal"  #: a part's sum (a region): left out of the sums, reported


def words(text: str) -> tuple[str, ...]:
    """A label's words, case and accents folded: "Total Général:" -> ('total', 'general')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return tuple(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def totals_kind(label: str, names: tuple[str, ...] = ()) -> Kind | None:
    """TOTAL for "Total", "Grand total", "Total Kenya"; SUBTOTAL for "Sub-total Eastern" or
    "Total Eastern"; None for a territory.

    `names` are the country's and the programme's names: a totals word with one of them is
    the Totals row; with any other name it is a part's subtotal.
    """
    found = words(label)
    if not found:
        return None
    # "Total 2004", "Grand total (2003-04)": the year names the Totals row's period.
    found = _undated(found) or found
    if found in TOTAL_WORDS:
        return Kind.TOTAL
    for name in filter(None, (words(n) for n in names)):
        if any(found in (w + name, name + w) for w in TOTAL_WORDS):
            return Kind.TOTAL
    for size in (1, 2):
        if found[:size] in SUBTOTAL_WORDS or found[-size:] in SUBTOTAL_WORDS:
            return Kind.SUBTOTAL
        if len(found) > size and (found[:size] in TOTAL_WORDS or found[-size:] in TOTAL_WORDS):
            return Kind.SUBTOTAL
    return None


#: A year in a label's words; a two-digit word right after one ends a span ("2003", "04").
_YEAR = re.compile(r"(?:19|20)\d\d")
#: A period written in a label: "2004", "2003-2004", "2003/04".
#: A year or a span of years as written: "2004", "2003-2004", "2003/04", "2003 – 04".
PERIOD_YEARS = re.compile(r"((?:19|20)\d\d)(?:\s*[-/–]\s*((?:19|20)?\d\d))?")
_LABEL_PERIOD = re.compile(rf"(?<!\d){PERIOD_YEARS.pattern}(?!\d)")


def labelled_period(label: str) -> str | None:
    """The period a label names ("Total 2003-04" -> "2003-2004"), in its normal form."""
    found = _LABEL_PERIOD.search(label)
    if found is None:
        return None
    start, end = found.groups()
    if end is None:
        return period_key(start) or None
    return period_key(f"{start}-{start[:2] + end if len(end) == 2 else end}") or None


def _undated(found: tuple[str, ...]) -> tuple[str, ...]:
    """A label's words without the years of a period ("total", "2003", "04" -> "total")."""
    kept: list[str] = []
    year = False
    for word in found:
        year = bool(_YEAR.fullmatch(word) or (year and len(word) == 2 and word.isdigit()))
        if not year:
            kept.append(word)
    return tuple(kept)


@dataclass(frozen=True)
class TotalsRow:
    """A Totals row as given in the file: its line, period and the figures it states."""

    line: int
    period: str | None
    figures: dict[str, float]
    decimals: dict[str, int]


def totals_findings(
    raw: RawTable,
    frame: pd.DataFrame,
    totals: list[TotalsRow],
    columns: dict[str, Column],
    unread: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Reconcile each Totals row with the sums of its period's territories; not in the
    `unread` columns, where a territory's cell was refused and the sum would leave it out."""
    findings = []
    for row in totals:
        rows = frame
        if row.period and "period" in frame:
            rows = frame[frame["period"] == row.period]
        for name, stated in row.figures.items():
            if name in unread:
                continue
            computed = float(rows[name].sum(min_count=1)) if len(rows) else 0.0
            computed = 0.0 if math.isnan(computed) else computed
            # Agree to the precision the total was written with (140,653 vs 140,652.6 agrees);
            # a typed total (a formula's stored value) agrees to the last few binary digits.
            tolerance = 0.5 * 10 ** -row.decimals.get(name, 0)
            if not math.isclose(stated, computed, rel_tol=1e-9, abs_tol=tolerance + 1e-9):
                label = columns[name].label
                findings.append(
                    _finding(
                        raw,
                        Severity.ERROR,
                        row.line,
                        label,
                        _fmt(stated),
                        "totals-mismatch",
                        f"The Totals row says {_fmt(stated)} for {label}, but the territories "
                        f"add up to {_fmt(computed)}.",
                    )
                )
    return findings


def subtotal_finding(raw: RawTable, line: int, column: Column, label: str) -> Finding:
    """A subtotal row, reported as such: it is left out of the sums."""
    return _finding(
        raw,
        Severity.WARNING,
        line,
        column.label,
        label,
        "subtotal-row",
        f'"{label}" is a subtotal row: it is not a territory and is left out of the sums.',
    )


def _fmt(number: float) -> str:
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,.2f}".rstrip("0")
