"""The headline tiles of a brief and of the overview: one tile maker, parametrised by level.

A tile states a `Figure` as it is: its value with its own precision and unit, "2 of 3
reporting" when partial, "–" and "not reported" when nobody reported it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd

from pipeline.core.figure import Figure
from pipeline.core.formatting import NOT_REPORTED, Formatter
from pipeline.core.registry import decimals
from pipeline.present.gaps import coverage_note, undefined_note

#: What a document compares: a brief its country's territories, the overview its countries.
Level = Literal["brief", "overview"]

#: Each level's tiles, in order: the figure a tile states, and the figure its note states.
TILES: dict[Level, tuple[tuple[str, str | None], ...]] = {
    "brief": (
        ("target_households", None),
        ("pmgs", "members_per_pmg"),
        ("members", "reach"),
        ("volume_sold_t", "price_usd_per_t"),
        ("value_usd", None),
        ("value_per_member_usd", None),
    ),
    "overview": (
        ("target_households", "reach"),
        ("pmgs", "members"),
        ("volume_sold_t", "price_usd_per_t"),
        ("value_usd", None),
        ("value_per_member_usd", None),
    ),
}


def figure_decimals(frame: pd.DataFrame) -> dict[str, int]:
    """The decimals of every volume and value a document shows, one choice per document, from
    the figures reported in `frame` (the registry's precision rules)."""
    return {c: decimals(c, list(frame[c])) for c in ("volume_sold_t", "value_usd")}


def note_phrase(f: Figure, fmt: Formatter) -> str:
    """A figure as the note under a tile ("at US$412 per tonne"), marked when partial; "" when
    it has no value."""
    if f.missing:
        return ""
    text = fmt._(f.spec.note).format(value=fmt.figure(f))
    partial = coverage_note(f, fmt)
    return f"{text} ({partial})" if partial else text


def tile(f: Figure, fmt: Formatter, notes: list[str]) -> dict[str, Any]:
    """A tile: the figure with its notes; "–" and "not reported" when nobody reported it.

    A ratio that has no value says why: not reported, or a divisor of 0.
    """
    label = fmt._(f.spec.label)
    if f.coverage.missing:
        return {"indicator": f.indicator, "label": label, "value": NOT_REPORTED,
                "notes": [fmt._("not reported")]}  # fmt: skip
    if f.missing:
        return {"indicator": f.indicator, "label": label, "value": NOT_REPORTED,
                "notes": [undefined_note(f, fmt)]}  # fmt: skip
    partial = coverage_note(f, fmt)
    if f.spec.formula:  # a ratio tile says what it divides
        formula = fmt._(f.spec.formula)
        notes = [f"{formula} ({partial})" if partial else formula, *notes]
    elif partial:
        notes = [partial, *notes]
    return {
        "indicator": f.indicator,
        "label": label,
        "value": fmt.figure(f),
        "notes": [n for n in notes if n],
    }


def headlines(
    figures: Mapping[str, Figure], fmt: Formatter, level: Level, extra: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The level's tiles: each figure, with the note its tile states and any `extra` note
    (e.g. "collective sales by PMGs") given for it."""
    return [
        tile(
            figures[name],
            fmt,
            [note_phrase(figures[note], fmt) if note else "", extra.get(name, "")],
        )
        for name, note in TILES[level]
    ]
