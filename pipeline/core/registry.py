"""The indicator registry: one definition per indicator, read by every layer.

Each indicator's name, formula, unit, precision rule, labels (as gettext message ids, translated
where they are shown), definition, data-dictionary description, HXL hashtag, ceiling and chart
live here and nowhere else. The pandera models (the data dictionary) take their fields from it;
computation, tiles, tables, charts, sentences, the data notes and the open data all read it.

To add an indicator: add an `Indicator` to `INDICATORS` (README, "How to add an indicator").
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


def N_(message: str) -> str:
    """Mark `message` for translation (`make translations` extracts it); it is translated where
    it is shown, in the brief's language."""
    return message


class Kind(StrEnum):
    """How an indicator's figure is made."""

    REPORTED = "reported"  #: a column of the country file; a group's figure is its sum
    RATIO = "ratio"  #: numerator ÷ denominator, of sums over rows that reported both
    SHARE = "share"  #: a row's numerator ÷ the sum of its period's numerators
    DIFFERENCE = "difference"  #: minuend − subtrahend, of sums over rows that reported both


class Unit(StrEnum):
    """What an indicator's figure counts or measures; `formatting.Formatter.figure` writes it."""

    HOUSEHOLDS = "households"
    GROUPS = "groups"
    PEOPLE = "people"
    TONNES = "t"
    USD = "US$"
    SHARE = "share"  #: 0-1, written as a percentage
    PEOPLE_PER_GROUP = "people per group"
    USD_PER_MEMBER = "US$ per member"
    USD_PER_TONNE = "US$ per t"


class Precision(StrEnum):
    """How many decimals a figure is written with, the same way in every place it appears."""

    WHOLE = "whole"  #: 0 decimals
    CENTS = "cents"  #: 2 decimals (money divided among people), whole dollars from US$1,000
    MONEY = "money"  #: whole dollars, or cents when the figure has cents; never 1 decimal
    MEASURE = "measure"  #: as many decimals as the figure needs (to the kg), 1 to 3
    PERCENT = "percent"  #: a whole percentage


@dataclass(frozen=True)
class ChartSpec:
    """A bar chart of an indicator by territory (and by country in the overview)."""

    question: str  #: msgid: the donor's question the brief's chart answers
    alt: str  #: msgid: the alt text's opening sentence (the brief's chart), "" when not drawn
    axis: str  #: msgid: the value axis label, with its unit
    needs: tuple[str, ...]  #: every figure a bar needs reported
    divisor: str | None = None  #: a bar needs this figure above 0
    largest_first: bool = True  #: bars sorted by value; else in table order
    overview_question: str = ""  #: msgid; "" when the overview does not draw it
    overview_alt: str = ""  #: msgid: the alt text's opening sentence in the overview
    in_brief: bool = True  #: the country brief draws it


@dataclass(frozen=True)
class TargetSpec:
    """How a target set for the indicator in targets.csv is compared with an actual."""

    actual: str  #: the indicator whose figure is the actual
    summed: bool  #: adds up over territories and countries
    label: str  #: msgid: the indicator's name in the results-against-targets table


