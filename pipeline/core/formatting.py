"""Locale-aware formatting of numbers, money and percentages (CLDR rules, via Babel)."""

from __future__ import annotations

import gettext
import math
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, format_decimal, get_currency_name, parse_pattern

from pipeline.core.countries import Country
from pipeline.core.figure import Figure
from pipeline.core.i18n import bcp47, language_of, translations
from pipeline.core.places import in_country
from pipeline.core.registry import INDICATORS, Unit, share_decimals

NOT_REPORTED = "–"

#: FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE (Unicode bidi, UAX #9): invisible.
FSI, PDI = "\u2068", "\u2069"


def isolated(name: object) -> str:
    """A user-supplied name set apart for a sentence: its own direction, not the sentence's.

    Without the isolates an Arabic territory name in an English sentence carries the figures
    after it into its right-to-left run ("(%9)" printed on the wrong side).
    """
    return f"{FSI}{name}{PDI}"


@cache
def _locale(tag: str) -> Locale:
    """The CLDR data of `tag`, read once per process."""
    return Locale.parse(tag)


@cache
def _pattern(text: str) -> NumberPattern:
    """A CLDR number pattern, parsed once per process.

    `format_decimal`, `format_percent` and `format_currency` parse their locale and pattern on
    every call, then apply the pattern: three quarters of their time. A brief formats tens of
    thousands of figures (the lineage table of a large country), always with a few patterns;
    applying a parsed pattern as those functions do gives the same text
    (tests/test_formatting.py checks it)."""
    return parse_pattern(text)


def _missing(value: float | None) -> bool:
    """None or NaN: not reported."""
    return value is None or (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class Formatter:
    """Words and figures in one language: gettext for text, CLDR rules (Babel) for numbers.

    A missing figure always prints as an en dash.
    """

    locale: str = "en"  #: a CLDR locale: "en", "fr", "es_GT"
    catalog: gettext.NullTranslations = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "catalog", translations(self.locale))

    @property
    def language(self) -> str:
        """The language of the text: "es" for es_GT."""
        return language_of(self.locale)

    @property
    def tag(self) -> str:
        """The locale as HTML's lang and the PDF's /Lang write it: "es-GT"."""
        return bcp47(self.locale)

    def _(self, message: str) -> str:
        """`message` in this language (English where the catalog has no translation)."""
        return self.catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural form for `n`, in this language."""
        return self.catalog.ngettext(singular, plural, n)

    def country_name(self, country: Country) -> str:
        """The country's name in this language (CLDR), its ISO name in English."""
        if self.language == "en":
            return country.name
        return str(_locale(self.locale).territories.get(country.alpha_2, country.name))

    def in_country(self, country: Country) -> str:
        """The country as a place, in this language: "in Kenya", "au Kenya", "en Ouganda"."""
        return in_country(self.country_name(country), country.alpha_2, self.language)

    def currency_name(self, code: str) -> str:
        """The currency's name in this language (CLDR): "Kenyan Shilling", "shilling kényan"."""
        return str(get_currency_name(code, locale=self.locale))

    def plain(self, value: float) -> str:
        """A number with the decimals it has, up to three, in this language: a rate (79.17)."""
        return format_decimal(value, locale=self.locale)

    def date(self, value: date) -> str:
        """31 October 2004, or 31 octobre 2004."""
        return format_date(value, format="long", locale=self.locale)

    def number(self, value: float | None, decimals: int = 0) -> str:
        """1,234 or 3.5 with exactly `decimals` decimals."""
        if value is None or _missing(value):
            return NOT_REPORTED
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return str(_pattern(pattern).apply(value, _locale(self.locale)))

    def usd(self, value: float | None, decimals: int = 0) -> str:
        """US$140,653 (the locale decides where the symbol goes)."""
        if value is None or _missing(value):
            return NOT_REPORTED
        locale = _locale(self.locale)
        standard = locale.currency_formats["standard"].pattern
        pattern = standard.split(";")[0].replace(".00", "." + "0" * decimals if decimals else "")
        text = str(_pattern(pattern).apply(value, locale, currency="USD", currency_digits=False))
        # English CLDR writes a bare "$"; donors read several currencies, so say US$.
        return text.replace("$", "US$", 1) if "US" not in text else text

    def figure(self, figure: Figure, bare: bool = False) -> str:
        """A figure written with its own precision and its unit ("US$140,653", "32.0 t",
        "43%"); `bare` leaves out a unit that a table's column heading already gives."""
        return self.value(figure.indicator, figure.value, figure.decimals, bare)

    def value(self, indicator: str, value: float | None, decimals: int, bare: bool = False) -> str:
        """A value of `indicator` in its unit (the registry's) with `decimals` decimals.

        Money and shares carry their sign in every form ("US$", "%"), except a value of sales
        under a heading that gives its unit (`bare`).
        """
        unit = INDICATORS[indicator].unit
        if unit is Unit.SHARE:
            return self.percent(value, decimals)
        if unit in (Unit.USD_PER_MEMBER, Unit.USD_PER_TONNE) or (unit is Unit.USD and not bare):
            return self.usd(value, decimals)
        number = self.number(value, decimals)
        if unit is Unit.TONNES and not bare and number != NOT_REPORTED:
            return f"{number} t"
        return number

    def percent(self, value: float | None, decimals: int | None = None) -> str:
        """43% in English, 43 % in French: the locale's own percent pattern. Unless told, as
        many decimals as keep a share from reading as 0% or 100% when it is neither
        (registry.share_decimals): "99.7% of target", never "100%"."""
        if value is None or _missing(value):
            return NOT_REPORTED
        if decimals is None:
            decimals = share_decimals(value)
        locale = _locale(self.locale)
        standard = locale.percent_formats[None].pattern.split(";")[0]
        pattern = standard.replace("#,##0", "#,##0" + ("." + "0" * decimals if decimals else ""))
        return str(_pattern(pattern).apply(value, locale))
