"""The web edition: a brief or the overview as one self-contained, accessible HTML file.

The page is rendered from the same template context as the PDF (the same `Figure` claims,
tables and already-drawn SVG charts), by the same templates with `web` set. Everything it
needs is inside it: the stylesheet (templates/web.css), the fonts as WOFF data: URIs, the
charts as inline SVG, the CSV files as data: links. It runs no script and fetches nothing; its
Content-Security-Policy says so to the browser.
"""

from __future__ import annotations

import base64
import csv
import io
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from pipeline import config
from pipeline.core.formatting import Formatter
from pipeline.core.glyphs import cmap
from pipeline.present.chart_sets import ChartData
from pipeline.present.templating import environment

#: The web edition's own stylesheet, inlined into every page.
WEB_STYLESHEET = "web.css"
#: Inline styles and data: images and fonts, nothing else: no script, no fetch, no frame.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
#: Where the @font-face rules go: the template writes it first in the page's <style>.
FONTS_MARK = "/*@font-face*/"

#: Each face of the page's text, as the stylesheet names it, and the shipped file that holds
#: it (the PDF's own fonts, templates/fonts). The first family is the charts' face too. The
#: browser slants these for italics: DejaVu's oblique faces are the same letters slanted, and
#: each embedded face costs bytes and a subset.
SANS = "Briefs Sans"
FACES: tuple[tuple[str, str, str], ...] = (
    (SANS, "normal", "DejaVuSansCondensed.ttf"),
    (SANS, "bold", "DejaVuSansCondensed-Bold.ttf"),
)
#: Faces for the scripts DejaVu lacks, embedded only when the page has text in them.
FALLBACK_FACES: tuple[tuple[str, str], ...] = (
    ("Briefs Ethiopic", "NotoSansEthiopic-Regular.ttf"),
    ("Briefs Arabic", "NotoSansArabic-Regular.ttf"),
    ("Briefs Fullwidth", "NotoSansCJKjp-Fullwidth-Regular.otf"),
    ("Briefs Emoji", "NotoEmoji-Regular.ttf"),
)
#: Every page's text faces carry these characters, whatever the page holds: Latin-1, Latin
#: Extended-A and the punctuation the documents write. One subset then serves every page of a
#: run written in them (made once per process), and a page that adds a letter costs one more.
BASE_TEXT = frozenset(
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0xA0, 0x180)]
    + list("–—‘’“”…•−×÷€·\u2009\u202f\u2066\u2067\u2068\u2069")
)


@dataclass(frozen=True)
class Download:
    """A file the page carries as a data: link (the CSVs the PDF carries)."""

    name: str
    data: bytes
    description: str

    @property
    def href(self) -> str:
        """The file as a data: URI."""
        return "data:text/csv;charset=utf-8;base64," + base64.b64encode(self.data).decode("ascii")

    def size(self, fmt: Formatter) -> str:
        """Its size in words the reader knows: "812 bytes", "2.4 kB"."""
        return file_size(len(self.data), fmt)


def file_size(size: int, fmt: Formatter) -> str:
    """A file's size: bytes under a kilobyte, else kilobytes (1 kB = 1,000 bytes)."""
    if size < 1000:
        return fmt.ngettext("{n} byte", "{n} bytes", size).format(n=fmt.number(size))
    return fmt._("{n} kB").format(n=fmt.number(size / 1000, 1))


