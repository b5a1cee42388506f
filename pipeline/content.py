"""Read the human-edited programme and narrative content from data/raw (YAML and Markdown)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup


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


def read_programme(path: Path) -> Programme:
    """Read and check programme.yaml."""
    if not path.is_file():
        raise ContentError(f"{path.name} is missing from {path.parent}: every brief needs it.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path.name} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ContentError(f"{path.name} must be a mapping of keys to values.")
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
        period_label=str(_require(period, "label", path)),
        period_start=str(_require(period, "start", path)),
        period_end=str(_require(period, "end", path)),
        author=str(_require(data, "author", path)),
        source=str(_require(data, "source", path)),
        sections=sections,
        published=_published(data.get("published"), str(period["end"]), path),
    )


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


def read_narrative(path: Path) -> Markup | None:
    """A country's own narrative (data/raw/<country>.md), if there is one."""
    if not path.is_file():
        return None
    try:
        return markdown_html(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise ContentError(f"{path.name} is not UTF-8 text; save it as UTF-8.") from None
