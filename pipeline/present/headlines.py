"""The headline tiles of a brief and of the overview: one tile maker, parametrised by level.

A tile states a `Figure` as it is: its value with its own precision and unit, its coverage
("2 of 3 reporting") and its flags ("3,842 without Tana River, flagged"); "–" and "not
reported" when nobody reported it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from markupsafe import Markup

from pipeline.core.figure import Figure
from pipeline.core.formatting import NOT_REPORTED, Formatter
from pipeline.present.claims import claim, qualifier, say
from pipeline.present.gaps import undefined_note

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


def note_phrase(f: Figure, fmt: Formatter) -> Markup:
    """A figure as the note under a tile ("at US$412 per tonne"), with its qualifiers; empty
    when it has no value."""
    if f.missing:
        return Markup("")
    mark = qualifier(f, fmt)
    text = say(fmt, f.spec.note, value=claim(f, fmt))
    return text + Markup(" ") + mark if mark else text


def tile(f: Figure, fmt: Formatter, notes: list[Markup | str]) -> dict[str, Any]:
    """A tile: the figure with its qualifiers and notes; "–" and "not reported" when nobody
    reported it. A ratio that has no value says why: not reported, or a divisor of 0."""
    label = fmt._(f.spec.label)
    if f.coverage.missing or f.missing:
        why = fmt._("not reported") if f.coverage.missing else undefined_note(f, fmt)
        return {"indicator": f.indicator, "label": label, "value": NOT_REPORTED, "notes": [why]}
    own: list[Markup | str] = []
    if f.spec.formula:  # a ratio tile says what it divides, then how much it covers
        mark = qualifier(f, fmt)
        formula = Markup.escape(fmt._(f.spec.formula))
        own.append(formula + Markup(" ") + mark if mark else formula)
    elif mark := qualifier(f, fmt, parentheses=False):
        own.append(mark)
    return {
        "indicator": f.indicator,
        "label": label,
        "value": claim(f, fmt),
        "notes": [n for n in (*own, *notes) if n],
    }


def headlines(
    figures: Mapping[str, Figure],
    fmt: Formatter,
    level: Level,
    extra: Mapping[str, Markup | str],
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
