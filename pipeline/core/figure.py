"""The one type of every figure the pipeline states: its value with everything said about it.

A `Figure` is made once, in the compute stage, and every renderer (tiles, sentences, tables,
charts, the web edition, the lineage table, the open data) shows it as it is: its value in its
indicator's unit, written with its own precision, with its coverage ("2 of 3 reporting") and
its flags. A renderer never recomputes or drops them.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

from pipeline.core.countries import slugify
from pipeline.core.registry import INDICATORS, Indicator


@dataclass(frozen=True)
class Coverage:
    """How many of the units a figure is made from reported it (both sides, for a ratio)."""

    reporting: int
    total: int
    #: what is counted: territories in a brief, countries' territories in the overview
    of: str = "territories"

    @property
    def partial(self) -> bool:
        """Some, not all, reported: the figure leaves the others out."""
        return 0 < self.reporting < self.total

    @property
    def missing(self) -> bool:
        """Nobody reported it."""
        return self.reporting == 0

    @property
    def complete(self) -> bool:
        """Everybody reported it."""
        return self.reporting == self.total


@dataclass(frozen=True)
class Flag:
    """A data-quality flag on a figure that went into this one: which rule, where, and why."""

    rule: str  #: the plausibility rule, e.g. "members-per-pmg-outlier"
    territory: str
    line: int | None
    message: str  #: in the brief's language


@dataclass(frozen=True)
class Figure:
    """One stated figure: value, indicator (and so unit), precision, coverage, flags and ID.

    `value` is NaN when the figure was not reported, or a ratio's divisor was 0.
    """

    id: str  #: stable across runs and documents, e.g. "KEN.value_usd.total.2003-2004"
    indicator: str  #: the registry name, e.g. "value_usd"
    value: float
    decimals: int  #: the precision it is written with, everywhere it appears
    coverage: Coverage
    flags: tuple[Flag, ...] = field(default=())
    period: str = ""  #: the reporting period's label; "" when the file gives none
    territory: str = ""  #: the territory it is of; "" for a country or programme total

    @property
    def spec(self) -> Indicator:
        """The indicator's registry entry: unit, labels, formula."""
        return INDICATORS[self.indicator]

    @property
    def missing(self) -> bool:
        """No value to state: not reported, or not computable."""
        return math.isnan(self.value)

    @property
    def partial(self) -> bool:
        """Made from some, not all, of what it covers."""
        return self.coverage.partial

    @property
    def flagged(self) -> bool:
        """Rests on a figure flagged for checking."""
        return bool(self.flags)


def scope_key(territory: str) -> str:
    """A territory's part of a figure ID: its ASCII slug ("tana-river"), or, for a name with no
    Latin letters or digits, "t-" and a short hash of the name (stable, and never empty)."""
    slug = slugify(territory)
    return slug or "t-" + hashlib.sha256(territory.encode("utf-8")).hexdigest()[:8]


def figure_id(country: str, indicator: str, period: str, territory: str = "") -> str:
    """The stable ID of a figure: country (ISO alpha-3 or "programme"), indicator, scope
    ("total" or the territory's key) and period ("all" when the file gives none)."""
    scope = scope_key(territory) if territory else "total"
    return f"{country}.{indicator}.{scope}.{period or 'all'}"
