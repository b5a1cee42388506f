"""Results against targets: the targets file's error catalogue, the indicators, briefs, overview."""

from __future__ import annotations

import json
import math
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import config
from pipeline.check.target_match import country_targets
from pipeline.check.targets import LEFT_OUT, Target, targets_table
from pipeline.check.validate import country_table
from pipeline.compute.figures import brief_figures
from pipeline.compute.indicators import territory_indicators
from pipeline.compute.targets import TargetResults, achieved, progress, results_against_targets
from pipeline.config import Dirs
from pipeline.core.findings import FileRefused, Severity
from pipeline.core.formatting import Formatter
from pipeline.core.outcomes import Status
from pipeline.present.targets_context import results, target_rows
from pipeline.read.tables import read_table
from pipeline.read.targets import countries_named, read_targets
from pipeline.run.runner import run
from tests.tier import examples

from .conftest import FIXTURES, SEED
from .fakes import fake_attachments, fake_pdf, fake_text, strip_tags

HEADER = "country,territory,indicator,period,baseline,baseline_year,target\n"
COUNTRY_HEADER = "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)\n"

#: fixture -> every finding it must produce, as (line, column as written, rule); each is
#: checked against tests/fixtures/periods/two_periods.csv as Uganda (North, South; 2004, 2005-H1).
EXPECTED = {
    "unknown_country.csv": [(2, "country", "target-unknown-country")],
    "unknown_territory.csv": [(2, "territory", "target-unknown-territory")],
    "unknown_indicator.csv": [(2, "indicator", "target-unknown-indicator")],
    "duplicate_target.csv": [
        (2, "indicator", "duplicate-target"),
        (3, "indicator", "duplicate-target"),
    ],
    "duplicate_latest_period.csv": [
        (2, "indicator", "duplicate-target"),
        (3, "indicator", "duplicate-target"),
    ],
    "negative_target.csv": [(2, "target", "negative-target")],
    "share_above_one.csv": [(2, "target", "share-above-one")],
    "target_not_a_number.csv": [
        (2, "target", "target-not-a-number"),
        (3, "target", "target-not-a-number"),
    ],
    "period_not_reported.csv": [(2, "period", "target-period-not-reported")],
    # #26: a target for women members where the country file gives no such column.
    "women_column_not_given.csv": [(2, "indicator", "target-column-not-given")],
    "bad_period.csv": [(2, "period", "bad-period")],
    "extra_cell.csv": [(2, "", "extra-cell")],
}


@pytest.fixture(scope="module")
def uganda():
    return country_table(read_table(FIXTURES / "periods" / "two_periods.csv"))


