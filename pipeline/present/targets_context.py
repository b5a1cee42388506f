"""Results against targets as a brief shows them: table, tile notes, finding, data note.

An actual is the brief's own figure (a `Figure` of its `FigureSet`), with its qualifiers: an
actual that leaves territories out is compared with a target set for the whole country only
with "2 of 3 reporting" beside the comparison. A ranking compares achievements of one
coverage and period, or says why it does not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from markupsafe import Markup, escape

from pipeline.compute.figures import FigureSet, make_figure
from pipeline.compute.targets import TargetResults, achieved, value_figure_id
from pipeline.core.figure import Coverage, Figure
from pipeline.core.formatting import NOT_REPORTED, Formatter, isolated
from pipeline.core.frames import as_float
from pipeline.core.registry import INDICATORS, TARGETED
from pipeline.present.claims import claim, coverage_text, qualifier, say
from pipeline.present.gaps import capitalised


def indicator_labels(fmt: Formatter) -> dict[str, str]:
    """Each indicator's name in the results-against-targets table, in the brief's language."""
    return {n: fmt._(spec.label) for n in TARGETED if (spec := INDICATORS[n].target)}


def tile_of(indicator: str) -> str:
    """The headline tile whose figure is a target's actual ("households reached" are members)."""
    spec = INDICATORS[indicator].target
    return spec.actual if spec else indicator


@dataclass(frozen=True)
class Result:
    """One target with its baseline, its target and the brief's actual figure, each a figure."""

    indicator: str  #: the target's indicator (targets.csv's)
    territory: str  #: "" for a country target
    period: str  #: the target's period label
    baseline: Figure | None
    baseline_year: str
    target: Figure
    actual: Figure
    achieved: float  #: 1 = 100%; NaN when there is none
    change: float
    progress: float
    decrease: bool  #: a decrease is sought (the target is below its baseline)


def _value_figure(country: str, r: Any, value: float, kind: str) -> Figure:
    """A target's or baseline's figure, in the unit of the indicator it compares with."""
    actual = tile_of(str(r.indicator))
    own = value_figure_id(
        country, str(r.indicator), str(r.data_period), str(r.territory or ""), kind
    )
    return replace(make_figure(country, actual, value, Coverage(1, 1)), id=own)


def results(targets: TargetResults, figures: FigureSet) -> list[Result]:
    """Every target kept, with its actual taken from the brief's own figures."""
    out = []
    for r in targets.frame.itertuples():
        actual_name = tile_of(str(r.indicator))
        period = str(r.data_period)
        if r.territory:
            actual = _territory_actual(figures, str(r.territory), actual_name, period)
        else:
            actual = figures.total(actual_name, period)
        baseline = as_float(r.baseline)
        out.append(
            Result(
                str(r.indicator),
                str(r.territory or ""),
                str(r.period),
                None
                if math.isnan(baseline)
                else _value_figure(figures.country, r, baseline, "baseline"),
                str(r.baseline_year or ""),
                _value_figure(figures.country, r, as_float(r.target), "target"),
                actual,
                as_float(r.achieved),
                as_float(r.change_from_baseline),
                as_float(r.progress),
                bool(r.decrease),
            )
        )
    return out


def _territory_actual(figures: FigureSet, territory: str, name: str, period: str) -> Figure:
    """A territory's figure in `period` (a territory's rows differ by period)."""
    for row in figures.territories.values():
        own = row[name]
        if own.territory == territory and own.period == period:
            return own
    raise KeyError(f"{territory} has no figures in {period!r}")  # targets were matched


def achievement_qualifier(r: Result, fmt: Formatter, parentheses: bool = True) -> Markup:
    """The qualifiers of an achievement: its actual's coverage, and the achievement without the
    flagged rows its actual rests on ("48% without Tana River, flagged")."""
    parts: list[Markup] = []
    if coverage := coverage_text(r.actual, fmt):
        parts.append(escape(coverage))
    without = next((f.without for f in r.actual.flags if f.without is not None), None)
    if r.actual.flags and without is None:
        parts.append(escape(fmt._("flagged")))
    elif without is not None:
        share = achieved(without.value, r.target.value, _value(r.baseline))
        names = sorted({f.territory for f in r.actual.flags})
        parts.append(
            say(
                fmt,
                "{value} without {territories}, flagged",
                value=Markup(
                    '<data class="achieved" value="{value}" data-for="{id}">{text}</data>'
                ).format(value=repr(share), id=without.id, text=fmt.percent(share)),
                territories=fmt._(" and ").join(names),
            )
        )
    if not parts:
        return Markup("")
    text = Markup("; ").join(parts)
    if parentheses:
        text = Markup("(") + text + Markup(")")
    return Markup('<span class="qualifier" data-for="{id}">{text}</span>').format(
        id=r.actual.id, text=text
    )


