"""Write the open data for donors' systems into reports/open-data/, beside the briefs.

Per country (with its brief): its processed table, and the same table with an HXL hashtag
row. Per run: the overview table, datapackage.json describing every table (Frictionless
Data Package v2), and the IATI activities XML when the publisher's identifiers are set.
The IATI file is checked against the official schema and codelists before it is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import config
from pipeline.config import Dirs
from pipeline.core.countries import Country
from pipeline.core.i18n import SOURCE_LANGUAGE
from pipeline.core.outcomes import CountryResult, Status
from pipeline.read.periods import span
from pipeline.read.publishing import Publishing, read_publishing
from pipeline.run.outputs import as_typed, frame_csv, remove, write_atomic
from pipeline.run.tasks import Shared

if TYPE_CHECKING:  # a run with nothing to build imports no pandas
    import pandas as pd

    from pipeline.publish.iati import Publication, TargetRecord
    from pipeline.read.programme import Programme


def publishing(dirs: Dirs) -> Publishing:
    """The open-data settings of programme.yaml and settings.yaml."""
    return read_publishing(dirs.raw / config.PROGRAMME_FILE, dirs.raw / config.SETTINGS_FILE)


def programme_span(programme: Programme) -> tuple[date, date] | None:
    """The programme's period as dates, or None when programme.yaml does not give it as dates."""
    try:
        return span(programme.period_start, programme.period_end)
    except ValueError:
        return None


def open_data_names(slug: str, settings: Publishing) -> dict[str, str]:
    """The open-data files that carry a country's figures, as the brief names them."""
    names = {
        "table": config.open_data_table(Path(), slug).name,
        "package": config.datapackage(Path()).name,
        "hxl": config.hxl_csv(Path(), slug).name,
        "lineage": config.lineage_csv(Path(), slug).name,
    }
    if settings.iati is not None:
        names["iati"] = config.iati_activities(Path()).name
    return names


def write_country_open_data(
    indicators: pd.DataFrame,
    processed: bytes,
    country: Country,
    dirs: Dirs,
    programme: Programme,
    results: bytes | None = None,
) -> list[Path]:
    """A country's processed table (the same bytes), its HXL table and, with targets, its
    results against them (the same bytes); the paths written."""
    from pipeline.publish.hxl import hxl_table
    from pipeline.publish.small_counts import suppressed

    settings = publishing(dirs)
    slug = country.slug
    if (
        settings.min_cell_count
        and (small := suppressed(indicators, settings.min_cell_count)) is not indicators
    ):
        processed = frame_csv(small)
    write_atomic(config.open_data_table(dirs.reports, slug), processed)
    whole = programme_span(programme) or (date.min, date.min)
    table, tags = hxl_table(
        suppressed(indicators, settings.min_cell_count),
        country,
        whole,
        settings.admin_level(country.alpha_3),
        settings.youth_age,
    )
    if whole[0] == date.min:  # no dates to give a file without periods
        table = table.assign(period_start=None, period_end=None)
    write_atomic(config.hxl_csv(dirs.reports, slug), frame_csv(table, tags))
    written = [config.open_data_table(dirs.reports, slug), config.hxl_csv(dirs.reports, slug)]
    if results is None:
        remove([config.open_data_results(dirs.reports, slug)])
    else:
        write_atomic(config.open_data_results(dirs.reports, slug), results)
        written.append(config.open_data_results(dirs.reports, slug))
    return written


def write_lineage(lineage: bytes, country: Country, dirs: Dirs) -> Path:
    """The lineage of a country's brief (the bytes attached to it), beside its open data."""
    path = config.lineage_csv(dirs.reports, country.slug)
    write_atomic(path, lineage)
    return path


def published(results: Sequence[CountryResult], dirs: Dirs) -> list[Country]:
    """The countries whose open-data table is there: valid, and their brief built."""
    return [
        r.country
        for r in results
        if r.country is not None
        and r.status is Status.BUILT
        and config.open_data_table(dirs.reports, r.country.slug).is_file()
    ]


def published_table(path: Path) -> pd.DataFrame:
    """A processed table as published: figures as numbers, "not reported" as missing."""
    import pandas as pd

    text = {"territory": str, "products": str, "period": str, "notes": str, "indicator": str}
    table = pd.read_csv(
        path, encoding="utf-8-sig", keep_default_na=False, na_values=[""], dtype=text
    )
    # Undo the quote that keeps Excel from running a name as a formula: IATI is not Excel.
    table["territory"] = pd.Series([as_typed(t) for t in table["territory"]], index=table.index)
    return table


