"""Results against targets as a brief shows them: table, tile notes, finding, data note."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from pipeline.compute.targets import TargetResults
from pipeline.core.formatting import NOT_REPORTED, Formatter, isolated
from pipeline.core.registry import INDICATORS, TARGETED, Unit
from pipeline.present.gaps import capitalised


def indicator_labels(fmt: Formatter) -> dict[str, str]:
    """Each indicator's name in the results-against-targets table, in the brief's language."""
    return {n: fmt._(spec.label) for n in TARGETED if (spec := INDICATORS[n].target)}


def tile_of(indicator: str) -> str:
    """The headline tile whose figure is a target's actual ("households reached" are members)."""
    spec = INDICATORS[indicator].target
    return spec.actual if spec else indicator


def figure(indicator: str, value: float, fmt: Formatter, dps: dict[str, int]) -> str:
    """A target, baseline or actual in its indicator's unit, with the brief's decimals."""
    unit = INDICATORS[indicator].unit
    if unit is Unit.SHARE:
        return fmt.percent(value)
    if unit in (Unit.USD, Unit.USD_PER_MEMBER):
        return fmt.usd(value, 2 if indicator == "value_per_member_usd" else dps["value_usd"])
    if indicator == "volume_sold_t":
        if pd.isna(value):
            return NOT_REPORTED
        return f"{fmt.number(value, dps['volume_sold_t'])} t"
    return fmt.number(value)


def _bar(achieved: float) -> int:
    """Width of the row's bar, in % of its track (the track is the target)."""
    return 0 if math.isnan(achieved) else round(min(achieved, 1.0) * 100)


def target_rows(frame: pd.DataFrame, fmt: Formatter, dps: dict[str, int]) -> list[dict[str, Any]]:
    """One row per target for the brief's table."""
    labels = indicator_labels(fmt)
    rows = []
    for r in frame.itertuples():
        baseline = figure(r.indicator, r.baseline, fmt, dps)
        if r.baseline_year and not pd.isna(r.baseline):
            baseline += f" ({r.baseline_year})"
        rows.append(
            {
                "indicator": labels[r.indicator],
                "territory": r.territory,
                "period": r.period,
                "baseline": baseline,
                "target": figure(r.indicator, r.target, fmt, dps),
                "actual": figure(r.indicator, r.actual, fmt, dps) + ("*" if r.partial else ""),
                "change": _signed(figure(r.indicator, r.change_from_baseline, fmt, dps)),
                "progress": fmt.percent(r.progress),
                "achieved": fmt.percent(r.achieved),
                "bar": _bar(r.achieved),
                "over": not math.isnan(r.achieved) and r.achieved > 1,
                "missing": math.isnan(r.achieved),
            }
        )
    return rows


def _signed(text: str) -> str:
    return text if text == NOT_REPORTED or text.startswith(("-", "−")) else "+" + text


def of_target(achieved: float, fmt: Formatter) -> str:
    """'94% of target' under a headline figure."""
    return fmt._("{achieved} of target").format(achieved=fmt.percent(achieved))


def achievement_finding(
    frame: pd.DataFrame, country: str, fmt: Formatter, dps: dict[str, int]
) -> str | None:
    """One sentence on the best and the worst achievement against targets, each given as
    "reach 13% against a target of 20% (67% achieved)": the figure, its target, then the share."""
    labels = indicator_labels(fmt)
    done = frame.dropna(subset=["achieved"])

    def name(r: pd.Series) -> str:
        label = in_sentence(labels[r.indicator])
        if not r.territory:
            return label
        return fmt._("{indicator} in {territory}").format(
            indicator=label, territory=isolated(r.territory)
        )

    def against(r: pd.Series) -> str:
        return fmt._("{actual} against a target of {target} ({achieved} achieved)").format(
            actual=figure(r.indicator, r.actual, fmt, dps),
            target=figure(r.indicator, r.target, fmt, dps),
            achieved=fmt.percent(r.achieved),
        )

    if done.empty:
        return None
    best = done.loc[done["achieved"].idxmax()]
    if len(done) == 1:
        return fmt._("{indicator}: {against}.").format(
            indicator=capitalised(name(best)), against=against(best)
        )
    worst = done.loc[done["achieved"].idxmin()]
    return fmt._(
        "Against its targets, {country} did best on {best}, {best_against}, and least well on "
        "{worst}, {worst_against}."
    ).format(
        country=isolated(country),
        best=name(best),
        best_against=against(best),
        worst=name(worst),
        worst_against=against(worst),
    )


def in_sentence(label: str) -> str:
    """A label as written mid-sentence: "Reach" is "reach", "PMG members" keeps its capitals."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() else label[:1].lower() + label[1:]


def _territory_columns(
    frame: pd.DataFrame, period: str, fmt: Formatter, dps: dict[str, int]
) -> tuple[list[str], dict[str, list[str]]]:
    """Extra impact-table columns: one per indicator with territory targets in `period`."""
    rows = frame[(frame["level"] == "territory") & (frame["data_period"] == period)]
    indicators = [i for i in TARGETED if i in set(rows["indicator"])]
    labels = indicator_labels(fmt)
    headers = [fmt._("Target: {indicator}").format(indicator=labels[i]) for i in indicators]
    cells: dict[str, list[str]] = {}
    for territory, group in rows.groupby("territory", sort=False):
        by_indicator = {r.indicator: r for r in group.itertuples()}
        cells[str(territory)] = [
            f"{figure(i, by_indicator[i].target, fmt, dps)} ({fmt.percent(by_indicator[i].achieved)})"
            if i in by_indicator
            else ""
            for i in indicators
        ]
    return headers, cells


def targets_context(
    targets: TargetResults | None,
    period: str,
    country: str,
    fmt: Formatter,
    dps: dict[str, int] | None = None,
) -> dict[str, Any]:
    """The template keys of the targets parts; all empty for a country without targets."""
    if targets is None:
        return {
            "target_rows": [],
            "target_tiles": {},
            "target_finding": None,
            "target_columns": [],
            "target_cells": {},
            "target_blanks": [],
            "targets_note": "",
            "target_periods": [],
            "target_partial": False,
        }
    dps = dps or {"volume_sold_t": 1, "value_usd": 0}
    frame = targets.frame
    latest = targets.latest(period)
    headers, cells = _territory_columns(frame, period, fmt, dps)
    note = fmt._("{file} (SHA-256 {sha}…)").format(file=targets.file, sha=targets.sha256[:12])
    if targets.left_out:
        note += " " + fmt.ngettext(
            "{n} target was left out: the validation findings attached to this PDF say why.",
            "{n} targets were left out: the validation findings attached to this PDF say why.",
            targets.left_out,
        ).format(n=fmt.number(targets.left_out))
    return {
        "target_rows": target_rows(frame, fmt, dps),
        # A tile shows its own figure's target; "members" wins over households reached.
        "target_tiles": {
            tile_of(r.indicator): of_target(r.achieved, fmt)
            for r in sorted(latest.itertuples(), key=lambda r: r.indicator == "members")
            if not pd.isna(r.achieved)
        },
        "target_finding": achievement_finding(frame, country, fmt, dps),
        "target_columns": headers,
        "target_cells": cells,
        "target_blanks": [""] * len(headers),
        "targets_note": note,
        "target_periods": sorted(set(frame["period"]) - {""}),
        "target_partial": bool(frame["partial"].any()),
    }
