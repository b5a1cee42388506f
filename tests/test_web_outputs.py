"""The web edition is an output like the others: written beside its PDF, in the manifest,
built incrementally, and gone with its country (renamed, refused, removed). No browser: these
runs use the stand-in PDF renderer; tests/test_web.py opens the pages in Chromium."""

from __future__ import annotations

import base64
import json
import re
import shutil
from html import unescape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.synthetic import country_csv
from pipeline import config
from pipeline.config import Dirs
from pipeline.core.formatting import Formatter
from pipeline.present.chart_sets import ChartData
from pipeline.present.web import Download, chart_csv, css_string, file_size, inline_svg
from pipeline.run.runner import run

from .conftest import FIXTURES
from .fakes import fake_pdf


def _write(dirs: Dirs, name: str, size: int = 3, seed: int = 0) -> None:
    (dirs.raw / name).write_text(country_csv(size, seed), encoding="utf-8")


def _manifest(dirs: Dirs) -> dict[str, object]:
    return json.loads(config.manifest(dirs.reports).read_text(encoding="utf-8"))


def test_the_web_editions_are_written_and_recorded(dirs: Dirs) -> None:
    _write(dirs, "uganda.csv")
    _write(dirs, "rwanda.csv", 4, 1)
    outcome = run(dirs, render=fake_pdf)
    for name in ("uganda.html", "rwanda.html", "overview.html"):
        page = (dirs.reports / name).read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    manifest = _manifest(dirs)
    assert "uganda.html" in manifest["countries"]["uganda.csv"]["outputs"]  # type: ignore[index]
    assert "overview.html" in manifest["reports"]  # type: ignore[operator]
    assert config.brief_web(dirs.reports, "uganda") in outcome.countries[1].outputs
    # Unchanged inputs: nothing rebuilt; a damaged page is rebuilt with its country.
    assert run(dirs, render=fake_pdf).up_to_date
    (dirs.reports / "uganda.html").write_text("tampered", encoding="utf-8")
    again = run(dirs, render=fake_pdf)
    assert {c.file for c in again.countries if not c.unchanged} == {"uganda.csv"}
    assert (dirs.reports / "uganda.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")


def test_the_web_edition_follows_its_country(dirs: Dirs) -> None:
    _write(dirs, "uganda.csv")
    _write(dirs, "rwanda.csv", 4, 1)
    run(dirs, render=fake_pdf)
    # Renamed: the same country's page stays, built from the new file.
    (dirs.raw / "uganda.csv").rename(dirs.raw / "Uganda.csv")
    run(dirs, render=fake_pdf)
    assert (dirs.reports / "uganda.html").is_file()
    # Refused: its page goes with its PDF.
    shutil.copy(FIXTURES / "invalid" / "negative_number.csv", dirs.raw / "Uganda.csv")
    run(dirs, render=fake_pdf)
    assert not (dirs.reports / "uganda.html").exists()
    assert not (dirs.reports / "uganda.pdf").exists()
    # Removed: its page goes; with no valid country left, the overview's page goes too.
    (dirs.raw / "rwanda.csv").unlink()
    outcome = run(dirs, render=fake_pdf)
    assert not (dirs.reports / "rwanda.html").exists()
    assert not (dirs.reports / "overview.html").exists()
    assert any("overview.html" in note for note in outcome.notes)


def test_a_page_carries_its_charts_data_and_files_inline(dirs: Dirs) -> None:
    _write(dirs, "uganda.csv", 4)
    run(dirs, render=fake_pdf)
    page = (dirs.reports / "uganda.html").read_text(encoding="utf-8")
    assert unescape(re.search(r'Content-Security-Policy" content="([^"]+)"', page)[1]) == (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
    )
    assert re.findall(r'(?:src|href)="(?!data:|#)', page) == []  # nothing fetched, no link out
    assert page.count('<figure role="img" aria-label="') == page.count("<svg ") > 0
    assert page.count("<details>") == page.count("<svg ")
    assert "@font-face" in page and "data:font/woff;base64," in page
    assert "attached to this PDF" not in page and "download from this page" in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "two charts share an id"
    # The files the PDF carries are links, their bytes those of the processed table.
    link = re.search(
        r'href="data:text/csv;charset=utf-8;base64,([^"]+)" download="uganda.csv"', page
    )
    assert link and base64.b64decode(link[1]) == (dirs.processed / "uganda.csv").read_bytes()


def test_chart_csv_is_exact_and_safe() -> None:
    data = ChartData(
        ("Territory", "Value (US$)"),
        ("territory", "value_usd"),
        (("=cmd", "US$1"), ("B", "–")),
        (("=cmd", 1.25), ("B", float("nan"))),
    )
    assert chart_csv(data).decode("utf-8-sig") == "territory,value_usd\n'=cmd,1.25\nB,\n"


@pytest.mark.parametrize(
    ("size", "lang", "text"),
    [
        (1, "en", "1 byte"),
        (999, "en", "999 bytes"),
        (2400, "en", "2.4 kB"),
        (2400, "fr", "2,4 ko"),
    ],
)
def test_a_file_is_named_with_its_size(size: int, lang: str, text: str) -> None:
    assert file_size(size, Formatter(lang)) == text
    assert Download("a.csv", b"x" * size, "").size(Formatter(lang)) == text


def test_a_name_cannot_escape_the_footer_rule() -> None:
    quoted = css_string('A"; } body { display: none } </style><script>')
    assert quoted.startswith('"') and quoted.endswith('"')
    assert not re.search(r'["<>{};]', quoted[1:-1])


def test_two_charts_never_share_an_id() -> None:
    svg = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg width="10pt" height="5pt" viewBox="0 0 10 5">'
        '<metadata>x</metadata><clipPath id="p1"/><g id="a" clip-path="url(#p1)"/>'
        '<use xlink:href="#a"/></svg>'
    )
    one, two = str(inline_svg(svg, "c1")), str(inline_svg(svg, "c2"))
    assert one.startswith("<svg ") and 'aria-hidden="true"' in one.split(">", 1)[0]
    assert "metadata" not in one and "<?xml" not in one and 'width="10pt"' not in one
    assert 'id="c1-p1"' in one and "url(#c1-p1)" in one and 'href="#c1-a"' in one
    assert not set(re.findall(r'id="([^"]+)"', one)) & set(re.findall(r'id="([^"]+)"', two))


@given(st.text())
def test_any_name_is_one_css_string_that_says_it_exactly(text: str) -> None:
    """The footer's programme name comes from a file: whatever it holds, it stays one CSS
    string inside one rule, and reads back as written."""
    quoted = css_string(text)
    inner = quoted[1:-1]
    assert quoted[0] == quoted[-1] == '"' and not re.search(r'["\'<>{};\n\r\f]', inner)
    assert re.sub(r"\\([0-9a-f]+) ", lambda m: chr(int(m[1], 16)), inner) == text
