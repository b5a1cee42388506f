"""Pages that look finished, checked on real PDFs of every layout scenario (tests/scenarios.py).

For each page of each document a donor would be sent:
- no ink within 10 mm of the paper's edges (the page rasterised: what a printer would print);
- the body takes no more pages than its budget (an appendix, after it, is not counted);
- every page but the last of the body ends at 60% of its height or lower;
- no text lies over other text (the characters' positions, read with PDFium).

Each scenario is built once, when its first check needs it. The checkers are
themselves tested on documents made to fail them.
"""

from __future__ import annotations

import ctypes
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from pipeline import config
from pipeline.present.render import html_to_pdf

from .scenarios import SCENARIOS, Scenario
from .untraced import paused

pytestmark = pytest.mark.slow

MM = 72 / 25.4  #: points per millimetre
EDGE_MM = 10.0  #: no ink this close to the paper's edge
FILL = 0.6  #: a page before the last ends no higher than this share of its height
#: The running footer sits in the bottom margin (templates/brief.css @page): it is not body.
BOTTOM_MARGIN_MM = 17.0
TOP_MARGIN_MM = 14.0
#: An appendix's start lies this far at most below the top margin when nothing precedes it
#: on its page (its heading's own margin); one line of body text above it exceeds it.
APPENDIX_GAP_MM = 6.0
RASTER_DPI = 50
#: A pixel this dark or darker in any channel is ink (paper is 255).
INK_LEVEL = 235
#: Named destination (an element's id) where an appendix starts; pages from it on are not
#: counted against the body's budget.
APPENDIX_ID = "appendix"


@paused
def ink_near_edges(pdf: Path, edge_mm: float = EDGE_MM) -> list[str]:
    """Where each page has ink within `edge_mm` of the paper's edges ("page 2, right")."""
    band = int(edge_mm * RASTER_DPI / 25.4)
    found = []
    with pdfium.PdfDocument(pdf) as document:
        for number, page in enumerate(document, start=1):
            image = page.render(scale=RASTER_DPI / 72).to_pil().convert("L")
            w, h = image.size
            sides = {
                "top": (0, 0, w, band),
                "bottom": (0, h - band, w, h),
                "left": (0, 0, band, h),
                "right": (w - band, 0, w, h),
            }
            for side, box in sides.items():
                darkest, _ = image.crop(box).getextrema()
                if darkest <= INK_LEVEL:
                    found.append(f"page {number}, {side}")
    return found


@paused
def body_pages(pdf: Path) -> int:
    """Pages of the document's body: all of them, or those before its appendix, and the
    appendix's first page too when body text ends on it, above the appendix's start (a
    fragment of the body spilt past its budget, such as the last line of a floated list)."""
    with pdfium.PdfDocument(pdf) as document:
        start = pdfium_c.FPDF_GetNamedDestByName(document, APPENDIX_ID.encode())
        if not start:
            return len(document)
        page = pdfium_c.FPDFDest_GetDestPageIndex(document, start)
        has_x, has_y, has_zoom = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
        x, y, zoom = pdfium_c.FS_FLOAT(), pdfium_c.FS_FLOAT(), pdfium_c.FS_FLOAT()
        pdfium_c.FPDFDest_GetLocationInPage(
            start, *map(ctypes.byref, (has_x, has_y, has_zoom, x, y, zoom))
        )
        height = document[page].get_height()
    below_top = height - (y.value if has_y.value else 0.0)
    return page + 1 if below_top > (TOP_MARGIN_MM + APPENDIX_GAP_MM) * MM else page


