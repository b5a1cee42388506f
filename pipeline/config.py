"""Paths, limits and constants: the one place where paths are built."""

import re
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
RAW_DIR = PROJECT_ROOT / "data" / "raw"
PROCESSED_DIR = PROJECT_ROOT / "data" / "processed"
REPORTS_DIR = PROJECT_ROOT / "reports"
TEMPLATES_DIR = PROJECT_ROOT / "templates"
#: The IATI Standard's schema and codelists, vendored (standards/iati/NOTE.md).
IATI_STANDARD_DIR = Path(__file__).resolve().parent / "standards" / "iati"
IATI_SCHEMA = IATI_STANDARD_DIR / "iati-activities-schema.xsd"
IATI_CODELISTS_DIR = IATI_STANDARD_DIR / "codelists"

PROGRAMME_FILE = "programme.yaml"
EXCHANGE_RATES_FILE = "exchange_rates.csv"
SETTINGS_FILE = "settings.yaml"
#: Optional baselines and targets (README, "Targets"); a workbook may stand in for the CSV.
TARGETS_FILE = "targets.csv"
TARGETS_FILES = (TARGETS_FILE, "targets.xlsx")
#: The formats a country's table is read from: delimited text, and workbooks.
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
#: Files in data/raw that are not country tables.
RESERVED_FILES = (EXCHANGE_RATES_FILE, *TARGETS_FILES)
#: Files in data/raw that every country's brief depends on.
SHARED_INPUTS = (PROGRAMME_FILE, EXCHANGE_RATES_FILE, SETTINGS_FILE)
#: The stylesheet of every brief, in the templates folder.
STYLESHEET = "brief.css"
#: The fonts the stylesheet names, shipped in this folder of the templates (and their kinds).
FONTS_FOLDER = "fonts"
FONT_SUFFIXES = (".ttf", ".otf")
#: Template files whose change rebuilds every brief.
TEMPLATE_SUFFIXES = (".j2", ".css", *FONT_SUFFIXES)

#: A country file larger than this is refused before it is parsed.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: programme.yaml, settings.yaml, their translations and narratives: refused past this size,
#: before they are parsed.
MAX_CONTENT_BYTES = 1024 * 1024
#: A country file with more data rows than this is refused.
MAX_DATA_ROWS = 5_000
#: A cell longer than this many characters is an error for its line, never a crash.
MAX_CELL_CHARS = 10_000
#: A workbook sheet larger than this (rows, columns) is refused before it is loaded.
MAX_SHEET_ROWS = 20_000
MAX_SHEET_COLUMNS = 200
#: The custom document property by which `make template` names its Instructions sheet, so
#: that the reader knows it for the tool's own text, not a sheet an officer filled in.
INSTRUCTIONS_PROPERTY = "Impact Briefs instructions sheet"
#: A workbook whose parts unpack to more than this many bytes is refused (zip bombs).
MAX_WORKBOOK_UNPACKED_BYTES = 100 * 1024 * 1024
#: A brief that lays out to more pages than this is not written.
MAX_PAGES = 40
#: A brief's tables list at most this many territories (largest value first); the rest are
#: summed in one row, and every territory is in the CSV attached to the PDF.
MAX_TERRITORIES_SHOWN = 30
#: Each chart draws at most this many territories, so that labels stay readable.
MAX_TERRITORIES_CHARTED = 15
#: The data notes list at most this many plausibility flags; all are in the attachment.
MAX_FLAGS_LISTED = 12

#: Cells that mean "not reported" (compared after trimming; case-insensitive).
MISSING_MARKERS = ("", "-", "–", "—", "n/a")

#: A territory whose members per PMG or price per tonne differs from the median of the
#: country's other territories by more than this factor is flagged for checking.
PLAUSIBILITY_FACTOR = 5.0


def processed_csv(processed_dir: Path, slug: str) -> Path:
    """Processed territory table of one country."""
    return processed_dir / f"{slug}.csv"


def validation_csv(processed_dir: Path, slug: str) -> Path:
    """Validation findings of one country."""
    return processed_dir / "validation" / f"{slug}.csv"


def rejected_csv(processed_dir: Path, slug: str) -> Path:
    """Rejected input rows of one country, verbatim with their reasons."""
    return processed_dir / "validation" / f"{slug}-rejected.csv"


def results_csv(processed_dir: Path, slug: str) -> Path:
    """Results against targets of one country: baseline, target, actual, % achieved."""
    return processed_dir / f"{slug}-results.csv"


def brief_pdf(reports_dir: Path, stem: str) -> Path:
    """PDF brief of one country: kenya.pdf (its main edition) or kenya.fr.pdf."""
    return reports_dir / f"{stem}.pdf"


def brief_web(reports_dir: Path, stem: str) -> Path:
    """Web edition of one country's brief: one self-contained HTML file."""
    return reports_dir / f"{stem}.html"


def brief_outputs(reports_dir: Path, stem: str) -> list[Path]:
    """A country's brief in one language, as PDF and web page: they come and go together."""
    return [brief_pdf(reports_dir, stem), brief_web(reports_dir, stem)]


