"""Members by sex and age (#26): read, computed with coverage, stated in the brief in English
and French, and carried by the open data; absent columns change nothing."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from pipeline import config
from pipeline.check.schemas import TerritoryIndicators
from pipeline.check.target_match import country_targets
from pipeline.check.targets import targets_table
from pipeline.compute.indicators import country_summary, territory_indicators
from pipeline.compute.plausibility import FLAG_RULES
from pipeline.compute.targets import results_against_targets
from pipeline.core.countries import resolve_country
from pipeline.core.formatting import FSI, PDI, Formatter
from pipeline.core.outcomes import CountryResult, Status
from pipeline.present.brief import brief_html
from pipeline.present.brief_context import BriefData, Framing
from pipeline.present.overview import overview_context
from pipeline.publish.datapackage import table_schema
from pipeline.publish.hxl import hxl_table
from pipeline.publish.small_counts import suppressed
from pipeline.read.programme import read_programme
from pipeline.read.targets import read_targets
from pipeline.run.build import validate_country

from .conftest import SEED
from .fakes import strip_tags

STAMP = datetime(2004, 10, 31, tzinfo=UTC)
#: Made-up women and youth members (never real data): Kitu's youth not reported.
TABLE = """\
Territory,Target households,Products,PMGs,Members,Women members,Members (youth),Volume sold (t),Value (US$)
Mbeere,5000,greengrams,9,400,100,80,32,13103
Homabay,5000,groundnuts,27,3000,1500,600,145,78175
Kitu,4000,cotton,8,400,220,,161,46153
Total,14000,,44,3800,1820,680,338,137431
"""
#: TABLE with women's shares 45% to 50% (within 15 points): Mbeere 180 and Kitu 200 women.
WOMEN_CLOSE = (
    TABLE.replace(",400,100,", ",400,180,")
    .replace(",400,220,", ",400,200,")
    .replace(",3800,1820,", ",3800,1880,")
)
PLAIN = """\
Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)
Mbeere,5000,greengrams,9,400,32,13103
Homabay,5000,groundnuts,27,3000,145,78175
Kitu,4000,cotton,8,400,161,46153
"""


def _validated(tmp_path: Path, text: str = TABLE):
    path = tmp_path / "kenya.csv"
    path.write_text(text, encoding="utf-8")
    result, table, ind = validate_country(path)
    assert table is not None and ind is not None, [f.message for f in result.findings]
    return result, table, ind


def _brief(tmp_path: Path, lang: str = "en", text: str = TABLE, ages=(15, 35)) -> str:
    result, table, ind = _validated(tmp_path, text)
    flags = [f for f in result.findings if f.rule in FLAG_RULES]
    fmt = Formatter(lang)
    programme = read_programme(SEED / config.PROGRAMME_FILE, lang)
    html = brief_html(
        BriefData(result.country, table, ind, flags),
        Framing(programme, fmt, STAMP, None, ages),
        config.TEMPLATES_DIR,
    )
    body = html[html.find("<body") :]
    return re.sub(r"\s+", " ", unescape(strip_tags(body)).replace(FSI, "").replace(PDI, ""))


def test_shares_and_men_are_ratios_of_sums_over_rows_that_report_both(tmp_path: Path) -> None:
    _, _, ind = _validated(tmp_path)
    s = country_summary(ind)
    assert s.values["members_women"] == 1820 and s.reporting["members_women"] == 3
    assert s.values["women_share"] == pytest.approx(1820 / 3800)
    # Kitu did not report youth: its members are not in the youth share's divisor.
    assert s.values["members_youth"] == 680 and s.reporting["members_youth"] == 2
    assert s.values["youth_share"] == pytest.approx(680 / 3400) and s.partial("youth_share")
    assert s.values["members_men"] == 3800 - 1820
    assert list(ind["members_men"]) == [300, 1500, 180]
    assert math.isnan(ind.loc[4, "youth_share"])


def test_a_file_without_the_columns_has_none_of_their_figures(tmp_path: Path) -> None:
    _, _, ind = _validated(tmp_path, PLAIN)
    assert not {"members_women", "women_share", "members_men"} & set(ind.columns)
    assert "women_share" not in country_summary(ind).values
    text = _brief(tmp_path, "en", PLAIN)
    assert "women" not in text.lower() and "youth" not in text.lower()


def test_the_brief_states_both_totals_and_shares_with_coverage(tmp_path: Path) -> None:
    text = _brief(tmp_path)
    # The line under the members' tile, each share with its coverage.
    assert "48% women, 20% youth (2 of 3 reporting)" in text
    # The impact table's Women and Youth columns, totals with their coverage.
    assert re.search(r"Women \(no\.\) Youth \(no\.\)", text)
    assert re.search(r"Total 14,000 44 3,800 1,820 680 2 of 3 reporting", text)
    # The indicators table's shares.
    assert re.search(r"Women \(% of members\) Youth \(% of members\)", text)
    # The chart of the women's share, and the finding: 25% in Mbeere, 55% in Kitu (> 15 pp).
    assert "How many of the members are women?" in text
    assert "The share of women among members ranges from 25% in Mbeere to 55% in Kitu." in text
    assert "Youth members: not reported by Kitu (1 of 3 territories)." in text
    # Both parts defined in one entry, youth with its ages (settings.yaml youth_age).
    assert "Women, youth Members who are women, or aged 15 to 35 years." in text


def test_the_french_brief_states_them_too(tmp_path: Path) -> None:
    text = _brief(tmp_path, "fr", ages=(18, 30))
    # (The text's spaces are folded: French sets a narrow no-break space before "%".)
    assert "48 % de femmes, 20 % de jeunes (2 sur 3 communiqués)" in text
    assert "La part des femmes parmi les membres va de" in text
    assert "Combien de membres sont des femmes" in text
    assert "Femmes, jeunes Membres femmes, ou âgés de 18 à 30 ans." in text


def test_no_chart_or_finding_when_fewer_than_two_territories_report(tmp_path: Path) -> None:
    one = TABLE.replace(",1500,600,", ",,600,").replace(",220,,", ",,,").replace(",1820,", ",,")
    text = _brief(tmp_path, text=one)
    assert "How many of the members are women?" not in text
    assert "share of women among members" not in text
    assert "25% women (1 of 3 reporting)" in text


def test_one_part_alone_is_defined_alone(tmp_path: Path) -> None:
    lines = [",".join(line.split(",")[:6] + line.split(",")[7:]) for line in TABLE.splitlines()]
    text = _brief(tmp_path, text="\n".join(lines) + "\n")
    assert "Women Members who are women; men are members minus women." in text
    assert "youth" not in text.lower()


def test_youth_shares_far_apart_are_a_key_finding_too(tmp_path: Path) -> None:
    far = TABLE.replace(",400,100,80,", ",400,100,200,").replace(",1820,680,", ",1820,800,")
    text = _brief(tmp_path, text=far)
    # 50% in Mbeere, 20% in Homabay (Kitu did not report youth): 30 points apart.
    assert "The share of youth among members ranges from 20% in Homabay to 50% in Mbeere." in text


def test_youth_far_apart_is_a_finding_even_when_women_are_close(tmp_path: Path) -> None:
    close = WOMEN_CLOSE.replace(",400,180,80,", ",400,180,200,").replace(
        ",1880,680,", ",1880,800,"
    )
    text = _brief(tmp_path, text=close)
    assert "share of women among members ranges" not in text  # 45% to 50%: within 15 pp
    assert "The share of youth among members ranges from 20% in Homabay to 50% in Mbeere." in text


def test_close_shares_are_no_key_finding(tmp_path: Path) -> None:
    text = _brief(tmp_path, text=WOMEN_CLOSE)
    assert "share of women among members ranges" not in text  # 45% to 50%: within 15 pp
    assert "How many of the members are women?" in text


def test_targets_for_women_and_youth_compare_with_their_totals(tmp_path: Path) -> None:
    _, table, _ = _validated(tmp_path)
    path = tmp_path / "targets.csv"
    path.write_text(
        "country,indicator,target\nKenya,members_women,2000\nKenya,members_youth,1000\n",
        encoding="utf-8",
    )
    kept, found = country_targets(targets_table(read_targets(path)), "KEN", table)
    assert found == []
    results = results_against_targets(territory_indicators(table.territories), kept)
    assert list(results["actual"]) == [1820, 680]
    assert list(results["partial"]) == [False, True]


def test_hxl_tags_follow_the_dictionary_and_youth_age(tmp_path: Path) -> None:
    _, _, ind = _validated(tmp_path)
    whole = (datetime(2003, 3, 1).date(), datetime(2004, 10, 31).date())
    table, tags = hxl_table(ind, resolve_country("KE"), whole, 1, (18, 30))
    by_column = dict(zip(["line", *table.columns], tags, strict=True))
    assert by_column["members_women"] == "#reached+ind+members+f"
    assert by_column["members_men"] == "#reached+ind+members+m"
    assert by_column["members_youth"] == "#reached+ind+members+age18_30"


def test_the_table_schema_constrains_the_new_columns(tmp_path: Path) -> None:
    _, _, ind = _validated(tmp_path)
    columns = ["line", *ind.columns]
    fields = {f["name"]: f for f in table_schema(TerritoryIndicators, columns)["fields"]}
    assert fields["members_women"]["type"] == "integer"
    assert fields["members_women"]["constraints"] == {"minimum": 0, "maximum": 100_000_000}
    assert fields["members_men"]["type"] == "integer"
    assert fields["women_share"]["constraints"] == {"minimum": 0, "maximum": 1}


def test_small_counts_are_left_out_with_what_gives_them_away() -> None:
    table = pd.DataFrame(
        {
            "members": [400.0, 30.0],
            "members_women": [100.0, 3.0],
            "members_men": [300.0, 27.0],
            "women_share": [0.25, 0.1],
            "members_youth": [0.0, 4.0],
            "youth_share": [0.0, 4 / 30],
        }
    )
    assert suppressed(table, 0) is table and suppressed(table, 3) is table
    out = suppressed(table, 5)
    assert out.iloc[0].tolist() == table.iloc[0].tolist()  # 0 is no small count
    assert out.iloc[1].isna().tolist() == [False, True, True, True, True, True]


def _result(tmp_path: Path, name: str, text: str) -> CountryResult:
    folder = tmp_path / name
    folder.mkdir()
    result, _, ind = _validated(folder, text)
    result.status = Status.VALIDATED
    result.summary = country_summary(ind).flat()
    return result


def test_the_overview_states_the_shares_by_country_with_coverage(tmp_path: Path) -> None:
    kenya = _result(tmp_path, "ke", TABLE)
    uganda = _result(tmp_path, "ug", PLAIN)
    uganda.country = resolve_country("UG")
    programme = read_programme(SEED / config.PROGRAMME_FILE)
    context = overview_context([kenya, uganda], Framing(programme, Formatter(), STAMP))
    labels = [h["label"] for h in context["headers"]]
    assert labels[-2:] == ["Women", "Youth"]
    by_country = {r["country"]: r["numbers"][-2:] for r in context["rows"]}
    assert [strip_tags(c["text"]) for c in by_country["Kenya"]] == ["48%", "20%"]
    assert strip_tags(by_country["Kenya"][1]["note"]) == "2 of 3 reporting"
    assert [c["text"] for c in by_country["Uganda"]] == ["–", "–"]
    totals = context["totals"][-2:]
    assert [strip_tags(c["text"]) for c in totals] == ["48%", "20%"]
    assert [strip_tags(c["note"]) for c in totals] == ["3 of 6 reporting", "2 of 6 reporting"]


def test_an_overview_without_the_columns_has_no_share_column(tmp_path: Path) -> None:
    uganda = _result(tmp_path, "ug", PLAIN)
    programme = read_programme(SEED / config.PROGRAMME_FILE)
    context = overview_context([uganda], Framing(programme, Formatter(), STAMP))
    assert "Women" not in [h["label"] for h in context["headers"]]


def test_libhxl_reads_the_members_parts_attributes(tmp_path: Path) -> None:
    import io

    import hxl

    from pipeline.run.outputs import frame_csv

    _, _, ind = _validated(tmp_path)
    whole = (datetime(2003, 3, 1).date(), datetime(2004, 10, 31).date())
    table, tags = hxl_table(ind, resolve_country("KE"), whole)
    source = hxl.data(io.BytesIO(frame_csv(table, tags)))
    attributes = {c.header: set(c.attributes) for c in source.columns}
    assert attributes["members_women"] == {"ind", "members", "f"}
    assert attributes["members_men"] == {"ind", "members", "m"}
    assert attributes["members_youth"] == {"ind", "members", "age15_35"}
    rows = list(source)
    assert [r.get("#reached+f") for r in rows] == ["100", "1500", "220"]
