"""The programme and its countries as IATI activities (standard 2.03), with their results.

One parent activity for the programme (hierarchy 1) and one child per country (hierarchy 2),
linked both ways. Each child has its territories as locations and one result whose indicators
are the figures the brief reports, per reporting period: the country's total and each
territory's own figure (with its location), plus baselines and targets where they are given.
Every figure is the processed table's; a figure not reported is left out, never zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from lxml import etree

from pipeline.compute.indicators import in_period, periods
from pipeline.core.countries import Country, slugify
from pipeline.core.names import identity
from pipeline.core.registry import INDICATORS as INDICATOR_SPECS
from pipeline.core.registry import REPORTED
from pipeline.read.periods import period_dates
from pipeline.read.programme import Programme
from pipeline.read.publishing import IatiPublisher

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: The figures published as indicators, each counted in units (IndicatorMeasure 1), more is better.
#: The indicators published as IATI results: the reported figures that add up across
#: territories, in units (measure 1). Target households are a plan, not a result.
INDICATORS = tuple(n for n in REPORTED if n != "target_households")
#: Members by sex and age (#26): actuals and targets of the members indicator, with a
#: dimension each (IATI's result dimensions: name and value are free text). Men are members −
#: women, on the rows that report both.
PARTS: dict[str, tuple[str, str]] = {
    "members_women": ("sex", "female"),
    "members_men": ("sex", "male"),
    "members_youth": ("age", "{low}-{high}"),
}
#: The indicators targets.csv may give IATI targets of: the members' parts are the members'.
TARGETED = (*INDICATORS, "members_women", "members_youth")
MEASURE_UNIT = "1"
#: Collective sales through producer groups are the change the programme seeks: an outcome.
RESULT_OUTCOME = "2"
RESULTS_DOCUMENT = "A08"  #: DocumentCategory: results, outcomes and outputs
ROLE_IMPLEMENTING = "4"  #: OrganisationRole
PARENT, CHILD = "1", "2"  #: RelatedActivityType
STATUS_IMPLEMENTATION, STATUS_FINALISATION = "2", "3"  #: ActivityStatus
START_PLANNED, START_ACTUAL, END_PLANNED, END_ACTUAL = "1", "2", "3", "4"  #: ActivityDateType


@dataclass(frozen=True)
class TargetRecord:
    """A baseline or target of one indicator, for a country or one of its territories.

    The results-against-targets tables feed these; the figures themselves (actuals) always
    come from the processed table.
    """

    country: str  #: ISO alpha-3
    indicator: str  #: one of TARGETED
    period: str = ""  #: canonical period label of the target; "" when the file has none
    target: float | None = None
    baseline: float | None = None
    baseline_year: int | None = None  #: required with a baseline (IATI)
    territory: str | None = None  #: None for the country as a whole


@dataclass(frozen=True)
class CountryActivity:
    """One country's child activity: its processed table and where its brief is published."""

    country: Country
    table: pd.DataFrame  #: the processed table, as published
    brief_url: str = ""  #: "" when no brief was built


@dataclass(frozen=True)
class Publication:
    """Who publishes the programme, and when: what every activity of the file carries."""

    publisher: IatiPublisher
    programme: Programme
    #: the programme's period: the activity dates, and the reporting period of a file that
    #: gives none
    whole: tuple[date, date]
    stamp: datetime  #: when the file was generated
    youth_age: tuple[int, int] = (15, 35)  #: the ages "youth" means (settings.yaml)


def number(value: float) -> str:
    """A figure as IATI value text: whole numbers without a decimal point, others exactly."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _add(
    parent: etree._Element, tag: str, text: str | None = None, **attrs: str
) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        etree.SubElement(element, "narrative").text = text
    return element


def location_refs(country: Country, table: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Territory identity → (location ref, name), unique within the activity, in file order."""
    refs: dict[str, tuple[str, str]] = {}
    used: set[str] = set()
    for name in table["territory"]:
        key = identity(name)
        if key in refs:
            continue
        base = f"{country.alpha_3}-{slugify(name) or 'territory'}"
        ref, n = base, 1
        while ref in used:
            n += 1
            ref = f"{base}-{n}"
        used.add(ref)
        refs[key] = (ref, name)
    return refs


def _indicator_title(column: str) -> str:
    """The indicator's title: its data-dictionary description (the registry's, in English)."""
    return INDICATOR_SPECS[column].description


def _status(publisher: IatiPublisher, published: date, end: date) -> str:
    if publisher.activity_status:
        return publisher.activity_status
    return STATUS_FINALISATION if published >= end else STATUS_IMPLEMENTATION


