"""Rendering is safe and quiet: escaped text, no fetches, no WeasyPrint warnings."""

import pytest

from pipeline import config
from pipeline.present.render import (
    FatalURLFetchingError,
    OwnAssetsOnly,
    RenderError,
    html_to_pdf,
    shipped_fonts,
)
from pipeline.present.templating import environment


def test_every_template_autoescapes() -> None:
    env = environment(config.TEMPLATES_DIR)
    assert env.autoescape is True
    template = env.from_string("{{ x }}")
    assert template.render(x='<a rel="attachment" href="file:///etc/passwd">') == (
        "&lt;a rel=&#34;attachment&#34; href=&#34;file:///etc/passwd&#34;&gt;"
    )


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.org/x", "ftp://x/y"]
)
def test_fetcher_refuses_all_but_data_uris(url: str) -> None:
    with pytest.raises(FatalURLFetchingError):
        OwnAssetsOnly().fetch(url)


def test_a_refused_fetch_fails_the_brief() -> None:
    with pytest.raises(FatalURLFetchingError):
        html_to_pdf('<img src="file:///etc/hostname">', config.TEMPLATES_DIR, 5)


def test_page_limit_is_enforced() -> None:
    with pytest.raises(RenderError, match="limit is 1"):
        html_to_pdf("<p style='break-after: page'>a</p><p>b</p>", config.TEMPLATES_DIR, 1)


def test_minimal_pdf_is_quiet() -> None:
    pdf = html_to_pdf(
        "<html lang='en'><title>t</title><h1>Hello</h1></html>", config.TEMPLATES_DIR, 5
    )
    assert pdf.data.startswith(b"%PDF") and pdf.pages == 1


def test_fetcher_serves_exactly_the_shipped_fonts() -> None:
    fonts = shipped_fonts(config.TEMPLATES_DIR)
    assert len(fonts) >= 5 and all(p.suffix in config.FONT_SUFFIXES for p in fonts)
    fetcher = OwnAssetsOnly(fonts)
    assert fetcher.fetch(fonts[0].resolve().as_uri()).read()[:4] in (b"\0\1\0\0", b"OTTO")
    for other in (config.TEMPLATES_DIR / "brief.css", fonts[0].parent / "OFL.txt"):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(other.resolve().as_uri())


@pytest.mark.weasyprint_logs_expected  # the inner tests log, in this same process
def test_a_test_in_which_weasyprint_logs_a_warning_fails(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import logging
        import pytest

        def test_logs_a_warning():
            logging.getLogger("weasyprint").warning("Ignored `colour: red` at 1:1")

        def test_logs_an_error():
            logging.getLogger("weasyprint").error("Failed to load image")

        @pytest.mark.weasyprint_logs_expected
        def test_expects_it():
            logging.getLogger("weasyprint").warning("on purpose")

        def test_quiet():
            logging.getLogger("weasyprint").info("progress is not a warning")
        """
    )
    result = pytester.runpytest_inprocess("-p", "tests.quiet_weasyprint", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(
        ["*WeasyPrint logged during the test:*", "*Ignored `colour: red`*"]
    )


@pytest.mark.parametrize(
    ("label", "outlines"),
    [
        ("الخرطوم", True),  # Arabic: right to left, letters joined
        ("ירושלים", True),  # Hebrew: right to left
        ("كَسَلا", True),  # Arabic with its vowel marks: combining marks
        ("Cafe\u0301", True),  # an accent typed apart from its letter
        ("Café", False),  # the same accent precomposed: placed letter by letter, as is
        ("ባሕር ዳር", False),  # Ge'ez: syllables, set one by one
        ("Mbeere", False),
    ],
)
def test_a_chart_carries_its_text_as_outlines_exactly_when_it_must_be_shaped(
    label: str, outlines: bool
) -> None:
    """WeasyPrint sets SVG text letter by letter, left to right: a chart whose text must be
    shaped (right to left, or joined to a mark) carries it as outlines, which matplotlib has
    shaped; any other keeps real text (selectable, searchable, smaller)."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from pipeline.present.charts import STYLE
    from pipeline.present.render import figure_svg, needs_shaping

    with mpl.rc_context(STYLE):
        figure = Figure(figsize=(2, 1))
        figure.add_subplot().barh([label, "Kitu"], [1, 2])

    svg = figure_svg(figure)

    assert needs_shaping(label) is outlines
    assert ("<text" not in svg) is outlines
