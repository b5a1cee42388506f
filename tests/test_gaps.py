"""Real field data never breaks a brief: gaps, zeros, one territory, long names, any script.

Every table that validates gets a brief, and a donor is never told a number that was not
reported. Most checks read the brief's HTML (charts included); a few render real PDFs.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import shutil
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
import tinycss2
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from pipeline import config
from pipeline.check.rows import label_reading
from pipeline.check.totals import summary_word, totals_kind
from pipeline.compute.indicators import country_summary
from pipeline.compute.plausibility import FLAG_RULES
from pipeline.config import Dirs
from pipeline.core.formatting import FSI, NOT_REPORTED, PDI, Formatter
from pipeline.core.outcomes import Status
from pipeline.core.registry import REPORTED as NUMERIC
from pipeline.core.registry import decimals
from pipeline.present import brief_context
from pipeline.present.brief import brief_html
from pipeline.present.brief_context import BriefData, Framing, leading
from pipeline.present.charts import ChartSetting
from pipeline.present.overview import overview_html
from pipeline.present.render import html_to_pdf
from pipeline.read.programme import read_programme
from pipeline.run.build import validate_country
from pipeline.run.runner import run
from tests.tier import examples

from .conftest import FIXTURES, SEED
from .fakes import strip_tags

GAPS = FIXTURES / "gaps"
STAMP = datetime(2004, 10, 31, tzinfo=UTC)
HEADER = "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)\n"


def _brief(path: Path, lang: str = "en") -> tuple[str, pd.DataFrame]:
    """The brief's HTML for a country file, and its indicators; the file must validate."""
    result, table, ind = validate_country(path)
    # A generated territory that happens to hold the others' sums is a probable Totals row,
    # rightly refused (#19): such a table is not a valid one.
    if any(f.rule == "probable-totals-row" for f in result.findings):
        assume(False)
    assert table is not None and ind is not None, [f.message for f in result.findings]
    assert result.country is not None
    flags = [f for f in result.findings if f.rule in FLAG_RULES]
    programme = read_programme(SEED / config.PROGRAMME_FILE, lang)
    fmt = Formatter(lang)
    html = brief_html(
        BriefData(result.country, table, ind, flags),
        Framing(programme, fmt, STAMP),
        config.TEMPLATES_DIR,
    )
    return html, ind


def _text(html: str) -> str:
    """What a reader sees: the body's text, spaces folded (alt text, styles and the invisible
    bidi isolates around names left out)."""
    body = html[html.find("<body") :] if "<body" in html else html
    text = unescape(strip_tags(body)).replace(FSI, "").replace(PDI, "")
    return re.sub(r"\s+", " ", text)


def _section(html: str, pattern: str) -> str:
    match = re.search(pattern, html, re.DOTALL)
    return _text(match.group(1)) if match else ""


def assert_trustworthy(html: str, ind: pd.DataFrame) -> None:
    """Every reported figure is printed; nothing unreported is printed as a number."""
    fmt = Formatter()
    text = _text(html)
    words = text
    for name in (*ind["territory"], *ind["products"].dropna()):
        words = words.replace(re.sub(r"\s+", " ", str(name)), " ")
    assert not re.search(r"\b(nan|inf|None)\b|∞", words, re.IGNORECASE), words
    assert not re.search(r"median of (0|–)\b", words)
    for column in NUMERIC:  # each figure with its own precision
        for value in leading(ind, config.MAX_TERRITORIES_SHOWN)[column].dropna():
            assert fmt.number(value, decimals(column, value)) in text, (column, value)
    s = country_summary(ind)
    for column in NUMERIC:
        if s.missing(column):
            assert "not reported" in text
        elif s.partial(column):
            assert f"{s.reporting[column]} of {s.territories} reporting" in text
            total = s.values[column]
            assert fmt.number(total, decimals(column, total)) in text
        else:
            total = s.values[column]
            assert fmt.number(total, decimals(column, total)) in text
    # The lead and the key findings cite no figure that was not reported.
    for part in (r'<p class="lead">(.*?)</p>', r'<section class="findings">(.*?)</section>'):
        cited = _section(html, part)
        for name in ind["territory"]:
            cited = cited.replace(re.sub(r"\s+", " ", str(name)), " ")
        assert NOT_REPORTED not in cited and "nan" not in cited.lower()


def _country(tmp_path: Path, fixture: str, country: str = "tanzania") -> Path:
    path = tmp_path / f"{country}.csv"
    shutil.copy(GAPS / fixture, path)
    return path


