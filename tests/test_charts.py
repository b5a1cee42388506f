"""Charts return Figures, render user text literally and carry alt text from the data."""

import io
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from pipeline.compute.figures import make_figure
from pipeline.compute.indicators import territory_indicators
from pipeline.core.figure import Coverage
from pipeline.core.formatting import Formatter
from pipeline.present.chart_sets import charts
from pipeline.present.charts import (
    LABEL_CHARS,
    ChartSetting,
    change_over_time,
    short_label,
    short_labels,
)
from tests.tier import examples
from tests.untraced import paused


def _frame(names: list[str]) -> pd.DataFrame:
    n = len(names)
    return territory_indicators(
        pd.DataFrame(
            {
                "territory": names,
                "target_households": [1000.0] * n,
                "products": ["x"] * n,
                "pmgs": [4.0] * n,
                "members": [100.0 + i for i in range(n)],
                "volume_sold_t": [10.0] * n,
                "value_usd": [5000.0 + i for i in range(n)],
            },
            index=pd.Index(range(2, n + 2), name="line"),
        )
    )


def _charts(frame: pd.DataFrame) -> list:
    average = make_figure("KEN", "price_usd_per_t", 500.0, Coverage(2, 2))
    return charts(frame, Formatter(), "brief", ChartSetting(average, "average {price}"))


@pytest.mark.parametrize("name", ["Man_1 ^ $x_$", "{{ 7*7 }}", "<b>bold</b>", "=HYPERLINK(1)"])
def test_user_text_is_plain_text(name: str) -> None:
    charts = _charts(_frame([name, "Other"]))
    for chart in charts:
        assert isinstance(chart.figure, Figure)
        buffer = io.BytesIO()
        chart.figure.savefig(buffer, format="svg")  # raised ValueError with mathtext on
        assert name.replace("<", "&lt;").replace(">", "&gt;") in buffer.getvalue().decode()


def test_alt_text_lists_the_data() -> None:
    charts = _charts(_frame(["North", "South"]))
    assert len(charts) == 4
    assert charts[0].alt == (
        "Bar chart of the value of sales by territory. South: US$5,001; North: US$5,000."
    )
    assert all(c.question.endswith("?") for c in charts)


def test_long_names_are_shortened_only_on_the_chart() -> None:
    assert short_label("Kenya") == "Kenya"
    assert short_label("French Southern Territories") == "French Southern Territo…"
    assert len(short_label("x" * 60)) == LABEL_CHARS
    names = ["French Southern Territories", "Saint Vincent and the Grenadines"]
    charts = _charts(_frame(names))
    assert all(name in charts[0].alt for name in names)  # the alt text keeps them whole


# Geometry: every chart keeps its text inside its box and clear of other text and of its
# reference line, whatever the names and figures (the class, not the Kenya example).


def _texts(figure: Figure) -> list[tuple[str, Bbox]]:
    """Every piece of text the figure draws, with its box in pixels (labels with a white
    backing count with their backing)."""
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    out: list[tuple[str, Bbox]] = []
    for ax in figure.axes:
        ticks = []
        for labels, values, limits in (
            (ax.get_xticklabels(), ax.get_xticks(), ax.get_xlim()),
            (ax.get_yticklabels(), ax.get_yticks(), ax.get_ylim()),
        ):
            lo, hi = sorted(limits)
            ticks += [
                t for t, v in zip(labels, values, strict=True) if lo - 1e-9 <= v <= hi + 1e-9
            ]
        for t in [*ticks, ax.xaxis.label, ax.title, *ax.texts]:
            if t.get_visible() and t.get_text():
                patch = t.get_bbox_patch()
                box = patch.get_window_extent(renderer) if patch else None
                out.append((t.get_text(), box or t.get_window_extent(renderer)))
    for t in figure.texts:
        out.append((t.get_text(), t.get_window_extent(renderer)))
    for legend in figure.legends:
        out += [(t.get_text(), t.get_window_extent(renderer)) for t in legend.get_texts()]
    return out


