"""IATI activities: valid by the official 2.03 schema (lxml) and codelists, the same numbers as
the processed tables, baselines and targets, and never written without the publisher's own
organisation identifier. Runs use the stand-in PDF renderer (tests/fakes.py)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from pipeline import config
from pipeline.config import Dirs
from pipeline.core.countries import resolve_country
from pipeline.publish.iati import (
    CountryActivity,
    Publication,
    TargetRecord,
    iati_activities,
    location_refs,
)
from pipeline.publish.iati_standard import InvalidIati, check_iati, iati_problems
from pipeline.read.programme import read_programme
from pipeline.read.publishing import IatiPublisher, read_publishing
from pipeline.run import open_data
from pipeline.run.runner import run as real_run

from .conftest import SEED
from .fakes import fake_pdf
from .test_open_data import IATI_KEYS, portfolio

run = partial(real_run, render=fake_pdf)
STAMP = datetime(2005, 7, 1, tzinfo=UTC)
PUBLISHER = IatiPublisher("XM-EXAMPLE-1", "21", "Example", "XM-EXAMPLE-1-LA")


def xml_path(dirs: Dirs) -> Path:
    return config.iati_activities(dirs.reports)


def parsed(path: Path) -> etree._Element:
    return etree.parse(str(path)).getroot()


def test_the_iati_file_is_valid_by_the_official_schema(dirs: Dirs) -> None:
    outcome = run(portfolio(dirs, iati=True))
    assert outcome.ok and outcome.open_data_notice == ""
    schema = etree.XMLSchema(etree.parse(str(config.IATI_SCHEMA)))
    document = etree.parse(str(xml_path(dirs)))
    assert schema.validate(document), schema.error_log
    assert iati_problems(xml_path(dirs).read_bytes()) == []
    root = document.getroot()
    parent, *children = root.findall("iati-activity")
    assert parent.get("hierarchy") == "1" and [c.get("hierarchy") for c in children] == ["2", "2"]
    assert [c.findtext("iati-identifier") for c in children] == [
        "XM-EXAMPLE-1-LA-TZA",
        "XM-EXAMPLE-1-LA-UGA",
    ]
    assert [c.find("recipient-country").get("code") for c in children] == ["TZ", "UG"]
    assert [r.get("ref") for r in parent.findall("related-activity")] == [
        "XM-EXAMPLE-1-LA-TZA",
        "XM-EXAMPLE-1-LA-UGA",
    ]
    uganda = children[1]
    assert uganda.find("related-activity").attrib == {"ref": "XM-EXAMPLE-1-LA", "type": "1"}
    assert [loc.get("ref") for loc in uganda.findall("location")] == ["UGA-gulu", "UGA-lira"]
    link = uganda.find("document-link")
    assert link.attrib == {"url": "../uganda.pdf", "format": "application/pdf"}
    assert link.find("category").get("code") == "A08"
    assert all(i.attrib == {"measure": "1", "ascending": "true"} for i in uganda.iter("indicator"))


def totals(table: list[dict[str, str]], column: str, period: str) -> dict[str | None, float]:
    """The country's sum and each territory's figure, from a processed CSV's rows."""
    rows = [r for r in table if r.get("period", "") == period and r[column] != ""]
    figures: dict[str | None, float] = {r["territory"]: float(r[column]) for r in rows}
    if rows:
        figures[None] = sum(float(r[column]) for r in rows)
    return figures


def test_iati_numbers_are_the_processed_tables(dirs: Dirs) -> None:
    run(portfolio(dirs, iati=True))
    root = parsed(xml_path(dirs))
    for slug, code in (("uganda", "UGA"), ("tanzania", "TZA")):
        path = config.processed_csv(dirs.processed, slug)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            table = list(csv.DictReader(handle))
        activity = next(a for a in root if a.findtext("iati-identifier").endswith(code))
        names = {
            loc.get("ref"): loc.findtext("name/narrative")
            for loc in activity.iter("location")
            if loc.getparent() is activity
        }
        indicators = activity.findall("result/indicator")
        assert len(indicators) == 4
        for indicator, column in zip(
            indicators, ("pmgs", "members", "volume_sold_t", "value_usd"), strict=True
        ):
            for period in indicator.findall("period"):
                label = {"2005-01-01": "2005-Q1", "2005-04-01": "2005-Q2", "2003-03-01": ""}[
                    period.find("period-start").get("iso-date")
                ]
                stated = {
                    names.get(a.find("location").get("ref"))
                    if a.find("location") is not None
                    else None: float(a.get("value"))
                    for a in period.findall("actual")
                }
                assert stated == pytest.approx(totals(table, column, label), rel=0, abs=0)