@pytest.mark.parametrize("fixture", sorted(p.name for p in GAPS.glob("*.csv")))
def test_every_gap_fixture_builds_a_trustworthy_brief(
    tmp_path: Path, fixture: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        html, ind = _brief(_country(tmp_path, fixture))
    assert_trustworthy(html, ind)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def _tile(html: str, label: str) -> str:
    return _section(html, rf"<dt>{re.escape(label)}</dt>(.*?)</div>")


def test_a_column_nobody_reported_reads_not_reported(tmp_path: Path) -> None:
    html, _ = _brief(_country(tmp_path, "no_members.csv"))
    assert _tile(html, "PMG members").split() == [NOT_REPORTED, "not", "reported"]
    assert _tile(html, "Value per member").split() == [NOT_REPORTED, "not", "reported"]
    text = _text(html)
    # One line for the reach and group-size charts, not two headings over nothing.
    assert (
        "Charts not drawn: reach and members per PMG (members not reported). Every figure "
        "reported is in the tables." in text
    )
    assert "How large are the groups?" not in text
    assert "Members: not reported by any territory." in text  # the data notes
    assert "Not reported: members." in _section(html, r'<p class="lead">(.*?)</p>')


def test_a_partial_column_is_a_partial_total(tmp_path: Path) -> None:
    html, _ = _brief(_country(tmp_path, "value_without_volume.csv"))
    text = _text(html)
    assert "13.0 tonnes of produce sold (2 of 3 reporting)" in text
    assert "Left out: volume sold not reported for Arusha." in text  # the price chart
    assert "Volume sold: not reported by Arusha (1 of 3 territories)." in text
    # The price is over the two territories that reported both value and volume.
    assert "US$392 per tonne on average (2 of 3 reporting)" in text


def test_the_group_chart_marks_only_group_sizes_flagged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marked: list[set[int]] = []

    def charts(ind: pd.DataFrame, fmt: Formatter, level: str, setting: ChartSetting) -> list:
        marked.append(setting.flagged)
        return []

    monkeypatch.setattr(brief_context, "charts", charts)
    # Big's group size is flagged, and its price; Lone reports no volume, which is a gap.
    path = tmp_path / "tanzania.csv"
    shutil.copy(FIXTURES / "warnings" / "plausibility.csv", path)
    html, _ = _brief(path)
    assert 'data-for="TZA.members_per_pmg.big' in html  # the table marks Big's group size
    assert marked == [{5}]  # and the chart marks it, only it


def test_a_figure_not_reported_is_a_gap_never_a_flag(tmp_path: Path) -> None:
    """Arusha reports a value without a volume: its price is "not reported", not "flagged"."""
    html, _ = _brief(_country(tmp_path, "value_without_volume.csv"))
    assert "flagged" not in _text(html) and "To check" not in _text(html)
    assert "Left out: volume sold not reported for Arusha." in _text(html)


def test_members_without_pmgs_leave_out_only_the_group_size(tmp_path: Path) -> None:
    html, _ = _brief(_country(tmp_path, "members_without_pmgs.csv"))
    text = _text(html)
    assert "PMGs: not reported by Arusha (1 of 3 territories)." in text
    assert "Left out: PMGs not reported for Arusha." in text
    assert "28 members per group (2 of 3 reporting)" in text  # 140 members / 5 PMGs


def test_all_zeros_divide_by_nothing(tmp_path: Path) -> None:
    html, _ = _brief(_country(tmp_path, "all_zeros.csv"))
    text = _text(html)
    assert "US$0" in text and "not computed: the members total is zero" in text
    # No chart of zero-length bars: one line instead of four headings over nothing.
    assert "Charts not drawn: value of sales (every reported value is 0); reach" in text
    assert "Where did the value of sales come from?" not in text


def test_one_territory_compares_with_nothing(tmp_path: Path) -> None:
    html, _ = _brief(_country(tmp_path, "single_territory.csv"))
    text = _text(html)
    assert "in 1 territory" in text and "largest share" not in text and "ranged" not in text
    # Four charts of a single bar would compare nothing: one line stands for them all, and
    # the tables show the territory once, with no total that repeats it.
    assert text.count("only one territory reported these figures") == 1
    assert "No chart is drawn: only one territory reported these figures." in text
    assert "<figure>" not in html and "<tfoot>" not in html


def test_small_figures_are_never_rounded_to_zero(tmp_path: Path) -> None:
    html, _ = _brief(_country(tmp_path, "large_and_small.csv"))
    text = _text(html)
    assert "0.001" in text and "0.01" in text
    # Money of US$1,000 or more is in whole dollars; the attached table keeps the cents.
    assert "1,000,000,000" in text and "999,999,999.99" not in text


def test_gaps_read_as_not_reported_in_french(tmp_path: Path) -> None:
    path = tmp_path / "burundi.csv"
    path.write_text(
        HEADER + "Gitega,,maize,4,120,,4200\nNgozi,,beans,,90,8,\nMuyinga,,rice,2,50,5,2000\n"
    )
    html = _brief(path, "fr")[0]
    text = _text(html)
    assert "2 sur 3 communiqués" in text and "non communiqué" in text
    # One colon per sentence, and French sets a narrow no-break space before ":" and ";"
    # (_text folds it into a plain space, so read the HTML itself).
    raw = unescape(html).replace(FSI, "").replace(PDI, "")
    assert "Non représentés\u202f: aucune donnée de valeur des ventes pour Ngozi" in raw
    assert "3 lignes de données lues\u202f: 3 territoires\u202f; 3 acceptées." in raw


def test_growth_is_only_between_whole_totals(tmp_path: Path) -> None:
    path = tmp_path / "uganda.csv"
    path.write_text(
        "Territory,Period,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)\n"
        "North,2004,1000,maize,4,120,10,4200\nSouth,2004,800,cassava,2,60,5,900\n"
        "North,2005,1000,maize,5,150,12,6000\nSouth,2005,800,cassava,3,,6,\n"
    )
    html, _ = _brief(path)
    text = _text(html)
    assert "1 of 2 reporting" in text  # the latest period's members and value are partial
    assert "grew by" not in text and "fell by" not in text  # no trend sentence on a partial total
    growth = re.findall(r"<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*</tr>", html.split("trend")[-1])
    assert growth[-1] == (NOT_REPORTED, NOT_REPORTED)


def test_the_overview_adds_up_territories_and_marks_partial_totals(tmp_path: Path) -> None:
    results = []
    for fixture, country in (("value_without_volume.csv", "kenya"), ("no_members.csv", "uganda")):
        result, _, _ = validate_country(_country(tmp_path, fixture, country))
        results.append(result)
    fmt = Formatter()
    programme = read_programme(SEED / config.PROGRAMME_FILE)
    text = _text(overview_html(results, Framing(programme, fmt, STAMP), config.TEMPLATES_DIR))
    # Volume: 2 of Kenya's 3 territories and both of Uganda's; members: Kenya's 3 of 5.
    assert "31.5 t 4 of 5 reporting" in text
    assert "260 3 of 5 reporting" in text
    assert "Members: not reported by 2 of 5 territories, in Uganda." in text
    assert "Volume sold: not reported by 1 of 5 territories, in Kenya." in text
    assert not re.search(r"\b(nan|inf)\b", text)


#: Names a field office may write: other scripts, accents, emoji, full-width Latin.
SCRIPTS = [
    "አዲስ አበባ",
    "ትግራይ",
    "القاهرة الجديدة",
    "مكناس",
    "ＴＯＫＹＯ　ＦＡＲＭＳ",
    "Ségou-Kéniéba",
    "Đồng Tháp",
    "Maïs 🌽",
    "Mbeere ☕",
]


def _a_place(name: str) -> bool:
    """Not a word that labels another kind of row ("cible", "total", "zone b"): the tables
    drawn here are valid, and the rules for those rows are tested on their own."""
    return not (summary_word(name) or totals_kind(name) or label_reading(name))


@st.composite
def names(draw: st.DrawFn, count: int) -> list[str]:
    """`count` distinct territory names, some up to 200 characters, with or without spaces."""
    out = []
    for i in range(count):
        base = draw(
            st.one_of(
                st.sampled_from(SCRIPTS),
                st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=195),
                st.text(alphabet="abcdefgh ", min_size=1, max_size=195).map(str.strip),
            ).filter(_a_place),
        )
        out.append(f"{base or 'x'} {i}")
    return out


