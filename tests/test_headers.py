"""Headers are parsed completely: column, unit, scale and currency, or refused naming the token
(#19 rule 1). Properties over generated headers, then the issue's examples end to end."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.check.validate import country_table
from pipeline.core.findings import FileRefused, Severity
from pipeline.read.columns import match_header, parse_header
from pipeline.read.tables import read_table
from tests.tier import examples

BASE = ["Territory", "Target households", "Products", "PMGs", "Members", "Volume sold (t)"]
BASE += ["Value (US$)"]

#: What a header may say about each figure, as (ways of writing it, what it means).
SCALES = [(["'000", "('000)", "000s", "thousands", "in thousands", "’000"], 1000), ([""], 1)]
SCALES += [(["millions", "mn"], 1_000_000)]
CURRENCIES = [
    (["US$", "USD", "usd", "$", "in US$", "US $"], "USD"),
    (["KES", "kes", "KSh", "Kshs", "Ksh."], "KES"),
    (["€", "EUR", "eur"], "EUR"),
    (["TZS", "TSh"], "TZS"),
]
UNITS = [(["t", "mts", "MT", "tonnes", "tons"], Decimal(1)), (["kg", "kgs", "kilograms"], None)]
BRACKETS = [("(", ")"), ("[", "]"), ("", ""), ("{", "}")]


def _part(draw: st.DrawFn, text: str) -> str:
    if not text:
        return ""
    opening, closing = draw(st.sampled_from(BRACKETS))
    return f"{opening}{text}{closing}"


@st.composite
def value_headers(draw: st.DrawFn) -> tuple[str, int, str]:
    """A value header with a scale and a currency anywhere, in any bracket or none."""
    name = draw(st.sampled_from(["Value", "Value sold", "Value of sales", "value"]))
    scales, scale = draw(st.sampled_from(SCALES))
    currencies, code = draw(st.sampled_from(CURRENCIES))
    pieces = [draw(st.sampled_from(scales)), draw(st.sampled_from(currencies))]
    if draw(st.booleans()):  # together in one bracket ("US$ '000") or apart
        pieces = [" ".join(draw(st.permutations(pieces))).strip()]
    else:
        pieces = draw(st.permutations(pieces))
    return " ".join([name, *(_part(draw, p) for p in pieces)]).strip(), scale, code


@given(value_headers())
def test_a_value_header_gives_its_scale_and_currency_wherever_written(
    header: tuple[str, int, str],
) -> None:
    label, scale, currency = header
    parsed = parse_header(label)
    assert parsed is not None and parsed.clean, label
    assert (parsed.canonical, parsed.scale, parsed.currency) == ("value_usd", scale, currency)


@given(
    name=st.sampled_from(["Volume sold", "Volume", "volume sold", "Volumes"]),
    unit=st.sampled_from(UNITS),
    scale=st.sampled_from(SCALES),
    data=st.data(),
)
def test_a_volume_header_gives_its_unit_and_scale(name, unit, scale, data) -> None:
    units, factor = unit
    scales, times = scale
    pieces = data.draw(
        st.permutations([data.draw(st.sampled_from(units)), data.draw(st.sampled_from(scales))])
    )
    label = " ".join([name, *(_part(data.draw, p) for p in pieces)]).strip()
    parsed = parse_header(label)
    assert parsed is not None and parsed.clean, label
    assert parsed.canonical == "volume_sold_t" and parsed.scale == times
    assert parsed.factor == (factor or Decimal("0.001"))


#: Tokens that are no unit, scale, currency or description: they must never be read away.
STRANGE = ["approx", "female", "est.", "bags", "F CFA", "%", "K", "NZ$", "per member", "2004"]


@given(value_headers(), st.sampled_from(STRANGE), st.sampled_from(BRACKETS))
def test_a_token_not_understood_is_never_dropped(header, token: str, brackets) -> None:
    label = header[0]
    opening, closing = brackets
    labelled = f"{label} {opening}{token}{closing}"
    parsed = parse_header(labelled)
    assert parsed is not None and not parsed.clean, labelled
    match = match_header([*BASE[:6], labelled])
    (problem,) = [p for p in match.problems if p.column == labelled]
    assert problem.rule in ("header-token", "conflicting-header")
    # The suggested header keeps what the header said: never "Value" for "Value KES".
    if problem.rule == "header-token":
        said = parse_header(label)
        assert said is not None
        assert said.currency_text in problem.fix and said.scale_text in problem.fix


@given(
    name=st.sampled_from(["Volume sold", "Volume", "Volume vendu", "Volume vendido"]),
    word=st.sampled_from(["quintals", "qtl", "bags", "90kg bags", "lbs", "sacks", "litres"]),
    brackets=st.sampled_from(BRACKETS),
)
def test_a_volume_in_a_unit_not_understood_is_told_to_convert_first(
    name: str, word: str, brackets
) -> None:
    """Without a unit, a volume is read in tonnes: an officer who only drops "quintals" from
    the header would make every figure ten times too large, so the fix says to convert."""
    opening, closing = brackets
    labelled = f"{name} {opening}{word}{closing}"
    match = match_header([*BASE[:5], labelled, BASE[6]])
    (problem,) = [p for p in match.problems if p.column == labelled]
    assert problem.rule == "header-token"
    assert "must be converted first" in problem.fix


@pytest.mark.parametrize(
    ("label", "canonical", "scale", "currency", "unit"),
    [
        ("Value ('000) (US$)", "value_usd", 1000, "USD", ""),
        ("Value (US$ '000)", "value_usd", 1000, "USD", ""),
        ("Value KES", "value_usd", 1, "KES", ""),
        ("Value (€)", "value_usd", 1, "EUR", ""),
        ("Value (in US$)", "value_usd", 1, "USD", ""),
        ("value_usd", "value_usd", 1, "USD", ""),
        ("Value", "value_usd", 1, "", ""),
        ("Volume sold kg", "volume_sold_t", 1, "", "kg"),
        ("Volume (MT)", "volume_sold_t", 1, "", "mt"),
        ("Target households ('000)", "target_households", 1000, "", ""),
        ("Target population (no. of households)", "target_households", 1, "", ""),
        ("No. of PMGs", "pmgs", 1, "", ""),
        ("# members", "members", 1, "", ""),
        ("Farmers' groups", "pmgs", 1, "", ""),
        ("Territory (district)", "territory", 1, "", ""),
        ("Country (ISO3)", "country", 1, "", ""),
        ("Pays", "country", 1, "", ""),
        ("Value (US dollars)", "value_usd", 1, "USD", ""),
        ("Value in Kenya shillings", "value_usd", 1, "KES", ""),
        ("Value (KES'000)", "value_usd", 1000, "KES", ""),
        ("Value (Kes.)", "value_usd", 1, "KES", ""),
        ("Total value (US$)", "value_usd", 1, "USD", ""),
        ("Total no. of members", "members", 1, "", ""),
        ("Volume sold (metric tonnes)", "volume_sold_t", 1, "", "tonnes"),
    ],
)
def test_headers_as_offices_write_them(
    label: str, canonical: str, scale: int, currency: str, unit: str
) -> None:
    parsed = parse_header(label)
    assert parsed is not None and parsed.clean
    assert (parsed.canonical, parsed.scale, parsed.currency, parsed.unit) == (
        canonical,
        scale,
        currency,
        unit,
    )


def test_a_header_that_starts_like_a_given_column_is_another_column() -> None:
    match = match_header([*BASE, "Value per member (US$)", "Members (male)"])
    assert not match.problems
    assert [label for _, label, _ in match.alike] == ["Value per member (US$)", "Members (male)"]
    alone = match_header([*BASE[:4], "Members (male)", *BASE[5:]])
    assert [(p.rule, p.column) for p in alone.problems] == [("header-token", "Members (male)")]
    assert '"male"' in alone.problems[0].message


@pytest.mark.parametrize(
    ("label", "canonical", "scale"),
    [
        ("Women members", "members_women", 1),
        ("Female members", "members_women", 1),
        ("Members (women)", "members_women", 1),
        ("Members (female)", "members_women", 1),
        ("No. of women members", "members_women", 1),
        ("Members (women) ('000)", "members_women", 1000),
        ("Membres (femmes)", "members_women", 1),
        ("Youth members", "members_youth", 1),
        ("Young members", "members_youth", 1),
        ("Members (youth)", "members_youth", 1),
        ("Jeunes membres", "members_youth", 1),
    ],
)
def test_members_by_sex_and_age_are_read(label: str, canonical: str, scale: int) -> None:
    """#26: the optional columns, beside members; a sex or age in brackets names them too."""
    parsed = parse_header(label)
    assert parsed is not None and parsed.clean
    assert (parsed.canonical, parsed.scale) == (canonical, scale)
    match = match_header([*BASE, label])
    assert not match.problems and not match.alike and match.columns[canonical].label == label