@dataclass(frozen=True)
class Glyph:
    """One character as printed: its text and box, in points from the page's top left."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Page:
    """A printed page: its height (points) and its visible characters."""

    height: float
    glyphs: tuple[Glyph, ...]


@paused
def read_pages(pdf: Path) -> list[Page]:
    """Every page of `pdf`, its characters read once (spaces left out), as PDFium reads them.

    A character's box spans its font's ascent and descent ("loose"), as a line of text does.
    PDFium gives each letter of a ligature ("fi") the ligature's whole box: such letters are
    one glyph, so they are not taken for text printed over text. Characters PDFium generates
    (spaces and line breaks it infers) are not printed, so they are left out."""
    with pdfium.PdfDocument(pdf) as document:
        return [_page(page) for page in document]


def _page(page: pdfium.PdfPage) -> Page:
    height = page.get_height()
    text = page.get_textpage()
    glyphs: list[Glyph] = []
    for index in range(text.count_chars()):
        if pdfium_c.FPDFText_IsGenerated(text, index):
            continue
        char = chr(pdfium_c.FPDFText_GetUnicode(text, index))
        if not char.strip():
            continue
        left, bottom, right, top = text.get_charbox(index, loose=True)
        glyph = Glyph(char, left, right, height - top, height - bottom)
        if glyphs and _box(glyphs[-1]) == _box(glyph):  # a ligature's next letter
            glyphs[-1] = replace(glyphs[-1], text=glyphs[-1].text + char)
        else:
            glyphs.append(glyph)
    return Page(height, tuple(glyphs))


def _box(g: Glyph) -> tuple[float, float, float, float]:
    return (g.x0, g.x1, g.top, g.bottom)


def lowest_body_text(page: Page) -> float:
    """How far down the page its lowest body text reaches, as a share of the page's height
    (the footer in the bottom margin is not body); 0 for a page without text."""
    limit = page.height - BOTTOM_MARGIN_MM * MM
    bottoms = [g.bottom for g in page.glyphs if g.top < limit]
    return max(bottoms, default=0.0) / page.height


def _core(g: Glyph) -> tuple[float, float, float, float]:
    """The middle of a character's box: a line's box includes room above and below its
    glyphs, and neighbouring characters overlap by their kerning."""
    height, width = g.bottom - g.top, g.x1 - g.x0
    return (g.x0 + 0.2 * width, g.x1 - 0.2 * width, g.top + 0.25 * height, g.bottom - 0.2 * height)


def overlapping_text(page: Page) -> list[tuple[str, str]]:
    """Pairs of characters printed over each other (their cores intersect)."""
    cell = 12.0  # points: characters are compared with those in their own and nearby cells
    grid: dict[tuple[int, int], list[Glyph]] = defaultdict(list)
    for g in page.glyphs:
        grid[int(g.x0 // cell), int(g.top // cell)].append(g)
    found = []
    for (cx, cy), members in grid.items():
        nearby = [
            other
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for other in grid.get((cx + dx, cy + dy), [])
        ]
        for g in members:
            ax0, ax1, at, ab = _core(g)
            for other in nearby:
                if other is g or (other.x0, other.top) < (g.x0, g.top):
                    continue  # each pair once
                bx0, bx1, bt, bb = _core(other)
                if min(ax1, bx1) - max(ax0, bx0) > 0.5 and min(ab, bb) - max(at, bt) > 0.5:
                    found.append((g.text, other.text))
    return found


def _documents(names: set[str]) -> list[Any]:
    return [
        pytest.param(s, n, id=f"{s.name}/{n}")
        for s in SCENARIOS
        if s.name in names
        for n in s.budgets
    ]


@dataclass(frozen=True)
class Built:
    """A document of a scenario, built and read."""

    path: Path
    pages: list[Page]


@pytest.fixture(scope="class")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Built]]:
    """Each scenario's documents, built and read the first time a check asks for them."""
    root = tmp_path_factory.mktemp("layout")

    class Lazy(dict[str, dict[str, Built]]):
        def __missing__(self, name: str) -> dict[str, Built]:
            scenario = next(s for s in SCENARIOS if s.name == name)
            paths = scenario.build(root / name)
            self[name] = {n: Built(p, read_pages(p)) for n, p in paths.items()}
            return self[name]

    return Lazy()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Each class of page checks runs over its own scenarios' documents."""
    if metafunc.cls is not None and issubclass(metafunc.cls, PageChecks):
        metafunc.parametrize(("scenario", "name"), _documents(metafunc.cls.scenarios))