def _header(
    activity: etree._Element, identifier: str, title: str, description: str, pub: Publication
) -> None:
    """The elements every activity starts with, in the order the schema requires."""
    publisher, programme, whole = pub.publisher, pub.programme, pub.whole
    _add(activity, "iati-identifier").text = identifier
    _add(
        activity,
        "reporting-org",
        publisher.org_name,
        ref=publisher.org_ref,
        type=publisher.org_type,
    )
    _add(activity, "title", title)
    _add(activity, "description", description)
    for partner in programme.partners or (publisher.org_name,):
        _add(activity, "participating-org", partner, role=ROLE_IMPLEMENTING)
    _add(activity, "activity-status", code=_status(publisher, programme.published, whole[1]))
    start, end = whole
    started = programme.published >= start
    _add(
        activity,
        "activity-date",
        type=START_ACTUAL if started else START_PLANNED,
        iso_date=start.isoformat(),
    )
    ended = programme.published >= end
    _add(
        activity,
        "activity-date",
        type=END_ACTUAL if ended else END_PLANNED,
        iso_date=end.isoformat(),
    )


def _document(activity: etree._Element, url: str, title: str, published: date) -> None:
    link = _add(activity, "document-link", url=url, format="application/pdf")
    _add(link, "title", title)
    _add(link, "category", code=RESULTS_DOCUMENT)
    _add(link, "document-date", iso_date=published.isoformat())


def _value(
    parent: etree._Element,
    tag: str,
    value: float,
    ref: str | None,
    comment: str = "",
    dimension: tuple[str, str] | None = None,
) -> None:
    element = _add(parent, tag, value=number(value))
    if ref:
        _add(element, "location", ref=ref)
    if dimension:
        _add(element, "dimension", name=dimension[0], value=dimension[1])
    if comment:
        _add(element, "comment", comment)


def _partial_note(rows: pd.DataFrame, column: str) -> str:
    """What an actual summed over some territories says: how many, and which did not report
    ("" when all did)."""
    missing = [str(t) for t in rows.loc[rows[column].isna(), "territory"]]
    if not missing:
        return ""
    reported = len(rows) - len(missing)
    return (
        f"Sum of the {reported} territories that reported it; not reported: {', '.join(missing)}."
    )


def _dimension(part: str, youth_age: tuple[int, int]) -> tuple[str, str]:
    name, value = PARTS[part]
    return name, value.format(low=youth_age[0], high=youth_age[1])


def _parts(table: pd.DataFrame) -> pd.DataFrame:
    """The members' parts a table gives, with men (members − women) where it gives women."""
    if "members_women" in table and "members_men" not in table:
        table = table.assign(members_men=table["members"] - table["members_women"])
    return table


def _part_actuals(
    period: etree._Element,
    rows: pd.DataFrame,
    refs: dict[str, tuple[str, str]],
    youth_age: tuple[int, int],
) -> None:
    """The members' actuals by sex and age: the country's sum over the territories that
    reported each part (with a comment naming the others), then each territory's."""
    for part in PARTS:
        if part not in rows:
            continue
        reported = rows.dropna(subset=[part])
        if reported.empty:
            continue
        dimension = _dimension(part, youth_age)
        note = _partial_note(rows, part)
        _value(period, "actual", float(reported[part].sum()), None, note, dimension)
        for name, figure in zip(reported["territory"], reported[part], strict=True):
            _value(period, "actual", float(figure), refs[identity(name)][0], "", dimension)