def _value(f: Figure | None) -> float:
    return f.value if f is not None else math.nan


def _bar(achieved: float) -> int:
    """Width of the row's bar, in % of its track (the track is the target)."""
    return 0 if math.isnan(achieved) else round(min(max(achieved, 0.0), 1.0) * 100)


def _signed(f: Figure, value: float, fmt: Formatter) -> str:
    text = fmt.value(f.indicator, value, f.decimals)
    return text if text == NOT_REPORTED or text.startswith(("-", "−")) else "+" + text


def target_rows(rows: list[Result], fmt: Formatter) -> list[dict[str, Any]]:
    """One row per target for the brief's table."""
    labels = indicator_labels(fmt)
    out = []
    for r in rows:
        baseline = claim(r.baseline, fmt) if r.baseline is not None else escape(NOT_REPORTED)
        if r.baseline is not None and r.baseline_year:
            baseline += f" ({r.baseline_year})"
        target = claim(r.target, fmt)
        if r.decrease:
            target += Markup(" ") + escape(fmt._("(a decrease)"))
        out.append(
            {
                "indicator": labels[r.indicator],
                "territory": r.territory,
                "period": r.period,
                "baseline": baseline,
                "target": target,
                "actual": claim(r.actual, fmt),
                "actual_note": qualifier(r.actual, fmt, parentheses=False),
                "change": _signed(r.actual, r.change, fmt),
                "progress": fmt.percent(r.progress),
                # The qualifier goes under the share, as under the actual, so the column
                # stays as narrow as "109%" and its bar.
                "achieved": _achieved_only(r, fmt),
                "achieved_note": achievement_qualifier(r, fmt, parentheses=False),
                "bar": _bar(r.achieved),
                "over": not math.isnan(r.achieved) and r.achieved > 1,
                "missing": math.isnan(r.achieved),
            }
        )
    return out


def of_target(r: Result, fmt: Formatter) -> Markup:
    """'94% of target' under a headline figure, with the actual's coverage when partial."""
    text = say(fmt, "{achieved} of target", achieved=_achieved_only(r, fmt))
    mark = achievement_qualifier(r, fmt)
    return text + Markup(" ") + mark if mark else text


def _name(r: Result, fmt: Formatter) -> str:
    label = in_sentence(indicator_labels(fmt)[r.indicator])
    if not r.territory:
        return label
    return fmt._("{indicator} in {territory}").format(
        indicator=label, territory=isolated(r.territory)
    )


def _against(r: Result, fmt: Formatter) -> Markup:
    """ "1,360 against a target of 2,000 (68% achieved; 2 of 3 reporting)"."""
    mark = achievement_qualifier(r, fmt, parentheses=False)
    text = (
        say(
            fmt,
            "{actual} against a target of {target} ({achieved} achieved; {coverage})",
            actual=claim(r.actual, fmt),
            target=claim(r.target, fmt),
            achieved=_achieved_only(r, fmt),
            coverage=mark,
        )
        if mark
        else say(
            fmt,
            "{actual} against a target of {target} ({achieved} achieved)",
            actual=claim(r.actual, fmt),
            target=claim(r.target, fmt),
            achieved=_achieved_only(r, fmt),
        )
    )
    return text


def _achieved_only(r: Result, fmt: Formatter) -> Markup:
    """% achieved alone, marked as made from the actual; "–" when there is none."""
    if math.isnan(r.achieved):
        return escape(NOT_REPORTED)
    return Markup('<data class="achieved" value="{value}" data-for="{id}">{text}</data>').format(
        value=repr(r.achieved), id=r.actual.id, text=fmt.percent(r.achieved)
    )


def _ranked(done: list[Result]) -> tuple[list[Result], bool]:
    """The achievements that may be ranked against each other: those of the most common
    coverage and period; and whether any were left out for covering something else."""
    groups: dict[tuple[tuple[int, int], str], list[Result]] = {}
    for r in done:
        # Every complete figure covers all it should: they compare, whatever their scope.
        c = r.actual.coverage
        key = ((1, 1) if c.complete else (c.reporting, c.total), r.actual.period)
        groups.setdefault(key, []).append(r)
    best = max(groups.values(), key=lambda g: (len(g), g[0].actual.coverage.complete))
    return best, len(best) < len(done)