def test_a_figure_not_reported_is_left_out_and_the_total_says_so(dirs: Dirs) -> None:
    run(portfolio(dirs, iati=True))
    uganda = parsed(xml_path(dirs))[2]
    pmgs = uganda.find("result/indicator")
    q2 = pmgs.findall("period")[1]
    actuals = q2.findall("actual")
    assert [a.get("value") for a in actuals] == ["5", "5"]  # Lira's PMGs not reported in Q2
    assert actuals[0].findtext("comment/narrative") == (
        "Sum of the 1 territories that reported it; not reported: Lira."
    )
    assert actuals[1].find("location").get("ref") == "UGA-gulu"


def test_no_iati_file_without_the_organisation_identifier(dirs: Dirs) -> None:
    outcome = run(portfolio(dirs))
    assert not xml_path(dirs).exists()
    assert outcome.open_data_notice.startswith("No IATI file: add open_data.iati.reporting_org,")
    assert outcome.ok  # open data never fails a run for a key the publisher has not set
    # Set, then taken away again: the file does not outlive its identifiers.
    programme = (dirs.raw / config.PROGRAMME_FILE).read_text(encoding="utf-8")
    (dirs.raw / config.PROGRAMME_FILE).write_text(programme + IATI_KEYS, encoding="utf-8")
    run(dirs)
    assert xml_path(dirs).is_file()
    (dirs.raw / config.PROGRAMME_FILE).write_text(programme, encoding="utf-8")
    run(dirs)
    assert not xml_path(dirs).exists()


@pytest.mark.parametrize(
    ("change", "notice"),
    [
        ('reporting_org_type: "21"', 'reporting_org_type in programme.yaml: "99" is not an IATI'),
        ("activity_prefix: XM-EXAMPLE-1-LA", "activity_prefix in programme.yaml must start with"),
    ],
)
def test_a_wrong_iati_setting_writes_no_file_and_says_why(
    dirs: Dirs, change: str, notice: str
) -> None:
    wrong = {"21": '"99"', "XM-EXAMPLE-1-LA": "XM-OTHER-2-LA"}
    key, value = change.split(": ")
    keys = IATI_KEYS.replace(change, f"{key}: {wrong[value.strip(chr(34))]}")
    with (dirs.raw / config.PROGRAMME_FILE).open("a", encoding="utf-8") as handle:
        handle.write(keys)
    settings = read_publishing(dirs.raw / config.PROGRAMME_FILE, dirs.raw / config.SETTINGS_FILE)
    assert settings.iati is None and notice in settings.iati_notice


def small_table(**columns: list[object]) -> pd.DataFrame:
    table = {
        "territory": ["Gulu", "Lira"],
        "pmgs": [4.0, 3.0],
        "members": [120.0, 90.0],
        "volume_sold_t": [10.5, float("nan")],
        "value_usd": [2500.0, 1800.0],
        "period": ["2005-Q1", "2005-Q1"],
    }
    return pd.DataFrame({**table, **columns})


def small_activities(
    records: Sequence[TargetRecord] = (),
    publisher: IatiPublisher = PUBLISHER,
    table: pd.DataFrame | None = None,
    brief_url: str = "https://example.org/uganda.pdf",
) -> bytes:
    programme = read_programme(SEED / config.PROGRAMME_FILE)
    table = small_table() if table is None else table
    country = CountryActivity(resolve_country("UG"), table, brief_url)
    whole = (datetime(2003, 3, 1).date(), datetime(2004, 10, 31).date())
    return iati_activities(Publication(publisher, programme, whole, STAMP), [country], "", records)


def test_the_activity_status_given_is_used() -> None:
    derived = etree.fromstring(check_iati(small_activities()))
    assert {e.get("code") for e in derived.iter("activity-status")} == {"3"}  # ended by 2004
    stated = small_activities(publisher=replace(PUBLISHER, activity_status="4"))
    root = etree.fromstring(check_iati(stated))
    assert {e.get("code") for e in root.iter("activity-status")} == {"4"}


def test_a_figure_never_reported_has_no_indicator_and_none_at_all_no_result() -> None:
    none = [float("nan")] * 2
    child = etree.fromstring(check_iati(small_activities(table=small_table(pmgs=none))))[1]
    titles = [i.findtext("title/narrative") for i in child.iter("indicator")]
    assert len(titles) == 3 and not any(t.startswith("Producer marketing") for t in titles)
    empty = small_table(pmgs=none, members=none, volume_sold_t=none, value_usd=none)
    child = etree.fromstring(check_iati(small_activities(table=empty)))[1]
    assert child.find("result") is None
    assert [loc.get("ref") for loc in child.findall("location")] == ["UGA-gulu", "UGA-lira"]


