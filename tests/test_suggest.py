"""The suggester: the plain number to write for a cell that is not one, or why there is none.

A table of real-world strings with the exact suggestion for each (every example of issue 22
among them), the cases that must give none, and properties over generated cells: the number
suggested is the oracle's, in the column's unit, and reads back as exactly that number.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from pipeline.check.suggest import CellContext, suggest
from pipeline.check.suggest_parse import (
    COMMA_STYLE,
    POINT_STYLE,
    NumberStyle,
    plain,
    read_number,
    shown,
)
from pipeline.check.suggest_words import (
    COUNT_WORDS,
    FRENCH_WORDS,
    LOOSE_UNITS,
    MAGNITUDES,
    Meaning,
    Place,
    phrase_key,
    qualifier_texts,
    spelled_numbers,
)
from pipeline.core.registry import CEILINGS
from pipeline.read.cells import COMMA, POINT, parse_number
from tests.tier import examples

A, L, U = Meaning.APPROXIMATE, Meaning.LOWER, Meaning.UPPER
UNITS = {"volume_sold_t": "t", "value_usd": "USD"}


def context(
    column: str, style: NumberStyle = POINT_STYLE, unit: str = "", source: str = ""
) -> CellContext:
    return CellContext(column, style, unit or UNITS.get(column, ""), source, column)


#: (cell, column, what to write, what the qualifier means, words the fix must contain)
SUGGESTED = [
    # Excel's mark for a number kept as text is not part of the figure.
    ("'447", "members", "447", None, ["apostrophe"]),
    ("’1,234", "value_usd", "1234", None, ["apostrophe"]),
    # The examples, as printed in the stories they came from.
    ("about 134", "pmgs", "134", A, ["approximate", "Write 134 only if", '"approximately"']),
    (
        "over 103 million kilogrammes",
        "volume_sold_t",
        "103000",
        L,
        ["lower bound", "103,000 t", "1 kg = 0.001 t", "Write 103,000 only if", '"at least"'],
    ),
    (
        "7.6 million kg",
        "volume_sold_t",
        "7600",
        None,
        ["7,600 t", "million = 1,000,000", "write 7,600."],
    ),
    ("$74.3 million", "value_usd", "74300000", None, ["US$74,300,000", "$ is read as US dollars"]),
    ("390,000 kilos", "volume_sold_t", "390", None, ['"390,000 kilos" = 390 t', "write 390."]),
    ("more than 14,000", "members", "14000", L, ["lower bound", "14,000 or more", '"at least"']),
    ("almost US$600,000", "value_usd", "600000", U, ["upper bound", "US$600,000 or less"]),
    ("18 874", "target_households", "18874", None, ["write 18,874."]),
    ("18 874", "members", "18874", None, ["decimal point, comma thousands"]),
    # Qualifiers in English, French, Swahili, Spanish and Portuguese, before or after.
    ("approximately 1,200", "members", "1200", A, []),
    ("Around 75", "pmgs", "75", A, []),
    ("~134", "members", "134", A, []),
    ("≈ 134", "members", "134", A, []),
    ("+/- 40", "members", "40", A, []),
    ("roughly 9", "pmgs", "9", A, []),
    ("134 (approx.)", "members", "134", A, []),
    ("134 est.", "members", "134", A, []),
    ("approx. 134 (est.)", "members", "134", A, []),
    ("environ 1 200", "members", "1200", A, []),
    ("karibu 300", "members", "300", A, []),
    ("takriban 45", "pmgs", "45", A, []),
    ("cerca de 500", "members", "500", A, []),
    ("over 500", "members", "500", L, []),
    ("Just over 500", "members", "500", L, []),
    ("at least 12", "pmgs", "12", L, []),
    ("> 30", "pmgs", "30", L, []),
    (">=30", "pmgs", "30", L, []),
    ("14,000+", "members", "14000", L, []),
    ("14000 or more", "members", "14000", L, []),
    ("plus de 200", "members", "200", L, []),
    ("au moins 3", "pmgs", "3", L, []),
    ("zaidi ya 500", "members", "500", L, []),
    ("Zaidi Ya 1,500", "members", "1500", L, []),
    ("angalau 20", "pmgs", "20", L, []),
    ("más de 80", "members", "80", L, []),
    ("mais de 80", "members", "80", L, []),
    ("under 50", "pmgs", "50", U, []),
    ("less than 1,000", "members", "1000", U, []),
    ("up to 40", "pmgs", "40", U, []),
    ("nearly 600", "members", "600", U, []),
    ("< 5", "pmgs", "5", U, []),
    ("près de 3 000 tonnes", "volume_sold_t", "3000", U, ["3,000 t or less"]),
    ("presque 90", "members", "90", U, []),
    ("jusqu'à 40", "pmgs", "40", U, []),
    ("moins de 10", "pmgs", "10", U, []),
    ("chini ya 100", "members", "100", U, []),
    ("casi 70", "members", "70", U, []),
    # Magnitude words and symbols, by exact decimal arithmetic.
    ("2.5k", "value_usd", "2500", None, ["thousand = 1,000"]),
    ("2.5K", "value_usd", "2500", None, []),
    ("$1.2m", "value_usd", "1200000", None, []),
    ("US$ 1.2 mn", "value_usd", "1200000", None, []),
    ("USD 3 mln", "value_usd", "3000000", None, []),
    ("1.25bn", "value_usd", "1250000000", None, ["billion = 1,000,000,000"]),
    ("2 billion", "value_usd", "2000000000", None, []),
    ("12 thousand", "value_usd", "12000", None, []),
    ("2 lakh", "value_usd", "200000", None, ["lakh = 100,000"]),
    ("1.5 crore", "value_usd", "15000000", None, ["crore = 10,000,000"]),
    ("3 lacs", "value_usd", "300000", None, []),
    ("1,2 million", "value_usd", "1200000", None, []),  # decimal comma file, below
    ("7,6 millions de kg", "volume_sold_t", "7600", None, []),  # decimal comma file
    ("2 milliards", "value_usd", "2000000000", None, []),
    ("5 mille", "value_usd", "5000", None, []),
    ("mille", "value_usd", "1000", None, []),
    ("3 milliers", "value_usd", "3000", None, []),
    ("elfu 10", "value_usd", "10000", None, ["elfu = 1,000"]),
    ("milioni 2", "value_usd", "2000000", None, []),
    ("laki 5", "value_usd", "500000", None, []),
    ("a million", "value_usd", "1000000", None, []),
    ("two thousand", "value_usd", "2000", None, []),
    ("dix mille", "value_usd", "10000", None, []),
    ("elfu kumi", "value_usd", "10000", None, []),
    ("0.5m", "value_usd", "500000", None, []),
    # Units of weight, converted to the column's unit with the factor stated.
    ("32 t", "volume_sold_t", "32", None, []),
    ("32 tonnes", "volume_sold_t", "32", None, []),
    ("32MT", "volume_sold_t", "32", None, []),
    ("32 mts", "volume_sold_t", "32", None, []),
    ("32 metric tons", "volume_sold_t", "32", None, []),
    ("1,500 kg", "volume_sold_t", "1.5", None, ["1 kg = 0.001 t"]),
    ("1500kgs", "volume_sold_t", "1.5", None, []),
    ("1,234 kg", "volume_sold_t", "1.234", None, []),
    ("500 Kilograms", "volume_sold_t", "0.5", None, []),
    ("390,000 KILOS", "volume_sold_t", "390", None, []),
    ("5 quintals", "volume_sold_t", "0.5", None, ["1 quintal = 100 kg = 0.1 t"]),
    ("12 quintaux", "volume_sold_t", "1.2", None, []),
    ("2,000 lbs", "volume_sold_t", "0.90718474", None, ["0.00045359237 t"]),
    ("3 tani", "volume_sold_t", "3", None, []),
    ("kilo 390,000", "volume_sold_t", "390", None, []),
    ("7.6 t", "volume_sold_t:kg", "7600", None, ["1 t = 1,000 kg"]),
    ("32 kg", "volume_sold_t:kg", "32", None, []),
    ("3 quintals", "volume_sold_t:kg", "300", None, ["(1 quintal = 100 kg)"]),
    ("5 million kg", "volume_sold_t:kg", "5000000", None, []),
    # Currencies, checked against the column's and the row's.
    ("US$600,000", "value_usd", "600000", None, []),
    ("600,000 USD", "value_usd", "600000", None, []),
    ("600 000 $", "value_usd", "600000", None, []),
    ("U.S. $ 4,200", "value_usd", "4200", None, []),
    ("KES 1.2m", "value_usd:KES:header", "1200000", None, []),
    ("Ksh 1,200,000/=", "value_usd:KES:column", "1200000", None, []),
    ("Kshs. 45,000", "value_usd:KES:column", "45000", None, []),
    ("Sh 45,000", "value_usd:TZS:column", "45000", None, []),
    ("TZS 2 million", "value_usd:TZS:header", "2000000", None, []),
    ("UGX 3.5bn", "value_usd:UGX:header", "3500000000", None, []),
    ("FCFA 12 millions", "value_usd:XOF:column", "12000000", None, []),
    ("€ 40,000", "value_usd:EUR:header", "40000", None, []),
    ("4,000 EUR", "value_usd:EUR:column", "4000", None, []),
    ("CHF 40", "value_usd:CHF:column", "40", None, []),
    # Counted words that repeat the column's unit.
    ("447 members", "members", "447", None, []),
    ("381 farmers", "members", "381", None, []),
    ("5,000 households", "target_households", "5000", None, []),
    ("5000 HH", "target_households", "5000", None, []),
    ("9 PMGs", "pmgs", "9", None, []),
    ("9 groupes", "pmgs", "9", None, []),
    ("300 wakulima", "members", "300", None, []),
    # Separators checked with Babel's strict parsing in the file's format.
    ("1 234 567", "value_usd", "1234567", None, []),
    ("18'874", "members", "18874", None, []),
    ("18\u00a0874", "members", "18874", None, []),
    ("18\u202f874", "members", "18874", None, []),
    ("1,00,000", "value_usd", "100000", None, []),
    ("12,34,567.5", "value_usd", "1234567.5", None, []),
    ("1.234.567,5", "value_usd", "1234567.5", None, ["another number format"]),
    # Spelled-out numbers, when they spell one number only.
    ("ten", "pmgs", "10", None, []),
    ("Twelve", "pmgs", "12", None, []),
    ("twenty-five", "members", "25", None, []),
    ("one hundred and five", "members", "105", None, []),
    ("dix", "pmgs", "10", None, []),
    ("dix-sept", "pmgs", "17", None, []),
    ("vingt et un", "members", "21", None, []),
    ("soixante-dix", "members", "70", None, []),
    ("quatre-vingt-dix-neuf", "members", "99", None, []),
    ("deux cents", "members", "200", None, []),
    ("kumi", "pmgs", "10", None, []),
    ("kumi na mbili", "members", "12", None, []),
    ("mia tatu", "members", "300", None, []),
    ("about ten", "pmgs", "10", A, []),
    ("zaidi ya kumi", "pmgs", "10", L, []),
    # A footnote mark and a full stop are not part of the figure.
    ("134*", "members", "134", None, ["footnote mark *"]),
    ("134.", "members", "134", None, []),
    # Not reported, in words the reader does not take.
    ("n.a.", "members", "n/a", None, ["not reported"]),
    ("NA", "value_usd", "n/a", None, []),
    ("not available", "value_usd", "n/a", None, []),
    ("N.D.", "pmgs", "n/a", None, []),
    ("N/A.", "pmgs", "n/a", None, []),
    ("n/a*", "members", "n/a", None, []),
    ("c. 134", "members", "134", A, []),
    # An abbreviation's dot with no space after it (found by the decorated-figure property).
    ("c.US$0", "value_usd", "0", A, []),
    ("approx.US$ 2.3 million", "value_usd", "2300000", A, []),
    ("Approx. US$ 2.3 million", "value_usd", "2300000", A, []),
    ("takriban kilo elfu 5", "volume_sold_t", "5", A, ["5,000 kilo", "elfu = 1,000"]),
    ("plus de 1 500 tonnes", "volume_sold_t", "1500", L, []),
    ("près de 20 000 ménages", "target_households", "20000", U, []),
    ("USD 600k+", "value_usd", "600000", L, []),
    ("more than a million", "value_usd", "1000000", L, []),
    ("close to 500", "members", "500", A, []),
    ("estimated at 40", "pmgs", "40", A, []),
    ("exceeding 2,000", "members", "2000", L, []),
    ("approaching 90", "members", "90", U, []),
    ("quelque 500", "members", "500", A, []),
    ("près d'un million", "value_usd", "1000000", U, []),
    ("plus d'un million de FCFA", "value_usd:XOF:column", "1000000", L, []),
    ("kama 500", "members", "500", A, []),
    ("isiyozidi 500", "members", "500", U, []),
    ("unos 300", "members", "300", A, []),
    ("por encima de 300", "members", "300", L, []),
    ("500 give or take", "members", "500", A, []),
    ("about134", "members", "134", A, []),
    ("OVER103MILLION KG", "volume_sold_t", "103000", L, []),
    ("3,000 tons", "volume_sold_t", "3000", None, ["tons are read as metric tonnes"]),
]

#: Cells that must give no suggestion, with a word of why.
NONE = [
    # Accounts write a negative figure in brackets: dropping them would drop its sign.
    ("(2,000)", "value_usd", "accounts write a negative"),
    ("(US$ 2000)", "value_usd", "accounts write a negative"),
    ("(12)", "members", "accounts write a negative"),
    ("2.5k", "members", "rounded figure"),
    ("2.5k", "target_households", "counted exactly"),
    ("3 thousand", "pmgs", "rounded figure"),
    ("1 lakh", "target_households", "rounded figure"),
    ("10 co-operatives and 2 unions", "pmgs", "more than one number (10 and 2)"),
    ("ten groups and two unions", "pmgs", "more than one number"),
    ("447 (incl. 30 youth)", "members", "more than one number"),
    ("10-12", "pmgs", "range"),
    ("between 10 and 12", "pmgs", "range"),
    ("10 to 12", "pmgs", "range"),
    ("12/03/2004", "members", "a date"),
    ("2004-04-12", "pmgs", "a date"),  # a workbook's date cell, as it is read
    ("2004-04-12 00:00:00", "pmgs", "a date"),
    ("12-Apr", "members", "a date"),  # a date cell exported to CSV
    ("Apr-12", "members", "a date"),
    ("12-avr.-04", "volume_sold_t", "a date"),
    ("févr.-04", "value_usd", "a date"),
    ("12.04.2004", "members", "a date"),
    ("'about 5", "members", "mark"),
    ("1,23", "volume_sold_t", "did you mean 1.23 or 123"),
    ("7,6", "volume_sold_t", "did you mean 7.6 or 76"),
    ("1.234,5", "volume_sold_t", "did you mean"),
    ("5 bags", "volume_sold_t", "no fixed weight"),
    ("120 sacks", "volume_sold_t", "no fixed weight"),
    ("40 litres", "volume_sold_t", "no fixed weight"),
    ("$250/t", "value_usd", "price"),
    ("250 per kg", "value_usd", "price"),
    ("45%", "members", "percentage"),
    ("KES 1.2m", "value_usd", "not the currency"),
    ("KES 1.2m", "value_usd:USD:blank", "Currency cell is blank"),
    ("$ 400", "value_usd:KES:header", "not the currency"),
    ("€ 40,000", "value_usd:KES:column", "not the currency"),
    ("5 kg", "value_usd", "weight"),
    ("$5", "volume_sold_t", "currency"),
    ("5 kg", "members", "count"),
    ("9 farmers", "pmgs", "not what"),
    ("12.5", "members", "whole numbers"),
    ("about 12.5", "pmgs", "whole numbers"),
    ("-5 kg", "volume_sold_t", "negative"),
    ("−40", "members", "negative"),
    ("200 million", "members", "rounded"),
    ("200 million tonnes", "volume_sold_t", "above the most"),
    ("$20 billion", "value_usd", "above the most"),
    ("1 milliard de tonnes", "volume_sold_t", "above the most"),
    ("1 billion de FCFA", "value_usd:XOF:column", "10^12"),
    ("1.2e6", "value_usd", "too wide"),
    ("7.43E+07", "value_usd", "too wide"),
    ("#DIV/0!", "value_usd", "formula"),
    ("#N/A", "members", "formula"),
    ("nil", "members", "0 or"),
    ("none", "pmgs", "0 or"),
    ("a few hundred", "members", "without doubt"),
    ("hundreds", "members", "no number"),
    ("dozens", "members", "no number"),
    ("sept", "members", "without doubt"),  # 7 in French, or September
    ("cent", "value_usd", "without doubt"),  # 100 in French, or a US cent
    ("provisional", "members", "no number"),
    ("134 (provisional)", "members", "provisional"),
    ("about over 134", "members", "qualifiers"),
    ("134 kg 5 t", "volume_sold_t", "more than one number"),
    ("5 kg t", "volume_sold_t", "two units"),
    ("KES USD 5", "value_usd", "two different currencies"),
    ("2.5 kilotonnes", "volume_sold_t", "kilotonnes"),
    ("5 m3", "volume_sold_t", "more than one number"),
    ("3 seconds", "volume_sold_t", "seconds"),
    ("2.5 kelvin", "volume_sold_t", "kelvin"),
    ("ALL 5", "value_usd", "not the currency"),  # in capitals: the Albanian lek
    ("all 5", "value_usd", "all"),  # in a sentence, "all" is a word
    ("2 million 500 thousand", "value_usd", "more than one number"),
    ("elfu 10 million", "value_usd", "two magnitudes"),
    ("mille milliers", "value_usd", "two magnitudes"),
]


def _context(spec: str, style: NumberStyle) -> CellContext:
    column, _, rest = spec.partition(":")
    unit, _, source = rest.partition(":")
    return context(column, style, unit, source)


#: Cells written in a decimal-comma file.
COMMA_CELLS = {"1,2 million", "7,6 millions de kg"}


@pytest.mark.parametrize(("text", "column", "write", "meaning", "words"), SUGGESTED)
def test_the_suggestion_for_each_real_world_string(
    text: str, column: str, write: str, meaning: Meaning | None, words: list[str]
) -> None:
    style = COMMA_STYLE if text in COMMA_CELLS else POINT_STYLE
    got = suggest(text, _context(column, style))
    assert got.write == write, got.reason
    assert got.meaning == meaning
    for word in words:
        assert word in got.reason
    if write != "n/a":
        assert got.value == Decimal(write.replace(",", "."))
        # Put in the cell, it reads back in the file's format as exactly that number.
        fmt = COMMA if style is COMMA_STYLE else POINT
        assert parse_number(write, fmt) == float(got.value)
        assert f"rite {shown(got.value, style)}" in got.reason  # "write 74,300,000."


@pytest.mark.parametrize(("text", "column", "why"), NONE)
def test_cells_that_get_no_suggestion_say_why(text: str, column: str, why: str) -> None:
    got = suggest(text, _context(column, POINT_STYLE))
    assert got.write == "" and got.value is None, got.reason
    assert why.lower() in got.reason.lower()


def test_a_decimal_comma_file_reads_its_own_format_and_not_the_other() -> None:
    assert suggest("environ 1.200,5 kg", context("volume_sold_t", COMMA_STYLE)).write == "1,2005"
    assert suggest("environ 1 200 t", context("volume_sold_t", COMMA_STYLE)).write == "1200"
    assert suggest("about 7.6 t", context("volume_sold_t", COMMA_STYLE)).write == ""
    assert suggest("18 874 people", context("members", COMMA_STYLE)).write == "18874"


def test_the_fix_states_what_to_write_grouped_in_the_files_format() -> None:
    assert "write 74,300,000." in suggest("$74.3 million", context("value_usd")).reason
    comma = suggest("74,3 millions", context("value_usd", COMMA_STYLE))
    assert comma.write == "74300000" and "write 74.300.000." in comma.reason


def test_kilos_are_never_time_and_k_is_never_kelvin() -> None:
    for text in ("5 kilos", "5 kilo", "5 KILOS"):
        got = suggest(text, context("volume_sold_t"))
        assert got.write == "0.005" and "kg" in got.reason
    assert suggest("2.5k", context("value_usd")).write == "2500"


# --- properties over generated cells ----------------------------------------------------------

#: Every qualifier but the elided ones ("près d'"), which only stand before "un": in the table.
_QUALIFIERS = {
    where: tuple(p for p in phrases if not p.endswith("'"))
    for where, phrases in qualifier_texts().items()
}
_MASS = {"kg": Decimal(1), "kgs": Decimal(1), "kilos": Decimal(1), "kilogrammes": Decimal(1),
         "t": Decimal(1000), "tonnes": Decimal(1000), "MT": Decimal(1000), "mts": Decimal(1000),
         "quintals": Decimal(100), "g": Decimal("0.001"), "lbs": Decimal("0.45359237")}  # fmt: skip
_MAGNITUDE_WORDS = {
    "k": 3, "K": 3, "thousand": 3, "m": 6, "M": 6, "mn": 6, "million": 6, "millions": 6,
    "bn": 9, "billion": 9, "lakh": 5, "crore": 7, "mille": 3, "milliards": 9,
}  # fmt: skip
_CURRENCY_BEFORE = {"USD": ["$", "US$", "USD ", "US $ "], "KES": ["KES ", "Ksh ", "KShs. "]}
_CURRENCY_AFTER = {"USD": [" USD", " US dollars", " $"], "KES": [" KES", "/=", " shillings"]}


def _written(value: Decimal, style: NumberStyle, grouping: str) -> str:
    """`value` as an officer may write it: plain, grouped as the file does, or with spaces."""
    text = plain(value, style)
    whole, _, fraction = text.partition(style.decimal)
    if grouping != "none" and len(whole) > 3:
        mark = {"file": style.group, "space": " ", "nbsp": "\u00a0"}[grouping]
        groups = []
        while len(whole) > 3:
            whole, groups = whole[:-3], [whole[-3:], *groups]
        whole = mark.join([whole, *groups])
    return whole + (style.decimal + fraction if fraction else "")


def _case(text: str, how: str) -> str:
    return {"lower": text.lower(), "upper": text.upper(), "title": text.title(), "as": text}[how]


@st.composite
def decorated(draw: st.DrawFn) -> tuple[str, CellContext, Decimal, Meaning | None]:
    """A cell as an officer copies it from a story, with the figure an oracle knows."""
    style = draw(st.sampled_from([POINT_STYLE, COMMA_STYLE]))
    column = draw(st.sampled_from(["members", "pmgs", "volume_sold_t", "value_usd"]))
    grouping = draw(st.sampled_from(["none", "file", "space", "nbsp"]))
    case = draw(st.sampled_from(["lower", "upper", "title", "as"]))
    gap = draw(st.sampled_from(["", " "]))
    meaning = draw(st.sampled_from([None, *Meaning]))
    before = after = ""
    if meaning is not None:
        place = draw(st.sampled_from([Place.BEFORE, Place.AFTER]))
        phrase = draw(st.sampled_from(_QUALIFIERS[(meaning, place)]))
        if place is Place.BEFORE:
            before = _case(phrase, case) + draw(
                st.sampled_from([" ", "" if not phrase[-1].isalpha() else " "])
            )
        else:
            after = " " + _case(phrase, case) if phrase[0].isalpha() else phrase
    if column in ("members", "pmgs"):
        number = Decimal(draw(st.integers(0, 10**6)))
        word = draw(st.sampled_from(["", *COUNT_WORDS[column][:4]]))
        text = _written(number, style, grouping) + (" " + _case(word, case) if word else "")
        cell_context, truth = context(column, style), number
    else:
        cents = draw(st.integers(0, 10**6))
        number = Decimal(cents) / Decimal(10) ** draw(st.integers(0, 3))
        magnitude = draw(st.sampled_from([None, *_MAGNITUDE_WORDS]))
        factor = Decimal(10) ** _MAGNITUDE_WORDS[magnitude] if magnitude else Decimal(1)
        middle = _written(number, style, grouping) + (gap + magnitude if magnitude else "")
        gap = " " if magnitude else gap  # "5k kg", never "5kkg"
        if column == "volume_sold_t":
            unit = draw(st.sampled_from(["", *_MASS]))
            column_unit = draw(st.sampled_from(["t", "kg"]))
            kg = _MASS.get(unit, Decimal(1000) if column_unit == "t" else Decimal(1))
            truth = number * factor * kg / (Decimal(1000) if column_unit == "t" else Decimal(1))
            text = middle + (gap + unit if unit else "")
            if unit and magnitude in ("m", "M") and unit in ("t", "MT"):
                assume(False)  # "5 m t": not what anyone writes
            cell_context = context(column, style, column_unit)
        else:
            currency = draw(st.sampled_from(["USD", "KES"]))
            sign = draw(st.sampled_from(["", "before", "after"]))
            prefix = draw(st.sampled_from(_CURRENCY_BEFORE[currency])) if sign == "before" else ""
            suffix = draw(st.sampled_from(_CURRENCY_AFTER[currency])) if sign == "after" else ""
            text = prefix + middle + suffix
            truth = number * factor
            source = draw(st.sampled_from(["header", "column"])) if currency != "USD" else ""
            cell_context = context(column, style, currency, source)
    return before + text + after, cell_context, truth, meaning


def _ceiling(truth: Decimal, context_: CellContext) -> bool:
    if context_.column == "value_usd" and context_.unit != "USD":
        return True  # checked in US$, after conversion with the file's rates
    tonnes = Decimal("0.001") if context_.unit == "kg" else Decimal(1)
    return truth * tonnes <= CEILINGS[context_.column]


@settings(max_examples=examples(400), deadline=None)
@given(decorated())
@example(("over 103 million kilogrammes", context("volume_sold_t"), Decimal(103000), L))
def test_every_decorated_figure_is_suggested_exactly_in_the_columns_unit(
    case: tuple[str, CellContext, Decimal, Meaning | None],
) -> None:
    text, cell_context, truth, meaning = case
    got = suggest(text, cell_context)
    if "billion" in text.lower() and FRENCH_WORDS & set(phrase_key(text).split()):
        assert got.write == "" and "10^12" in got.reason  # French "billion" is 10^12
        return
    if not _ceiling(truth, cell_context):
        assert got.write == "" and "above the most" in got.reason
        return
    assert got.value == truth, (text, got.reason)
    assert got.meaning == meaning, (text, got.reason)
    fmt = COMMA if cell_context.style is COMMA_STYLE else POINT
    assert parse_number(got.write, fmt) == float(truth)
    assert read_number(got.write, cell_context.style).values == (truth,)


@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=40), st.sampled_from(["members", "pmgs", "volume_sold_t", "value_usd"]))
def test_any_text_gives_a_suggestion_that_reads_back_or_a_reason(text: str, column: str) -> None:
    got = suggest(text, context(column))
    assert got.reason
    if got.ok and got.write != "n/a":
        assert got.value is not None and got.value >= 0
        assert parse_number(got.write, POINT) == float(got.value)


@settings(max_examples=examples(200), deadline=None)
@given(
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    st.sampled_from([" and ", " et ", ", ", " or ", " to ", " - ", "; ", " groups and ", " + "]),
    st.sampled_from(["members", "volume_sold_t", "value_usd"]),
)
def test_two_numbers_in_one_cell_never_give_one_suggestion(
    first: int, second: int, joiner: str, column: str
) -> None:
    text = f"{first:,}{joiner}{second}"
    assume(not (joiner == ", " and len(str(second)) == 3))  # "1, 234" is not two numbers
    got = suggest(text, context(column))
    assert got.write == "", (text, got.reason)


@settings(max_examples=examples(100), deadline=None)
@given(
    st.decimals(min_value=0, max_value=999, places=1),
    st.sampled_from(sorted(MAGNITUDES)),
    st.sampled_from(["members", "pmgs", "target_households"]),
)
def test_a_count_written_with_a_magnitude_is_a_rounded_figure(
    number: Decimal, word: str, column: str
) -> None:
    got = suggest(f"{number}{word}" if len(word) < 3 else f"{number} {word}", context(column))
    assert got.write == ""


@pytest.mark.parametrize("unit", sorted(LOOSE_UNITS))
def test_units_with_no_fixed_weight_are_never_converted(unit: str) -> None:
    assert suggest(f"12 {unit}", context("volume_sold_t")).write == ""


def test_every_qualifier_reads_as_what_it_means() -> None:
    for (meaning, place), phrases in _QUALIFIERS.items():
        for phrase in phrases:
            text = f"{phrase} 40" if place is Place.BEFORE else f"40 {phrase}"
            got = suggest(text, context("members"))
            assert (got.write, got.meaning) == ("40", meaning), (text, got.reason)
            assert phrase_key(phrase)  # every phrase has a key the tokeniser can match


def test_spelled_numbers_spell_one_number_each() -> None:
    table = spelled_numbers()
    assert {number for number, _ in table.values()} == set(range(1000))
    assert ("sept",) not in table and ("cent",) not in table  # September, a US cent
    for words, number in (
        (("nine", "hundred", "and", "ninety", "nine"), 999),
        (("quatre", "vingt", "dix", "sept"), 97),
        (("septante", "deux"), 72),
        (("mia", "tisa", "na", "tisini", "na", "tisa"), 999),
    ):
        assert table[words][0] == number


@settings(max_examples=examples(100), deadline=None)
@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
    st.sampled_from(
        [
            "%Y-%m-%d",
            "%Y-%m-%d 00:00:00",
            "%d/%m/%Y",
            "%m/%d/%y",
            "%d-%b",
            "%b-%y",
            "%d-%b-%y",
            "%d %B %Y",
            "%d.%m.%Y",
        ]
    ),
    st.sampled_from(["members", "pmgs", "volume_sold_t", "value_usd"]),
)
def test_a_date_in_a_figure_cell_is_named_a_date_and_never_suggested(
    day: date, form: str, column: str
) -> None:
    """A spreadsheet makes a date of a figure typed like 4/12; the cell then holds a date,
    read from a workbook as 2004-04-12 or written to CSV in the cell's date format."""
    text = day.strftime(form)
    got = suggest(text, context(column))
    assert got.write == "" and "is a date" in got.reason, (text, got.reason)


@settings(max_examples=examples(100), deadline=None)
@given(st.text(max_size=20), st.sampled_from(["members", "volume_sold_t", "value_usd"]))
def test_the_text_mark_before_a_cell_changes_no_suggestion(text: str, column: str) -> None:
    """'447 is Excel's text mark before 447: the suggestion is the one for 447, or none."""
    marked = suggest(f"'{text}", context(column))
    if marked.ok:
        plain_ = suggest(text, context(column))
        assert (marked.write, marked.value) == (plain_.write, plain_.value)
        assert "apostrophe" in marked.reason