def chart_csv(data: ChartData) -> bytes:
    """A chart's figures as CSV (UTF-8 with BOM, as every CSV of the project): exact values,
    empty cells where a figure is not reported, names quoted so no spreadsheet runs them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(data.names)
    for row in data.values:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value: str | float) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    # A name starting as a formula would run in Excel (as run/outputs.excel_safe says).
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


_SVG_START = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_IDS = re.compile(r'(\bid="|url\(#|xlink:href="#|href="#)([^")]+)')
_SIZE = re.compile(r'(<svg\b[^>]*?) width="[^"]*" height="[^"]*"')


def inline_svg(svg: str, prefix: str) -> Markup:
    """A chart's SVG document as an element of the page: no prolog, no metadata, its ids
    prefixed so that two charts' clip paths never meet, hidden from assistive technology (its
    figure carries the text alternative), and sized by the stylesheet."""
    body = _METADATA.sub("", _SVG_START.sub("", svg, count=1), count=1)
    body = _IDS.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", body)
    body = _SIZE.sub(r'\1 aria-hidden="true" focusable="false"', body, count=1)
    return Markup(body)


@cache
def _subset(path: Path, text: frozenset[str]) -> str:
    """The font cut to `text`'s characters, as a WOFF data: URI; once per process for each
    font and set of characters. Without layout tables: the charts were laid out without them.
    WOFF, not WOFF2: a third larger, but compressed in half the time."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM"]
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # the family's name and its licence
    font = TTFont(path, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(text)))
    # fontTools says which tables it drops; that is what we asked for.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    return "data:font/woff;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def font_faces(html: str, templates: Path) -> str:
    """@font-face rules for the faces the page needs, each cut to the characters it draws."""
    fonts = templates / config.FONTS_FOLDER
    used = frozenset(html)
    sans = cmap(fonts / FACES[0][2])
    text = frozenset(c for c in used - BASE_TEXT if ord(c) in sans) | BASE_TEXT
    rules = [_face(family, weight, _subset(fonts / file, text)) for family, weight, file in FACES]
    rest = {c for c in used if ord(c) not in sans and not c.isspace()}
    for family, file in FALLBACK_FACES:
        covered = frozenset(c for c in rest if ord(c) in cmap(fonts / file))
        if covered:
            rules.append(_face(family, "normal", _subset(fonts / file, covered)))
            rest -= covered
    return "\n".join(rules)


def _face(family: str, weight: str, src: str) -> str:
    return (
        f'@font-face {{ font-family: "{family}"; src: url({src}) format("woff"); '
        f"font-weight: {weight}; font-style: normal; font-display: swap; }}"
    )


def web_page(
    template: str,
    context: dict[str, Any],
    templates: Path,
    fmt: Formatter,
    downloads: Sequence[Download] = (),
    stem: str = "",
) -> str:
    """The page of `template` (brief.html.j2, overview.html.j2) with `web` set: its charts
    inline with their data, its files as links, its stylesheet and fonts inside it. `stem`
    starts the name of each chart's CSV ("kenya" → kenya-value_usd.csv)."""
    env = environment(templates, fmt.catalog)
    page = dict(context)
    page["charts"] = [_web_chart(c, n, stem, fmt) for n, c in enumerate(context["charts"], 1)]
    if context.get("trend_chart"):
        page["trend_chart"] = _web_chart(context["trend_chart"], 0, stem, fmt)
    web = {
        "csp": CSP,
        # Our own stylesheet, read from the templates folder.
        "css": Markup((templates / WEB_STYLESHEET).read_text(encoding="utf-8")),
        "fonts_mark": Markup(FONTS_MARK),
        "footer": Markup(css_string(context["programme"].name)),
        "page": Markup(
            f"{css_string(fmt._('Page') + ' ')} counter(page) "
            f"{css_string(' ' + fmt._('of') + ' ')} counter(pages)"
        ),
        "downloads": [
            {"name": d.name, "href": d.href, "size": d.size(fmt), "description": d.description}
            for d in downloads
        ],
    }
    html = env.get_template(template).render(page, web=web)
    return html.replace(FONTS_MARK, font_faces(html, templates), 1)


def css_string(text: str) -> str:
    """`text` as a CSS string: every character but letters, digits and spaces escaped, so
    that no name from a file can end the string, the rule or the <style> element."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'


def _web_chart(chart: dict[str, Any], number: int, stem: str, fmt: Formatter) -> dict[str, Any]:
    """The chart's context with its web parts: the SVG inline and its data as CSV."""
    data: ChartData | None = chart["data"]
    ident = f"chart-{number}" if number else "chart-trend"
    download = None
    if data is not None:
        topic = "by-period" if data.names[0] == "period" else data.names[-1]
        name = f"{stem}-{topic}.csv" if stem else f"{topic}.csv"
        download = Download(name, chart_csv(data), "")
    return {
        **chart,
        "web": {
            "id": ident,
            "svg": inline_svg(chart["svg"], ident) if chart["svg"] else Markup(""),
            "download": download,
            "size": download.size(fmt) if download else "",
        },
    }