@dataclass(frozen=True)
class Indicator:
    """One indicator: everything any layer needs to compute, show, describe or publish it."""

    name: str  #: the column name everywhere: processed tables, open data, targets.csv
    kind: Kind
    unit: Unit
    precision: Precision
    label: str  #: msgid: a heading or tile label, capitalised ("Value of sales")
    header: str  #: msgid: the table column heading ("Value")
    #: msgid: the unit beside the heading ("(US$)"), a %-format as the templates' text is
    #: ("(%%)" for "(%)")
    header_unit: str
    in_sentence: str  #: msgid: the name inside a sentence ("value of sales")
    #: msgid: the data dictionary's description (English in the open data; translated in the
    #: template workbook's instructions)
    description: str
    hxl: str  #: HXL hashtag of its column (README, "HXL hashtags")
    numerator: str | None = None  #: RATIO and SHARE
    denominator: str | None = None  #: RATIO
    whole_number: bool = False  #: a count: a whole number ≥ 0
    #: the largest figure one territory may report (REPORTED); above it, "check the units":
    #: a value in cents or a count in the wrong column, not a real figure
    ceiling: float | None = None
    #: the data notes' definition: (term msgid, meaning msgid); None: not defined there
    definition: tuple[str, str] | None = None
    #: msgid: the figure as a headline tile's note under another figure ("at {value} per
    #: tonne" under the volume sold); "" when no tile states it so
    note: str = ""
    #: msgid: what a ratio divides, in words ("sales value ÷ members"); "" for other kinds
    formula: str = ""
    #: (lowest, highest) a territory's figure can plausibly be, whatever its neighbours say;
    #: None: no bound. Outside it, the figure is flagged for checking (with the reason at
    #: the bound's definition), even in a country of one territory.
    plausible: tuple[float | None, float | None] = (None, None)
    chart: ChartSpec | None = None
    target: TargetSpec | None = None
    #: a figure a country file may leave out (members by sex and age): a file without its
    #: column gives the brief, tables and open data it gave before the column existed
    optional: bool = False
    #: the reported figure this one is a part of ("members" for women members): never above it
    part_of: str | None = None
    #: (minuend, subtrahend) of a DIFFERENCE: members − women are men
    difference: tuple[str, str] | None = None

    @property
    def reported(self) -> bool:
        """A figure the country file reports (as opposed to one computed from others)."""
        return self.kind is Kind.REPORTED


