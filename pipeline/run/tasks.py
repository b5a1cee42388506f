"""What a run passes around: the inputs every country of a run shares."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pipeline.config import Dirs
from pipeline.core.countries import Country
from pipeline.core.i18n import Edition, editions, language_of
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
    lang: str | None = None  #: --lang: an edition in this language, beside the others
    targets: Targets | None = None  #: targets.csv, checked on its own; None without one
    #: file name → editions an earlier `--lang` added, which are kept while their PDF is
    kept: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: file name → the only languages to render: its other editions are as they were
    only_editions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def editions(self, country: Country, file: str) -> list[Edition]:
        """A country's editions, main first: settings.yaml's, then those --lang added, in
        this run or an earlier one (a language counts once)."""
        tags = (*self.settings.editions(country.alpha_3), *self.kept.get(file, ()))
        return editions((*tags, *((self.lang,) if self.lang else ())), country.alpha_2)

    def asked(self, country: Country, file: str) -> list[str]:
        """The editions of a country that --lang added and settings.yaml does not list."""
        listed = {language_of(t) for t in self.settings.editions(country.alpha_3)}
        return [e.tag for e in self.editions(country, file) if e.language not in listed]


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