#: The stem of a language edition after the country's slug: kenya.fr, kenya.es-GT.
_EDITION = re.compile(r"^\.[a-z]{2,3}(-[A-Za-z0-9]{2,3})?$")


def every_edition(reports_dir: Path, slug: str) -> list[Path]:
    """A country's brief in every language there is in `reports_dir`, main edition first:
    what a refused country loses, whichever editions an earlier run made."""
    found = [
        p
        for p in sorted(reports_dir.glob(f"{slug}.*"))
        if p.suffix in (".pdf", ".html") and _EDITION.match(p.name[len(slug) : -len(p.suffix)])
    ]
    return [*brief_outputs(reports_dir, slug), *found]


def overview_web(reports_dir: Path, stem: str = "overview") -> Path:
    """Web edition of the overview (overview.fr.html for its French edition)."""
    return reports_dir / f"{stem}.html"


def overview_pdf(reports_dir: Path, stem: str = "overview") -> Path:
    """Programme-wide brief over every country (overview.fr.pdf for its French edition)."""
    return reports_dir / f"{stem}.pdf"


def overview_csv(processed_dir: Path) -> Path:
    """Every country's latest figures, one row per country."""
    return processed_dir / "overview.csv"


def validation_report(reports_dir: Path) -> Path:
    """Validation report for all countries."""
    return reports_dir / "validation.html"


def open_data_dir(reports_dir: Path) -> Path:
    """The open-data files for donors' systems: IATI, a Frictionless data package, HXL."""
    return reports_dir / "open-data"


def open_data_table(reports_dir: Path, slug: str) -> Path:
    """A country's processed table beside the data package that describes it."""
    return open_data_dir(reports_dir) / f"{slug}.csv"


def hxl_csv(reports_dir: Path, slug: str) -> Path:
    """A country's processed table with an HXL hashtag row."""
    return open_data_dir(reports_dir) / f"{slug}.hxl.csv"


def open_data_results(reports_dir: Path, slug: str) -> Path:
    """A country's results against targets beside the data package (when it has targets)."""
    return open_data_dir(reports_dir) / f"{slug}-results.csv"


def lineage_csv(reports_dir: Path, slug: str) -> Path:
    """How each figure of a country's brief was made: one row per figure and input cell."""
    return open_data_dir(reports_dir) / f"{slug}-lineage.csv"


def country_open_data(reports_dir: Path, slug: str) -> list[Path]:
    """Every open-data file of one country."""
    return [
        open_data_table(reports_dir, slug),
        hxl_csv(reports_dir, slug),
        open_data_results(reports_dir, slug),
        lineage_csv(reports_dir, slug),
    ]


def open_data_overview(reports_dir: Path) -> Path:
    """Every country's latest figures, beside the data package that describes them."""
    return open_data_dir(reports_dir) / "overview.csv"


def datapackage(reports_dir: Path) -> Path:
    """The Frictionless Data Package (v2) describing the open-data tables."""
    return open_data_dir(reports_dir) / "datapackage.json"


def iati_activities(reports_dir: Path) -> Path:
    """The programme and its countries as IATI activities (standard 2.03), with results."""
    return open_data_dir(reports_dir) / "iati-activities.xml"


def fixes_csv(reports_dir: Path) -> Path:
    """Every suggested correction of the last full run, for `python -m pipeline fix`."""
    return reports_dir / "fixes.csv"


def fixes_dir(reports_dir: Path) -> Path:
    """Where `python -m pipeline fix` writes the corrected copies (never into data/raw)."""
    return reports_dir / "fixes"


def manifest(reports_dir: Path) -> Path:
    """Every output of the last run, with the hashes of the inputs it was built from."""
    return reports_dir / "manifest.json"


def lock_file(folder: Path) -> Path:
    """Held by the run writing to `folder`: one run at a time per output folder."""
    return folder / ".impact-briefs.lock"


def error_log(reports_dir: Path) -> Path:
    """Where the traceback of a bug goes (never to the terminal), for the maintainers."""
    return reports_dir / "errors.log"


@dataclass(frozen=True)
class Dirs:
    """Where a run reads and writes; every path may be absolute and anywhere."""

    raw: Path = RAW_DIR
    processed: Path = PROCESSED_DIR
    reports: Path = REPORTS_DIR
    templates: Path = TEMPLATES_DIR


def translated_path(path: Path, lang: str) -> Path:
    """programme.yaml → programme.fr.yaml; kenya.md → kenya.fr.md."""
    return path.with_name(f"{path.stem}.{lang}{path.suffix}")


def targets_file(raw: Path) -> Path | None:
    """The targets file in `raw` (CSV, else workbook), or None when there is none."""
    for name in TARGETS_FILES:
        if (raw / name).is_file():
            return raw / name
    return None


def run_open_data(reports_dir: Path) -> list[Path]:
    """The run-wide open-data files (the IATI file only when it is written)."""
    return [
        open_data_overview(reports_dir),
        datapackage(reports_dir),
        iati_activities(reports_dir),
    ]