class PageChecks:
    """The four checks of every page, over the scenarios a subclass names. The scenarios are
    split into classes of about equal cost because `make test` hands out whole classes
    (`--dist loadscope`): the two workers lay out the documents side by side."""

    scenarios: ClassVar[set[str]] = set()

    def test_no_ink_near_the_paper_edges(
        self, scenario: Scenario, name: str, built: dict[str, dict[str, Built]]
    ) -> None:
        assert ink_near_edges(built[scenario.name][name].path) == []

    def test_the_body_keeps_to_its_page_budget(
        self, scenario: Scenario, name: str, built: dict[str, dict[str, Built]]
    ) -> None:
        assert body_pages(built[scenario.name][name].path) <= scenario.budgets[name]

    def test_no_page_before_the_last_ends_high(
        self, scenario: Scenario, name: str, built: dict[str, dict[str, Built]]
    ) -> None:
        document = built[scenario.name][name]
        fills = [lowest_body_text(p) for p in document.pages[: body_pages(document.path) - 1]]
        short = {n: round(f, 2) for n, f in enumerate(fills, start=1) if f < FILL}
        assert short == {}, f"pages ending above {FILL:.0%} of their height: {short}"

    def test_no_text_lies_over_other_text(
        self, scenario: Scenario, name: str, built: dict[str, dict[str, Built]]
    ) -> None:
        pages = built[scenario.name][name].pages
        found = {n: overlapping_text(page)[:5] for n, page in enumerate(pages, start=1)}
        assert {n: pairs for n, pairs in found.items() if pairs} == {}


class TestKenyaPages(PageChecks):
    scenarios: ClassVar[set[str]] = {
        "kenya",
        "kenya-targets",
        "kenya-fr",
        "kenya-es",
        "kenya-parts-fr",
    }


class TestPortfolioPages(PageChecks):
    scenarios: ClassVar[set[str]] = {
        "portfolio",
        "portfolio-es",
        "portfolio-six",
        "huge-figures",
        "kenya-parts",
    }


class TestEdgeCasePages(PageChecks):
    scenarios: ClassVar[set[str]] = {
        "blank-column",
        "one-territory",
        "long-name",
        "forty",
        "periods",
        "arabic",
        "kenya-pt",
        "kenya-parts-gap",
        "kenya-parts-gap-pt",
    }


def test_every_scenario_is_checked() -> None:
    checked = [s for c in PageChecks.__subclasses__() for s in c.scenarios]
    assert sorted(checked) == sorted(s.name for s in SCENARIOS)


# The checkers, on pages made to fail them.


def _pdf(tmp_path: Path, body: str, style: str = "") -> Path:
    html = f"<html lang='en'><title>t</title><style>{style}</style><body>{body}</body></html>"
    path = tmp_path / "made.pdf"
    path.write_bytes(html_to_pdf(html, config.TEMPLATES_DIR, 5).data)
    return path


def test_ink_near_an_edge_is_found(tmp_path: Path) -> None:
    clean = _pdf(tmp_path, "<p>Inside the margins.</p>")
    assert ink_near_edges(clean) == []
    wide = _pdf(tmp_path, "<p style='margin-right: -14mm; text-align: right'>Past the margin</p>")
    assert ink_near_edges(wide) == ["page 1, right"]


def _pages(pdf: Path) -> int:
    with pdfium.PdfDocument(pdf) as document:
        return len(document)


def test_an_appendix_is_not_counted_in_the_body(tmp_path: Path) -> None:
    plain = _pdf(tmp_path, "<p>Body.</p>")
    assert body_pages(plain) == 1
    appendix = f"<section class='appendix' id='{APPENDIX_ID}'><h2>Appendix</h2></section>"
    path = _pdf(tmp_path, "<p>Body.</p>" + appendix)
    assert _pages(path) == 2 and body_pages(path) == 1
    # Body text on the appendix's first page, above its start, counts that page as body.
    spilt = f"<section id='{APPENDIX_ID}'><h2>Appendix</h2></section>"
    path = _pdf(tmp_path, "<p style='break-after: page'>Body.</p><p>Body spilt over.</p>" + spilt)
    assert _pages(path) == 2 and body_pages(path) == 2


def test_a_page_that_ends_high_is_measured(tmp_path: Path) -> None:
    path = _pdf(
        tmp_path,
        "<p>First</p><p style='break-before: page; margin-top: 200mm'>Second</p>",
    )
    first, second = (lowest_body_text(p) for p in read_pages(path))
    assert first < 0.1 and 0.72 < second < 0.8  # 14 mm + 200 mm + a line, of 297 mm


