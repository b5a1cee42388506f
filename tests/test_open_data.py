"""Open data beside the briefs: the Frictionless data package and HXL, each checked by its
standard's own tool (frictionless, libhxl); the files follow their country and the manifest.

Orchestration is the subject, so runs use the stand-in PDF renderer (tests/fakes.py).
"""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import hxl
import pandera.pandas as pa
import pytest
from frictionless import validate
from pandera.typing import Series

from pipeline import config
from pipeline.check.schemas import CountryTotals, FigureLineage, TerritoryIndicators
from pipeline.config import Dirs
from pipeline.core.countries import resolve_country
from pipeline.core.formatting import Formatter
from pipeline.core.outcomes import CountryResult, Status
from pipeline.present.overview import country_frame
from pipeline.publish.datapackage import TableResource, data_package, table_schema
from pipeline.read.programme import read_programme
from pipeline.read.publishing import Contributor, Publishing, read_publishing
from pipeline.run.runner import run as real_run

from .conftest import SEED
from .fakes import fake_pdf, fake_text

run = partial(real_run, render=fake_pdf)

#: Two periods; Lira did not report its volume in Q1 nor its PMGs in Q2.
UGANDA = """Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$),Period
Gulu,1000,"maize, beans",4,120,10.5,2500,2005-Q1
Lira,800,sesame,3,90,-,1800,2005-Q1
Gulu,1000,maize,5,150,12,3000,2005-Q2
Lira,800,sesame,-,95,4,1900,2005-Q2
"""
#: No period column: the programme's period dates it.
TANZANIA = """Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)
Arusha,2000,coffee,6,300,20,9000
Moshi,1500,"coffee; bananas",2,80,7.25,2100
"""
IATI_KEYS = """
open_data:
  licence: {name: CC-BY-4.0, path: "https://creativecommons.org/licenses/by/4.0/"}
  iati:
    reporting_org: XM-EXAMPLE-1
    reporting_org_type: "21"
    activity_prefix: XM-EXAMPLE-1-LA
"""

#: An HXL schema for the hashtag rows we write (libhxl's own validator reads it).
HXL_RULES = [
    ["#valid_tag", "#valid_required", "#valid_datatype"],
    ["#country+code", "true", ""],
    ["#adm1+name", "true", ""],
    ["#targeted+hh", "", "number"],
    ["#item+name+list", "", ""],
    ["#output+pmgs+num", "", "number"],
    ["#reached+ind+members", "", "number"],
    ["#indicator+volume_sold_t+num", "", "number"],
    ["#value+sales+c_usd", "", "number"],
    ["#date+start", "true", "date"],
    ["#date+end", "true", "date"],
]


def portfolio(dirs: Dirs, iati: bool = False) -> Dirs:
    (dirs.raw / "uganda.csv").write_text(UGANDA, encoding="utf-8")
    (dirs.raw / "tanzania.csv").write_text(TANZANIA, encoding="utf-8")
    if iati:
        with (dirs.raw / config.PROGRAMME_FILE).open("a", encoding="utf-8") as handle:
            handle.write(IATI_KEYS)
    return dirs


def open_data(dirs: Dirs) -> Path:
    return config.open_data_dir(dirs.reports)


def test_a_report_writes_the_open_data_and_records_it(dirs: Dirs) -> None:
    outcome = run(portfolio(dirs))
    assert outcome.ok
    names = sorted(p.name for p in open_data(dirs).iterdir())
    assert names == [
        "datapackage.json",
        "overview.csv",
        "tanzania-lineage.csv",
        "tanzania.csv",
        "tanzania.hxl.csv",
        "uganda-lineage.csv",
        "uganda.csv",
        "uganda.hxl.csv",
    ]
    assert "open_data.iati.reporting_org" in outcome.open_data_notice
    manifest = json.loads(config.manifest(dirs.reports).read_text(encoding="utf-8"))
    assert "open-data/uganda.hxl.csv" in manifest["countries"]["uganda.csv"]["outputs"]
    assert "open-data/datapackage.json" in manifest["reports"]
    # The published table is the processed table, byte for byte.
    published = open_data(dirs) / "uganda.csv"
    assert published.read_bytes() == config.processed_csv(dirs.processed, "uganda").read_bytes()