def _indicator(
    result: etree._Element,
    column: str,
    country: CountryActivity,
    refs: dict[str, tuple[str, str]],
    records: Sequence[TargetRecord],
    pub: Publication,
) -> None:
    """One indicator: its baselines, then per period its targets and actuals (the members'
    with their parts by sex and age, each with its dimension)."""
    whole, youth_age = pub.whole, pub.youth_age
    table = _parts(country.table) if column == "members" else country.table
    own = (column, *PARTS) if column == "members" else (column,)
    mine = [r for r in records if r.indicator in own]
    labels = periods(table) if table[column].notna().any() else []
    labels += sorted({r.period for r in mine if r.target is not None} - set(labels))
    if not labels and not mine:
        return  # never reported, and no target: no indicator
    indicator = _add(result, "indicator", measure=MEASURE_UNIT, ascending="true")
    _add(indicator, "title", _indicator_title(column))
    seen = set()
    for r in mine:
        key = (r.indicator, r.territory, r.baseline_year, r.baseline)
        if r.baseline is None or key in seen:
            continue
        if r.baseline_year is None:
            raise ValueError(f"A baseline of {column} in {r.country} has no year; IATI needs one.")
        seen.add(key)
        baseline = _add(indicator, "baseline", year=str(r.baseline_year), value=number(r.baseline))
        if r.territory is not None:
            _add(baseline, "location", ref=_ref(refs, r))
        if r.indicator in PARTS:
            name, value = _dimension(r.indicator, youth_age)
            _add(baseline, "dimension", name=name, value=value)
    for label in labels:
        period = _add(indicator, "period")
        first, last = period_dates(label, whole)
        _add(period, "period-start", iso_date=first.isoformat())
        _add(period, "period-end", iso_date=last.isoformat())
        for r in (r for r in mine if r.period == label and r.target is not None):
            where = _ref(refs, r) if r.territory is not None else None
            dimension = _dimension(r.indicator, youth_age) if r.indicator in PARTS else None
            _value(period, "target", r.target, where, "", dimension)  # type: ignore[arg-type]
        rows = in_period(table, label)
        reported = rows.dropna(subset=[column])
        if reported.empty:
            continue
        note = _partial_note(rows, column)
        _value(period, "actual", float(reported[column].sum()), None, note)
        for name, figure in zip(reported["territory"], reported[column], strict=True):
            _value(period, "actual", float(figure), refs[identity(name)][0])
        if column == "members":
            _part_actuals(period, rows, refs, youth_age)


def _ref(refs: dict[str, tuple[str, str]], record: TargetRecord) -> str:
    try:
        return refs[identity(str(record.territory))][0]
    except KeyError:
        raise ValueError(
            f"A target or baseline names {record.territory!r}, which is not a territory of "
            f"{record.country}."
        ) from None


def _activity(root: etree._Element, hierarchy: str, when: str) -> etree._Element:
    """An empty activity: English narratives, US dollars, at `hierarchy` (1 parent, 2 child)."""
    attrs = {XML_LANG: "en", "default-currency": "USD", "last-updated-datetime": when}
    return etree.SubElement(root, "iati-activity", {**attrs, "hierarchy": hierarchy})


def country_activity(
    activity: etree._Element,
    entry: CountryActivity,
    pub: Publication,
    records: Sequence[TargetRecord],
) -> None:
    """Fill one country's child `activity`."""
    country, table = entry.country, entry.table
    publisher, programme = pub.publisher, pub.programme
    description = (
        f"{programme.name} in {country.name}: producer marketing groups formed, their "
        "members, and the volume and value of their collective sales, as reported by the "
        "programme and published in its impact brief."
    )
    identifier = f"{publisher.activity_prefix}-{country.alpha_3}"
    _header(activity, identifier, f"{programme.name}: {country.name}", description, pub)
    _add(activity, "recipient-country", country.name, code=country.alpha_2, percentage="100")
    refs = location_refs(country, table)
    for ref, name in refs.values():
        location = _add(activity, "location", ref=ref)
        _add(location, "name", name)
    if entry.brief_url:
        _document(activity, entry.brief_url, f"Impact brief: {country.name}", programme.published)
    _add(activity, "related-activity", ref=publisher.activity_prefix, type=PARENT)
    result = _add(activity, "result", type=RESULT_OUTCOME)
    _add(result, "title", f"Market linkage through producer marketing groups in {country.name}")
    for column in INDICATORS:
        _indicator(result, column, entry, refs, records, pub)
    if not len(result.findall("indicator")):
        activity.remove(result)  # IATI needs one indicator at least; nothing was reported


def iati_activities(
    pub: Publication,
    countries: Sequence[CountryActivity],
    overview_url: str = "",
    records: Sequence[TargetRecord] = (),
) -> bytes:
    """The IATI activities XML: the programme as parent, one child per country.

    `records` are the baselines and targets (none until targets exist).
    """
    publisher, programme = pub.publisher, pub.programme
    when = pub.stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    root = etree.Element("iati-activities", {"version": VERSION, "generated-datetime": when})
    parent = _activity(root, "1", when)
    description = (
        f"{programme.name}, {programme.period_label}. Results per country are published in "
        "its child activities."
    )
    _header(parent, publisher.activity_prefix, programme.name, description, pub)
    if overview_url:
        _document(parent, overview_url, f"Overview brief: {programme.name}", programme.published)
    for entry in countries:
        _add(
            parent,
            "related-activity",
            ref=f"{publisher.activity_prefix}-{entry.country.alpha_3}",
            type=CHILD,
        )
    for entry in countries:
        own = [r for r in records if r.country == entry.country.alpha_3]
        country_activity(_activity(root, "2", when), entry, pub, own)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
