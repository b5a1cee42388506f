"""Languages of the briefs: gettext catalogs managed with Babel (`make translations`).

English is the source language: its text is in the code and templates. Other languages
live in pipeline/locales/<lang>/LC_MESSAGES/messages.po, compiled to messages.mo.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from babel.support import Translations

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
#: Languages a brief can be written in: English, and every catalog shipped.
LANGUAGES = (SOURCE_LANGUAGE, "fr")
#: Languages that are translations of the English source.
TRANSLATIONS = tuple(lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE)


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
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of `lang`; English needs none."""
    if check_language(lang) == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    with (LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as handle:
        return Translations(handle, domain=DOMAIN)