def test_counts_are_integers_and_not_reported_stays_empty(dirs: Dirs) -> None:
    run(portfolio(dirs))
    lines = (open_data(dirs) / "uganda.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("line,territory,target_households,products,pmgs,members,")
    assert lines[2].startswith("3,Lira,800,sesame,3,90,,1800.0,")  # volume not reported
    assert ",,95," in lines[4]  # PMGs not reported: empty, never 0


def test_the_data_package_is_valid_by_frictionless(dirs: Dirs) -> None:
    run(portfolio(dirs, iati=True))
    report = validate(str(open_data(dirs) / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    package = json.loads((open_data(dirs) / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == [
        "tanzania",
        "uganda",
        "tanzania-lineage",
        "uganda-lineage",
        "overview",
    ]
    assert package["resources"][2]["schema"].get("primaryKey") is None
    assert package["licenses"] == [
        {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}
    ]
    assert package["contributors"][1]["title"] == "Catholic Relief Services (CRS)"
    uganda = package["resources"][1]["schema"]
    assert uganda["primaryKey"] == ["territory", "period"]
    assert package["resources"][0]["schema"]["primaryKey"] == ["territory"]
    assert uganda["missingValues"] == [""]


def test_the_package_fields_are_the_data_dictionary(dirs: Dirs) -> None:
    run(portfolio(dirs))
    package = json.loads((open_data(dirs) / "datapackage.json").read_text(encoding="utf-8"))
    for resource, model in zip(
        package["resources"][1:],
        (TerritoryIndicators, FigureLineage, FigureLineage, CountryTotals),
        strict=True,
    ):
        columns = model.to_schema().columns
        for field in resource["schema"]["fields"]:
            if field["name"] in columns:
                assert field["description"] == columns[field["name"]].description
    fields = {f["name"]: f for f in package["resources"][1]["schema"]["fields"]}
    assert fields["members"]["type"] == "integer"
    assert fields["volume_sold_t"]["type"] == "number"
    assert fields["value_usd"]["constraints"] == {"minimum": 0, "maximum": 10_000_000_000}


def test_frictionless_refuses_a_count_written_as_a_float(tmp_path: Path) -> None:
    """The reason counts are integers: a Table Schema integer refuses `5000.0`."""
    programme = read_programme(SEED / config.PROGRAMME_FILE)
    data = (
        "\ufeffline,territory,target_households,products,pmgs,members,volume_sold_t,value_usd,"
        "reach,members_per_pmg,value_per_member_usd,price_usd_per_t,value_share\n"
        "3,Gulu,5000.0,maize,4,120,10.5,2500.0,0.024,30.0,20.8,238.1,1.0\n"
    ).encode()
    (tmp_path / "gulu.csv").write_bytes(data)
    resource = TableResource("gulu", "gulu.csv", "Gulu", TerritoryIndicators, data)
    package = data_package([resource], programme, Publishing(), datetime(2005, 1, 1, tzinfo=UTC))
    (tmp_path / "datapackage.json").write_bytes(package)
    report = validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert [e[:2] for e in report.flatten(["fieldName", "type"])] == [
        ["target_households", "type-error"]
    ]


def test_the_overview_table_matches_its_model() -> None:
    country = CountryResult("kenya.csv", resolve_country("KE"), status=Status.BUILT)
    country.summary = {
        "territories": 4.0,
        "target_households": 18125.0,
        "pmgs": 49.0,
        "members": 7842.0,
        "volume_sold_t": 341.5,
        "value_usd": 140653.0,
    }
    CountryTotals.validate(country_frame([country], Formatter("en")))


def test_the_overview_table_carries_members_by_sex_and_age_where_given() -> None:
    """data/processed/overview.csv adds women and youth, their shares and how many territories
    reported them, when a country's file gives the columns; a country without them is empty
    there, never 0 (#26)."""
    kenya = CountryResult("kenya.csv", resolve_country("KE"), status=Status.BUILT)
    kenya.summary = {"territories": 4.0, "members": 7842.0, "value_usd": 140653.0}
    uganda = CountryResult("uganda.csv", resolve_country("UG"), status=Status.BUILT)
    uganda.summary = {
        "territories": 3.0,
        "members": 1000.0,
        "value_usd": 5000.0,
        "members_women": 400.0,
        "members_women_reporting": 2.0,
        "members_reporting": 3.0,
        "women_share": 0.5,
        "women_share_numerator": 400.0,
        "women_share_denominator": 800.0,
    }
    frame = country_frame([kenya, uganda], Formatter("en"))
    CountryTotals.validate(frame)
    rows = frame.set_index("territory")
    assert rows.loc["Uganda", "members_women"] == 400
    assert rows.loc["Uganda", "women_share"] == 0.5
    assert rows.loc["Uganda", "members_women_reporting"] == 2
    assert math.isnan(rows.loc["Kenya", "members_women"])
    assert math.isnan(rows.loc["Kenya", "women_share"])
    assert "members_youth" not in frame and "youth_share" not in frame
    without = country_frame([kenya], Formatter("en"))
    assert not any("women" in c for c in without.columns)


def hxl_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    source = hxl.data(io.BytesIO(path.read_bytes()))
    return [c.display_tag for c in source.columns], [list(row.values) for row in source]


@pytest.mark.parametrize("level", [None, 2])
def test_hxl_tags_are_valid_against_an_hxl_schema(dirs: Dirs, level: int | None) -> None:
    if level:
        with (dirs.raw / config.SETTINGS_FILE).open("a", encoding="utf-8") as handle:
            handle.write(f"admin_levels:\n  Uganda: {level}\n")
    run(portfolio(dirs))
    path = open_data(dirs) / "uganda.hxl.csv"
    tags, rows = hxl_rows(path)
    adm = f"#adm{level or 1}+name"
    assert tags[:9] == [
        "#meta+line",
        "#country+code",
        adm,
        "#targeted+hh",
        "#item+name+list",
        "#output+pmgs+num",
        "#reached+ind+members",
        "#indicator+volume_sold_t+num",
        "#value+sales+c_usd",
    ]
    rules = [[adm if cell == "#adm1+name" else cell for cell in rule] for rule in HXL_RULES]
    problems: list[str] = []
    valid = hxl.schema(rules, callback=lambda e: problems.append(e.message)).validate(
        hxl.data(io.BytesIO(path.read_bytes()))
    )
    assert valid, problems
    start, end = tags.index("#date+start"), tags.index("#date+end")
    assert [(r[start], r[end]) for r in rows][:2] == [("2005-01-01", "2005-03-31")] * 2
    assert [(r[start], r[end]) for r in rows][2:] == [("2005-04-01", "2005-06-30")] * 2


def test_the_hxl_schema_refuses_a_wrong_tag_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.hxl.csv"
    bad.write_text(
        "territory,pmgs,start,end\n#adm1+name,#output+pmgs+num,#date+start,#date+end\n"
        "Gulu,four,2005-Q1,2005-03-31\n",
        encoding="utf-8",
    )
    problems: list[str] = []
    rules = [HXL_RULES[0], *(r for r in HXL_RULES if r[0] in ("#output+pmgs+num", "#date+start"))]
    schema = hxl.schema(rules, callback=lambda e: problems.append(e.message))
    assert not schema.validate(hxl.data(io.BytesIO(bad.read_bytes())))
    assert sorted(problems) == ["Expected a date", "Expected a number"]


def test_the_brief_names_the_open_data_files(dirs: Dirs) -> None:
    run(portfolio(dirs))
    text = fake_text(config.brief_pdf(dirs.reports, "uganda"))
    # A donor gets the PDF by e-mail: the note points to its attachment, then names the
    # programme's open data without pointing to a folder that is not beside it.
    assert "The table attached to this PDF, uganda.csv, carries the same figures" in text
    assert "Frictionless Data Package (datapackage.json) and HXL (uganda.hxl.csv)" in text
    assert "iati-activities.xml" not in text and "folder" not in text
    run(portfolio(dirs, iati=True))
    assert "IATI (iati-activities.xml)" in fake_text(config.brief_pdf(dirs.reports, "uganda"))


def test_open_data_follows_its_country(dirs: Dirs) -> None:
    run(portfolio(dirs))
    (dirs.raw / "uganda.csv").write_text(UGANDA.replace("4,120", "4,1"), encoding="utf-8")
    run(dirs)  # members below PMGs: Uganda is invalid
    assert not (open_data(dirs) / "uganda.csv").exists()
    assert not (open_data(dirs) / "uganda.hxl.csv").exists()
    assert not (open_data(dirs) / "uganda-lineage.csv").exists()
    package = json.loads((open_data(dirs) / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == [
        "tanzania",
        "tanzania-lineage",
        "overview",
    ]
    (dirs.raw / "tanzania.csv").unlink()
    run(dirs)
    assert not (open_data(dirs) / "tanzania.hxl.csv").exists()


def test_a_deleted_open_data_file_is_rebuilt_and_nothing_else_changes(dirs: Dirs) -> None:
    run(portfolio(dirs))
    assert run(dirs).up_to_date
    package = open_data(dirs) / "datapackage.json"
    before = package.read_bytes()
    package.unlink()
    assert not run(dirs).up_to_date
    assert package.read_bytes() == before


def test_results_against_targets_are_in_the_data_package(dirs: Dirs) -> None:
    (dirs.raw / "targets.csv").write_text(
        "country,territory,indicator,period,baseline,baseline_year,target\n"
        "Tanzania,,value_usd,,0,2004,15000\n"
        "Tanzania,Moshi,members,,,,100\n",
        encoding="utf-8",
    )
    assert run(portfolio(dirs)).ok
    results = open_data(dirs) / "tanzania-results.csv"
    assert results.read_bytes() == (dirs.processed / "tanzania-results.csv").read_bytes()
    assert not (open_data(dirs) / "uganda-results.csv").exists()  # no targets, no table
    package = json.loads((open_data(dirs) / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in package["resources"] if r["name"] == "tanzania-results"]
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert fields["achieved"]["description"].startswith("Share of the target achieved")
    enum = fields["indicator"]["constraints"]["enum"]
    assert {"members", "pmgs", "members_women", "members_youth"} <= set(enum)
    assert "primaryKey" not in resource["schema"]
    report = validate(str(open_data(dirs) / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    # The targets go when the file does, with the country's other outputs kept.
    (dirs.raw / "targets.csv").unlink()
    assert run(dirs).ok
    assert not results.exists() and (open_data(dirs) / "tanzania.csv").exists()


def _publishing(dirs: Dirs, open_data: str = "", settings: str = "") -> Publishing:
    for name, text in ((config.PROGRAMME_FILE, open_data), (config.SETTINGS_FILE, settings)):
        with (dirs.raw / name).open("a", encoding="utf-8") as handle:
            handle.write(text)
    return read_publishing(dirs.raw / config.PROGRAMME_FILE, dirs.raw / config.SETTINGS_FILE)


def test_without_programme_yaml_nothing_is_published_and_nothing_raises(tmp_path: Path) -> None:
    settings = read_publishing(tmp_path / "programme.yaml", tmp_path / "settings.yaml")
    assert (settings.licence, settings.contributors, settings.iati) == ({}, (), None)
    assert settings.iati_notice.startswith("No IATI file: add open_data.iati.reporting_org,")


@pytest.mark.parametrize(
    "licence", ["CC-BY-4.0", "{title: Creative Commons Attribution 4.0}"], ids=["text", "title"]
)
def test_a_licence_without_name_or_path_is_ignored_and_said(dirs: Dirs, licence: str) -> None:
    settings = _publishing(dirs, f"open_data:\n  licence: {licence}\n")
    assert settings.licence == {}
    assert settings.problems == (
        "open_data.licence in programme.yaml needs a name or a path; ignored.",
    )


def test_contributors_given_replace_the_partners(dirs: Dirs) -> None:
    settings = _publishing(
        dirs,
        "open_data:\n  contributors:\n"
        "    - {title: Example Trust, roles: [publisher], path: 'https://example.org'}\n"
        "    - {roles: [creator]}\n"  # no title: left out
        "    - Someone\n",
    )
    assert settings.contributors == (
        Contributor("Example Trust", ("publisher",), "https://example.org"),
    )


def test_an_admin_level_out_of_range_is_said_and_adm1_used(dirs: Dirs) -> None:
    settings = _publishing(dirs, settings="admin_levels:\n  Uganda: 7\n  Kenya: 2\n")
    assert (settings.admin_level("UGA"), settings.admin_level("KEN")) == (1, 2)
    assert settings.problems == (
        "settings.yaml, admin_levels: Uganda: 7 is not a level from 1 to 5; #adm1 is used.",
    )


def test_a_period_that_ends_before_it_starts_gives_no_iati_file_nor_hxl_dates(
    dirs: Dirs,
) -> None:
    programme = (dirs.raw / config.PROGRAMME_FILE).read_text(encoding="utf-8")
    programme = programme.replace("start: 2003-03", "start: 2005-03")
    (dirs.raw / config.PROGRAMME_FILE).write_text(programme, encoding="utf-8")
    outcome = run(portfolio(dirs, iati=True))
    assert outcome.open_data_notice == (
        "No IATI file: programme.yaml's period must give months or dates (2003-03)."
    )
    assert not config.iati_activities(dirs.reports).exists()
    tags, rows = hxl_rows(open_data(dirs) / "tanzania.hxl.csv")  # no period column: no dates
    start, end = tags.index("#date+start"), tags.index("#date+end")
    assert {(row[start], row[end]) for row in rows} == {("", "")}


class _Codes(pa.DataFrameModel):
    """A table whose one column has a pattern and no description."""

    code: Series[str] = pa.Field(str_matches=r"^[A-Z]{3}$")


def test_a_pattern_becomes_a_constraint_and_no_description_is_made_up() -> None:
    assert table_schema(_Codes, ["code"], key=()) == {
        "fields": [
            {
                "name": "code",
                "type": "string",
                "constraints": {"required": True, "pattern": "^[A-Z]{3}$"},
            }
        ],
        "missingValues": [""],
    }


def test_a_column_outside_the_data_dictionary_is_a_bug_never_a_guess() -> None:
    with pytest.raises(
        ValueError, match=r"Column 'notes' is not in the data dictionary \(_Codes\)"
    ):
        table_schema(_Codes, ["code", "notes"])


#: Made-up members by sex and age (#26): Moshi's women and youth are small counts.
TANZANIA_PARTS = """Territory,Target households,Products,PMGs,Members,Women members,Youth members,Volume sold (t),Value (US$)
Arusha,2000,coffee,6,300,140,60,20,9000
Moshi,1500,"coffee; bananas",2,80,3,n/a,7.25,2100
"""


@pytest.mark.parametrize("smallest", [0, 5])
def test_members_by_sex_and_age_are_published_and_small_counts_left_out_when_asked(
    dirs: Dirs, smallest: int
) -> None:
    (dirs.raw / "tanzania.csv").write_text(TANZANIA_PARTS, encoding="utf-8")
    with (dirs.raw / config.SETTINGS_FILE).open("a", encoding="utf-8") as handle:
        handle.write(f"\nyouth_age: 18-30\nmin_cell_count: {smallest}\n")
    with (dirs.raw / config.PROGRAMME_FILE).open("a", encoding="utf-8") as handle:
        handle.write(IATI_KEYS)
    assert run(dirs).ok
    report = validate(str(open_data(dirs) / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    text = (open_data(dirs) / "tanzania.csv").read_text(encoding="utf-8-sig")
    cells = next(r for r in csv.DictReader(io.StringIO(text)) if r["territory"] == "Moshi")
    hxl_rows = (open_data(dirs) / "tanzania.hxl.csv").read_text(encoding="utf-8-sig").splitlines()
    assert "#reached+ind+members+age18_30" in hxl_rows[1]
    iati = (open_data(dirs) / "iati-activities.xml").read_bytes()
    assert b'<dimension name="age" value="18-30"/>' in iati
    moshi_women = b'<actualvalue="3"><locationref="TZA-moshi"/><dimensionname="sex"'
    published = moshi_women in iati.replace(b"\n", b"").replace(b" ", b"")
    if smallest:
        # Moshi's 3 women (and the 77 men and 4% share that would give them back) are blank.
        assert cells["members_women"] == cells["members_men"] == cells["women_share"] == ""
        assert not published
    else:
        assert (cells["members_women"], cells["members_men"]) == ("3", "77") and published
    processed = (dirs.processed / "tanzania.csv").read_text(encoding="utf-8-sig")
    assert ",3," in processed  # the processed table and the brief keep what was reported