def test_every_targets_fixture_is_catalogued() -> None:
    folder = FIXTURES / "targets_invalid"
    assert sorted(p.name for p in folder.glob("*.csv")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_targets_fixture_findings(name: str, uganda) -> None:
    targets = targets_table(read_targets(FIXTURES / "targets_invalid" / name))
    kept, found = country_targets(targets, "UGA", uganda)
    findings = [*found, *targets.unattributed]
    assert sorted((f.line, f.column, f.rule) for f in findings) == EXPECTED[name]
    assert kept == []  # every bad row is left out ...
    for f in findings:  # ... never blocks the brief, and says so
        assert f.severity is Severity.WARNING and f.file == name
        assert f.message.endswith(LEFT_OUT) and f.fix


def test_findings_name_the_value_and_the_other_line(uganda) -> None:
    dup = targets_table(read_targets(FIXTURES / "targets_invalid" / "duplicate_target.csv"))
    assert "on line 3" in dup.findings[0].message
    period = targets_table(read_targets(FIXTURES / "targets_invalid" / "period_not_reported.csv"))
    (finding,) = country_targets(period, "UGA", uganda)[1]
    assert finding.value == "2003" and "reports 2004, 2005-H1, not 2003" in finding.message


def test_a_file_without_a_target_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "targets.csv"
    path.write_text("country,indicator,goal\nKenya,value_usd,5\n", encoding="utf-8")
    with pytest.raises(FileRefused) as info:
        targets_table(read_targets(path))
    assert (info.value.finding.line, info.value.finding.rule) == (1, "missing-column")


def test_the_country_files_reader_reads_targets(tmp_path: Path) -> None:
    """Title rows, Excel's sep=; line, decimal commas and UTF-16 are read as for countries."""
    path = tmp_path / "targets.csv"
    text = (
        "sep=;\nTargets 2005;;\nCountry;Indicator;Period;Baseline;Target\n"
        "UG;Volume sold (t);2004;1,5;12,25\nuganda;reach;2004;;45 %\n"
    )
    path.write_bytes(text.encode("utf-16"))
    targets = targets_table(read_targets(path))
    assert targets.findings == ()
    assert [(t.line, t.indicator, t.baseline, t.target) for t in targets.rows] == [
        (4, "volume_sold_t", 1.5, 12.25),
        (5, "reach", pytest.approx(math.nan, nan_ok=True), 0.45),
    ]
    assert countries_named(path) == {"UGA"}


def test_achieved_and_progress_keep_not_reported() -> None:
    assert achieved(140653, 150000) == pytest.approx(0.9377, abs=1e-4)
    assert math.isnan(achieved(math.nan, 150000)) and math.isnan(achieved(5, math.nan))
    assert math.isnan(achieved(5, 0))
    assert progress(75, 50, 100) == 0.5
    assert math.isnan(progress(75, math.nan, 100)) and math.isnan(progress(75, 100, 100))


@settings(max_examples=examples(60), deadline=None)
@given(
    actual=st.integers(min_value=0, max_value=10**9),
    target=st.integers(min_value=1, max_value=10**9),
    lang=st.sampled_from(["en", "fr"]),
)
def test_percent_achieved_is_actual_over_target_to_the_precision_shown(
    actual: int, target: int, lang: str
) -> None:
    territories = pd.DataFrame(
        {
            "territory": ["North"],
            "target_households": [1000.0],
            "products": ["maize"],
            "pmgs": [4.0],
            "members": [120.0],
            "volume_sold_t": [10.0],
            "value_usd": [float(actual)],
        },
        index=pd.Index([2], name="line"),
    )
    goal = Target(2, "UGA", "", "value_usd", "", math.nan, "", float(target))
    indicators = territory_indicators(territories)
    frame = results_against_targets(indicators, [goal])
    figures = brief_figures("UGA", indicators)
    (row,) = target_rows(results(TargetResults("t.csv", "", frame, 0), figures), Formatter(lang))
    text = strip_tags(row["achieved"])
    # "99.7%" or "99,7 %": the decimal separator is the language's; the others group digits.
    digits = re.sub(
        r"[^\d.]", "", text.replace(",", "") if lang == "en" else text.replace(",", ".")
    )
    shown, exact = Decimal(digits), Decimal(actual) * 100 / Decimal(target)
    assert abs(shown - exact) <= Decimal("0.5").scaleb(shown.as_tuple().exponent), text
    assert shown != 0 or actual == 0, text  # never "0%" for sales above zero
    assert shown != 100 or actual == target, text  # never "100%" short of the target or past it


def _kenya(dirs: Dirs, targets: str | None) -> None:
    shutil.copy(SEED / "kenya.csv", dirs.raw / "kenya.csv")
    if targets is not None:
        (dirs.raw / "targets.csv").write_text(HEADER + targets, encoding="utf-8")


def _flat(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


KENYA_TARGETS = (
    "Kenya,,value_usd,2003-2004,0,2003,150000\n"
    "Kenya,Mbeere,members,2003-2004,0,2003,500\n"
    "KE,,members,,,,8000\n"
)


def test_kenya_brief_with_targets(dirs: Dirs) -> None:
    _kenya(dirs, KENYA_TARGETS)
    (result,) = run(dirs, render=fake_pdf).countries
    assert result.status is Status.BUILT
    text = _flat(fake_text(dirs.reports / "kenya.pdf"))
    assert "Results against targets" in text
    assert "Value of sales US$0 (2003) US$150,000 US$140,653 +US$140,653 94% 94%" in text
    assert "US$140,653 collective sales by PMGs 94% of target" in text  # the tile
    # Members rest on Tana River's flagged row: the tile and the finding say so.
    assert (
        "7,842 3,842 without Tana River, flagged reach 43% of target households (27% without "
        "Tana River, flagged) 98% of target (48% without Tana River, flagged)" in text
    )
    assert (
        "Against its targets, Kenya did best on PMG members, 7,842 against a target of 8,000 "
        "(98% achieved; 48% without Tana River, flagged), and least well on PMG members in "
        "Mbeere, 447 against a target of 500 (89% achieved)." in text
    )
    # The impact table has no room for a target column beside Kenya's qualified total: the
    # territory's target is in the results table, and the impact table says so.
    assert "Each territory's targets are in Results against targets." in text
    assert "PMG members, Mbeere 0 (2003) 500 447 +447 89% 89%" in text
    sha = (dirs.raw / "targets.csv").read_bytes()
    assert f"Targets targets.csv (SHA-256 {_sha(sha)[:12]}…)" in text
    results = dirs.processed / "kenya-results.csv"
    assert (
        fake_attachments(dirs.reports / "kenya.pdf")["kenya-results.csv"] == results.read_bytes()
    )
    frame = pd.read_csv(results, encoding="utf-8-sig")
    assert list(frame["achieved"]) == pytest.approx([7842 / 8000, 140653 / 150000, 447 / 500])
    manifest = json.loads(config.manifest(dirs.reports).read_text(encoding="utf-8"))
    entry = manifest["countries"]["kenya.csv"]
    assert entry["inputs"]["targets.csv"] == _sha(sha)
    assert "../processed/kenya-results.csv" in entry["outputs"]


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_kenya_brief_with_targets_in_french(dirs: Dirs) -> None:
    _kenya(dirs, KENYA_TARGETS)
    run(dirs, render=fake_pdf, lang="fr")
    text = _flat(fake_text(dirs.reports / "kenya.fr.pdf"))
    assert "Résultats par rapport aux cibles" in text
    assert "94 % de la cible" in text and "94%" not in text


def test_a_brief_without_targets_is_unchanged(dirs: Dirs, tmp_path: Path) -> None:
    _kenya(dirs, None)
    run(dirs, render=fake_pdf)
    before = (dirs.reports / "kenya.pdf").read_bytes()
    (dirs.raw / "targets.csv").write_text(HEADER + "Uganda,,value_usd,,,,5\n", encoding="utf-8")
    (result,) = run(dirs, render=fake_pdf).countries
    assert result.unchanged  # targets.csv does not name Kenya: not one of its inputs
    run(dirs, render=fake_pdf, force=True)
    assert (dirs.reports / "kenya.pdf").read_bytes() == before
    assert not (dirs.processed / "kenya-results.csv").exists()


def test_a_target_for_a_territory_that_reports_nothing(dirs: Dirs) -> None:
    (dirs.raw / "uganda.csv").write_text(
        COUNTRY_HEADER + "Gulu,2000,maize,10,400,20,9000\nLira,,,,,,\n", encoding="utf-8"
    )
    (dirs.raw / "targets.csv").write_text(
        HEADER + "Uganda,Lira,members,,,,100\nUganda,Kitgum,members,,,,50\n", encoding="utf-8"
    )
    (result,) = run(dirs, render=fake_pdf).countries
    assert result.status is Status.BUILT
    (unknown,) = [f for f in result.findings if f.file == "targets.csv"]
    assert (unknown.line, unknown.rule) == (3, "target-unknown-territory")
    text = _flat(fake_text(dirs.reports / "uganda.pdf"))
    assert "PMG members, Lira – 100 – – – –" in text  # no actual: no %, never 0%
    assert "100 (–)" in text
    assert "1 target was left out" in text
    assert "Against its targets" not in text  # nothing achieved to speak of


def test_changing_targets_rebuilds_the_countries_it_names(dirs: Dirs) -> None:
    _kenya(dirs, "Kenya,,value_usd,,,,150000\n")
    (dirs.raw / "uganda.csv").write_text(COUNTRY_HEADER + "Gulu,2000,maize,10,400,20,9000\n")
    run(dirs, render=fake_pdf)
    _kenya(dirs, "Kenya,,value_usd,,,,140000\n")
    results = {r.name: r for r in run(dirs, render=fake_pdf).countries}
    assert not results["Kenya"].unchanged and results["Uganda"].unchanged
    assert "100.5% of target" in fake_text(dirs.reports / "kenya.pdf")  # 140,653 of 140,000
    assert run(dirs, render=fake_pdf).up_to_date


def test_rows_naming_no_country_are_in_the_validation_report(dirs: Dirs) -> None:
    _kenya(dirs, "Narnia,,value_usd,,,,5\n")
    outcome = run(dirs, render=fake_pdf)
    assert outcome.ok and [f.rule for f in outcome.input_findings] == ["target-unknown-country"]
    report = config.validation_report(dirs.reports).read_text(encoding="utf-8")
    assert "targets.csv: rows that name no country" in report and "Narnia" in report


def test_an_unreadable_targets_file_is_an_error_and_briefs_build_without(dirs: Dirs) -> None:
    _kenya(dirs, None)
    (dirs.raw / "targets.csv").write_text("country,indicator\nKenya,value_usd\n")
    outcome = run(dirs, render=fake_pdf)
    assert not outcome.ok and "targets.csv" in outcome.content_error
    assert outcome.countries[0].status is Status.BUILT


def test_overview_shows_achievement_and_programme_totals(dirs: Dirs) -> None:
    _kenya(dirs, "Kenya,,value_usd,,,,150000\nKenya,,reach,,,,50%\nUganda,,value_usd,,,,10000\n")
    (dirs.raw / "uganda.csv").write_text(COUNTRY_HEADER + "Gulu,2000,maize,10,400,20,11000\n")
    run(dirs, render=fake_pdf)
    text = _flat(fake_text(dirs.reports / "overview.pdf"))
    # A row per country, a column per indicator (value of sales, then reach): each cell the
    # % achieved and "actual of target"; Uganda has no reach target, so a blank cell.
    assert "Country Value of sales Reach" in text
    # Kenya's reach rests on Tana River's flagged members: the overview says so too.
    assert (
        "Kenya 94% US$140,653 of US$150,000 87% 43% of 50% (27% without Tana River, flagged)"
        in text
    )
    assert "Uganda 110% US$11,000 of US$10,000 Programme" in text
    # 151,653 of 160,000; reach is a share: no programme total, the row ends there.
    assert "Programme 95% US$151,653 of US$160,000, 2 countries % achieved is" in text
    assert "How close did each country come to its targets?" in text


def test_a_file_without_a_targets_header_is_refused_and_names_no_country(tmp_path: Path) -> None:
    path = tmp_path / "targets.csv"
    path.write_text("Kenya,value,5\nUganda,value,6\n", encoding="utf-8")
    with pytest.raises(FileRefused) as info:
        read_targets(path)
    assert info.value.finding.rule == "no-header"
    assert "country,indicator,target" in info.value.finding.fix
    assert countries_named(path) == frozenset() and countries_named(None) == frozenset()
    path.write_text("indicator,target\nvalue_usd,5\n", encoding="utf-8")
    assert countries_named(path) == frozenset()  # readable, but names no country


def test_targets_of_a_country_that_fails_validation_are_still_listed(dirs: Dirs) -> None:
    (dirs.raw / "uganda.csv").write_text(COUNTRY_HEADER + "Gulu,2000,maize,10,-4,20,9000\n")
    (dirs.raw / "targets.csv").write_text(HEADER + "Uganda,,profit,,,,5\nUganda,,members,,,,5\n")
    (result,) = run(dirs, render=fake_pdf).countries
    assert result.status is Status.INVALID and result.targets == []
    assert [f.rule for f in result.findings if f.file == "targets.csv"] == [
        "target-unknown-indicator"
    ]
    assert not (dirs.processed / "uganda-results.csv").exists()


def test_a_volume_not_reported_has_no_percent(dirs: Dirs) -> None:
    (dirs.raw / "uganda.csv").write_text(COUNTRY_HEADER + "Gulu,2000,maize,10,400,,\n")
    (dirs.raw / "targets.csv").write_text(HEADER + "Uganda,Gulu,volume_sold_t,,,,12.5\n")
    run(dirs, render=fake_pdf)
    text = _flat(fake_text(dirs.reports / "uganda.pdf"))
    assert "Volume sold, Gulu – 12.5 t – – – –" in text


def test_money_and_volume_are_written_one_way_in_each_brief(dirs: Dirs) -> None:
    """Money is in whole dollars from US$1,000, else to the cent when it has cents (never one
    decimal); each figure is written alike everywhere, in the brief and the overview."""
    (dirs.raw / "uganda.csv").write_text(
        COUNTRY_HEADER + "Nord,4000,maïs,9,450,55,21500.5\nSud,3500,café,7,380,73,16250\n",
        encoding="utf-8",
    )
    (dirs.raw / "targets.csv").write_text(
        HEADER + "Uganda,,value_usd,,0,2003,60000\nUganda,,volume_sold_t,,0,2003,150\n",
        encoding="utf-8",
    )
    run(dirs, render=fake_pdf)
    for brief in ("uganda.pdf", "overview.pdf"):
        text = _flat(fake_text(dirs.reports / brief))
        assert not re.search(r"US\$[\d,]+\.\d(?!\d)", text), brief  # no money with one decimal
        # The total, in the tiles, the lead and the targets table: whole dollars each time.
        assert text.count("US$37,750") >= 2 and "37,750.5" not in text, brief
        assert "US$37,751" not in text, brief
        assert "128.0 t" in text and not re.search(r"\b128 t", text), brief
    text = _flat(fake_text(dirs.reports / "uganda.pdf"))
    assert "128.0 tonnes" in text and "US$60,000" in text  # the lead; the target, alike
    assert "US$60,000.00" not in text and "128 tonnes" not in text and "150.0 t" in text


def test_the_targets_finding_names_indicators_mid_sentence_and_says_what_each_figure_is(
    dirs: Dirs,
) -> None:
    """Not "least well on Reach (67% of 20%)": the figure, its target, then the share achieved."""
    (dirs.raw / "uganda.csv").write_text(
        COUNTRY_HEADER + "North,3000,maize,8,410,48,17500\nSouth,2500,beans,6,330,39,14200\n",
        encoding="utf-8",
    )
    (dirs.raw / "targets.csv").write_text(
        HEADER + "Uganda,,value_usd,,0,2003,40000\nUganda,,reach,,,,20%\n", encoding="utf-8"
    )
    run(dirs, render=fake_pdf)
    text = _flat(fake_text(dirs.reports / "uganda.pdf"))
    # 740 members of 5,500 households is 13%; 13.45% of 20% is 67%; 31,700 of 40,000 is 79%.
    assert (
        "Against its targets, Uganda did best on value of sales, US$31,700 against a target of "
        "US$40,000 (79% achieved), and least well on reach, 13% against a target of 20% "
        "(67% achieved)." in text
    )
