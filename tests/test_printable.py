"""A name the briefs cannot print is refused, never printed as empty boxes.

The oracle is the renderer itself: matplotlib, drawing a chart's text in the charts' own
style and fonts, warns of each glyph it lacks. A territory's name or products are refused
with `unprintable-text` exactly when it would warn, in the regular or the bold weight.
"""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import matplotlib as mpl
from hypothesis import example, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from pipeline.check.validate import country_table
from pipeline.core.glyphs import script_names, unprintable
from pipeline.present.charts import STYLE
from pipeline.read.tables import read_table

from .tier import examples

#: Letters, marks, digits, punctuation and symbols of every script: the text a name may hold.
NAME_CHARACTERS = st.characters(categories=("L", "M", "N", "P", "S"), exclude_characters=',"')


def _drawn_whole(text: str) -> bool:
    """True if matplotlib draws every glyph of `text`, in the regular and the bold weight."""
    with warnings.catch_warnings(record=True) as caught, mpl.rc_context(STYLE):
        warnings.simplefilter("always")
        for weight in ("normal", "bold"):
            figure = Figure()
            figure.text(0, 0, text, fontweight=weight)
            figure.savefig(io.StringIO(), format="svg")
    return not any("missing from font" in str(w.message) for w in caught)


def _refused(tmp: Path, name: str, products: str) -> set[tuple[int, str]]:
    path = tmp / "kenya.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Territory", "Target households", "Products", "PMGs", "Members",
                         "Volume sold (t)", "Value (US$)"])  # fmt: skip
        writer.writerow([f"A {name}", 1000, f"maize {products}", 4, 120, 10, 4200])
        writer.writerow(["South", 800, "cassava", 2, 60, 5, 900])
    table = country_table(read_table(path), country="KEN")
    return {(f.line or 0, f.column) for f in table.findings if f.rule == "unprintable-text"}


@settings(max_examples=examples(60), deadline=None)
@given(
    name=st.text(NAME_CHARACTERS, min_size=1, max_size=6),
    products=st.text(NAME_CHARACTERS, max_size=4),
)
@example(name="मुंबई", products="")  # Devanagari: no shipped font
@example(name="北京", products="")  # CJK ideographs: only the fullwidth forms are shipped
@example(name="አዲስ አበባ", products="ጤፍ")  # Ethiopic: shipped
@example(name="الخرطوم", products="")  # Arabic: shipped
@example(name="ⵜⴰⵎⴰⵣⵉⵖⵜ", products="ߒߞߏ")  # Tifinagh, N'Ko: in DejaVu
@example(name="Kitu", products="𝖠")  # a mathematical letter DejaVu's bold lacks
@example(name="0", products="\u17b4")  # Khmer's inherent vowel: ignorable, drawn as nothing
@example(name="0", products="0\u135d")  # an Ethiopic mark on a Latin digit: no one font
def test_a_name_is_refused_exactly_when_the_charts_could_not_draw_it(
    tmp_path_factory, name: str, products: str
) -> None:
    refused = _refused(tmp_path_factory.mktemp("names"), name, products)
    expected = {(2, "Territory")} if not _drawn_whole(f"A {name}") else set()
    expected |= {(2, "Products")} if not _drawn_whole(f"maize {products}") else set()
    assert refused == expected, (name, products, unprintable(name + products))


def test_the_finding_names_the_script_and_the_letters() -> None:
    assert script_names(unprintable("मुंबई 北京 Kitu 한국")) == "Devanagari, CJK, Hangul"
    assert unprintable("Mbeere አዲስ القاهرة 😀") == ""
