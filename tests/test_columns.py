"""Header variants match canonical columns; problems name what was found and expected."""

from decimal import Decimal

import pytest

from pipeline.read.columns import canonical_name, match_header


@pytest.mark.parametrize(
    ("label", "canonical"),
    [
        ("Territory", "territory"),
        ("Target population (no. of households)", "target_households"),
        ("Target households", "target_households"),
        ("target_households", "target_households"),
        ("  TARGET   HOUSEHOLDS ", "target_households"),
        ("PMGs", "pmgs"),
        ("Groups", "pmgs"),
        ("Producer marketing groups", "pmgs"),
        ("Farmers", "members"),
        ("Volume sold (mts)", "volume_sold_t"),
        ("Volume sold (t)", "volume_sold_t"),
        ("Volume (MT)", "volume_sold_t"),
        ("Value (US$)", "value_usd"),
        ("Value (in US$)", "value_usd"),
        ("Value (USD)", "value_usd"),
        ("value_usd", "value_usd"),
        ("Period", "period"),
        ("Notes", "notes"),
        ("Rainfall (mm)", None),
    ],
)
def test_canonical_name(label: str, canonical: str | None) -> None:
    assert canonical_name(label) == canonical


def test_kilograms_convert_to_tonnes() -> None:
    header = [
        "Territory",
        "Target households",
        "Products",
        "PMGs",
        "Members",
        "Volume sold (kg)",
        "Value (US$)",
    ]
    assert match_header(header).columns["volume_sold_t"].factor == Decimal("0.001")


def test_missing_column_suggests_near_miss() -> None:
    header = [
        "Territory",
        "Target households",
        "Products",
        "PMGs",
        "Memebrs",
        "Volume sold (t)",
        "Value (US$)",
    ]
    (problem,) = match_header(header).problems
    assert (problem.rule, problem.column) == ("missing-column", "members")
    assert 'Did you mean "Memebrs"?' in problem.fix


def test_duplicate_and_unknown_columns() -> None:
    header = [
        "Territory",
        "Target households",
        "Products",
        "PMGs",
        "Members",
        "Farmers",
        "Volume sold (t)",
        "Value (US$)",
        "Rainfall",
    ]
    match = match_header(header)
    assert [(p.rule, p.column) for p in match.problems] == [("duplicate-column", "Farmers")]
    assert match.ignored == [(8, "Rainfall")]


def test_unconvertible_unit_is_refused() -> None:
    header = [
        "Territory",
        "Target households",
        "Products",
        "PMGs",
        "Members",
        "Volume sold (bags)",
        "Value (US$)",
    ]
    assert [p.rule for p in match_header(header).problems] == ["header-token"]
