"""What a run passes around: the inputs every country of a run shares."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pipeline.config import Dirs
from pipeline.core.countries import Country
from pipeline.core.outcomes import CountryResult
from pipeline.read.rates import ExchangeRates

if TYPE_CHECKING:  # types only: a run with nothing to do imports no WeasyPrint, no pydantic
    from pipeline.check.targets import Targets
    from pipeline.present.render import EmbeddedFile, Pdf
    from pipeline.read.programme import Programme, Settings


def _default_settings() -> Settings:
    """Every brief in English: settings.yaml's defaults (imported only when a run builds)."""
    from pipeline.read.programme import Settings

    return Settings()


@dataclass(frozen=True)
class Shared:
    """What every country of a run shares."""

    #: The programme in each language; empty when programme.yaml is unreadable
    programmes: dict[str, Programme] = field(default_factory=dict)
    rates: ExchangeRates = field(default_factory=dict)
    stamp: datetime = datetime(1970, 1, 1, tzinfo=UTC)  #: when outputs say they were made
    brief: bool = True  #: False: validate only
    settings: Settings = field(default_factory=_default_settings)
    lang: str | None = None  #: --lang: every brief in this language
    targets: Targets | None = None  #: targets.csv, checked on its own; None without one

    def language(self, country: Country) -> str:
        """The language of a country's brief: --lang, else settings.yaml, else English."""
        return self.lang or self.settings.language(country.alpha_3)


#: One country's build, inputs to outputs: `run.build.build_country` unless a test injects one.
CountryTask = Callable[[Path, Dirs, Shared], CountryResult]

#: Told how many data rows a country file holds as soon as they are read, before the heavy part
#: of its build: a process that dies later still has its rows counted, and the parent never
#: re-reads the file that may have killed it. Set by `run.parallel` in each process that builds.
RowReporter = Callable[[str, int], None]
_row_reporter: RowReporter | None = None


def report_rows(file: str, rows: int) -> None:
    """Say that `file` holds `rows` data rows (a no-op outside a run)."""
    if _row_reporter is not None:
        _row_reporter(file, rows)


def set_row_reporter(reporter: RowReporter | None) -> None:
    """Where this process reports row counts: `run.parallel` sets it in each builder."""
    global _row_reporter
    _row_reporter = reporter


#: Told each country's result as soon as it is validated, before its brief is drawn: the
#: overview needs only these, so the run starts it beside the last briefs, not after them.
ValidatedReporter = Callable[[CountryResult], None]
_validated_reporter: ValidatedReporter | None = None


def report_validated(result: CountryResult) -> None:
    """Say what validation made of a country (a no-op outside a pool of workers)."""
    if _validated_reporter is not None:
        _validated_reporter(result)


def set_validated_reporter(reporter: ValidatedReporter | None) -> None:
    """Where this process reports validated results: `run.parallel` sets it in each worker."""
    global _validated_reporter
    _validated_reporter = reporter


class PdfRenderer(Protocol):
    """HTML, styled by the templates' stylesheet, to PDF bytes: WeasyPrint
    (`present.render.html_to_pdf`) unless injected."""

    def __call__(
        self,
        html: str,
        templates: Path,
        max_pages: int,
        files: Sequence[EmbeddedFile] = (),
        date: datetime | None = None,
    ) -> Pdf: ...
