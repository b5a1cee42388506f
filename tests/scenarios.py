"""The layout scenarios: documents a donor may be sent, built from data in a temporary folder.

Used by the page-geometry test (tests/test_layout.py) and by `make gallery`, which renders
them into page images for a person to look at. Only Kenya's table is real (a copy in
tests/fixtures/layout); every other country is synthetic, generated here from a seed.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.config import Dirs
from pipeline.core.outcomes import RunResult
from pipeline.present.render import EmbeddedFile, Pdf, html_to_pdf
from pipeline.run.runner import run

from .conftest import FIXTURES
from .fakes import fake_pdf

LAYOUT = FIXTURES / "layout"
HEADER = "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)"
TARGETS_HEADER = "country,territory,indicator,period,baseline,baseline_year,target"
PRODUCTS = [
    "maize",
    "beans",
    "cassava",
    "groundnuts",
    "coffee",
    "sorghum",
    "honey",
    "milk",
    "sweet potato",
    "sunflower oil",
    "greengrams",
    "fish & horticulture",
]
#: Kenya's results framework as a programme might write it: country and territory targets.
KENYA_TARGETS = [
    "Kenya,,value_usd,2003-2004,0,2003,150000",
    "Kenya,,members,,0,2003,8000",
    "Kenya,,volume_sold_t,,0,2003,400",
    "Kenya,,pmgs,,0,2003,45",
    "Kenya,,reach,,,,45%",
    "Kenya,,value_per_member_usd,,,,20",
    "Kenya,Mbeere,members,2003-2004,0,2003,500",
    "Kenya,Homabay,members,,0,2003,2800",
    "Kenya,Kitu,value_usd,,0,2003,40000",
]


def territory_rows(names: Sequence[str], seed: int, blank: str | None = None) -> list[str]:
    """Plausible rows for `names` (seeded); the column named `blank` left empty throughout."""
    rng = random.Random(seed)
    rows = []
    for name in names:
        pmgs = rng.randrange(3, 30)
        members = rng.randrange(pmgs * 15, pmgs * 40)
        cells = {
            "Territory": f'"{name}"',
            "Target households": str(round(members * rng.uniform(1.5, 6))),
            "Products": '"' + ", ".join(rng.sample(PRODUCTS, rng.randrange(1, 5))) + '"',
            "PMGs": str(pmgs),
            "Members": str(members),
            "Volume sold (t)": str(volume := round(rng.uniform(2, 200), 1)),
            "Value (US$)": str(round(volume * rng.uniform(250, 700))),
        }
        if blank is not None:
            cells[blank] = ""
        rows.append(",".join(cells[c] for c in HEADER.split(",")))
    return rows


def _table(raw: Path, country: str, rows: list[str]) -> None:
    (raw / f"{country}.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")


def _targets(raw: Path, rows: list[str]) -> None:
    (raw / "targets.csv").write_text("\n".join([TARGETS_HEADER, *rows]) + "\n", encoding="utf-8")


def kenya(raw: Path) -> None:
    shutil.copy(LAYOUT / "kenya.csv", raw / "kenya.csv")


def kenya_in(lang: str) -> Callable[[Path], None]:
    """Kenya's real table, its main edition in `lang`, with the programme text translated."""

    def inputs(raw: Path) -> None:
        kenya(raw)
        shutil.copy(LAYOUT / f"programme.{lang}.yaml", raw / f"programme.{lang}.yaml")
        (raw / "settings.yaml").write_text(f"languages:\n  Kenya: {lang}\n", encoding="utf-8")

    return inputs


def kenya_with_targets(raw: Path) -> None:
    kenya(raw)
    _targets(raw, KENYA_TARGETS)


#: Made-up members by sex and age for Kenya's real table (#26), by territory: never real data,
#: never in data/raw.
KENYA_PARTS = {
    "Mbeere": ("250", "90"),
    "Homabay": ("1,560", "610"),
    "Kitu": ("95", "70"),
    "Tana River": ("2,100", "1,200"),
    "Totals": ("4,005", "1,970"),
}


def kenya_with_parts(raw: Path, youth_gap: str | None = None) -> None:
    """Kenya's table with Women members and Youth members columns after Members; with
    `youth_gap`, that territory's youth (and so the Totals row's) left blank."""
    rows = list(csv.reader(io.StringIO((LAYOUT / "kenya.csv").read_text(encoding="utf-8-sig"))))
    out = []
    for row in rows:
        if row and row[0] == "Territory":
            row = [*row[:5], "Women members", "Youth members", *row[5:]]
        elif row and row[0] in KENYA_PARTS:
            women, youth = KENYA_PARTS[row[0]]
            if youth_gap is not None and row[0] in (youth_gap, "Totals"):
                youth = ""
            row = [*row[:5], women, youth, *row[5:]]
        elif row:
            row = [*row, "", ""]
        out.append(row)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(out)
    (raw / "kenya.csv").write_text(buffer.getvalue(), encoding="utf-8")


