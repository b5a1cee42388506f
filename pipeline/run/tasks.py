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
    rates: ExchangeRates = field(default_factory=ExchangeRates)
    stamp: datetime = datetime(1970, 1, 1, tzinfo=UTC)  #: when outputs say they were made
    brief: bool = True  #: False: validate only
    settings: Settings = field(default_factory=_default_settings)
    lang: str | None = None  #: --lang: every brief in this language
    targets: Targets | None = None  #: targets.csv, checked on its own; None without one

    def language(self, country: Country) -> str:
        """The language of a country's brief: --lang, else settings.yaml, else English."""
        return self.lang or self.settings.language(country.alpha_3)


def _ignore(*_: object) -> None:
    """Told nothing: a build with no one listening (a test, a single country in-process)."""


@dataclass(frozen=True)
class Reporter:
    """Where one country's build says how far it got, as it goes: passed down with the task.

    `rows` is told how many data rows a country file holds as soon as they are read, before
    the heavy part of its build: a process that dies later still has its rows counted, and the
    parent never re-reads the file that may have killed it. `validated` is told each country's
    result as soon as it is validated, before its brief is drawn: the overview needs only
    these, so the run starts it beside the last briefs, not after them.
    """

    rows: Callable[[str, int], None] = _ignore
    validated: Callable[[CountryResult], None] = _ignore


#: The reporter of a build with no one listening.
SILENT = Reporter()

#: One country's build, inputs to outputs, telling its `Reporter` how far it got:
#: `run.build.build_country` unless a test injects one.
CountryTask = Callable[[Path, Dirs, Shared, Reporter], CountryResult]


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