def target_records(countries: Sequence[Country], dirs: Dirs) -> list[TargetRecord]:
    """The baselines and targets of the published countries, from their results tables.

    Only the indicators IATI publishes are taken. IATI dates a baseline by its year, so a
    baseline given without one is left out (its target stays).
    """
    import math

    from pipeline.publish.iati import TARGETED, TargetRecord

    def number(value: object) -> float | None:
        return None if value is None or math.isnan(float(value)) else float(value)  # type: ignore[arg-type]

    records = []
    for country in countries:
        path = config.results_csv(dirs.processed, country.slug)
        if not path.is_file():
            continue
        for row in published_table(path).to_dict("records"):
            if row["indicator"] not in TARGETED:
                continue
            year = number(row["baseline_year"])
            records.append(
                TargetRecord(
                    country=country.alpha_3,
                    indicator=row["indicator"],
                    period=row["period"] if isinstance(row["period"], str) else "",
                    target=number(row["target"]),
                    baseline=number(row["baseline"]) if year is not None else None,
                    baseline_year=int(year) if year is not None else None,
                    territory=row["territory"] if row["level"] == "territory" else None,
                )
            )
    return records


def write_open_data(
    results: Sequence[CountryResult],
    shared: Shared,
    dirs: Dirs,
    overview: bool,
    records: Sequence[TargetRecord] = (),
) -> str:
    """Write the run-wide open data; "" or what the publisher should know (keys to add).

    `overview` says whether reports/overview.pdf was built (the IATI programme links it);
    `records` are the baselines and targets (publish.iati.TargetRecord) to publish.
    """
    from pipeline.check.schemas import (
        CountryTotals,
        FigureLineage,
        ResultsAgainstTargets,
        TerritoryIndicators,
    )
    from pipeline.core.formatting import Formatter
    from pipeline.present.overview_figures import country_frame
    from pipeline.publish.datapackage import TableResource, data_package

    settings = publishing(dirs)
    programme = shared.programmes[SOURCE_LANGUAGE]
    countries = published(results, dirs)
    fmt = Formatter(shared.settings.overview()[0])
    # The overview's table, as build_overview writes it to data/processed.
    totals = frame_csv(country_frame(list(results), fmt).set_index("territory"))
    write_atomic(config.open_data_overview(dirs.reports), totals)

    resources = [
        TableResource(
            c.slug,
            config.open_data_table(dirs.reports, c.slug).name,
            f"{c.name}: territory figures and indicators",
            TerritoryIndicators,
            config.open_data_table(dirs.reports, c.slug).read_bytes(),
        )
        for c in countries
    ]
    resources += [
        TableResource(
            f"{c.slug}-results",
            config.open_data_results(dirs.reports, c.slug).name,
            f"{c.name}: results against targets",
            ResultsAgainstTargets,
            config.open_data_results(dirs.reports, c.slug).read_bytes(),
            key=(),  # a country's own targets have no territory: no column set is a key
        )
        for c in countries
        if config.open_data_results(dirs.reports, c.slug).is_file()
    ]
    resources += [
        TableResource(
            f"{c.slug}-lineage",
            config.lineage_csv(dirs.reports, c.slug).name,
            f"{c.name}: how each figure of the brief was made",
            FigureLineage,
            config.lineage_csv(dirs.reports, c.slug).read_bytes(),
            key=(),  # a figure has several inputs, and an input several figures
        )
        for c in countries
        if config.lineage_csv(dirs.reports, c.slug).is_file()
    ]
    resources.append(
        TableResource(
            "overview",
            config.open_data_overview(dirs.reports).name,
            "Every country's latest figures",
            CountryTotals,
            totals,
        )
    )
    package = data_package(resources, programme, settings, shared.stamp)
    write_atomic(config.datapackage(dirs.reports), package)
    notices = [*settings.problems]
    whole = programme_span(programme)
    if settings.iati is None or whole is None:
        remove([config.iati_activities(dirs.reports)])
        notices.append(
            settings.iati_notice
            or "No IATI file: programme.yaml's period must give months or dates (2003-03)."
        )
        return " ".join(notices)
    from pipeline.publish.iati import Publication

    records = records or target_records(countries, dirs)
    publication = Publication(settings.iati, programme, whole, shared.stamp, settings.youth_age)
    write_atomic(
        config.iati_activities(dirs.reports),
        iati_file(countries, publication, dirs, overview, records),
    )
    return " ".join(notices)


def iati_file(
    countries: Sequence[Country],
    pub: Publication,
    dirs: Dirs,
    overview: bool,
    records: Sequence[TargetRecord],
) -> bytes:
    """The IATI activities, checked against the standard: an invalid file raises, unwritten."""
    from pipeline.publish.iati import CountryActivity, iati_activities
    from pipeline.publish.iati_standard import check_iati

    publisher = pub.publisher
    base = publisher.documents_url.rstrip("/") + "/" if publisher.documents_url else "../"
    activities = [
        CountryActivity(
            c,
            published_table(config.open_data_table(dirs.reports, c.slug)),
            base + config.brief_pdf(Path(), c.slug).name,
        )
        for c in countries
    ]
    overview_url = base + config.overview_pdf(Path()).name if overview else ""
    return check_iati(iati_activities(pub, activities, overview_url, records))