INDICATORS: dict[str, Indicator] = {
    i.name: i
    for i in (
        Indicator(
            "target_households",
            Kind.REPORTED,
            Unit.HOUSEHOLDS,
            Precision.WHOLE,
            label=N_("Target households"),
            header=N_("Target households"),
            header_unit=N_("(no.)"),
            in_sentence=N_("target households"),
            description=N_("Target population, in number of households"),
            hxl="#targeted+hh",
            whole_number=True,
            ceiling=100_000_000,
            definition=(
                N_("Target households"),
                N_("Households the programme set out to reach in a territory."),
            ),
            # Households reached are counted as PMG members (README, "Targets").
            target=TargetSpec("members", True, N_("Households reached (as members)")),
        ),
        Indicator(
            "pmgs",
            Kind.REPORTED,
            Unit.GROUPS,
            Precision.WHOLE,
            label=N_("Producer marketing groups"),
            header=N_("PMGs"),
            header_unit=N_("(no.)"),
            in_sentence=N_("PMGs"),
            description=N_("Producer marketing groups (PMGs) formed, in number of groups"),
            hxl="#output+pmgs+num",
            whole_number=True,
            ceiling=100_000_000,
            definition=(
                N_("PMG"),
                N_(
                    "Producer marketing group: a farmer group that sells its members' produce "
                    "together."
                ),
            ),
            target=TargetSpec("pmgs", True, N_("Producer marketing groups")),
        ),
        Indicator(
            "members",
            Kind.REPORTED,
            Unit.PEOPLE,
            Precision.WHOLE,
            label=N_("PMG members"),
            header=N_("Members"),
            header_unit=N_("(no.)"),
            in_sentence=N_("members"),
            description=N_("Farmers who are members of the PMGs, in number of people"),
            hxl="#reached+ind+members",
            whole_number=True,
            ceiling=100_000_000,
            note=N_("{value} members"),
            target=TargetSpec("members", True, N_("PMG members")),
        ),
        Indicator(
            "volume_sold_t",
            Kind.REPORTED,
            Unit.TONNES,
            Precision.MEASURE,
            label=N_("Volume sold"),
            header=N_("Volume sold"),
            header_unit="(t)",
            in_sentence=N_("volume sold"),
            description=N_("Volume sold collectively by the PMGs, in tonnes"),
            hxl="#indicator+volume_sold_t+num",
            ceiling=100_000_000,
            definition=(N_("t"), N_("Metric tonnes.")),
            target=TargetSpec("volume_sold_t", True, N_("Volume sold")),
        ),
        Indicator(
            "value_usd",
            Kind.REPORTED,
            Unit.USD,
            Precision.MONEY,
            label=N_("Value of sales"),
            header=N_("Value"),
            header_unit=N_("(US$)"),
            in_sentence=N_("value of sales"),
            description=N_("Value of the collective sales, in US dollars"),
            hxl="#value+sales+c_usd",
            ceiling=10_000_000_000,
            chart=ChartSpec(
                question=N_("Where did the value of sales come from?"),
                alt=N_("Bar chart of the value of sales by territory."),
                axis=N_("Value of sales (US$)"),
                needs=("value_usd",),
                overview_question=N_("Which countries sold the most?"),
                overview_alt=N_("Bar chart of the value of sales by country."),
            ),
            target=TargetSpec("value_usd", True, N_("Value of sales")),
        ),
        Indicator(
            "reach",
            Kind.RATIO,
            Unit.SHARE,
            Precision.PERCENT,
            label=N_("Reach"),
            header=N_("Reach"),
            header_unit=N_("(%% of target households)"),
            in_sentence=N_("reach"),
            description="Members as a share of target households (0-1)",
            hxl="#indicator+reach+num",
            numerator="members",
            denominator="target_households",
            definition=(N_("Reach"), N_("PMG members as a share of target households.")),
            note=N_("reach {value} of target households"),
            formula=N_("members ÷ target households"),
            chart=ChartSpec(
                question=N_("How many target households have joined a group?"),
                alt=N_("Bar chart of members as a share of target households (reach)."),
                axis=N_("Households and members (number)"),
                needs=("members", "target_households"),
                divisor="target_households",
                largest_first=False,
                overview_question=N_("How many target households have joined a group?"),
                overview_alt=N_(
                    "Bar chart of members as a share of target households, by country."
                ),
            ),
            target=TargetSpec("reach", False, N_("Reach")),
        ),
        Indicator(
            "members_per_pmg",
            Kind.RATIO,
            Unit.PEOPLE_PER_GROUP,
            Precision.WHOLE,
            label=N_("Members per PMG"),
            header=N_("Members per PMG"),
            header_unit=N_("(no.)"),
            in_sentence=N_("members per PMG"),
            description="Average members per PMG, in people per group",
            hxl="#indicator+members_per_pmg+num",
            numerator="members",
            denominator="pmgs",
            definition=(
                N_("Members per PMG"),
                N_("Members divided by PMGs: the average size of a group."),
            ),
            note=N_("{value} members per group"),
            # A PMG is a farmer group that bulks and sells together; CIAT's agro-enterprise
            # guides work with groups of 15 to 30 (up to about 100 in cooperatives). Above
            # 150 one group could hardly meet or sell as one: members and PMGs swapped, or
            # a whole union counted as one group.
            plausible=(None, 150),
            formula=N_("members ÷ PMGs"),
            chart=ChartSpec(
                question=N_("How large are the groups?"),
                alt=N_("Bar chart of members per PMG."),
                axis=N_("Members per PMG (people per group)"),
                needs=("members", "pmgs"),
                divisor="pmgs",
                largest_first=False,
            ),
        ),
        Indicator(
            "value_per_member_usd",
            Kind.RATIO,
            Unit.USD_PER_MEMBER,
            Precision.CENTS,
            label=N_("Value per member"),
            header=N_("Value per member"),
            header_unit=N_("(US$)"),
            in_sentence=N_("value per member"),
            description="Value of sales per member, in US dollars",
            hxl="#value+per_member+c_usd",
            numerator="value_usd",
            denominator="members",
            definition=(N_("Value per member"), N_("Value of sales divided by members (US$).")),
            formula=N_("sales value ÷ members"),
            # A smallholder's share of a group's sales in one reporting period: more than
            # US$10,000 is above the yearly income of almost every member farmer in the
            # programme's countries (World Bank GNI per capita under US$2,500): the value
            # is likely in local currency, or members are counted as groups.
            plausible=(None, 10_000),
            chart=ChartSpec(
                question=N_("How much did each member sell?"),
                alt="",  # the country brief does not draw it
                axis=N_("Value of sales per member (US$)"),
                needs=("value_usd", "members"),
                divisor="members",
                overview_question=N_("How much did each member sell?"),
                overview_alt=N_("Bar chart of the value of sales per member, by country."),
                in_brief=False,
            ),
            target=TargetSpec("value_per_member_usd", False, N_("Value per member")),
        ),
        Indicator(
            "price_usd_per_t",
            Kind.RATIO,
            Unit.USD_PER_TONNE,
            Precision.WHOLE,
            label=N_("Price"),
            header=N_("Price"),
            header_unit=N_("(US$ per t)"),
            in_sentence=N_("price per tonne"),
            description="Average price obtained, in US dollars per tonne",
            hxl="#value+price_per_t+c_usd",
            numerator="value_usd",
            denominator="volume_sold_t",
            definition=(
                N_("Price"),
                N_("Value of sales divided by volume sold (US$ per tonne)."),
            ),
            note=N_("at {value} per tonne"),
            # Farm produce sells for tens to thousands of dollars a tonne (FAOSTAT producer
            # prices: staples US$100-600/t, pulses and groundnuts up to about 2,000, spices,
            # coffee and cashew up to about 15,000). Below US$10 or above US$20,000 a tonne,
            # the volume is in kg read as tonnes, or the value in a local currency.
            plausible=(10, 20_000),
            formula=N_("value of sales ÷ volume sold"),
            chart=ChartSpec(
                question=N_("What price per tonne did groups obtain?"),
                alt=N_(
                    "Bar chart of the average price per tonne; the country average is {price}."
                ),
                axis=N_("Average price (US$ per tonne)"),
                needs=("value_usd", "volume_sold_t"),
                divisor="volume_sold_t",
                overview_question=N_("What price per tonne did groups obtain?"),
                overview_alt=N_(
                    "Bar chart of the average price per tonne by country; the programme "
                    "average is {price}."
                ),
            ),
        ),
        Indicator(
            "value_share",
            Kind.SHARE,
            Unit.SHARE,
            Precision.PERCENT,
            label=N_("Share of value"),
            header=N_("Share of value"),
            header_unit="(%%)",
            in_sentence=N_("share of value"),
            description="Share of the country's total value (0-1)",
            hxl="#indicator+value_share+num",
            numerator="value_usd",
        ),
        Indicator(
            "members_women",
            Kind.REPORTED,
            Unit.PEOPLE,
            Precision.WHOLE,
            label=N_("Women members"),
            header=N_("Women"),
            header_unit=N_("(no.)"),
            in_sentence=N_("women members"),
            description=N_("Members who are women, in number of people"),
            # HXL's +f (female) on the members' tag.
            hxl="#reached+ind+members+f",
            whole_number=True,
            ceiling=100_000_000,
            definition=(
                N_("Women"),
                N_("Members who are women; men are members minus women."),
            ),
            target=TargetSpec("members_women", True, N_("Women members")),
            optional=True,
            part_of="members",
        ),
        Indicator(
            "members_youth",
            Kind.REPORTED,
            Unit.PEOPLE,
            Precision.WHOLE,
            label=N_("Youth members"),
            header=N_("Youth"),
            header_unit=N_("(no.)"),
            in_sentence=N_("youth members"),
            description=N_(
                "Members who are young people (settings.yaml, youth_age), in number of people"
            ),
            # HXL's +ageN_M attribute; the ages come from settings.yaml (`hxl_tag`).
            hxl="#reached+ind+members+age{youth}",
            whole_number=True,
            ceiling=100_000_000,
            definition=(N_("Youth"), N_("Members aged {ages} years.")),
            target=TargetSpec("members_youth", True, N_("Youth members")),
            optional=True,
            part_of="members",
        ),
        Indicator(
            "members_men",
            Kind.DIFFERENCE,
            Unit.PEOPLE,
            Precision.WHOLE,
            label=N_("Men members"),
            header=N_("Men"),
            header_unit=N_("(no.)"),
            in_sentence=N_("men members"),
            description="Members who are men: members minus women, in number of people",
            hxl="#reached+ind+members+m",
            formula=N_("members − women"),
            optional=True,
            difference=("members", "members_women"),
        ),
        Indicator(
            "women_share",
            Kind.RATIO,
            Unit.SHARE,
            Precision.PERCENT,
            label=N_("Share of women"),
            header=N_("Women"),
            header_unit=N_("(%% of members)"),
            in_sentence=N_("share of women"),
            description="Women as a share of members (0-1)",
            hxl="#indicator+women_share+num",
            numerator="members_women",
            denominator="members",
            formula=N_("women ÷ members"),
            optional=True,
            chart=ChartSpec(
                question=N_("How many of the members are women?"),
                alt=N_("Bar chart of women as a share of members, by territory."),
                axis=N_("Women as a share of members (%)"),
                needs=("members_women", "members"),
                divisor="members",
                largest_first=False,
            ),
        ),
        Indicator(
            "youth_share",
            Kind.RATIO,
            Unit.SHARE,
            Precision.PERCENT,
            label=N_("Share of youth"),
            header=N_("Youth"),
            header_unit=N_("(%% of members)"),
            in_sentence=N_("share of youth"),
            description="Young people as a share of members (0-1)",
            hxl="#indicator+youth_share+num",
            numerator="members_youth",
            denominator="members",
            formula=N_("youth ÷ members"),
            optional=True,
        ),
    )
}