def test_two_currencies_in_one_header_are_refused() -> None:
    match = match_header([*BASE[:6], "Value (US$/KES)"])
    assert [p.rule for p in match.problems] == ["conflicting-header"]
    assert '"US$" and "KES"' in match.problems[0].message


def test_a_near_miss_is_never_told_to_drop_its_currency() -> None:
    (problem,) = match_header([*BASE[:6], "Valeu (KES)"]).problems  # a typing slip
    assert problem.rule == "missing-column"
    assert 'Rename it to "Value (KES)"' in problem.fix


def test_a_french_header_keeps_its_currency() -> None:
    match = match_header([*BASE[:6], "Valeur (KES)"])
    assert not match.problems and match.columns["value_usd"].currency == "KES"


def _table(tmp_path: Path, header: str, *rows: str) -> Path:
    path = tmp_path / "kenya.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


HEAD = "Territory,Target households,Products,PMGs,Members,Volume sold (t)"


def test_thousands_in_a_header_are_applied_exactly_and_stated(tmp_path: Path) -> None:
    path = _table(
        tmp_path,
        HEAD + ",Value ('000) (US$)",
        "Mbeere,5000,x,9,447,32,13.103",
        "Homabay,5000,x,27,3014,145,78.175",
        "Totals,10000,,36,3461,177,91.278",
    )
    table = country_table(read_table(path))
    assert table.ok, [f.as_text() for f in table.findings]
    assert table.territories["value_usd"].tolist() == [13103.0, 78175.0]
    (note,) = [f for f in table.findings if f.rule == "converted"]
    assert note.message == (
        'Figures in "Value (\'000) (US$)" are in thousands: each was multiplied by 1,000, exactly.'
    )
    # What to check is the scale: nothing was converted at an exchange rate.
    assert note.fix == (
        'Check that the figures of "Value (\'000) (US$)" are in thousands, as its header says.'
    )