def kenya_with_parts_in(lang: str, youth_gap: str | None = None) -> Callable[[Path], None]:
    """Kenya with members by sex and age (a territory's youth left blank with `youth_gap`),
    its main edition in `lang`."""

    def inputs(raw: Path) -> None:
        kenya_with_parts(raw, youth_gap)
        if lang != "en":
            shutil.copy(LAYOUT / f"programme.{lang}.yaml", raw / f"programme.{lang}.yaml")
            (raw / "settings.yaml").write_text(f"languages:\n  Kenya: {lang}\n", encoding="utf-8")

    return inputs


#: Synthetic countries of a portfolio: (file stem, territories). Rwanda reports in French.
PORTFOLIO = [("uganda", 6), ("tanzania", 5), ("rwanda", 4), ("ethiopia", 3)]
PORTFOLIO_SIX = [*PORTFOLIO, ("malawi", 4), ("zambia", 5)]


def _portfolio(raw: Path, countries: list[tuple[str, int]]) -> None:
    targets = []
    for i, (country, size) in enumerate(countries):
        names = [f"{country.title()} {d}" for d in ("North", "South", "East", "West", "Central")]
        names += [f"{country.title()} District {k}" for k in range(6, size + 1)]
        _table(raw, country, territory_rows(names[:size], seed=i))
        targets += [
            f"{country},,value_usd,,0,2003,{40_000 + 15_000 * i}",
            f"{country},,members,,0,2003,{2_000 + 600 * i}",
            f"{country},,reach,,,,{30 + 5 * i}%",
        ]
    _targets(raw, targets)


def portfolio_of_four(raw: Path) -> None:
    _portfolio(raw, PORTFOLIO)


def portfolio_in(lang: str) -> Callable[[Path], None]:
    """The portfolio of four, its overview in `lang` (settings.yaml's overview_languages)."""

    def inputs(raw: Path) -> None:
        portfolio_of_four(raw)
        shutil.copy(LAYOUT / f"programme.{lang}.yaml", raw / f"programme.{lang}.yaml")
        settings = (raw / "settings.yaml").read_text(encoding="utf-8")
        (raw / "settings.yaml").write_text(
            settings + f"overview_languages: [{lang}]\n", encoding="utf-8"
        )

    return inputs


def portfolio_of_six(raw: Path) -> None:
    _portfolio(raw, PORTFOLIO_SIX)


def blank_column(raw: Path) -> None:
    """No territory reported its members: the reach and group-size charts cannot be drawn."""
    names = ["Gulu", "Lira", "Kitgum", "Arua", "Soroti"]
    _table(raw, "uganda", territory_rows(names, seed=7, blank="Members"))


def one_territory(raw: Path) -> None:
    _table(raw, "malawi", territory_rows(["Lilongwe"], seed=3))


#: A territory name of exactly 100 characters, spaces and all, as a field office may write one.
LONG_NAME = (
    "Northern Highlands Agro-Pastoral Livelihood Zone incorporating the Upper Rift Valley "
    "Settlement Area"
)


def long_name(raw: Path) -> None:
    assert len(LONG_NAME) == 100
    _table(raw, "tanzania", territory_rows([LONG_NAME, "Arusha", "Moshi", "Same"], seed=5))


def arabic_names(raw: Path) -> None:
    """Territories named in Arabic, beside one in Latin letters: right-to-left text that must
    be shaped (joined letters), in the body, the tables and the charts."""
    names = ["الخرطوم", "كسلا", "القضارف", "Kadugli"]
    _table(raw, "sudan", territory_rows(names, seed=7))


def two_periods(raw: Path) -> None:
    """Two years of the same territories: the brief adds its change over time."""
    names = ["Gulu", "Lira", "Kitgum", "Arua", "Soroti", "Mbale"]
    rows = [
        f"{period},{row}"
        for period, seed in (("2004", 21), ("2005", 22))
        for row in territory_rows(names, seed=seed)
    ]
    (raw / "uganda.csv").write_text(
        "\n".join([f"Period,{HEADER}", *rows]) + "\n", encoding="utf-8"
    )


def huge_figures(raw: Path) -> None:
    """Figures at the ceilings, to the kg and the cent: the widest a table's cells can be,
    in a brief and, added up over two countries, in the overview."""
    for country, names in (("tanzania", ("Mwanza", "Dodoma", "Mbeya")), ("malawi", ("Zomba",))):
        rows = [
            f'"{name}",99999999,"maize, beans",99999999,99999999,99999999.999,9999999999.99'
            for name in names
        ]
        _table(raw, country, rows)


def forty_territories(raw: Path) -> None:
    names = [f"Region {chr(65 + i // 10)}{i % 10 + 1}" for i in range(40)]
    _table(raw, "zambia", territory_rows(names, seed=11))


