"""`make gallery`: every layout scenario's documents as page images, for a person to look at.

Writes reports/gallery/<scenario>/<document>-<page>.png, one contact sheet per document
(<scenario>/<document>.png: its pages side by side) and reports/gallery/index.html, which
shows every sheet with its scenario and page count. The scenarios are those the page-geometry
test checks (tests/scenarios.py), built from data in a temporary folder.
"""

from __future__ import annotations

import argparse
import html
import shutil
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from pipeline import config

from .scenarios import SCENARIOS, Scenario

GALLERY = config.REPORTS_DIR / "gallery"
DPI = 60  #: enough to judge a page's layout, small enough to see them all at once
GAP = 12  #: pixels between the pages of a contact sheet


def page_images(pdf: Path, dpi: int = DPI) -> list[Image.Image]:
    """Every page of `pdf` as an image, white paper with a thin grey edge."""
    document = pdfium.PdfDocument(pdf)
    try:
        images = []
        for page in document:
            image = page.render(scale=dpi / 72).to_pil().convert("RGB")
            ImageDraw.Draw(image).rectangle(
                (0, 0, image.width - 1, image.height - 1), outline="#999999"
            )
            images.append(image)
        return images
    finally:
        document.close()


def contact_sheet(pages: list[Image.Image]) -> Image.Image:
    """The pages side by side on a grey ground, in reading order."""
    width = sum(p.width for p in pages) + GAP * (len(pages) + 1)
    height = max(p.height for p in pages) + 2 * GAP
    sheet = Image.new("RGB", (width, height), "#d9d9d9")
    x = GAP
    for page in pages:
        sheet.paste(page, (x, GAP))
        x += page.width + GAP
    return sheet


def render_scenario(scenario: Scenario, out: Path, work: Path) -> list[tuple[str, int, str]]:
    """Page images and a contact sheet of each of the scenario's documents, in `out`."""
    folder = out / scenario.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rows = []
    for name, pdf in scenario.build(work / scenario.name).items():
        stem = Path(name).stem
        pages = page_images(pdf)
        for number, page in enumerate(pages, start=1):
            page.save(folder / f"{stem}-{number}.png", optimize=True)
        contact_sheet(pages).save(folder / f"{stem}.png", optimize=True)
        shutil.copy(pdf, folder / name)
        rows.append((name, len(pages), f"{scenario.name}/{stem}.png"))
    return rows


def index_html(entries: list[tuple[Scenario, list[tuple[str, int, str]]]]) -> str:
    """One page listing every contact sheet, with its scenario, document and page count."""
    parts = []
    for scenario, rows in entries:
        for name, pages, sheet in rows:
            budget = scenario.budgets[name]
            title = f"{scenario.name}: {name}, {pages} of at most {budget} pages"
            parts.append(
                f"<h2>{html.escape(title)}</h2><p>{html.escape(scenario.about)}</p>"
                f'<img src="{html.escape(sheet)}" alt="{html.escape(title)}">'
            )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Impact Briefs: layout gallery</title><style>body{font:15px system-ui,sans-serif;"
        "margin:1rem}img{max-width:100%;height:auto}h2{margin:1.5rem 0 .2rem}</style></head>"
        "<body><h1>Layout gallery</h1>" + "".join(parts) + "</body></html>"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.gallery",
        description="Render the layout scenarios into page images and contact sheets.",
        epilog="Example:\n  make gallery\n  python -m tests.gallery kenya one-territory",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    names = [s.name for s in SCENARIOS]
    parser.add_argument("scenario", nargs="*", help=f"any of {', '.join(names)}; default: all")
    parser.add_argument("--out", type=Path, default=GALLERY, help=f"default: {GALLERY}")
    args = parser.parse_args(argv)
    if unknown := sorted(set(args.scenario) - set(names)):
        parser.error(f"unknown scenario {', '.join(unknown)}; choose from {', '.join(names)}")
    chosen = [s for s in SCENARIOS if not args.scenario or s.name in args.scenario]
    entries = []
    with tempfile.TemporaryDirectory(prefix="impact-gallery-") as tmp:
        for scenario in chosen:
            rows = render_scenario(scenario, args.out, Path(tmp))
            entries.append((scenario, rows))
            for name, pages, sheet in rows:
                print(f"gallery: {scenario.name:<14} {name:<14} {pages} pages  {sheet}")
    (args.out / "index.html").write_text(index_html(entries), encoding="utf-8")
    print(f"gallery: open {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
