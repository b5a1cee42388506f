"""Numbers, money and percentages are written exactly as Babel's own functions write them:
the formatter parses each locale and pattern once, then applies it (pipeline/core/formatting.py)."""

from __future__ import annotations

from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.formatting import Formatter

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