def _dashed_lines(figure: Figure) -> list[tuple[float, float, float]]:
    """Each dashed reference line as (x, bottom, top) in pixels."""
    out = []
    for ax in figure.axes:
        for line in ax.get_lines():
            if line.get_linestyle() == "--":
                box = line.get_window_extent(FigureCanvasAgg(figure).get_renderer())
                out.append((box.x0, box.y0, box.y1))
    return out


@paused  # matplotlib's own geometry: coverage is paused, and back on in the tick labels
def assert_tidy(figure: Figure) -> None:
    for ax in figure.axes:  # no two ticks read the same ("0, 0, 1, 1" for 0, 0.4, 0.8, 1.2)
        for labels, values, limits in (
            (ax.get_xticklabels(), ax.get_xticks(), ax.get_xlim()),
            (ax.get_yticklabels(), ax.get_yticks(), ax.get_ylim()),
        ):
            lo, hi = sorted(limits)
            shown = [t.get_text() for t, v in zip(labels, values, strict=True) if lo <= v <= hi]
            assert len(shown) == len(set(shown)), shown
    texts = _texts(figure)
    width, height = figure.bbox.width, figure.bbox.height
    for text, box in texts:
        assert box.x0 >= -0.5 and box.x1 <= width + 0.5, (text, box.x0, box.x1, width)
        assert box.y0 >= -0.5 and box.y1 <= height + 0.5, (text, box.y0, box.y1, height)
    for i, (a, box_a) in enumerate(texts):
        for b, box_b in texts[i + 1 :]:
            overlap_x = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
            overlap_y = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
            assert overlap_x <= 0.5 or overlap_y <= 0.5, (a, b)
    # A value label lies on no bar, of its own series or another (#21): it is past the bar's
    # end, and past the longer of two bars drawn over each other (reach).
    renderer = FigureCanvasAgg(figure).get_renderer()
    for ax in figure.axes:
        bars = [p.get_window_extent(renderer) for p in ax.patches]
        for label in ax.texts:
            box = label.get_window_extent(renderer)
            for bar in bars:
                overlap_x = min(box.x1, bar.x1) - max(box.x0, bar.x0)
                overlap_y = min(box.y1, bar.y1) - max(box.y0, bar.y0)
                assert overlap_x <= 0.5 or overlap_y <= 0.5, (label.get_text(), "on a bar")
    for x, bottom, top in _dashed_lines(figure):
        for text, box in texts:
            crosses = box.x0 < x < box.x1 and min(top, box.y1) - max(bottom, box.y0) > 0.5
            assert not crosses, (text, x)


NAMES = st.text(alphabet="abcdefghij klmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", max_size=40)
FIGURES = st.one_of(st.integers(1, 10**4), st.integers(10**4, 10**9)).map(float)


@st.composite
def territories(draw: st.DrawFn) -> pd.DataFrame:
    """2 to 15 territories of any names and figures, small or large, spread or alike."""
    count = draw(st.integers(2, 15))
    names = [f"{draw(NAMES).strip() or 'T'} {i}" for i in range(count)]
    scale = draw(st.sampled_from([1e-3, 1.0, 10.0]))  # up to the US$10 billion ceiling
    values = [draw(FIGURES) * scale for _ in names]
    pmgs = [float(draw(st.integers(1, 500))) for _ in names]
    return territory_indicators(
        pd.DataFrame(
            {
                "territory": names,
                "target_households": [draw(st.integers(1, 10**6)) * 1.0 for _ in names],
                "products": ["x"] * count,
                "pmgs": pmgs,
                "members": [p + draw(st.integers(0, 10**5)) for p in pmgs],
                "volume_sold_t": [
                    min(max(v / draw(st.integers(100, 5000)), 0.001), 1e8) for v in values
                ],
                "value_usd": values,
            },
            index=pd.Index(range(2, count + 2), name="line"),
        )
    )


