"""Every headline tile states the figure its definition says, computed here from the rows.

The oracle below divides and adds the rows itself, apart from the registry, so a tile that
prints value per member where price per tonne belongs, or a ratio of the wrong sums, fails
here and not only in a golden text.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from pipeline.compute.figures import summary_figures
from pipeline.compute.indicators import country_summary
from pipeline.core.formatting import NOT_REPORTED, Formatter
from pipeline.present.headlines import headlines, tile

ROWS = pd.DataFrame(
    {
        "target_households": [1000.0, 500.0, math.nan],
        "pmgs": [4.0, 2.0, 3.0],
        "members": [200.0, 150.0, math.nan],
        "volume_sold_t": [10.0, 30.0, 5.0],
        "value_usd": [5000.0, 4000.0, 1000.0],
    }
)


def _both(a: str, b: str) -> pd.DataFrame:
    return ROWS[[a, b]].dropna()


def _ratio(a: str, b: str) -> float:
    both = _both(a, b)
    return float(both[a].sum() / both[b].sum())


#: Each figure by its definition (issue 20: every tile against its definition).
ORACLE = {
    "target_households": 1500.0,
    "pmgs": 9.0,
    "members": 350.0,
    "volume_sold_t": 45.0,
    "value_usd": 10000.0,
    "reach": 350 / 1500,
    "members_per_pmg": 350 / 6,
    "value_per_member_usd": 9000 / 350,
    "price_usd_per_t": 10000 / 45,
}
#: How many of the 3 territories reported each figure (a ratio: both of its sides).
REPORTING = {
    "target_households": 2,
    "pmgs": 3,
    "members": 2,
    "volume_sold_t": 3,
    "value_usd": 3,
    "reach": 2,
    "members_per_pmg": 2,
    "value_per_member_usd": 2,
    "price_usd_per_t": 3,
}


def test_the_oracle_divides_the_rows_itself() -> None:
    assert ORACLE["members_per_pmg"] == _ratio("members", "pmgs")
    assert ORACLE["price_usd_per_t"] == _ratio("value_usd", "volume_sold_t")
    assert ORACLE["value_per_member_usd"] == _ratio("value_usd", "members")
    assert ORACLE["reach"] == _ratio("members", "target_households")


def _figures():
    return summary_figures(country_summary(ROWS), "KEN", "2004")


def _data(html: str) -> list[tuple[str, float]]:
    """Every figure a piece of markup states: (indicator, value)."""
    return [
        (indicator, float(value))
        for value, indicator in re.findall(
            r'<data class="figure" value="([^"]+)" data-figure="[^"]+" '
            r'data-indicator="([^"]+)"',
            html,
        )
    ]


#: The tiles of each level and the figure the note under each states, as the design names them
#: (written here, not read from the code: a tile that swaps its note must fail).
DESIGN = {
    "brief": [
        ("target_households", None),
        ("pmgs", "members_per_pmg"),
        ("members", "reach"),
        ("volume_sold_t", "price_usd_per_t"),
        ("value_usd", None),
        ("value_per_member_usd", None),
    ],
    "overview": [
        ("target_households", "reach"),
        ("pmgs", "members"),
        ("volume_sold_t", "price_usd_per_t"),
        ("value_usd", None),
        ("value_per_member_usd", None),
    ],
}


@pytest.mark.parametrize("level", ["brief", "overview"])
def test_every_tile_states_its_figure_and_its_note_by_definition(level) -> None:
    tiles = headlines(_figures(), Formatter(), level, {})
    assert [t["indicator"] for t in tiles] == [name for name, _ in DESIGN[level]]
    for t, (name, note) in zip(tiles, DESIGN[level], strict=True):
        ((indicator, value),) = _data(str(t["value"]))
        assert indicator == name and value == pytest.approx(ORACLE[name], rel=1e-12)
        stated = [d for n in t["notes"] for d in _data(str(n))]
        assert stated == ([(note, pytest.approx(ORACLE[note], rel=1e-12))] if note else [])


def test_a_tile_says_its_coverage_and_a_ratio_its_formula() -> None:
    tiles = {t["indicator"]: t for t in headlines(_figures(), Formatter(), "brief", {})}
    own, reach = (str(n) for n in tiles["members"]["notes"])
    assert "2 of 3 reporting" in own
    assert "(2 of 3 reporting)" not in own  # a plain figure's coverage has no brackets
    assert reach.startswith("reach ") and "(2 of 3 reporting)" in reach
    per_member = str(tiles["value_per_member_usd"]["notes"][0])
    assert per_member.startswith("sales value ÷ members ")
    assert "(2 of 3 reporting)" in per_member
    assert not any("reporting" in str(n) for n in tiles["value_usd"]["notes"])
    note = " ".join(str(n) for n in tiles["volume_sold_t"]["notes"])
    assert "at " in note and " per tonne" in note


def test_a_tile_nobody_reported_says_so() -> None:
    rows = ROWS.assign(members=math.nan)
    figures = summary_figures(country_summary(rows), "KEN", "2004")
    tiles = {t["indicator"]: t for t in headlines(figures, Formatter(), "brief", {})}
    assert tiles["members"]["value"] == NOT_REPORTED
    assert tiles["members"]["notes"] == ["not reported"]
    assert tiles["value_per_member_usd"]["value"] == NOT_REPORTED
    assert tiles["pmgs"]["notes"] == []  # its note (members per group) has no value


def test_an_extra_note_goes_under_its_own_tile() -> None:
    tiles = headlines(_figures(), Formatter(), "brief", {"value_usd": "collective sales"})
    notes = {t["indicator"]: t["notes"] for t in tiles}
    assert notes["value_usd"] == ["collective sales"]
    assert all("collective sales" not in notes[n] for n in notes if n != "value_usd")


def test_a_tile_label_is_in_the_brief_language() -> None:
    en = headlines(_figures(), Formatter(), "brief", {})
    fr = headlines(_figures(), Formatter("fr"), "brief", {})
    assert [t["label"] for t in en] != [t["label"] for t in fr]
    assert all(t["label"] for t in fr)


def test_the_figures_reported_by_each_tile() -> None:
    figures = _figures()
    for name, reporting in REPORTING.items():
        assert figures[name].coverage.reporting == reporting, name
        assert figures[name].coverage.total == 3


def test_a_ratio_tile_with_a_divisor_of_zero_says_why_it_has_no_value() -> None:
    rows = ROWS.assign(volume_sold_t=[0.0, 0.0, 0.0])
    figures = summary_figures(country_summary(rows), "KEN", "2004")
    assert tile(figures["price_usd_per_t"], Formatter(), ["never shown"]) == {
        "indicator": "price_usd_per_t",
        "label": "Price",
        "value": NOT_REPORTED,
        "notes": ["not computed: the volume sold total is zero"],
    }
    tiles = {t["indicator"]: t for t in headlines(figures, Formatter(), "brief", {})}
    assert tiles["volume_sold_t"]["notes"] == []  # no price to state under it


def test_notes_of_figures_everybody_reported_have_no_qualifier_and_no_trailing_space() -> None:
    rows = ROWS.fillna({"target_households": 100.0, "members": 50.0})
    figures = summary_figures(country_summary(rows), "KEN", "2004")
    tiles = {t["indicator"]: t for t in headlines(figures, Formatter(), "brief", {})}
    assert [str(n) for n in tiles["value_per_member_usd"]["notes"]] == ["sales value ÷ members"]
    (note,) = tiles["volume_sold_t"]["notes"]
    assert str(note).startswith("at <data") and str(note).endswith("</data> per tonne")