def test_a_country_without_a_brief_links_no_document() -> None:
    child = etree.fromstring(check_iati(small_activities(brief_url="")))[1]
    assert child.find("document-link") is None
    assert child.find("related-activity").get("ref") == "XM-EXAMPLE-1-LA"


def test_territories_with_the_same_slug_get_distinct_locations() -> None:
    table = small_table(territory=["Gulu 1", "Gulu-1"])
    refs = location_refs(resolve_country("UG"), table)
    assert list(refs.values()) == [("UGA-gulu-1", "Gulu 1"), ("UGA-gulu-1-2", "Gulu-1")]
    assert iati_problems(small_activities(table=table)) == []


def test_a_baseline_without_a_year_is_a_bug_not_a_guess() -> None:
    record = TargetRecord("UGA", "members", "2005-Q1", baseline=50)
    with pytest.raises(ValueError, match="A baseline of members in UGA has no year"):
        small_activities([record])


def test_baselines_and_targets_are_written_from_records() -> None:
    records = [
        TargetRecord("UGA", "members", "2005-Q1", target=250, baseline=0, baseline_year=2004),
        TargetRecord("UGA", "members", "2005-Q1", target=150, territory="gulu"),
        TargetRecord("UGA", "members", "2005-Q2", target=300),  # a period not reported yet
        TargetRecord(
            "UGA", "value_usd", "2005-Q1", baseline=900, baseline_year=2004, territory="Lira"
        ),
    ]
    data = check_iati(small_activities(records))
    members, value = (
        i
        for i in etree.fromstring(data).iter("indicator")
        if i.findtext("title/narrative").startswith(("Farmers", "Value"))
    )
    assert [b.attrib for b in members.findall("baseline")] == [{"year": "2004", "value": "0"}]
    q1, q2 = members.findall("period")
    assert [t.get("value") for t in q1.findall("target")] == ["250", "150"]
    assert q1.findall("target")[1].find("location").get("ref") == "UGA-gulu"
    assert [a.get("value") for a in q1.findall("actual")] == ["210", "120", "90"]
    assert q2.find("period-start").get("iso-date") == "2005-04-01"
    assert [t.get("value") for t in q2.findall("target")] == ["300"] and not q2.findall("actual")
    baseline = value.find("baseline")
    assert baseline.get("value") == "900" and baseline.find("location").get("ref") == "UGA-lira"


def test_a_target_for_an_unknown_territory_is_a_bug() -> None:
    with pytest.raises(ValueError, match="not a territory of UGA"):
        small_activities([TargetRecord("UGA", "pmgs", "2005-Q1", target=5, territory="Kampala")])


def broken(data: bytes, how: str) -> bytes:
    root = etree.fromstring(data)
    child = root[1]
    if how == "schema":
        child.remove(child.find("title"))
    elif how == "codelist":
        next(child.iter("indicator")).set("measure", "99")
    elif how == "location":
        next(child.iter("actual")).append(etree.Element("location", ref="UGA-nowhere"))
    elif how == "link":
        root[0].remove(root[0].find("related-activity"))
    elif how == "duplicate":
        child.find("iati-identifier").text = root[0].findtext("iati-identifier")
    elif how == "prefix":
        child.find("reporting-org").set("ref", "XM-OTHER-2")
    elif how == "dangling":
        child.find("related-activity").set("ref", "XM-EXAMPLE-1-LA-KEN")
    return etree.tostring(root)


@pytest.mark.parametrize(
    ("how", "problem"),
    [
        ("schema", "Element 'description': This element is not expected. Expected is ( title )"),
        ("codelist", '"99" at //indicator/@measure is not an IATI IndicatorMeasure code'),
        ("location", "result location UGA-nowhere is not a location of the activity"),
        ("link", "XM-EXAMPLE-1-LA-UGA links to XM-EXAMPLE-1-LA, which does not link back"),
        ("duplicate", "two activities share an iati-identifier"),
        ("prefix", "XM-EXAMPLE-1-LA-UGA does not start with its reporting-org XM-OTHER-2-"),
        ("dangling", "XM-EXAMPLE-1-LA-UGA links to XM-EXAMPLE-1-LA-KEN, which is not in the file"),
    ],
)
def test_an_invalid_iati_file_is_refused(how: str, problem: str) -> None:
    assert iati_problems(small_activities()) == []
    problems = iati_problems(broken(small_activities(), how))
    assert any(problem in p for p in problems), problems
    with pytest.raises(InvalidIati, match="nothing was written"):
        check_iati(broken(small_activities(), how))