def test_a_volume_in_kilograms_is_converted_and_the_fix_asks_for_the_unit_only(
    tmp_path: Path,
) -> None:
    path = _table(
        tmp_path,
        "Territory,Target households,Products,PMGs,Members,Volume sold (kg),Value (US$)",
        "Mbeere,5000,x,9,447,32000,13103",
    )
    table = country_table(read_table(path))
    assert table.territories["volume_sold_t"].tolist() == [32.0]
    (note,) = [f for f in table.findings if f.rule == "converted"]
    assert (
        note.fix
        == 'Check that the figures of "Volume sold (kg)" are in kilograms, as its header says.'
    )
    assert "rate" not in note.fix


@given(st.lists(st.decimals(0, 99_999, places=3), min_size=1, max_size=6))
@settings(max_examples=examples(40), deadline=None)
def test_a_scale_never_loses_or_invents_a_digit(values: list[Decimal]) -> None:
    from pipeline.check.figures import scaled

    for value in values:
        assert Decimal(repr(scaled(float(value), value, Decimal(1000)))) == value * 1000


def test_a_count_in_thousands_is_never_a_plain_count(tmp_path: Path) -> None:
    path = _table(
        tmp_path,
        "Territory,Target households ('000),Products,PMGs,Members,Volume sold (t),Value (US$)",
        "Mbeere,5.5,x,9,447,32,13103",
    )
    table = country_table(read_table(path))
    assert table.ok and table.territories["target_households"].tolist() == [5500.0]


