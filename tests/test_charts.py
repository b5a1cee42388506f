"""Charts return Figures, render user text literally and carry alt text from the data."""

import io

import pandas as pd
import pytest
from matplotlib.figure import Figure

from pipeline.compute.indicators import territory_indicators
from pipeline.core.formatting import Formatter
from pipeline.present.chart_sets import charts
from pipeline.present.charts import LABEL_CHARS, ChartSetting, short_label


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
    places = {"value_usd": 0, "reach": 0, "price_usd_per_t": 0, "members_per_pmg": 0}
    return charts(frame, Formatter(), "brief", ChartSetting(places, 500.0, "average {price}"))


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
