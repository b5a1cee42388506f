"""Keys in one normal form on both sides of every join (#19 rule 5): periods, currencies,
countries and territories written two ways never miss their match, nor fall back to a rate
that applies to any period when a specific one exists in another spelling."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.check.target_match import country_targets
from pipeline.check.targets import targets_table
from pipeline.check.validate import country_table
from pipeline.core.countries import country_key
from pipeline.core.names import identity
from pipeline.read.currencies import currency_code
from pipeline.read.periods import period_key
from pipeline.read.rates import read_exchange_rates
from pipeline.read.tables import read_table
from pipeline.read.targets import read_targets
from tests.tier import examples

HEAD = "Territory,Target households,Products,PMGs,Members,Volume sold (t)"


@st.composite
def periods(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A period's canonical label and the ways an office may write it."""
    year = draw(st.integers(1990, 2030))
    kind = draw(st.sampled_from(["year", "years", "quarter", "half"]))
    if kind == "year":
        return str(year), [str(year), f" {year} "]
    if kind == "years":
        return f"{year}-{year + 1}", [
            f"{year}-{year + 1}",
            f"{year}/{year + 1}",
            f"{year} – {year + 1}",
            f"{year} / {year + 1}",
        ]
    part, count = ("Q", 4) if kind == "quarter" else ("H", 2)
    n = draw(st.integers(1, count))
    return f"{year}-{part}{n}", [
        f"{year}-{part}{n}",
        f"{year} {part.lower()}{n}",
        f"{part}{n} {year}",
        f"{year}/{part}{n}",
    ]


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(period=periods(), data=st.data())
def test_a_rate_is_found_whatever_the_spelling_on_either_side(
    tmp_path: Path, period: tuple[str, list[str]], data: st.DataObject
) -> None:
    label, forms = period
    in_rates, in_table = data.draw(st.sampled_from(forms)), data.draw(st.sampled_from(forms))
    code = data.draw(st.sampled_from(["KES", "kes", "Kes", "KSh", "Kshs."]))
    (tmp_path / "rates.csv").write_text(
        f'currency,period,units_per_usd\nKES,,100\n{code},"{in_rates}",80\n', encoding="utf-8"
    )
    rates = read_exchange_rates(tmp_path / "rates.csv")
    assert rates == {("KES", ""): 100.0, ("KES", label): 80.0}
    cell = data.draw(st.sampled_from(["KES", "kes", "Ksh", ""]))
    header = "Value" if cell else "Value (kes)"
    (tmp_path / "kenya.csv").write_text(
        f"{HEAD},{header},Currency,Period\nA,10,x,1,5,1,8000,{cell},{in_table}\n", encoding="utf-8"
    )
    table = country_table(read_table(tmp_path / "kenya.csv"), rates)
    assert table.ok, [f.as_text() for f in table.findings]
    assert table.territories["value_usd"].tolist() == [100.0]  # 8000 / 80, never 8000 / 100
    assert table.conversions == (("KES", label, 80.0),)


def test_a_period_spelled_another_way_in_targets_meets_its_rows(tmp_path: Path) -> None:
    (tmp_path / "kenya.csv").write_text(
        f"{HEAD},Value (US$),Period\nMbe\u0301ere,10,x,1,5,1,100,2003/2004\n", encoding="utf-8"
    )
    (tmp_path / "targets.csv").write_text(
        "country,territory,indicator,period,target\n"
        "ken,MBÉERE,members,2003 – 2004,10\n"
        "KE,,pmgs,2003-2004,2\n",
        encoding="utf-8",
    )
    table = country_table(read_table(tmp_path / "kenya.csv"))
    targets = targets_table(read_targets(tmp_path / "targets.csv"))
    kept, findings = country_targets(targets, "KEN", table)
    assert not findings
    assert [(t.territory, t.indicator, t.data_period) for t in kept] == [
        ("Mb\u00e9ere", "members", "2003-2004"),  # shown in NFC
        ("", "pmgs", "2003-2004"),
    ]


@pytest.mark.parametrize(
    ("normalise", "spellings", "key"),
    [
        (period_key, ["2003/2004", "2003-2004", " 2003 – 2004 ", "2003 / 2004"], "2003-2004"),
        (period_key, ["2005 q2", "Q2 2005", "2005-Q2", "2005/Q2"], "2005-Q2"),
        (currency_code, ["KES", "kes", " Kes ", "KSh", "Kshs.", "KSHS"], "KES"),
        (currency_code, ["USD", "usd", "US$", "$", "US $", "$US"], "USD"),
        (currency_code, ["EUR", "€", "eur"], "EUR"),
        (country_key, ["Kenya", "kenya", "KE", "KEN", "ken", " Kenya "], "KEN"),
        (identity, ["Mbéere", "Mbe\u0301ere", "MBÉERE", "mbéere ", "Mb\u00e9\u200dere"], "mbéere"),
    ],
)
def test_one_function_gives_one_key_for_every_spelling(normalise, spellings, key) -> None:
    assert {normalise(s) for s in spellings} == {key}


@pytest.mark.parametrize("text", ["FY2004", "2004-2003", "2005-Q5", "soon"])
def test_a_rate_for_a_period_that_is_no_period_is_refused(tmp_path: Path, text: str) -> None:
    from pipeline.core.findings import FileRefused

    (tmp_path / "rates.csv").write_text(f"currency,period,units_per_usd\nKES,{text},80\n")
    with pytest.raises(FileRefused) as info:
        read_exchange_rates(tmp_path / "rates.csv")
    assert (info.value.finding.line, info.value.finding.rule) == (2, "bad-exchange-rates")
    assert "is not a period" in info.value.finding.message


def test_the_issues_example_rows_of_2003_2004_meet_the_2003_2004_rate() -> None:
    from .conftest import FIXTURES

    rates = read_exchange_rates(FIXTURES / "keys" / "exchange_rates.csv")
    table = country_table(read_table(FIXTURES / "keys" / "kenya.csv"), rates)
    assert table.ok and table.territories["value_usd"].tolist() == [13103.0, 78175.0]
    (note,) = [f for f in table.findings if f.rule == "converted"]
    assert (note.line, note.column) == (1, "Value (KES)")
    assert note.message == (
        "Values in KES were converted to US$ at 80 KES per US$ for 2003-2004 (exchange_rates.csv)."
    )
    assert "KES" in note.fix and "exchange_rates.csv" in note.fix