def test_euros_are_converted_at_the_euro_rate_never_printed_as_dollars(tmp_path: Path) -> None:
    path = _table(tmp_path, HEAD + ",Value (€)", "Mbeere,5000,x,9,447,32,1000")
    table = country_table(read_table(path), {("EUR", ""): 0.8})
    assert table.territories["value_usd"].tolist() == [1250.0]
    without = country_table(read_table(path))
    assert [(f.line, f.rule) for f in without.findings if f.severity is Severity.ERROR] == [
        (2, "missing-exchange-rate")
    ]
    assert "EUR" in next(f.message for f in without.findings if f.severity is Severity.ERROR)


def test_a_header_token_not_understood_refuses_the_file_naming_it(tmp_path: Path) -> None:
    path = _table(tmp_path, HEAD + ",Value (US$ approx.)", "Mbeere,5000,x,9,447,32,1000")
    with pytest.raises(FileRefused) as info:
        country_table(read_table(path))
    finding = info.value.finding
    assert (finding.line, finding.column, finding.rule) == (
        1,
        "Value (US$ approx.)",
        "header-token",
    )
    assert '"approx."' in finding.message and '"Value (US$)"' in finding.fix


def test_a_header_currency_and_a_currency_column_must_agree(tmp_path: Path) -> None:
    path = _table(
        tmp_path,
        HEAD + ",Value (KES),Currency",
        "Mbeere,5000,x,9,447,32,1000,KES",
        "Homabay,5000,x,9,447,32,1000,USD",
    )
    with pytest.raises(FileRefused) as info:
        country_table(read_table(path), {("KES", ""): 80.0})
    finding = info.value.finding
    assert (finding.line, finding.column, finding.rule) == (1, "Value (KES)", "currency-conflict")
    assert "line(s) 3" in finding.message and '"Currency"' in finding.message


@pytest.mark.parametrize(
    ("label", "canonical", "example"),
    [
        ("Women members (%)", "members_women", '"Women members"'),
        ("Youth members %", "members_youth", '"Youth members"'),
        ("Members (%)", "members", '"Members"'),
        ("PMGs [%]", "pmgs", '"PMGs"'),
        ("Target households (%)", "target_households", '"Target households"'),
    ],
)
def test_a_percent_in_a_count_header_asks_for_the_count(
    tmp_path: Path, label: str, canonical: str, example: str
) -> None:
    """A count column headed with "%" holds shares an office meant as such: the refusal says
    so and asks for the number, under the header without the %."""
    columns = {
        "territory": "Territory",
        "target_households": "Target households",
        "products": "Products",
        "pmgs": "PMGs",
        "members": "Members",
        "volume_sold_t": "Volume sold (t)",
        "value_usd": "Value (US$)",
    }
    columns[canonical] = label  # in its place, or added for women or youth members
    path = _table(
        tmp_path,
        ",".join(columns.values()),
        ",".join(["Mbeere", "5000", "x", "9", "447", "32", "1000", "45"][: len(columns)]),
    )
    with pytest.raises(FileRefused) as info:
        country_table(read_table(path))
    finding = info.value.finding
    assert (finding.line, finding.column, finding.rule) == (1, label, "header-token")
    assert f"names the column {canonical}, which is a count" in finding.message
    assert "percentages" in finding.message and example in finding.fix and "%" in finding.fix


def test_a_refused_header_gives_its_fix_once_and_every_column_it_could_have(
    tmp_path: Path,
) -> None:
    path = _table(tmp_path, HEAD + ",Value (US$ approx.)", "Mbeere,5000,x,9,447,32,1000")
    with pytest.raises(FileRefused) as info:
        country_table(read_table(path))
    finding = info.value.finding
    assert finding.fix not in finding.message  # the terminal prints both: never twice
    for optional in ("members_women", "members_youth", "period", "notes"):
        assert optional in finding.message.split("Columns expected:")[1]