@dataclass(frozen=True)
class OnlyRender:
    """WeasyPrint for the documents a scenario shows, the stand-in for the others (a brief
    is told by its attached table, e.g. "uganda.csv"; the overview by "overview.csv")."""

    attachments: tuple[str, ...]

    def __call__(
        self,
        html: str,
        templates: Path,
        max_pages: int,
        files: Sequence[EmbeddedFile] = (),
        date: datetime | None = None,
    ) -> Pdf:
        if any(f.name in self.attachments for f in files):
            return html_to_pdf(html, templates, max_pages, files, date)
        return fake_pdf(html, templates, max_pages, files, date)


@dataclass(frozen=True)
class Scenario:
    """A set of inputs and the documents of it a donor would see, each with its page budget."""

    name: str
    about: str
    inputs: Callable[[Path], None]
    #: PDF file name in reports/ → the most pages its body may take
    budgets: dict[str, int]
    #: --lang; None: each country's language (settings.yaml). Documents not in `budgets`
    #: are built with the stand-in renderer (tests/fakes.py), for speed.
    lang: str | None = None

    def build(self, root: Path) -> dict[str, Path]:
        """Build the scenario's documents under `root`; their paths by file name."""
        raw = root / "raw"
        raw.mkdir(parents=True)
        for name in ("programme.yaml", "settings.yaml"):
            shutil.copy(LAYOUT / name, raw / name)
        self.inputs(raw)
        dirs = Dirs(raw=raw, processed=root / "processed", reports=root / "reports")
        shown = tuple(n.replace(".pdf", ".csv") for n in self.budgets)
        outcome: RunResult = run(dirs, lang=self.lang, render=OnlyRender(shown))
        failed = [c.file for c in outcome.countries if not c.status.succeeded]
        missing = [n for n in self.budgets if not (dirs.reports / n).is_file()]
        if failed or missing or outcome.overview_error:
            log = dirs.reports / "errors.log"
            raise RuntimeError(
                f"{self.name}: {failed or missing} not built. {outcome.overview_error}\n"
                + (log.read_text(encoding="utf-8") if log.is_file() else "")
            )
        return {name: dirs.reports / name for name in self.budgets}


SCENARIOS = [
    Scenario("kenya", "Kenya's real table, in English", kenya, {"kenya.pdf": 3}),
    Scenario(
        "kenya-targets",
        "Kenya with country and territory targets",
        kenya_with_targets,
        {"kenya.pdf": 3},
    ),
    Scenario("kenya-fr", "Kenya in French", kenya_in("fr"), {"kenya.pdf": 3}),
    Scenario("kenya-es", "Kenya in Spanish", kenya_in("es"), {"kenya.pdf": 3}),
    Scenario("kenya-pt", "Kenya in Portuguese", kenya_in("pt"), {"kenya.pdf": 3}),
    Scenario(
        "kenya-parts",
        "Kenya with made-up women and youth members (#26)",
        kenya_with_parts,
        {"kenya.pdf": 3},
    ),
    Scenario(
        "kenya-parts-fr",
        "Kenya with made-up women and youth members, in French (#26)",
        kenya_with_parts_in("fr"),
        {"kenya.pdf": 3},
    ),
    # A gap adds two lines to the data notes (the gap, and that totals leave it out); in
    # Portuguese they are the longest.
    Scenario(
        "kenya-parts-gap",
        "Kenya with made-up women and youth members, Kitu's youth not reported (#26)",
        kenya_with_parts_in("en", youth_gap="Kitu"),
        {"kenya.pdf": 3},
    ),
    Scenario(
        "kenya-parts-gap-pt",
        "Kenya with made-up women and youth members, Kitu's youth not reported, in Portuguese",
        kenya_with_parts_in("pt", youth_gap="Kitu"),
        {"kenya.pdf": 3},
    ),
    Scenario(
        "portfolio",
        "Four countries with targets: the overview, and Rwanda's brief (in French)",
        portfolio_of_four,
        {"overview.pdf": 2, "rwanda.pdf": 3},
    ),
    Scenario(
        "portfolio-es",
        "Four countries with targets: the overview in Spanish",
        portfolio_in("es"),
        {"overview.pdf": 2},
    ),
    Scenario(
        "portfolio-six",
        "Six countries with targets: the overview",
        portfolio_of_six,
        {"overview.pdf": 2},
    ),
    Scenario("blank-column", "No territory reported members", blank_column, {"uganda.pdf": 3}),
    Scenario("one-territory", "A table of one territory", one_territory, {"malawi.pdf": 3}),
    Scenario("long-name", "A territory name of 100 characters", long_name, {"tanzania.pdf": 3}),
    Scenario("forty", "Forty territories", forty_territories, {"zambia.pdf": 5}),
    Scenario(
        "huge-figures",
        "Every figure at its ceiling: a brief, and the overview's sums",
        huge_figures,
        {"tanzania.pdf": 3, "overview.pdf": 2},
    ),
    Scenario("periods", "Two reporting periods", two_periods, {"uganda.pdf": 3}),
    Scenario("arabic", "Territory names in Arabic script", arabic_names, {"sudan.pdf": 3}),
]
