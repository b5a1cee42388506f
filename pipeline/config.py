"""Paths, limits and constants: the one place where paths are built."""

from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
RAW_DIR = PROJECT_ROOT / "data" / "raw"
PROCESSED_DIR = PROJECT_ROOT / "data" / "processed"
REPORTS_DIR = PROJECT_ROOT / "reports"
TEMPLATES_DIR = PROJECT_ROOT / "templates"

PROGRAMME_FILE = "programme.yaml"
EXCHANGE_RATES_FILE = "exchange_rates.csv"
SETTINGS_FILE = "settings.yaml"
TABLE_SUFFIXES = (".csv", ".xlsx")
#: Files in data/raw that are not country tables.
RESERVED_FILES = (EXCHANGE_RATES_FILE,)
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
#: A country file with more data rows than this is refused.
MAX_DATA_ROWS = 5_000
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


def brief_pdf(reports_dir: Path, slug: str) -> Path:
    """PDF brief of one country."""
    return reports_dir / f"{slug}.pdf"


def overview_pdf(reports_dir: Path) -> Path:
    """Programme-wide brief over every country."""
    return reports_dir / "overview.pdf"


def overview_csv(processed_dir: Path) -> Path:
    """Every country's latest figures, one row per country."""
    return processed_dir / "overview.csv"


def validation_report(reports_dir: Path) -> Path:
    """Validation report for all countries."""
    return reports_dir / "validation.html"


def manifest(reports_dir: Path) -> Path:
    """Every output of the last run, with the hashes of the inputs it was built from."""
    return reports_dir / "manifest.json"


@dataclass(frozen=True)
class Dirs:
    """Where a run reads and writes; every path may be absolute and anywhere."""

    raw: Path = RAW_DIR
    processed: Path = PROCESSED_DIR
    reports: Path = REPORTS_DIR
    templates: Path = TEMPLATES_DIR
