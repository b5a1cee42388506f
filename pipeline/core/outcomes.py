"""What became of each country file and of a run: statuses, counts, findings and outputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from pipeline.core.countries import Country, resolve_country
from pipeline.core.findings import Finding, Severity


class Status(StrEnum):
    """What became of one country file."""

    BUILT = "built"
    VALIDATED = "validated"  #: passed validation; no brief was asked for
    INVALID = "invalid"  #: rows with errors: no brief
    REFUSED = "refused"  #: the whole file was refused
    FAILED = "failed"  #: validated, but the brief could not be rendered

    @property
    def succeeded(self) -> bool:
        """Built, or valid when no brief was asked for."""
        return self in (Status.BUILT, Status.VALIDATED)


@dataclass
class CountryResult:
    """The outcome of one country task, with everything the summary and report need."""

    file: str
    country: Country | None = None
    status: Status = Status.REFUSED
    findings: list[Finding] = field(default_factory=list)
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_refused: int = 0
    outputs: list[Path] = field(default_factory=list)
    pages: int = 0  #: of the main edition
    #: the PDF of each edition this run wrote, with its pages ({"kenya.fr.pdf": 5}); a run
    #: that adds one edition (--lang) writes that one alone
    written: dict[str, int] = field(default_factory=dict)
    encoding: str = ""
    language: str = ""  #: of the main edition
    #: the languages of its editions as written ("fr", "es-GT"), the main edition's first
    editions: list[str] = field(default_factory=list)
    #: those of its editions that --lang added, in this run or an earlier one, and that
    #: settings.yaml does not list: kept while their PDF is, until the officer deletes it
    asked: list[str] = field(default_factory=list)
    period: str = ""  #: the latest period, whose figures the headlines and overview show
    #: Latest-period totals (CountrySummary fields) for the overview; empty unless valid
    summary: dict[str, float] = field(default_factory=dict)
    flags: int = 0  #: plausibility warnings
    #: Latest-period totals that rest on flagged rows (compute.figures.flag_influence), for the
    #: overview: indicator -> {"without": the total without them, "territories": [names]}
    flagged: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Country targets of the latest period (indicator, target, actual, achieved) for the
    #: overview; empty when the country has none
    targets: list[dict[str, Any]] = field(default_factory=list)
    unchanged: bool = False  #: inputs as last time: recalled from the manifest, not rebuilt

    @property
    def name(self) -> str:
        """Country name, or the file name when it names no country."""
        return self.country.name if self.country else self.file

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready record for the manifest (which lists the outputs beside it)."""
        skip = ("country", "findings", "outputs", "unchanged")
        record = {k: v for k, v in vars(self).items() if k not in skip}
        record["country"] = self.country.alpha_3 if self.country else None
        record["findings"] = [f.as_row() for f in self.findings]
        return record

    @classmethod
    def from_json(cls, record: dict[str, Any], outputs: list[Path]) -> CountryResult:
        """The result recorded by `to_json`, so an unchanged country need not be rebuilt."""
        fields = dict(record)
        fields["country"] = resolve_country(record["country"]) if record["country"] else None
        fields["status"] = Status(record["status"])
        fields["findings"] = [
            Finding(**{**f, "severity": Severity(f["severity"])}) for f in record["findings"]
        ]
        return cls(**fields, outputs=outputs, unchanged=True)


def refused(result: CountryResult, finding: Finding) -> CountryResult:
    result.status = Status.REFUSED
    result.findings.append(finding)
    return result


@dataclass
class RunResult:
    """All countries of one run."""

    countries: list[CountryResult]
    content_error: str = ""  #: programme.yaml or exchange_rates.csv could not be read
    #: Findings on targets.csv rows that name no country (the rest are their country's)
    input_findings: list[Finding] = field(default_factory=list)
    overview_error: str = ""  #: the overview brief could not be rendered
    open_data_notice: str = ""  #: what the publisher should know (e.g. IATI keys to add)
    up_to_date: bool = False  #: nothing had changed: nothing was rebuilt or written
    overview: Path | None = None  #: the overview brief this run wrote, if it wrote one
    #: What the run says besides the countries: why there is no overview, an untrusted manifest
    notes: list[str] = field(default_factory=list)
    #: Files in data/raw that were not read, each with why and what to do (warnings)
    unused_files: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every country built (or validated) and the programme file was readable."""
        return not (self.content_error or self.overview_error) and all(
            c.status.succeeded for c in self.countries
        )

    def invariant(self) -> tuple[int, int, int, int]:
        """(read, accepted, rejected, in refused files); read is always the sum of the rest."""
        read = sum(c.rows_read for c in self.countries)
        accepted = sum(c.rows_accepted for c in self.countries)
        rejected = sum(c.rows_rejected for c in self.countries)
        refused = sum(c.rows_refused for c in self.countries)
        if read != accepted + rejected + refused:
            raise AssertionError(
                f"Row invariant broken: {read} != {accepted} + {rejected} + {refused}"
            )
        return read, accepted, rejected, refused