def test_text_over_text_is_found(tmp_path: Path) -> None:
    apart = _pdf(tmp_path, "<p>One line</p><p>Another line, kerned: AVAT To. Ty.</p>")
    assert overlapping_text(read_pages(apart)[0]) == []
    over = _pdf(tmp_path, "<p>Over</p><p style='margin-top: -5mm; margin-left: 1mm'>Over</p>")
    assert overlapping_text(read_pages(over)[0])


def test_the_footer_margin_is_the_stylesheets() -> None:
    """The checks leave out the header and footer by the stylesheet's own margins."""
    css = (config.TEMPLATES_DIR / config.STYLESHEET).read_text(encoding="utf-8")
    assert f"margin: {TOP_MARGIN_MM:g}mm 16mm {BOTTOM_MARGIN_MM:g}mm 16mm;" in css


# validation.html on a phone: it reflows at 320 px (WCAG 1.4.10, "Reflow"). WeasyPrint lays the
# page out as a 320 px wide screen would; no box may reach past its right edge, except inside
# a table's own scrolling box.

SCREEN_PX = 320


def _boxes_past(box: object, width: float, inside_scroll: bool = False) -> list[str]:
    element = getattr(box, "element", None)
    classes = (element.get("class") or "").split() if element is not None else []
    inside_scroll = inside_scroll or "scroll" in classes
    found = []
    if not inside_scroll and hasattr(box, "position_x"):
        right = box.position_x + (box.margin_width() if hasattr(box, "margin_width") else 0)
        if right > width + 0.5 or box.position_x < -0.5:
            text = getattr(box, "text", "") or getattr(box, "element_tag", "")
            found.append(f"{text[:40]!r} at {box.position_x:.0f}–{right:.0f} px")
    for child in getattr(box, "children", ()):
        found += _boxes_past(child, width, inside_scroll)
    return found


def overflow_on_a_narrow_screen(html: str, width: int = SCREEN_PX) -> list[str]:
    """What reaches past the right edge of a `width` px screen (outside scrolling boxes)."""
    from weasyprint import CSS, HTML

    screen = CSS(string=f"@page {{ size: {width}px 40000px; margin: 0 }}")
    document = HTML(string=html).render(stylesheets=[screen])
    return [f for page in document.pages for f in _boxes_past(page._page_box, width)]


def test_the_validation_report_reflows_on_a_narrow_screen(tmp_path: Path) -> None:
    from pipeline.config import Dirs
    from pipeline.run.runner import run

    from .fakes import fake_pdf
    from .scenarios import HEADER, LAYOUT

    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("programme.yaml", "settings.yaml"):
        (raw / name).write_bytes((LAYOUT / name).read_bytes())
    unbroken = "Kaskazini" * 30  # a name, a value and a file name without a space to wrap at
    (raw / "uganda.csv").write_text(
        f"{HEADER},Notes\n{unbroken},5000,maize,4,120,about {unbroken},4200,x\n"
        f"Lira,4000,beans,3,90,8,3000,\n",
        encoding="utf-8",
    )
    (raw / f"{'tanzania'}.csv").write_text(f"{HEADER}\nArusha,1000,maize,2,50,5,900\n")
    dirs = Dirs(raw=raw, processed=tmp_path / "processed", reports=tmp_path / "reports")
    run(dirs, render=fake_pdf)
    report = (dirs.reports / "validation.html").read_text(encoding="utf-8")
    assert unbroken in report and 'class="scroll"' in report
    assert overflow_on_a_narrow_screen(report) == []


def test_overflow_on_a_narrow_screen_is_found() -> None:
    wide = "<table>" + "<td>figure</td>" * 20 + "</table>"
    assert overflow_on_a_narrow_screen(f"<body>{wide}</body>")
    assert overflow_on_a_narrow_screen(f"<body><p>{'x' * 200}</p></body>")
    scrolled = f"<body><div class='scroll' style='overflow: auto'>{wide}</div></body>"
    assert overflow_on_a_narrow_screen(scrolled) == []
