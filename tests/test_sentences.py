"""The brief's sentences, word for word, from small tables whose figures are worked out here.

Each sentence is read as text (its marks taken off) and compared whole: a figure in the wrong
place, a lost qualifier or a changed word fails here, not only in a PDF golden.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from pipeline.compute.figures import brief_figures
from pipeline.compute.indicators import in_period
from pipeline.core.formatting import NOT_REPORTED, Formatter
from pipeline.present.key_findings import (
    FINDINGS_SHOWN,
    flag_finding,
    key_findings,
    lead_sentence,
    shown_findings,
    trend_finding,
)
from pipeline.present.trend import trend_rows
from pipeline.run.build import validate_country
from tests.tier import examples

HEADER = "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$),Period"
EN = Formatter()


def text(markup: Markup) -> str:
    """What a reader sees: the sentence without its marks, spaces made plain."""
    plain = Markup(re.sub(r"<[^>]+>", "", str(markup))).unescape()
    return re.sub(r"\s+", " ", re.sub("[\u2068\u2069]", "", plain)).strip()


def _table(tmp_path: Path, *rows: str):
    path = tmp_path / "kenya.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    result, _, indicators = validate_country(path)
    assert indicators is not None, result
    return indicators, brief_figures("KEN", indicators)


def _findings(tmp_path: Path, *rows: str, flags: list[str] | None = None) -> list[str]:
    indicators, figures = _table(tmp_path, *rows)
    latest = list(figures.totals)[-1]
    out = key_findings(figures, in_period(indicators, latest), latest, flags or [], EN)
    return [text(s) for s in out]


COMPLETE = (
    "Mbeere,1000,x,4,200,10,5000,2004",
    "Tharaka,500,x,2,150,30,4000,2004",
)


def test_a_complete_table_is_said_in_one_lead_sentence(tmp_path: Path) -> None:
    _, figures = _table(tmp_path, *COMPLETE)
    lead = lead_sentence("Kenya", figures.totals["2004"], 2, EN)
    assert text(lead) == (
        "In Kenya, the agro-enterprise approach was applied by 6 producer marketing groups "
        "(PMGs) with 350 members in 2 territories, who together sold 40.0 tonnes of produce "
        "worth US$9,000."
    )
    one = lead_sentence("Kenya", figures.totals["2004"], 1, EN)
    assert text(one) == (
        "In Kenya, the agro-enterprise approach was applied by 6 producer marketing groups "
        "(PMGs) with 350 members in 1 territory, who together sold 40.0 tonnes of produce "
        "worth US$9,000."
    )


def test_a_partial_table_lists_what_was_reported_and_what_was_not(tmp_path: Path) -> None:
    _, figures = _table(tmp_path, "Mbeere,1000,x,4,-,10,5000,2004", "Tharaka,500,x,2,-,30,,2004")
    lead = lead_sentence("Kenya", figures.totals["2004"], 2, EN)
    assert text(lead) == (
        "In Kenya, the agro-enterprise approach was applied in 2 territories. The figures "
        "reported are 1,500 target households, 6 producer marketing groups (PMGs), 40.0 tonnes "
        "of produce sold and sales worth US$5,000 (1 of 2 reporting). Not reported: "
        "members."
    )
    _, figures = _table(tmp_path, "Mbeere,1000,x,4,200,10,,2004", "Tharaka,500,x,2,150,30,,2004")
    lead = lead_sentence("Kenya", figures.totals["2004"], 2, EN)
    assert text(lead) == (
        "In Kenya, the agro-enterprise approach was applied in 2 territories. The figures "
        "reported are 1,500 target households, 6 producer marketing groups (PMGs), 350 PMG "
        "members and 40.0 tonnes of produce sold. Not reported: value of sales."
    )
    one = lead_sentence("Kenya", figures.totals["2004"], 1, EN)
    assert text(one).startswith(
        "In Kenya, the agro-enterprise approach was applied in 1 territory. The figures "
    )


def test_the_findings_of_a_complete_table(tmp_path: Path) -> None:
    assert _findings(tmp_path, *COMPLETE) == [
        (
            "PMG members are 23% of the 1,500 target households, and sales averaged US$25.71 per "
            "member at US$225 per tonne."
        ),
        "Mbeere contributed the largest share of value: US$5,000, 56% of the total, from 4 PMGs.",
        "Prices ranged from US$133 per tonne in Tharaka to US$500 per tonne in Mbeere.",
        (
            "Reach was lowest in Mbeere, where members are 20% of 1,000 target households, and "
            "highest in Tharaka (30%)."
        ),
    ]


def test_the_findings_of_a_partial_table_say_what_each_covers(tmp_path: Path) -> None:
    found = _findings(
        tmp_path,
        "Mbeere,1000,x,1,200,10,5000,2004",
        "Tharaka,500,x,-,150,,4000,2004",
        "Igembe,,x,3,100,20,1000,2004",
    )
    assert found == [
        "PMG members are 23% of the target households (2 of 3 reporting).",
        "Sales averaged US$22.22 per member.",
        "Groups sold at US$200 per tonne on average (2 of 3 reporting).",
        "Mbeere contributed the largest share of value: US$5,000, 50% of the total, from 1 PMG.",
        "Prices ranged from US$50 per tonne in Igembe to US$500 per tonne in Mbeere.",
        (
            "Reach was lowest in Mbeere, where members are 20% of 1,000 target households, and "
            "highest in Tharaka (30%)."
        ),
    ]


def test_sales_per_member_say_what_they_cover(tmp_path: Path) -> None:
    found = _findings(
        tmp_path, "Mbeere,1000,x,1,200,10,5000,2004", "Tharaka,500,x,2,-,20,4000,2004"
    )
    assert "Sales averaged US$25.00 per member (1 of 2 reporting)." in found


def test_sales_under_a_dollar_still_have_a_largest_share(tmp_path: Path) -> None:
    found = _findings(
        tmp_path, "Mbeere,1000,x,1,200,10,0.5,2004", "Tharaka,500,x,2,100,20,0.25,2004"
    )
    assert (
        "Mbeere contributed the largest share of value: US$0.50, 67% of the total, from 1 PMG."
        in found
    )


def test_the_largest_share_of_a_partial_total_names_its_base(tmp_path: Path) -> None:
    found = _findings(
        tmp_path,
        "Mbeere,1000,x,-,200,10,5000,2004",
        "Tharaka,500,x,2,150,30,4000,2004",
        "Igembe,500,x,2,150,30,,2004",
    )
    assert (
        "Mbeere contributed the largest share of value: US$5,000, 56% of the total of the 2 "
        "territories reporting." in found
    )


def test_no_ranking_without_two_different_values(tmp_path: Path) -> None:
    found = _findings(
        tmp_path, "Mbeere,1000,x,4,200,10,5000,2004", "Tharaka,1000,x,2,200,10,5000,2004"
    )
    assert not any(s.startswith(("Prices ranged", "Reach was")) for s in found)
    assert any(s.startswith("Mbeere contributed") for s in found)
    single = _findings(tmp_path, "Mbeere,1000,x,4,200,10,5000,2004")
    assert not any("contributed" in s or "ranged" in s for s in single)
    unsold = _findings(tmp_path, "Mbeere,1000,x,4,200,10,0,2004", "Tharaka,1000,x,2,200,10,0,2004")
    assert not any("contributed" in s for s in unsold)


def test_the_flag_finding_quotes_the_first_and_counts_the_others() -> None:
    assert flag_finding([], EN) is None
    one = flag_finding(["Igembe <sold> too much."], EN)
    assert one is not None and text(one) == "To check: Igembe <sold> too much."
    assert '<q class="flag-message">Igembe &lt;sold&gt; too much.</q>' in str(one)
    two = flag_finding(["A.", "B."], EN)
    assert two is not None and text(two) == (
        "To check: A. 1 more figure is flagged in the data notes."
    )
    three = flag_finding(["A.", "B.", "C."], EN)
    assert three is not None and text(three).endswith(
        "2 more figures are flagged in the data notes."
    )


def test_the_flag_finding_comes_last(tmp_path: Path) -> None:
    found = _findings(tmp_path, *COMPLETE, flags=["Look at Mbeere."])
    assert found[-1] == "To check: Look at Mbeere."


@pytest.mark.parametrize("flagged", [False, True])
def test_the_findings_shown_keep_the_flag(flagged: bool) -> None:
    findings = [Markup(str(i)) for i in range(7)]
    shown = shown_findings(findings, flagged)
    assert len(shown) == FINDINGS_SHOWN == 5
    assert shown[-1] == ("6" if flagged else "4")
    assert shown[:4] == ["0", "1", "2", "3"]
    assert shown_findings(findings[:5], True) == findings[:5]
    assert shown_findings(findings[:3], False) == findings[:3]


def test_the_trend_from_the_first_period_to_the_latest(tmp_path: Path) -> None:
    _, grew = _table(
        tmp_path,
        "Mbeere,1000,x,4,200,10,5000,2004",
        "Mbeere,1000,x,4,300,10,6000,2005",
    )
    sentence = trend_finding(grew, EN)
    assert sentence is not None and text(sentence) == (
        "The value of sales grew by 20% from 2004 to 2005, to US$6,000; membership went from "
        "200 to 300."
    )
    _, fell = _table(
        tmp_path,
        "Mbeere,1000,x,4,-,10,5000,2004-Q1",
        "Mbeere,1000,x,4,-,10,4000,2004-Q2",
        "Mbeere,1000,x,4,-,10,4500,2004-Q3",
    )
    sentence = trend_finding(fell, EN)
    assert sentence is not None
    assert text(sentence) == "The value of sales fell by 10% from 2004-Q1 to 2004-Q3, to US$4,500."


def test_no_trend_between_periods_of_different_length_or_a_single_one(tmp_path: Path) -> None:
    _, mixed = _table(
        tmp_path, "Mbeere,1000,x,4,200,10,5000,2004-H1", "Mbeere,1000,x,4,200,10,6000,2005"
    )
    assert trend_finding(mixed, EN) is None
    _, single = _table(tmp_path, "Mbeere,1000,x,4,200,10,5000,2004")
    assert trend_finding(single, EN) is None


_NAMES = ["Mbeere", "Kitu", "Homabay", "Tana River", "Mwingi"]
_PERIODS = st.sampled_from([("2003", "2004"), ("2004-Q1", "2004-Q2"), ("2003-2004", "2004")])


@settings(max_examples=examples(40), deadline=None)
@given(
    count=st.integers(2, 5),
    periods=_PERIODS,
    dropped=st.integers(0, 4),
    from_first=st.booleans(),
    data=st.data(),
)
def test_a_change_over_time_compares_the_same_territories_or_is_not_stated(
    tmp_path_factory: pytest.TempPathFactory,
    count: int,
    periods: tuple[str, str],
    dropped: int,
    from_first: bool,
    data: st.DataObject,
) -> None:
    """A district that stopped reporting is not a fall, nor one that started a rise: the
    change is stated only between the same territories, in periods that do not overlap; then
    it is the oracle's (the latest total over the first, less one)."""
    names = _NAMES[:count]
    gone = names[dropped % count] if dropped < count else None  # None: every one in both
    values = {
        (p, n): data.draw(st.integers(1_000, 90_000), label=f"{p} {n}")
        for p in periods
        for n in names
    }
    rows = [
        f"{n},1000,x,4,200,10,{values[p, n]},{p}"
        for p in periods
        for n in names
        if not (n == gone and p == periods[0 if from_first else 1])
    ]
    _, figures = _table(tmp_path_factory.mktemp("trend"), *rows)

    sentence = trend_finding(figures, EN)
    growth = [
        text(Markup(c["text"])) for row in trend_rows(figures, EN) for c in row["numbers"][-2:]
    ]

    first, last = periods
    if gone is not None or first == "2003-2004":  # other territories, or periods overlap
        assert sentence is None
        assert set(growth) == {NOT_REPORTED}, growth
        return
    before = sum(values[first, n] for n in names)
    after = sum(values[last, n] for n in names)
    # Exact arithmetic, rounded half up as the brief rounds: a float gives 999.4999... for 999.5.
    change = (abs(Decimal(after) / Decimal(before) - 1) * 100).quantize(Decimal(1), ROUND_HALF_UP)
    assert sentence is not None
    said = text(sentence)
    assert ("grew" if after >= before else "fell") in said
    assert re.search(rf"by {change:,}(\.\d+)?% from {first} to {last}, to US\${after:,}", said), (
        said
    )
