"""Read the human-edited programme and narrative content from data/raw (YAML and Markdown)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from babel.dates import format_skeleton
from markdown_it import MarkdownIt
from markupsafe import Markup

from pipeline.core.countries import UnknownCountry, resolve_country
from pipeline.core.i18n import UnknownLanguage, check_language


class ContentError(ValueError):
    """The programme file is missing or malformed; the message says what to fix."""


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
    """data/raw/settings.yaml: the reporting language of each country."""

    default_language: str = "en"
    languages: dict[str, str] = field(default_factory=dict)  #: ISO alpha-3 → language

    def language(self, alpha_3: str) -> str:
        """The language a country's brief is written in."""
        return self.languages.get(alpha_3, self.default_language)


def _markdown() -> MarkdownIt:
    # Raw HTML, links and images are off: narrative text can never fetch or point anywhere.
    md = MarkdownIt("commonmark", {"html": False})
    md.disable(["link", "image", "autolink", "html_inline", "html_block"])
    return md


_MD = _markdown()


def markdown_html(text: str, heading_offset: int = 2) -> Markup:
    """Render Markdown to HTML, demoting headings by `heading_offset` levels."""
    tokens = _MD.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + heading_offset)}"
    return Markup(_MD.renderer.render(tokens, _MD.options, {}))


def _require(data: dict, key: str, path: Path) -> object:
    if key not in data or data[key] in (None, ""):
        raise ContentError(f'{path.name}: the key "{key}" is missing. Add it; see the README.')
    return data[key]


def _yaml_mapping(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path.name} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ContentError(f"{path.name} must be a mapping of keys to values.")
    return data


def translated_path(path: Path, lang: str) -> Path:
    """programme.yaml → programme.fr.yaml; kenya.md → kenya.fr.md."""
    return path.with_name(f"{path.stem}.{lang}{path.suffix}")


def read_programme(path: Path, lang: str = "en") -> Programme:
    """Read and check programme.yaml, with programme.<lang>.yaml over it where it exists.

    A translation may give any of the keys; those it leaves out stay in English.
    """
    if not path.is_file():
        raise ContentError(f"{path.name} is missing from {path.parent}: every brief needs it.")
    data = _yaml_mapping(path)
    overlay = {}
    if lang != "en" and translated_path(path, lang).is_file():
        overlay = _yaml_mapping(translated_path(path, lang))
    period_overlay: dict[str, Any] = (
        overlay["period"] if isinstance(overlay.get("period"), dict) else {}
    )
    if isinstance(data.get("period"), dict):
        overlay["period"] = {**data["period"], **period_overlay}
    sections_fallback = lang != "en" and "sections" not in overlay
    data = {**data, **overlay}
    partners = _require(data, "partners", path)
    period = _require(data, "period", path)
    if not isinstance(partners, list) or not isinstance(period, dict):
        raise ContentError(f"{path.name}: partners must be a list and period a mapping.")
    sections = tuple(
        Section(str(_require(s, "title", path)), markdown_html(str(_require(s, "body", path))))
        for s in data.get("sections") or []
    )
    return Programme(
        name=str(_require(data, "name", path)),
        short_name=str(data.get("short_name") or data["name"]),
        partners=tuple(str(p["name"]) for p in partners),
        partners_short=tuple(str(p.get("short") or p["name"]) for p in partners),
        period_label=(
            _month_range(str(period["start"]), str(period["end"]), lang)
            if lang != "en" and "label" not in period_overlay
            else str(_require(period, "label", path))
        ),
        period_start=str(_require(period, "start", path)),
        period_end=str(_require(period, "end", path)),
        author=str(_require(data, "author", path)),
        source=str(_require(data, "source", path)),
        sections=sections,
        published=_published(data.get("published"), str(period["end"]), path),
        language=lang,
        sections_fallback=sections_fallback and bool(sections),
    )


def _month_range(start: str, end: str, lang: str) -> str:
    """ "mars 2003 – octobre 2004": the period in `lang`, when no translated label is given."""
    try:
        first, last = (date.fromisoformat(f"{m[:7]}-01") for m in (start, end))
    except ValueError:
        return f"{start} – {end}"
    return " – ".join(format_skeleton("yMMMM", d, locale=lang) for d in (first, last))


def _published(value: object, period_end: str, path: Path) -> date:
    """The `published` date, else the first day of the period's last month."""
    if isinstance(value, date):
        return value
    text = str(value) if value else period_end
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
        html = markdown_html(chosen.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise ContentError(f"{chosen.name} is not UTF-8 text; save it as UTF-8.") from None
    return Narrative(html, fallback=lang != "en" and chosen == path)


def read_settings(path: Path, languages: tuple[str, ...]) -> Settings:
    """Read settings.yaml; without the file every brief is in English."""
    if not path.is_file():
        return Settings()
    data = _yaml_mapping(path)
    default = str(data.get("default_language") or "en")
    chosen: dict[str, str] = {}
    for name, lang in (data.get("languages") or {}).items():
        try:
            alpha_3 = resolve_country(str(name)).alpha_3
        except UnknownCountry as exc:
            raise ContentError(f"{path.name}, languages: {exc}") from None
        chosen[alpha_3] = str(lang)
    for lang in (default, *chosen.values()):
        try:
            check_language(lang, languages)
        except UnknownLanguage as exc:
            raise ContentError(f"{path.name}: {exc}") from None
    return Settings(default, chosen)
