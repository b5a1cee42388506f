"""What a run passes around: the inputs every country of a run shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from pipeline.core.countries import Country
from pipeline.read.programme import Programme, Settings
from pipeline.read.rates import ExchangeRates


@dataclass(frozen=True)
class Shared:
    """What every country of a run shares."""

    #: The programme in each language; empty when programme.yaml is unreadable
    programmes: dict[str, Programme] = field(default_factory=dict)
    rates: ExchangeRates = field(default_factory=dict)
    stamp: datetime = datetime(1970, 1, 1, tzinfo=UTC)  #: when outputs say they were made
    brief: bool = True  #: False: validate only
    settings: Settings = field(default_factory=Settings)
    lang: str | None = None  #: --lang: every brief in this language

    def language(self, country: Country) -> str:
        """The language of a country's brief: --lang, else settings.yaml, else English."""
        return self.lang or self.settings.language(country.alpha_3)