@settings(max_examples=examples(15), deadline=None)
@given(data=territories(), where=st.floats(0.0, 1.5), lang=st.sampled_from(["en", "fr"]))
def test_chart_text_stays_inside_and_clear_of_text_and_lines(
    data: pd.DataFrame, where: float, lang: str
) -> None:
    """Ticks, labels, legends and the average's label inside the chart; no text over other
    text; the dashed average crosses no label, wherever it falls among the bars."""
    prices = data["price_usd_per_t"]
    average = float(prices.min() + where * (prices.max() - prices.min()))
    setting = ChartSetting(
        make_figure("KEN", "price_usd_per_t", average, Coverage(len(data), len(data))),
        "country average {price}",
        frozenset({int(data.index[0])}),
    )
    for chart in charts(data, Formatter(lang), "brief", setting):
        assert chart.figure is not None
        assert_tidy(chart.figure)


@settings(max_examples=examples(10), deadline=None)
@given(
    values=st.lists(st.one_of(st.none(), FIGURES), min_size=2, max_size=6),
    lang=st.sampled_from(["en", "fr"]),
)
def test_the_change_over_time_chart_keeps_its_text_inside(
    values: list[float | None], lang: str
) -> None:
    periods = [f"{2001 + i}" for i in range(len(values))]
    trend = pd.DataFrame(
        {
            "period": periods,
            "value_usd": [math.nan if v is None else v for v in values],
            "members": [math.nan if v is None else v / 100 for v in values],
        }
    )
    assert_tidy(change_over_time(trend, Formatter(lang)))


def test_the_checks_catch_a_clipped_tick_and_a_crossed_label() -> None:
    """assert_tidy fails on what it guards against."""
    figure = Figure(figsize=(2, 1))
    ax = figure.add_axes((0.1, 0.3, 0.9, 0.6))  # up to the right edge: the last tick is clipped
    ax.set_xlim(0, 240_000)
    ax.set_xticks([0, 240_000], labels=["0", "240,000"])
    with pytest.raises(AssertionError):
        assert_tidy(figure)
    figure = Figure(figsize=(3, 2))
    ax = figure.add_axes((0.2, 0.2, 0.6, 0.6))
    ax.set_xlim(0, 10)
    ax.text(4, 0.5, "US$409")
    ax.axvline(5, linestyle="--")
    with pytest.raises(AssertionError):
        assert_tidy(figure)
    figure = Figure(figsize=(3, 2))  # a value label drawn over its bar ("102 %" read "02 %")
    ax = figure.add_axes((0.2, 0.2, 0.6, 0.6))
    ax.set_xlim(0, 10)
    ax.barh([0], [8], height=0.8)
    ax.text(5, 0, "102%", va="center")
    with pytest.raises(AssertionError, match="on a bar"):
        assert_tidy(figure)


@settings(max_examples=examples(200), deadline=None)
@given(
    names=st.lists(
        st.text(alphabet="Aab 0123", min_size=1, max_size=60), min_size=1, max_size=12, unique=True
    )
)
def test_no_two_territories_share_a_bar_label(names: list[str]) -> None:
    """Two long names alike up to the cut ("Zone with a long name 1", "... 2") keep the end
    that tells them apart; a name is shortened only to a label no other name has."""
    labels = short_labels(names)
    assert set(labels) == set(names)
    assert len(set(labels.values())) == len(names)
    for name, label in labels.items():
        assert label == name or (len(label) <= LABEL_CHARS and label.count("…") == 1)
    alike = ["Kasese Sub-County Producer Group 1", "Kasese Sub-County Producer Group 2"]
    assert short_labels(alike) == {
        alike[0]: "Kasese Sub-County Prod…1",
        alike[1]: "Kasese Sub-County Prod…2",
    }