def test_an_invalid_iati_file_fails_the_run_and_is_never_written(
    dirs: Dirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    portfolio(dirs, iati=True)
    monkeypatch.setattr(open_data, "iati_file", _invalid_iati_file)
    with pytest.raises(InvalidIati):
        run(dirs)
    assert not xml_path(dirs).exists()
    assert not list(config.open_data_dir(dirs.reports).glob(".*.tmp"))


def _invalid_iati_file(*args: object) -> bytes:
    return check_iati(broken(small_activities(), "codelist"))


def test_targets_csv_gives_the_iati_baselines_and_targets(dirs: Dirs) -> None:
    (dirs.raw / "targets.csv").write_text(
        "country,territory,indicator,period,baseline,baseline_year,target\n"
        "Uganda,,value_usd,2005-Q2,1000,2004,6000\n"
        "Uganda,Gulu,members,2005-Q2,,,200\n"
        "Tanzania,,pmgs,,2,,10\n"  # a baseline with no year: IATI cannot date it
        "Tanzania,,reach,,,,0.5\n",  # not an indicator IATI publishes here
        encoding="utf-8",
    )
    outcome = run(portfolio(dirs, iati=True))
    assert outcome.ok, [f.as_text() for c in outcome.countries for f in c.findings]
    root = parsed(xml_path(dirs))
    schema = etree.XMLSchema(etree.parse(str(config.IATI_SCHEMA)))
    assert schema.validate(etree.ElementTree(root)), schema.error_log

    def indicator(activity: str, title: str) -> etree._Element:
        (found,) = [
            i
            for a in root.findall("iati-activity")
            if a.findtext("iati-identifier") == f"XM-EXAMPLE-1-LA-{activity}"
            for i in a.iter("indicator")
            if title in "".join(i.find("title").itertext())
        ]
        return found

    value = indicator("UGA", "alue")
    assert value.find("baseline").attrib == {"year": "2004", "value": "1000"}
    (q2,) = [
        p for p in value.findall("period") if p.find("period-end").get("iso-date") == "2005-06-30"
    ]
    assert q2.find("target").get("value") == "6000"
    members = indicator("UGA", "ember")
    (q2,) = [
        p
        for p in members.findall("period")
        if p.find("period-end").get("iso-date") == "2005-06-30"
    ]
    (gulu,) = [t for t in q2.findall("target") if t.find("location") is not None]
    assert (gulu.get("value"), gulu.find("location").get("ref")) == ("200", "UGA-gulu")
    groups = indicator("TZA", "roup")
    assert groups.find("baseline") is None  # no year, so not published
    assert [t.get("value") for t in groups.iter("target")] == ["10"]


def test_members_by_sex_and_age_are_actuals_and_targets_with_dimensions() -> None:
    """#26: the members indicator carries women, men (members − women) and youth as actuals
    with a sex or age dimension, and targets.csv's members_women and members_youth as targets;
    the file still validates against the XSD and the codelists."""
    table = small_table().assign(members_women=[70.0, float("nan")], members_youth=[30.0, 20.0])
    records = [
        TargetRecord(
            "UGA", "members_women", "2005-Q1", target=100, baseline=40, baseline_year=2004
        ),
        TargetRecord("UGA", "members_youth", "2005-Q1", target=60, territory="Lira"),
    ]
    data = check_iati(small_activities(records, table=table))
    (members,) = (
        i
        for i in etree.fromstring(data).iter("indicator")
        if i.findtext("title/narrative").startswith("Farmers")
    )

    def dims(element: etree._Element) -> list[tuple[str | None, str | None]]:
        return [(d.get("name"), d.get("value")) for d in element.findall("dimension")]

    (baseline,) = members.findall("baseline")
    assert dims(baseline) == [("sex", "female")] and baseline.get("value") == "40"
    (period,) = members.findall("period")
    targets = [(t.get("value"), dims(t)) for t in period.findall("target")]
    assert targets == [("100", [("sex", "female")]), ("60", [("age", "15-35")])]
    actuals = [
        (a.get("value"), dims(a), a.find("location") is not None) for a in period.findall("actual")
    ]
    assert actuals == [
        ("210", [], False),
        ("120", [], True),
        ("90", [], True),
        ("70", [("sex", "female")], False),
        ("70", [("sex", "female")], True),
        ("50", [("sex", "male")], False),
        ("50", [("sex", "male")], True),
        ("50", [("age", "15-35")], False),
        ("30", [("age", "15-35")], True),
        ("20", [("age", "15-35")], True),
    ]
    women = period.findall("actual")[3]
    assert "not reported: Lira" in women.findtext("comment/narrative")


def test_a_file_without_members_by_sex_and_age_has_no_dimension() -> None:
    assert b"<dimension" not in small_activities()