#: The figures every country file reports, in the order of its tables.
REPORTED: tuple[str, ...] = tuple(
    n for n, i in INDICATORS.items() if i.reported and not i.optional
)
#: The figures a country file may report (members by sex and age), in the order of its tables.
OPTIONAL_REPORTED: tuple[str, ...] = tuple(
    n for n, i in INDICATORS.items() if i.reported and i.optional
)
#: What is computed from the optional figures, where their columns are given.
OPTIONAL_DERIVED: tuple[str, ...] = tuple(
    n for n, i in INDICATORS.items() if not i.reported and i.optional
)
#: Reported figures counted in whole numbers (households, groups, people).
WHOLE_NUMBERS: tuple[str, ...] = tuple(n for n in REPORTED if INDICATORS[n].whole_number)
#: Ratios of sums: reach, members per PMG, value per member, price per tonne.
RATIOS: dict[str, tuple[str, str]] = {
    n: (i.numerator, i.denominator)
    for n, i in INDICATORS.items()
    if i.kind is Kind.RATIO and i.numerator and i.denominator and not i.optional
}
#: The shares of members by sex and age: (part, members).
OPTIONAL_RATIOS: dict[str, tuple[str, str]] = {
    n: (i.numerator, i.denominator)
    for n, i in INDICATORS.items()
    if i.kind is Kind.RATIO and i.numerator and i.denominator and i.optional
}
#: Computed per territory: the ratios, then the shares.
DERIVED: tuple[str, ...] = tuple(
    n for n, i in INDICATORS.items() if not i.reported and not i.optional
)
#: Indicators a target may be set for in targets.csv (README, "Targets").
TARGETED: tuple[str, ...] = tuple(n for n, i in INDICATORS.items() if i.target)
#: The largest figure one territory may report, per reported column.
CEILINGS: dict[str, float] = {
    n: INDICATORS[n].ceiling or 0.0 for n in (*REPORTED, *OPTIONAL_REPORTED)
}