def achievement_finding(rows: list[Result], country: str, fmt: Formatter) -> Markup | None:
    """One sentence on the best and the worst achievement against targets, each given as
    "reach 13% against a target of 20% (67% achieved)": the figure, its target, the share.
    Only achievements of one coverage and period are ranked; the sentence says so otherwise."""
    done = [r for r in rows if not math.isnan(r.achieved)]
    if not done:
        return None
    ranked, left_out = _ranked(done)
    best = max(ranked, key=lambda r: r.achieved)
    if len(ranked) == 1:
        text = say(
            fmt,
            "{indicator}: {against}.",
            indicator=capitalised(_name(best, fmt)),
            against=_against(best, fmt),
        )
    else:
        worst = min(ranked, key=lambda r: r.achieved)
        text = say(
            fmt,
            "Against its targets, {country} did best on {best}, {best_against}, and least well "
            "on {worst}, {worst_against}.",
            country=isolated(country),
            best=_name(best, fmt),
            best_against=_against(best, fmt),
            worst=_name(worst, fmt),
            worst_against=_against(worst, fmt),
        )
    if left_out:
        text += Markup(" ") + say(
            fmt,
            "Targets whose actuals cover other territories or periods are not ranked with these.",
        )
    return text


def in_sentence(label: str) -> str:
    """A label as written mid-sentence: "Reach" is "reach", "PMG members" keeps its capitals."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() else label[:1].lower() + label[1:]


def _territory_columns(
    rows: list[Result], period: str, fmt: Formatter
) -> tuple[list[str], dict[str, list[Markup]]]:
    """Extra impact-table columns: one per indicator with territory targets in `period`."""
    mine = [r for r in rows if r.territory and r.actual.period == period]
    indicators = [i for i in TARGETED if any(r.indicator == i for r in mine)]
    labels = indicator_labels(fmt)
    headers = [fmt._("Target: {indicator}").format(indicator=labels[i]) for i in indicators]
    cells: dict[str, list[Markup]] = {}
    for territory in dict.fromkeys(r.territory for r in mine):
        by_indicator = {r.indicator: r for r in mine if r.territory == territory}
        cells[territory] = [
            claim(by_indicator[i].target, fmt)
            + Markup(" (")
            + _achieved_only(by_indicator[i], fmt)
            + Markup(")")
            if i in by_indicator
            else Markup("")
            for i in indicators
        ]
    return headers, cells


EMPTY: dict[str, Any] = {
    "target_rows": [],
    "target_tiles": {},
    "target_finding": None,
    "target_columns": [],
    "target_cells": {},
    "target_blanks": [],
    "targets_note": "",
    "targets_note_web": "",
    "target_periods": [],
    "target_partial": False,
}


def targets_context(
    targets: TargetResults | None,
    figures: FigureSet,
    period: str,
    country: str,
    fmt: Formatter,
) -> dict[str, Any]:
    """The template keys of the targets parts; all empty for a country without targets."""
    if targets is None:
        return dict(EMPTY)
    rows = results(targets, figures)
    headers, cells = _territory_columns(rows, period, fmt)
    note = web = fmt._("{file} (SHA-256 {sha}…)").format(
        file=targets.file, sha=targets.sha256[:12]
    )
    if targets.left_out:
        n = fmt.number(targets.left_out)
        note += " " + fmt.ngettext(
            "{n} target was left out: the validation findings attached to this PDF say why.",
            "{n} targets were left out: the validation findings attached to this PDF say why.",
            targets.left_out,
        ).format(n=n)
        # The web edition carries the same findings as a link.
        web += " " + fmt.ngettext(
            "{n} target was left out: the validation findings you can download from this page "
            "say why.",
            "{n} targets were left out: the validation findings you can download from this page "
            "say why.",
            targets.left_out,
        ).format(n=n)
    latest = [r for r in rows if not r.territory and r.actual.period == period]
    return {
        "target_rows": target_rows(rows, fmt),
        # A tile shows its own figure's target; "members" wins over households reached.
        "target_tiles": {
            tile_of(r.indicator): of_target(r, fmt)
            for r in sorted(latest, key=lambda r: r.indicator == "members")
            if not math.isnan(r.achieved)
        },
        "target_finding": achievement_finding(rows, country, fmt),
        "target_columns": headers,
        "target_cells": cells,
        "target_blanks": [""] * len(headers),
        "targets_note": note,
        "targets_note_web": web,
        "target_periods": sorted({r.period for r in rows} - {""}),
        "target_partial": any(r.actual.partial for r in rows),
    }
