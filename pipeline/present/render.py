"""Render a brief: matplotlib figures to SVG data URIs, HTML to PDF bytes with WeasyPrint."""

from __future__ import annotations

import base64
import io
import logging
import os
import re
import unicodedata
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from html import unescape
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure

from pipeline import config

with warnings.catch_warnings():
    # Without the optional system library WeasyPrint subsets fonts with fontTools instead:
    # same PDF, only slower. It says so at import and per font; we say it once, in the README.
    warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
    from weasyprint import CSS, HTML, Attachment
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from pipeline.present.charts import STYLE


class _QuietSubsetFallback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Using fontTools instead of HarfBuzz-Subset")


logging.getLogger("weasyprint").addFilter(_QuietSubsetFallback())


class RenderError(RuntimeError):
    """A brief could not be rendered; the message says why."""


class OwnAssetsOnly(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """Fetch only the data: URIs we generated and our shipped font files; refuse file:,
    http(s): and everything else."""

    def __init__(self, fonts: Sequence[Path] = ()) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=True)
        #: exactly these files, by URL: the stylesheet's @font-face sources
        self.fonts = {path.resolve().as_uri(): path for path in fonts}

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Serve data: URIs and our fonts; fail the whole brief for anything else."""
        if url in self.fonts:
            return URLFetcherResponse(url, self.fonts[url].read_bytes())
        if not url.startswith("data:"):
            raise FatalURLFetchingError(
                f"Refused to fetch {url[:80]!r}: briefs embed only their own generated charts."
            )
        return super().fetch(url, headers)


def shipped_fonts(templates: Path) -> list[Path]:
    """The font files shipped with the templates (templates/fonts)."""
    return sorted(
        p for p in (templates / config.FONTS_FOLDER).glob("*") if p.suffix in config.FONT_SUFFIXES
    )


#: matplotlib's family names → the stylesheet's @font-face names of the same shipped files, so
#: that chart text is set in the document's own fonts (templates/brief.css).
CHART_FONT_FAMILIES = {
    "DejaVu Sans": "Briefs Sans",
    "Noto Sans Ethiopic": "Briefs Ethiopic",
    "Noto Sans Arabic": "Briefs Arabic",
    "Noto Sans CJK JP": "Briefs Fullwidth",
    "Noto Emoji": "Briefs Emoji",
}


def figure_data_uri(figure: Figure) -> str:
    """A figure as an SVG data: URI whose text stays text, byte-stable for the same figure."""
    return svg_data_uri(figure_svg(figure))


def svg_data_uri(svg: str) -> str:
    """An SVG document as a data: URI."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def figure_svg(figure: Figure) -> str:
    """A figure as an SVG document whose text stays text, byte-stable for the same figure.

    Vector and with real text: crisp in print, selectable and searchable in the PDF, read by
    screen readers, and a third of a PNG chart's size. matplotlib lays the text out with the
    same shipped font files the stylesheet declares; only the family names are swapped.
    """
    svg = _svg(figure, STYLE)
    # WeasyPrint sets SVG text letter by letter, left to right, with no shaping: Arabic would
    # print unjoined and reversed, a mark apart from its letter. matplotlib shapes such text
    # itself (libraqm), so a chart holding any of it carries its text as outlines instead.
    if any(needs_shaping(unescape(text)) for text in _SVG_TEXT.findall(svg)):
        svg = _svg(figure, {**STYLE, "svg.fonttype": "path"})
    return _document_fonts(svg)


def _svg(figure: Figure, style: dict[Any, Any]) -> str:
    buffer = io.StringIO()
    with mpl.rc_context(style):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


#: The content of each text element of a matplotlib SVG (its text is never nested).
_SVG_TEXT = re.compile(r"<text\b[^>]*>([^<]*)</text>")


def needs_shaping(text: str) -> bool:
    """True when some of the text is written right to left, or is a combining mark (a vowel
    sign, an accent typed apart from its letter): text a renderer must shape, not only place
    letter by letter."""
    return any(
        unicodedata.bidirectional(c) in ("R", "AL") or unicodedata.category(c).startswith("M")
        for c in text
    )


def _document_fonts(svg: str) -> str:
    """The SVG with its font families named as the stylesheet names them."""
    for family, ours in CHART_FONT_FAMILIES.items():
        svg = svg.replace(f"'{family}'", f"'{ours}'")
    # The stylesheet's "Briefs Sans" is DejaVu Sans Condensed itself: no stretch to apply.
    return svg.replace(" font-stretch: condensed;", "")


@contextmanager
def _source_date_epoch(stamp: datetime) -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH while writing: fontTools stamps subset fonts with it, else the clock."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


@dataclass(frozen=True)
class EmbeddedFile:
    """A file carried inside the PDF (PDF/A-3 associated file)."""

    name: str
    data: bytes
    description: str
    relationship: str = "Data"  #: ISO 32000-2 AFRelationship: Data, Source, Supplement…


@dataclass(frozen=True)
class Pdf:
    """A rendered PDF and its page count."""

    data: bytes
    pages: int


@cache
def _styles(templates: Path, stylesheet: str) -> tuple[OwnAssetsOnly, CSS, FontConfiguration]:
    """The parsed stylesheet with its fonts loaded: once per process for each stylesheet text,
    not once per brief (the same bytes come out; tests/test_reproducible.py checks it)."""
    fetcher = OwnAssetsOnly(shipped_fonts(templates))
    fonts = FontConfiguration()
    css = CSS(
        string=stylesheet,
        base_url=templates.as_uri() + "/",
        url_fetcher=fetcher,
        font_config=fonts,
    )
    return fetcher, css, fonts


def html_to_pdf(
    html: str,
    templates: Path,
    max_pages: int,
    files: Sequence[EmbeddedFile] = (),
    date: datetime | None = None,
) -> Pdf:
    """Lay out and write a PDF (tagged, PDF/A-3a) styled by templates/brief.css.

    The HTML has no base URL; the fetcher serves only data: URIs and the shipped fonts the
    stylesheet names. `date` stamps the embedded files; without it WeasyPrint uses the clock.
    """
    stylesheet = (templates / config.STYLESHEET).read_text(encoding="utf-8")
    fetcher, css, fonts = _styles(templates.resolve(), stylesheet)
    document = HTML(string=html, url_fetcher=fetcher).render(
        stylesheets=[css], pdf_tags=True, font_config=fonts
    )
    if len(document.pages) > max_pages:
        raise RenderError(
            f"The brief would have {len(document.pages)} pages; the limit is {max_pages}."
        )
    stamp = date or datetime(1970, 1, 1, tzinfo=UTC)
    attachments = [
        Attachment(
            string=f.data,
            name=f.name,
            description=f.description,
            created=stamp,
            modified=stamp,
            relationship=f.relationship,
            url_fetcher=fetcher,
        )
        for f in files
    ]
    with _source_date_epoch(stamp):
        data = document.write_pdf(pdf_variant="pdf/a-3a", pdf_tags=True, attachments=attachments)
    return Pdf(data, len(document.pages))