def optional_given(columns: object) -> tuple[str, ...]:
    """The optional figures `columns` (a table's column names) holds, in the registry's order."""
    return tuple(n for n in OPTIONAL_REPORTED if n in columns)  # type: ignore[operator]


def with_parts(names: tuple[str, ...], parts: tuple[str, ...], after: str) -> tuple[str, ...]:
    """`names` with `parts` (members by sex and age) placed right after `after`."""
    at = names.index(after) + 1
    return (*names[:at], *parts, *names[at:])


def table_columns(columns: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The reported figures and the computed indicators a table of `columns` shows, members by
    sex and age beside the members (women and youth) and the group sizes (their shares)."""
    given = optional_given(columns)
    shares = tuple(n for n in optional_derived(given) if INDICATORS[n].kind is Kind.RATIO)
    return with_parts(REPORTED, given, "members"), with_parts(DERIVED, shares, "members_per_pmg")


def optional_derived(given: tuple[str, ...]) -> tuple[str, ...]:
    """What is computed from the optional figures `given`: men where women are given, each
    share where its part is."""
    out = []
    for name in OPTIONAL_DERIVED:
        spec = INDICATORS[name]
        needs = spec.difference or (spec.numerator, spec.denominator)
        if all(n in given or n in REPORTED for n in needs):
            out.append(name)
    return tuple(out)


def indicator(name: str) -> Indicator:
    """The registry entry of `name`; KeyError names an unknown indicator (a bug, never data)."""
    return INDICATORS[name]


#: Money of this much or more is written in whole dollars: cents add nothing a reader uses.
WHOLE_DOLLARS_FROM = 1_000


def decimals(name: str, value: float | None) -> int:
    """The decimals a figure of `name` is written with: never more than its own data has.

    A volume shows every digit it has to the kg (at least one decimal); money shows cents
    only when it has cents and is under US$1,000; a value per member has cents under
    US$1,000; counts, prices, group sizes and percentages are whole. A figure that is not
    zero is never written as zero, nor a share short of all of it as 100%: it gets the
    decimals that tell them apart.
    """
    return max(_by_rule(name, value), _telling(name, value))


def _by_rule(name: str, value: float | None) -> int:
    rule = INDICATORS[name].precision
    small = value is not None and not math.isnan(value) and abs(value) < WHOLE_DOLLARS_FROM
    if rule is Precision.MONEY:
        return 2 if small and decimals_needed([value], 2) else 0
    if rule is Precision.CENTS:
        return 2 if small else 0
    if rule is Precision.MEASURE:
        return max(1, decimals_needed([value], 3))
    return 0


#: Money is written in whole dollars or in cents, never with 1 decimal (US$0.40, not US$0.4).
MONEY_UNITS = frozenset({Unit.USD, Unit.USD_PER_MEMBER, Unit.USD_PER_TONNE})
#: The most decimals `_telling` gives: past 15, a float's digits are noise. A share of 1 sale
#: in a target of a billion is still written, as 0.0000001%, not as 0%.
MOST_DECIMALS = 15


def _telling(name: str, value: float | None) -> int:
    """The decimals that keep a figure from reading as a bound it is not: a price of US$0.40
    per tonne is not "US$0", and a reach of 0.3% not "0%" (`share_decimals`)."""
    unit = INDICATORS[name].unit
    if unit is Unit.SHARE:
        return share_decimals(value)
    needed = _decimals_until(value, lambda rounded: rounded == 0)
    return 2 if unit in MONEY_UNITS and needed == 1 else needed


def share_decimals(share: float | None) -> int:
    """The decimals of a share written as a percentage: whole, or as many as keep it from
    reading as 0% when it is more, or as 100% when it is not all (99.7%, 0.3%). Every
    percentage the briefs write, of an indicator or of a target achieved, is written so."""
    if share is None or not math.isfinite(share):
        return 0
    percent = share * 100
    return _decimals_until(
        percent, lambda rounded: rounded == 0 or (abs(percent) != 100 and abs(rounded) == 100)
    )


def _decimals_until(value: float | None, misleads: Callable[[float], bool]) -> int:
    """The fewest decimals (up to MOST_DECIMALS) at which `value`, rounded, no longer
    `misleads`; 0 for zero and for a figure not reported."""
    if value is None or not math.isfinite(value) or value == 0:
        return 0
    needed = 0
    while needed < MOST_DECIMALS and misleads(round(value, needed)):
        needed += 1
    return needed


def decimals_needed(values: list[float | None], most: int = 2) -> int:
    """The fewest decimals (up to `most`) that show every value exactly: 32, 3.5 -> 1.

    Not-a-number (not reported) is skipped.
    """
    needed = 0
    for value in values:
        if value is None or math.isnan(value):  # not reported
            continue
        while needed < most and round(value, needed) != round(value, most):
            needed += 1
    return needed
