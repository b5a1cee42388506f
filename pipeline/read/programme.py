"""Read the human-edited programme and narrative content from data/raw (YAML and Markdown)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from babel.dates import format_skeleton
from markdown_it import MarkdownIt
from markupsafe import Markup

from pipeline.config import translated_path
from pipeline.core.countries import UnknownCountry, resolve_country
from pipeline.core.glyphs import script_names, unprintable
from pipeline.core.i18n import UnknownLanguage, language_of, split_tag
from pipeline.read.content_files import (
    ContentError,
    ProgrammeFile,
    SettingsFile,
    bounded_bytes,
    checked,
    yaml_mapping,
)


@dataclass(frozen=True)
class Section:
    """A narrative section: a title and its body rendered from Markdown to safe HTML."""

    title: str
    html: Markup


@dataclass(frozen=True)
class Programme:
    """Programme context shared by every brief."""

    name: str
    short_name: str
    partners: tuple[str, ...]
    partners_short: tuple[str, ...]
    period_label: str
    period_start: str
    period_end: str
    author: str
    source: str
    sections: tuple[Section, ...]
    published: date  #: stamps every output; never the clock, so builds are reproducible
    language: str = "en"
    #: True when the sections had no translation in `language` and are shown in English
    sections_fallback: bool = False


@dataclass(frozen=True)
class Narrative:
    """A country's own narrative, and whether it is the English text standing in."""

    html: Markup
    fallback: bool = False


@dataclass(frozen=True)
class Settings:
    """data/raw/settings.yaml: the languages of each country's editions, main one first."""

    default_language: str = "en"
    #: ISO alpha-3 → the languages of its editions, as written ("fr", "es-GT"), main first
    languages: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: the overview's languages, main first; empty: the default language alone
    overview_languages: tuple[str, ...] = ()
    #: the ages "youth" means (youth_age, "15-35" by default): the data notes say them (#26)
    youth_age: tuple[int, int] = (15, 35)
    #: counts below this are left out of the open data (min_cell_count); 0: all published
    min_cell_count: int = 0

    def editions(self, alpha_3: str) -> tuple[str, ...]:
        """The languages a country's editions are written in, its main edition's first."""
        return self.languages.get(alpha_3, (self.default_language,))

    def language(self, alpha_3: str) -> str:
        """The language of a country's main edition."""
        return language_of(self.editions(alpha_3)[0])

    def overview(self) -> tuple[str, ...]:
        """The languages of the overview's editions, its main edition's first."""
        return self.overview_languages or (self.default_language,)


def _markdown() -> MarkdownIt:
    # Raw HTML, links and images are off: narrative text can never fetch or point anywhere.
    md = MarkdownIt("commonmark", {"html": False})
    md.disable(["link", "image", "autolink", "html_inline", "html_block"])
    return md


_MD = _markdown()


@functools.lru_cache(maxsize=256)
def markdown_html(text: str, heading_offset: int = 2) -> Markup:
    """Render Markdown to HTML, demoting headings by `heading_offset` levels.

    Kept per text: each edition of each run reads the same sections again, and Markup is
    immutable, so every caller may share one."""
    tokens = _MD.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + heading_offset)}"
    return Markup(_MD.renderer.render(tokens, _MD.options, {}))


def read_programme(path: Path, lang: str = "en") -> Programme:
    """Read and check programme.yaml, with programme.<lang>.yaml over it where it exists.

    A translation may give any of the keys; those it leaves out stay in English. Each file is
    checked on its own, so that an error names the file it is in.
    """
    if not path.is_file():
        raise ContentError(f"{path.name} is missing from {path.parent}: every brief needs it.")
    data = yaml_mapping(path)
    content = checked(ProgrammeFile, data, path)
    overlay: dict[str, Any] = {}
    translated = translated_path(path, lang)
    if lang != "en" and translated.is_file():
        overlay = yaml_mapping(translated)
        merged = {**data, **overlay}
        if isinstance(data.get("period"), dict) and isinstance(overlay.get("period"), dict):
            merged["period"] = {**data["period"], **overlay["period"]}
        content = checked(ProgrammeFile, merged, translated)
    period_overlay: dict[str, Any] = (
        overlay["period"] if isinstance(overlay.get("period"), dict) else {}
    )
    period = content.period
    sections = tuple(Section(s.title, markdown_html(s.body)) for s in content.sections or [])
    return Programme(
        name=content.name,
        short_name=content.short_name or content.name,
        partners=tuple(p.name for p in content.partners),
        partners_short=tuple(p.short or p.name for p in content.partners),
        period_label=(
            _month_range(period.start, period.end, lang)
            if lang != "en" and "label" not in period_overlay
            else period.label
        ),
        period_start=period.start,
        period_end=period.end,
        author=content.author,
        source=content.source,
        sections=sections,
        published=_published(content.published, period.end, path),
        language=lang,
        sections_fallback=lang != "en" and "sections" not in overlay and bool(sections),
    )


