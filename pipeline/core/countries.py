"""Resolve a file name to a country with pycountry, and make safe slugs from it."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pycountry

from pipeline.core.names import fold


@dataclass(frozen=True)
class Country:
    """A resolved country: ISO codes, display name and the slug used for output files."""

    alpha_2: str
    alpha_3: str
    name: str

    @property
    def slug(self) -> str:
        """Lower-case ASCII file name stem, e.g. 'cote-d-ivoire'; never contains a path."""
        return slugify(self.name)


class UnknownCountry(ValueError):
    """A file name that names no country; carries the closest names."""

    def __init__(self, stem: str, suggestions: list[str]) -> None:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f'"{stem}" is not a country name or ISO code.{hint}')
        self.stem = stem
        self.suggestions = suggestions


def slugify(text: str) -> str:
    """ASCII slug of letters, digits and single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _display_name(record: object) -> str:
    return str(getattr(record, "common_name", None) or record.name)  # type: ignore[attr-defined]


@cache
def _index() -> dict[str, Country]:
    """Every folded name and code of every country, mapped to the country."""
    index: dict[str, Country] = {}
    for record in pycountry.countries:
        country = Country(record.alpha_2, record.alpha_3, _display_name(record))
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(record, attr, None)
            if value:
                index.setdefault(fold(value), country)
    return index


def country_key(text: str) -> str | None:
    """The one normal form of a written country: its ISO alpha-3 code ('Kenya', 'KE', 'ken',
    'kenya' -> 'KEN'); None when it names no country. File names, Country columns and
    targets.csv are all compared through it."""
    try:
        return resolve_country(text.strip()).alpha_3 if text.strip() else None
    except UnknownCountry:
        return None


def resolve_country(stem: str) -> Country:
    """The country a file stem names ('kenya', 'KE', 'cote-d-ivoire'), or UnknownCountry."""
    key = fold(stem)
    index = _index()
    if key in index:
        return index[key]
    names = {c.name for c in index.values()}
    by_fold = {fold(n): n for n in names}
    close = difflib.get_close_matches(key, list(by_fold), n=3, cutoff=0.6)
    raise UnknownCountry(stem, [by_fold[k] for k in close])
