"""The golden texts: made by the current code, compared by the tests, rewritten only on request.

A test run never rewrites a golden. After a deliberate change, `make goldens` (this module)
rewrites them and shows the diff, to be reviewed and committed with the change.
"""

from __future__ import annotations

import functools
import io
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from pipeline.config import Dirs
from pipeline.run.runner import run

GOLDEN = Path(__file__).parent / "golden"
SEED = Path(__file__).parent / "fixtures" / "seed"


def pdf_text(pdf: Path) -> str:
    """Every page's text, as pypdf extracts it, pages joined by a line break."""
    return "\n".join(_pages_text(pdf.read_bytes()))


# Keyed by the document's bytes: builds are byte-identical for the same inputs, so the many
# tests that build the shipped Kenya read its text once per worker (pypdf takes about 1 s).
@functools.lru_cache(maxsize=32)
def _pages_text(data: bytes) -> tuple[str, ...]:
    return tuple(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def kenya_en() -> str:
    """The shipped Kenya brief in English, as text."""
    with tempfile.TemporaryDirectory() as tmp:
        dirs = Dirs(SEED, Path(tmp) / "processed", Path(tmp) / "reports")
        run(dirs, only=["kenya"])
        return pdf_text(dirs.reports / "kenya.pdf")


def kenya_editions(reports: Path) -> dict[str, Path]:
    """The shipped Kenya brief as `make report` then `--lang fr`, `--lang es` and `--lang pt`
    leave it, built under `reports`: each edition's PDF by language."""
    dirs = Dirs(SEED, reports.parent / "processed", reports)
    run(dirs, only=["kenya"])
    for lang in ("fr", "es", "pt"):
        run(dirs, only=["kenya"], lang=lang)
    return {lang: reports / f"kenya{'' if lang == 'en' else '.' + lang}.pdf" for lang in LANGS}


#: The languages of the editions, English first.
LANGS = ("en", "fr", "es", "pt")


def first_page(pdf: Path) -> str:
    """Page 1's text, as pypdf extracts it."""
    return _pages_text(pdf.read_bytes())[0] + "\n"


def kenya_first_pages() -> dict[str, str]:
    """Page 1 of each edition of the shipped Kenya brief, by golden file name."""
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = kenya_editions(Path(tmp) / "reports")
        return {f"kenya.{lang}.page1.txt": first_page(pdfs[lang]) for lang in LANGS}


#: Debian's chromium, which the browser tests drive (apt-get install chromium).
CHROMIUM = Path("/usr/bin/chromium")


def chart_names(page: Any) -> list[str]:
    """Each chart's accessible name, as the browser's accessibility tree gives it."""
    snapshot: str = page.locator("main").aria_snapshot()
    return [line.strip() for line in snapshot.splitlines() if re.match(r"- '?img ", line.strip())]


def kenya_web_names() -> str:
    """The accessible names of the charts of the shipped Kenya brief's web edition."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as driver:
        dirs = Dirs(SEED, Path(tmp) / "processed", Path(tmp) / "reports")
        run(dirs, only=["kenya"])
        browser = driver.chromium.launch(executable_path=str(CHROMIUM))
        page = browser.new_page()
        page.goto((dirs.reports / "kenya.html").as_uri())
        names = chart_names(page)
        browser.close()
        return "\n".join(names) + "\n"


#: Golden file name -> what makes its text.
GOLDENS: dict[str, Callable[[], str]] = {
    "kenya.en.txt": kenya_en,
    "kenya.web.names.txt": kenya_web_names,
}


def main() -> int:
    """Rewrite every golden from the current code; print the names that changed."""
    made = {name: make for name, make in GOLDENS.items()}
    pages = kenya_first_pages()  # the four editions built once
    made.update({name: (lambda text=text: text) for name, text in pages.items()})
    for name, make in made.items():
        path = GOLDEN / name
        text = make()
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if text != old:
            path.write_text(text, encoding="utf-8")
            print(f"rewrote tests/golden/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