def _month_range(start: str, end: str, lang: str) -> str:
    """ "mars 2003 – octobre 2004": the period in `lang`, when no translated label is given."""
    try:
        first, last = (date.fromisoformat(f"{m[:7]}-01") for m in (start, end))
    except ValueError:
        return f"{start} – {end}"
    return " – ".join(format_skeleton("yMMMM", d, locale=lang) for d in (first, last))


def _published(value: str | None, period_end: str, path: Path) -> date:
    """The `published` date, else the first day of the period's last month."""
    text = value or period_end
    try:
        return date.fromisoformat(text if len(text) > 7 else f"{text}-01")
    except ValueError:
        raise ContentError(
            f'{path.name}: "{text}" is not a date. Write published as 2004-10-31 '
            "or period end as 2004-10."
        ) from None


def build_timestamp(published: date, source_date_epoch: str | None) -> datetime:
    """When outputs say they were made: SOURCE_DATE_EPOCH if set, else the published date."""
    if source_date_epoch:
        try:
            return datetime.fromtimestamp(int(source_date_epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise ContentError(
                f"SOURCE_DATE_EPOCH={source_date_epoch!r} is not a count of seconds since 1970."
            ) from None
    return datetime(published.year, published.month, published.day, tzinfo=UTC)


def read_narrative(path: Path, lang: str = "en") -> Narrative | None:
    """A country's own narrative: data/raw/<country>.<lang>.md, else <country>.md, else None."""
    translated = translated_path(path, lang)
    chosen = translated if lang != "en" and translated.is_file() else path
    if not chosen.is_file():
        return None
    try:
        html = markdown_html(bounded_bytes(chosen).decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ContentError(f"{chosen.name} is not UTF-8 text; save it as UTF-8.") from None
    if missing := unprintable(str(html)):
        raise ContentError(
            f"{chosen.name} has characters that none of the briefs' fonts has "
            f"({script_names(missing)}: {missing[:12]}), which would print as empty boxes; "
            "write them in Latin letters."
        )
    return Narrative(html, fallback=lang != "en" and chosen == path)


def read_settings(path: Path, languages: tuple[str, ...]) -> Settings:
    """Read settings.yaml; without the file every brief is in English.

    A country's languages are a list (`Kenya: [en, fr]`) or one language (`Burundi: fr`), one
    edition each; a language given twice is an error, since it would be one file twice.
    """
    if not path.is_file():
        return Settings()
    content = checked(SettingsFile, yaml_mapping(path), path)
    chosen: dict[str, tuple[str, ...]] = {}
    for name, given in (content.languages or {}).items():
        try:
            alpha_3 = resolve_country(name).alpha_3
        except UnknownCountry as exc:
            raise ContentError(f"{path.name}, languages: {exc}") from None
        tags = (given,) if isinstance(given, str) else tuple(given)
        if not tags:
            raise ContentError(
                f"{path.name}, languages, {name}: expected a language or a list of them; "
                "found an empty list."
            )
        _check_tags(path, f"languages, {name}", tags, languages)
        chosen[alpha_3] = tags
    overview = tuple(content.overview_languages or ())
    _check_tags(path, "overview_languages", overview, languages)
    _check_tags(path, "default_language", (content.default_language,), languages)
    low, high = (int(n) for n in re.split(r"[-–]", content.youth_age))
    if low > high:
        raise ContentError(
            f"{path.name}: youth_age {content.youth_age!r} runs backwards; write it as 15-35."
        )
    return Settings(
        content.default_language, chosen, overview, (low, high), content.min_cell_count
    )


def _check_tags(path: Path, key: str, tags: tuple[str, ...], languages: tuple[str, ...]) -> None:
    """Each tag a language (with a region CLDR knows), and no language twice."""
    seen: set[str] = set()
    for tag in tags:
        try:
            language, _ = split_tag(tag, languages)
        except UnknownLanguage as exc:
            raise ContentError(f"{path.name}, {key}: {exc}") from None
        if language in seen:
            raise ContentError(
                f"{path.name}, {key}: {language} is listed twice; each language is one "
                "edition, so list it once."
            )
        seen.add(language)
