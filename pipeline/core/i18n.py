"""Languages of the briefs: gettext catalogs managed with Babel (`make translations`).

English is the source language: its text is in the code and templates. Other languages
live in pipeline/locales/<lang>/LC_MESSAGES/messages.po, compiled to messages.mo.

A country's brief comes in one edition per language (settings.yaml, `--lang`): the first is
its main edition, `<country>.pdf`; the others are `<country>.<lang>.pdf`. An edition's
language may carry a region (`es-GT`, `pt-MZ`) that sets CLDR's number and currency formats;
a bare language takes the country's own region where CLDR has one (Spanish in Guatemala is
`es_GT`).
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
#: Languages a brief can be written in: English, and every catalog shipped.
LANGUAGES = (SOURCE_LANGUAGE, "fr", "es", "pt")
#: Languages that are translations of the English source.
TRANSLATIONS = tuple(lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE)

#: A language, and optionally its region: "es", "es-GT", "pt_MZ" (case ignored).
_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}|[0-9]{3}))?$")


class UnknownLanguage(ValueError):
    """A language we have no catalog for; the message lists the ones we have."""


def check_language(lang: str, languages: tuple[str, ...] = LANGUAGES) -> str:
    """`lang` if briefs can be written in it, else UnknownLanguage naming the choices."""
    if lang not in languages:
        raise UnknownLanguage(
            f'"{lang}" is not a language the briefs are written in; use one of '
            f"{', '.join(languages)}."
        )
    return lang


@cache
def _cldr_locales() -> frozenset[str]:
    from babel.localedata import locale_identifiers

    return frozenset(locale_identifiers())


def split_tag(tag: str, languages: tuple[str, ...] = LANGUAGES) -> tuple[str, str | None]:
    """ "es-GT" -> ("es", "GT"); "fr" -> ("fr", None); UnknownLanguage for anything else,
    or for a region CLDR does not know for that language."""
    match = _TAG.match(tag.strip())
    if match is None:
        check_language(tag, languages)  # names the choices
        raise UnknownLanguage(f'"{tag}" is not a language')  # pragma: no cover (raised above)
    language, region = match.group(1).lower(), match.group(2)
    check_language(language, languages)
    if region is not None:
        region = region.upper()
        if f"{language}_{region}" not in _cldr_locales():
            raise UnknownLanguage(
                f'"{tag}": CLDR has no number and currency formats for {language} in {region}; '
                f'write "{language}" alone, or a region CLDR knows ("es-GT", "pt-MZ").'
            )
    return language, region


def cldr_locale(tag: str, alpha_2: str | None = None) -> str:
    """The CLDR locale of an edition: its own region, else the country's where CLDR has
    one for the language, else the bare language ("es" in Guatemala -> "es_GT")."""
    language, region = split_tag(tag)
    if region is not None:
        return f"{language}_{region}"
    if alpha_2 and f"{language}_{alpha_2}" in _cldr_locales():
        return f"{language}_{alpha_2}"
    return language


def language_of(locale: str) -> str:
    """The language of a CLDR locale or tag: "es_GT" -> "es"."""
    return re.split(r"[-_]", locale, maxsplit=1)[0].lower()


def bcp47(locale: str) -> str:
    """A CLDR locale as HTML and PDF write a language: "es_GT" -> "es-GT"."""
    return locale.replace("_", "-")


@dataclass(frozen=True)
class Edition:
    """One language edition of a country's brief."""

    tag: str  #: as settings.yaml or --lang write it: "fr", "es-GT"
    locale: str  #: its CLDR locale: "fr_KE", "es_GT", "pt"
    main: bool = True  #: the main edition is <country>.pdf; the others <country>.<lang>.pdf

    @property
    def language(self) -> str:
        """The edition's language: its catalog and programme text."""
        return language_of(self.tag)

    def stem(self, slug: str) -> str:
        """kenya (the main edition) or kenya.fr."""
        return slug if self.main else f"{slug}.{self.language}"


def editions(tags: list[str] | tuple[str, ...], alpha_2: str | None = None) -> list[Edition]:
    """The editions of `tags` in order, the first the main one; a language given twice
    (as `--lang` may add one settings.yaml already lists) counts once, at its first place."""
    chosen: list[Edition] = []
    for tag in tags:
        if any(e.language == language_of(tag) for e in chosen):
            continue
        chosen.append(Edition(tag, cldr_locale(tag, alpha_2), main=not chosen))
    return chosen


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of `lang` (a language or a locale: "es_GT" reads es); English
    needs none."""
    language = check_language(language_of(lang))
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    from babel.support import Translations  # here: a run with nothing to do needs no Babel

    with (LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as handle:
        return Translations(handle, domain=DOMAIN)
