"""The web editions in a real browser: accessible (axe, WCAG 2.2 AA), offline, reflowing to
320 px, printing on A4, with the PDF's figures and each chart's text alternative.

Debian's chromium, driven by playwright (never `playwright install`), one browser for the
session (tests/conftest.py); the seed is built once for the module, with real PDFs.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.synthetic import country_csv
from pipeline.config import Dirs
from pipeline.run.runner import run

from . import goldens
from .conftest import NO_CHROMIUM, SEED

pytestmark = pytest.mark.slow
if not goldens.CHROMIUM.is_file():  # one line in the summary, for the whole module
    pytest.skip(NO_CHROMIUM, allow_module_level=True)

#: axe's tags of WCAG 2.0, 2.1 and 2.2 A and AA: any violation of these fails.
WCAG_AA = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}
PAGES = ("kenya.html", "overview.html", "validation.html")
GOLDEN_NAMES = goldens.GOLDEN / "kenya.web.names.txt"


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Dirs:
    """The seed built once, PDFs and web editions (a full run: the overview too), beside a
    second country, one refused for a long value and a file that is not read: the overview
    then has charts, and the validation report findings and every one of its tables."""
    tmp = tmp_path_factory.mktemp("web")
    raw = tmp / "raw"
    shutil.copytree(SEED, raw)
    kenya = (SEED / "kenya.csv").read_text(encoding="utf-8-sig")
    (raw / "uganda.csv").write_text(
        kenya.replace("447", "four-hundred-and-forty-seven-members-" * 4), encoding="utf-8"
    )
    (raw / "notes-from-the-field-office-about-the-second-reporting-period.txt").write_text("x")
    # A second valid country: the overview then compares, and draws its charts.
    (raw / "rwanda.csv").write_text(country_csv(5, 3), encoding="utf-8")
    dirs = Dirs(raw, tmp / "processed", tmp / "reports")
    run(dirs)
    return dirs


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page in its own offline context that records every request it makes."""
    context = browser.new_context(offline=True, java_script_enabled=True)
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.requests = requests
    yield tab
    context.close()


def _open(page: Any, path: Path, width: int, media: str = "screen") -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(media=media)
    page.goto(path.as_uri())


def _axe(page: Any) -> tuple[list[str], list[str]]:
    """WCAG A/AA violations, and best-practice findings, each as one line."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response
    wcag, best = [], []
    for v in results["violations"]:
        line = f"{v['id']} ({v['impact']}): {v['help']} – " + "; ".join(
            str(n["target"]) for n in v["nodes"][:3]
        )
        (wcag if WCAG_AA & set(v["tags"]) else best).append(line)
    return wcag, best


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(("width", "media"), [(1280, "screen"), (320, "screen"), (1280, "print")])
def test_pages_pass_axe_reflow_and_fetch_nothing(
    seed: Dirs, page: Any, name: str, width: int, media: str
) -> None:
    _open(page, seed.reports / name, width, media)
    wcag, best = _axe(page)
    if best:  # reported apart: best practice, not a WCAG failure
        print(f"\naxe best-practice findings in {name} at {width} px ({media}):")
        print("\n".join(best))
    assert not wcag, f"{name} at {width} px ({media}):\n" + "\n".join(wcag)
    if media == "screen":  # reflow: the page itself never scrolls sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.requests == [(seed.reports / name).as_uri()], "the page fetched something"


#: A number as the documents write it: "140,653", "32.0", "9".
NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")


@pytest.mark.parametrize("name", ["kenya", "overview"])
def test_every_figure_of_the_pdf_is_in_the_web_edition(seed: Dirs, page: Any, name: str) -> None:
    """Every number of the PDF's text (its page numbers aside) is in the page as shown, or in
    its charts' text.

    pypdf runs some neighbouring lines together ("1" over "4 territories" gives "14
    territories"): a number not found as it is is looked for with the page's spaces removed.
    """
    _open(page, seed.reports / f"{name}.html", 1280)
    shown = page.evaluate(
        "document.body.innerText + ' ' + "
        "[...document.querySelectorAll('svg text')].map(t => t.textContent).join(' ')"
    )
    spaced, joined = re.sub(r"\s+", " ", shown), re.sub(r"\s+", "", shown)
    pdf = re.sub(r"Page \d+ of \d+", "", goldens.pdf_text(seed.reports / f"{name}.pdf"))
    numbers = set(NUMBER.findall(pdf))
    assert len(numbers) > 10, "the PDF's text has too few figures to compare"
    missing = []
    for n in numbers:
        alone = re.compile(rf"(?<![\d,.]){re.escape(n)}(?!\d)")
        if not alone.search(spaced) and not alone.search(joined):
            missing.append(n)
    assert not missing, f"in {name}.pdf, not in {name}.html: {sorted(missing)}"


def test_every_chart_is_an_image_with_its_finding_its_data_and_a_csv(
    seed: Dirs, page: Any
) -> None:
    """The charts' accessible names are golden (`make goldens` rewrites them)."""
    _open(page, seed.reports / "kenya.html", 1280)
    names = goldens.chart_names(page)
    assert names
    assert "\n".join(names) + "\n" == GOLDEN_NAMES.read_text(encoding="utf-8")
    charts = page.locator("div.chart")
    assert charts.count() == len(names)
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.locator("figcaption").inner_text().strip()
        assert chart.locator("details table th[scope=row]").count() >= 2
        link = chart.locator("a[download]")
        assert link.get_attribute("href").startswith("data:text/csv;")
        assert re.search(r"\(CSV, \d+ bytes\)", chart.locator(".download").inner_text())


def test_a_figure_links_to_its_entry_with_the_pdfs_anchors_and_the_entry_is_highlighted(
    seed: Dirs, page: Any
) -> None:
    """The web edition's figures link to the same entries as the PDF's (#25): the same
    anchors, and the entry a reader lands on is highlighted (:target)."""
    from pypdf import PdfReader

    destinations = {
        str(name)
        for name in PdfReader(seed.reports / "kenya.pdf").named_destinations
        if str(name).startswith("how-")
    }
    _open(page, seed.reports / "kenya.html", 1280)
    entries = set(page.eval_on_selector_all(".how-entry", "es => es.map(e => e.id)"))
    links = page.eval_on_selector_all(
        "a.figure-link", "as => as.map(a => a.getAttribute('href').slice(1))"
    )
    assert "how-KEN.value_usd.total.all" in entries
    assert entries == destinations and set(links) == entries
    entry = page.locator("#how-KEN\\.value_usd\\.total\\.all")
    plain = entry.evaluate("e => getComputedStyle(e).backgroundColor")
    page.locator('a.figure-link[href="#how-KEN.value_usd.total.all"]').first.click()
    assert page.evaluate("location.hash") == "#how-KEN.value_usd.total.all"
    assert entry.evaluate("e => e.matches(':target')")
    assert entry.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 244, 214)"
    assert plain != "rgb(255, 244, 214)"