def _cell(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return ""
    return f"{value:.{decimals}f}"


@st.composite
def country_tables(draw: st.DrawFn) -> str:
    """A valid country table: 1 to 40 territories, any pattern of blanks, zeros, any names."""
    count = draw(st.integers(1, 40))
    territories = draw(names(count))
    # Per column: everyone reports it, nobody does, or each territory may or may not.
    modes = {c: draw(st.sampled_from(["all", "none", "some"])) for c in NUMERIC}

    def reported(column: str) -> bool:
        return modes[column] == "all" or (modes[column] == "some" and draw(st.booleans()))

    def number(column: str, top: int, scale: int = 1) -> float | None:
        if not reported(column):
            return None
        return draw(st.one_of(st.just(0), st.integers(0, top))) / scale

    lines = [HEADER]
    for name in territories:
        pmgs = number("pmgs", 500)
        members = number("members", 20_000)
        if pmgs is not None and members is not None:
            members = pmgs + members  # members are never fewer than PMGs
        volume = number("volume_sold_t", 10**8, 1000)
        value = number("value_usd", 10**11, 100)
        # Sales need sellers, and a value needs produce sold (rule sales-without-sellers):
        # where a figure behind them is 0, nothing was sold.
        if 0 in (pmgs, members):
            volume = None if volume is None else 0.0
            value = None if value is None else 0.0
        if volume == 0 and value:
            value = 0.0
        cells = [
            name,
            _cell(number("target_households", 100_000)),
            draw(st.sampled_from(["maize", "beans; teff", "ጤፍ", "", "cotton (not sold yet)"])),
            _cell(pmgs),
            _cell(members),
            _cell(volume, 3),
            _cell(value, 2),
        ]
        lines.append(",".join('"' + c.replace('"', '""') + '"' for c in cells) + "\n")
    return "".join(lines)


@settings(
    max_examples=examples(12),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(table=country_tables())
def test_any_valid_table_builds_a_trustworthy_brief(
    tmp_path: Path, table: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "ethiopia.csv"
    path.write_text(table, encoding="utf-8")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        html, ind = _brief(path)
    assert_trustworthy(html, ind)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


@settings(
    max_examples=examples(2),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.slow
@given(table=country_tables())
def test_any_valid_table_renders_within_the_page_limit(
    tmp_path: Path, table: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "ethiopia.csv"
    path.write_text(table, encoding="utf-8")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        pdf = html_to_pdf(_brief(path)[0], config.TEMPLATES_DIR, config.MAX_PAGES)
    assert 1 <= pdf.pages <= config.MAX_PAGES
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.mark.slow
def test_gap_fixtures_and_any_script_as_real_pdfs(dirs: Dirs) -> None:
    """Real PDFs: within the page limit, names printed as written, only our fonts embedded."""
    shutil.copy(GAPS / "all_zeros.csv", dirs.raw / "malawi.csv")
    rows = [f'"{name}",,teff,3,40,,"1,000"' for name in SCRIPTS]
    rows[0] = f'"{SCRIPTS[0]}",,teff,3,40,2.5,'  # one territory without value
    rows.append(f'"{"Kaskazini" * 22}",,"ＦＵＬＬ ＷＩＤＴＨ beans, Café 🌽",3,40,,"1,000"')
    (dirs.raw / "ethiopia.csv").write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    outcome = run(dirs, jobs=1)
    assert {c.file: c.status for c in outcome.countries} == {
        "ethiopia.csv": Status.BUILT,
        "malawi.csv": Status.BUILT,
    }
    assert all(c.pages <= config.MAX_PAGES for c in outcome.countries)
    reader = PdfReader(dirs.reports / "ethiopia.pdf")
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    for name in ("አዲስ አበባ", "ＴＯＫＹＯ", "Ségou-Kéniéba", "Đồng Tháp", "🌽", "☕"):
        assert name in text
    fonts = {
        font["/BaseFont"].split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert all(f.startswith("Briefs-") for f in fonts), fonts
    assert {"Briefs-Ethiopic", "Briefs-Emoji", "Briefs-Fullwidth"} <= fonts


def test_names_in_sentences_keep_their_own_direction(tmp_path: Path) -> None:
    """An Arabic name in an English sentence is isolated, so "(9%)" stays after it."""
    path = tmp_path / "sudan.csv"
    path.write_text(
        HEADER + "القاهرة,5000,سمسم,9,410,,19800\nالخرطوم بحري,3500,ذرة,6,300,40,13000\n",
        encoding="utf-8",
    )
    html, _ = _brief(path)
    raw = unescape(re.sub(r"<[^>]+>", "", html))  # the text, with the isolates kept
    assert f"highest in {FSI}الخرطوم بحري{PDI} (9%)." in raw
    assert f"{FSI}القاهرة{PDI} contributed the largest share" in raw
    assert f"In {FSI}Sudan{PDI}, the agro-enterprise approach" in raw
    assert f"not reported by {FSI}القاهرة{PDI} (1 of 2 territories)" in raw  # data notes
    # The price chart, of one bar, is not drawn, and its line says why.
    why = f"one territory reported these figures: volume sold not reported for {FSI}القاهرة{PDI})"
    assert why in raw


def _headings_with_nothing_under(html: str) -> list[str]:
    """Headings followed directly by the end of their section or by another heading."""
    return re.findall(
        r"<h[23][^>]*>([^<]*)</h[23]>\s*(?:</section>|<h[23]|<div[^>]*>\s*</div>)", html
    )


def test_no_heading_stands_without_content(tmp_path: Path) -> None:
    """One country gives no overview charts; a programme with no text gives no narrative."""
    result, _, _ = validate_country(_country(tmp_path, "value_without_volume.csv", "kenya"))
    programme = read_programme(SEED / config.PROGRAMME_FILE)
    overview = overview_html(
        [result], Framing(programme, Formatter(), STAMP), config.TEMPLATES_DIR
    )
    assert "What the figures show" not in overview
    assert _headings_with_nothing_under(overview) == []

    bare = dataclasses.replace(programme, sections=())
    result, table, ind = validate_country(_country(tmp_path, "value_without_volume.csv"))
    assert result.country is not None and table is not None and ind is not None
    brief = brief_html(
        BriefData(result.country, table, ind),
        Framing(bare, Formatter(), STAMP),
        config.TEMPLATES_DIR,
    )
    assert "About the programme" not in brief
    assert _headings_with_nothing_under(brief) == []


def _css_rules() -> dict[str, str]:
    """Each selector of brief.css with the declarations it is given, spaces folded."""
    rules: dict[str, str] = {}
    sheet = (config.TEMPLATES_DIR / "brief.css").read_text(encoding="utf-8")
    for rule in tinycss2.parse_stylesheet(sheet, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        body = " ".join(tinycss2.serialize(rule.content).split())
        for selector in tinycss2.serialize(rule.prelude).split(","):
            key = " ".join(selector.split())
            rules[key] = rules.get(key, "") + " " + body
    return rules


def test_headings_and_their_notes_stay_with_what_they_introduce() -> None:
    rules = _css_rules()
    for selector in ("h2", "h3", ".fallback-note"):
        assert "break-after: avoid" in rules.get(selector, ""), selector


def test_a_period_label_never_wraps(tmp_path: Path) -> None:
    """ "2005-H1" in the Change over time table stays on one line, as in the overview."""
    path = tmp_path / "zambia.csv"
    path.write_text(
        "Territory,Period,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)\n"
        "Kappa,2004,3000,maize,5,250,30,10000\nKappa,2005-H1,3000,maize,8,410,48,17500\n"
    )
    html, _ = _brief(path)
    trend = html[html.index('<section class="trend">') :]
    assert re.search(r'<th scope="row" class="[^"]*\bperiod\b[^"]*">2005-H1</th>', trend)
    assert "white-space: nowrap" in _css_rules()["table.numbers .period"]


@settings(max_examples=examples(20), deadline=None)
@given(
    count=st.integers(2, 5),
    subtotal=st.booleans(),
    repeated=st.booleans(),
    totals=st.booleans(),
    notes=st.integers(0, 2),
)
def test_the_rows_read_are_the_sum_of_their_kinds_in_the_data_notes(
    tmp_path_factory: pytest.TempPathFactory,
    count: int,
    subtotal: bool,
    repeated: bool,
    totals: bool,
    notes: int,
) -> None:
    """ "6 data rows read: 3 territories, 1 Totals row, 1 subtotal, 1 note": every kind of row
    is counted, so that a reader can add the parts up to the rows read."""
    names = ["Mbeere", "Kitu", "Homabay", "Tana River", "Mwingi"][:count]
    rows = [
        f"{n},{1000 * (i + 1)},maize,{i + 2},{50 * (i + 1)},{i + 1},{900 * (i + 1)}"
        for i, n in enumerate(names)
    ]
    sums = [sum(int(r.split(",")[c]) for r in rows) for c in (1, 3, 4, 5, 6)]
    lines = rows[:2]
    if subtotal:
        first_two = [sum(int(r.split(",")[c]) for r in rows[:2]) for c in (1, 3, 4, 5, 6)]
        lines.append("Subtotal East,{},,{},{},{},{}".format(*first_two))
    if repeated:
        lines.append(HEADER.strip())
    lines += rows[2:]
    if totals:
        lines.append("Totals,{},,{},{},{},{}".format(*sums))
    lines += [f"Note: figure {n + 1} is provisional,,,,,," for n in range(notes)]
    path = tmp_path_factory.mktemp("kinds") / "kenya.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")

    html, _ = _brief(path)

    said = re.search(r"(\d+) data rows? read: ([^;]*);", _text(html))
    assert said is not None
    assert int(said[1]) == len(lines)
    assert sum(int(n) for n in re.findall(r"\d+", said[2])) == len(lines), said[0]
