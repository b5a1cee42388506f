"""Numbers, money and percentages are written exactly as Babel's own functions write them:
the formatter parses each locale and pattern once, then applies it (pipeline/core/formatting.py)."""

from __future__ import annotations

from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.formatting import Formatter
from pipeline.core.registry import INDICATORS, Unit, decimals

from .tier import examples

#: Languages of the editions, with regions whose CLDR data differ from their language's.
LOCALES = ("en", "fr", "es", "pt", "es_GT", "fr_CH", "pt_MZ", "en_KE", "en_IN", "es_419")

VALUES = st.floats(-1e13, 1e13, allow_nan=False) | st.integers(-(10**12), 10**12)


def _decimals(decimals: int) -> str:
    return "." + "0" * decimals if decimals else ""


@settings(max_examples=examples(300), deadline=None)
@given(locale=st.sampled_from(LOCALES), value=VALUES, decimals=st.integers(0, 3))
def test_each_form_is_babels_own(locale: str, value: float, decimals: int) -> None:
    fmt, data = Formatter(locale), Locale.parse(locale)
    number = format_decimal(value, format="#,##0" + _decimals(decimals), locale=locale)
    assert fmt.number(value, decimals) == number
    money = data.currency_formats["standard"].pattern.split(";")[0]
    money = money.replace(".00", _decimals(decimals))
    usd = format_currency(value, "USD", format=money, locale=locale, currency_digits=False)
    assert fmt.usd(value, decimals) == (usd.replace("$", "US$", 1) if "US" not in usd else usd)
    share = data.percent_formats[None].pattern.split(";")[0]
    share = share.replace("#,##0", "#,##0" + _decimals(decimals))
    assert fmt.percent(value, decimals) == format_percent(value, format=share, locale=locale)


def _read_back(text: str) -> float:
    """The number an English reader sees in a written figure ("US$0.40", "99.7%", "0.004 t")."""
    return float(text.replace("US$", "").replace("%", "").removesuffix(" t").replace(",", ""))


MAGNITUDES = st.floats(1e-6, 1e9) | st.floats(0.9, 1.1)  # tiny, huge, and around 100%


@settings(max_examples=examples(400), deadline=None)
@given(name=st.sampled_from(sorted(INDICATORS)), size=MAGNITUDES, negative=st.booleans())
def test_a_figure_never_reads_as_a_bound_it_is_not(name: str, size: float, negative: bool) -> None:
    """A figure that is not zero is never written as 0 ("US$0 per tonne"), and a share short of
    all, or past it, is never written as 100%: the precision rule adds the decimals needed."""
    value = -size if negative else size
    written = Formatter("en").value(name, value, decimals(name, value))
    shown = _read_back(written)
    assert shown != 0, written
    if INDICATORS[name].unit is Unit.SHARE and abs(value) != 1:
        assert abs(shown) != 100, written


@settings(max_examples=examples(300), deadline=None)
@given(share=MAGNITUDES)
def test_a_target_achieved_never_reads_as_0_or_100_percent_when_it_is_not(share: float) -> None:
    """ "99.7% of target", never "100%": fmt.percent's own decimals, where no figure gives them."""
    shown = _read_back(Formatter("en").percent(share))
    assert shown != 0 and (share == 1 or shown != 100)
    assert Formatter("en").percent(0.43) == "43%" and Formatter("en").percent(1) == "100%"
